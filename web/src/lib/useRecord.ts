"use client";

// A record kept live: read once through its query, then followed over SSE until every stage has
// ended. Each event's state goes into the same query entry (src/api/queries.ts recordQuery), so
// every view of the record (the room's live panel, the record page) shows the latest one.
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { STREAM_EVENTS, streamUrl, type RecordOut } from "@/api/records";
import { keys, recordQuery } from "@/api/queries";

export interface LiveRecord {
  record: RecordOut | null;
  /** Why the record could not be read: the API's error body, for useErrorText to word. */
  error: { body: unknown } | null;
  /** "live" while the stream is open, "polling" when it fell back, "idle" otherwise. */
  connection: "live" | "polling" | "idle";
}

const POLL_MS = 2000;

/**
 * `fresh`: the record was just started here, so its end is news even if the first read
 * already finds it done; otherwise only a record seen running reports its end. A new `epoch`
 * reads the record again and follows it from there (after a retry made a finished record run
 * again).
 */
export function useLiveRecord(
  recordId: string | null,
  onDone?: (record: RecordOut) => void,
  { fresh = false, epoch = 0 }: { fresh?: boolean; epoch?: number } = {},
): LiveRecord {
  const qc = useQueryClient();
  const query = useQuery({ ...recordQuery(recordId ?? ""), enabled: Boolean(recordId) });
  const record = recordId ? (query.data ?? null) : null;
  const running = record !== null && !record.done;
  const [connection, setConnection] = useState<LiveRecord["connection"]>("idle");
  // Always the caller's latest callback, without restarting the stream when it changes.
  const notifyDone = useEffectEvent((last: RecordOut) => onDone?.(last));

  // Only a record seen running "finishes"; opening an old record is not an event.
  const seen = useRef<{ id: string | null; running: boolean }>({ id: null, running: false });
  useEffect(() => {
    if (!recordId || !record) return;
    if (seen.current.id !== recordId) seen.current = { id: recordId, running: fresh };
    if (!record.done) seen.current.running = true;
    else if (seen.current.running) {
      seen.current.running = false;
      notifyDone(record);
    }
  }, [recordId, record, fresh]);

  // A retry: read the record again; running once more, the stream below opens again.
  useEffect(() => {
    if (recordId && epoch > 0) void qc.invalidateQueries({ queryKey: keys.record(recordId), exact: true });
  }, [qc, recordId, epoch]);

  useEffect(() => {
    if (!recordId || !running) return;
    let closed = false;
    let source: EventSource | null = null;
    let timer: number | undefined;
    let reopened = 0;

    const accept = (next: RecordOut) => {
      if (closed) return;
      qc.setQueryData<RecordOut>(keys.record(recordId), (held) => (!held || next.version >= held.version ? next : held));
    };
    const poll = async () => {
      try {
        const data = await qc.fetchQuery({ ...recordQuery(recordId), staleTime: 0 });
        if (!data.done && !closed) timer = window.setTimeout(poll, POLL_MS);
      } catch {
        // The query holds the error now; the page shows it.
        if (!closed) setConnection("idle");
      }
    };
    const listen = async () => {
      const url = await streamUrl(recordId);
      if (closed) return;
      if (!url) {
        setConnection("polling");
        void poll();
        return;
      }
      source = new EventSource(url);
      setConnection("live");
      const onEvent = (event: MessageEvent<string>) => {
        try {
          const data = JSON.parse(event.data) as RecordOut | { record: RecordOut };
          // A preview event's state is under `record` (its own fields name the preview).
          accept("record" in data ? data.record : data);
        } catch {
          /* a malformed event: the next one carries the full state again */
        }
      };
      for (const name of [...STREAM_EVENTS, "message"]) source.addEventListener(name, onEvent as EventListener);
      source.addEventListener("end", () => {
        // The last state event came before `end`; read the record once more to be sure.
        source?.close();
        if (!closed) void poll();
      });
      source.onerror = () => {
        // EventSource retries by itself on a dropped connection, with the same URL; once it
        // gives up (an HTTP error: the ticket it reused may have expired), open it again with
        // a fresh ticket a few times, then fall back to polling, which also surfaces errors.
        if (source?.readyState === EventSource.CLOSED && !closed) {
          source = null;
          if (reopened < 3) {
            reopened += 1;
            void listen();
            return;
          }
          setConnection("polling");
          void poll();
        }
      };
    };
    void listen();

    // Every stage ended (or another record): the stream closes.
    return () => {
      closed = true;
      source?.close();
      window.clearTimeout(timer);
    };
  }, [qc, recordId, running]);

  return {
    record,
    error: recordId && query.error ? { body: query.error } : null,
    connection: running ? connection : "idle",
  };
}
