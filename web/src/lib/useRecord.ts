"use client";

// A record kept live: fetched once, then followed over SSE until every stage has ended.
import { useEffect, useEffectEvent, useState } from "react";
import { getRecord, STREAM_EVENTS, streamUrl, type RecordOut } from "@/api/records";

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
 * follows the record again from the start (after a retry made a finished record run again).
 */
export function useLiveRecord(
  recordId: string | null,
  onDone?: (record: RecordOut) => void,
  { fresh = false, epoch = 0 }: { fresh?: boolean; epoch?: number } = {},
): LiveRecord {
  const [record, setRecord] = useState<RecordOut | null>(null);
  const [error, setError] = useState<{ body: unknown } | null>(null);
  const [connection, setConnection] = useState<LiveRecord["connection"]>("idle");
  // Always the caller's latest callback, without restarting the stream when it changes.
  const notifyDone = useEffectEvent((last: RecordOut) => onDone?.(last));
  // Another record: drop the previous one's state while rendering, not in an effect afterwards.
  const [shownId, setShownId] = useState(recordId);
  if (recordId !== shownId) {
    setShownId(recordId);
    if (recordId) {
      setRecord(null);
      setError(null);
    }
  }

  useEffect(() => {
    if (!recordId) return;
    let closed = false;
    let source: EventSource | null = null;
    let timer: number | undefined;
    let latestVersion = -1;
    let finished = false;
    let sawRunning = fresh;

    const accept = (next: RecordOut) => {
      if (closed || next.version < latestVersion) return;
      latestVersion = next.version;
      setRecord(next);
      if (!next.done) sawRunning = true;
      else if (!finished) {
        finished = true;
        finish(next);
      }
    };
    const finish = (last: RecordOut) => {
      source?.close();
      source = null;
      window.clearTimeout(timer);
      setConnection("idle");
      // Only a record seen running "finishes"; opening an old record is not an event.
      if (sawRunning) notifyDone(last);
    };
    const poll = async () => {
      const { data, error: err } = await getRecord(recordId);
      if (closed) return;
      if (!data) {
        setError({ body: err });
        setConnection("idle");
        return;
      }
      accept(data);
      if (!data.done && !closed) timer = window.setTimeout(poll, POLL_MS);
    };
    let reopened = 0;
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
        if (!finished) void poll();
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

    void (async () => {
      const { data, error: err } = await getRecord(recordId);
      if (closed) return;
      if (!data) {
        setError({ body: err });
        return;
      }
      accept(data);
      if (!data.done) void listen();
    })();

    return () => {
      closed = true;
      source?.close();
      window.clearTimeout(timer);
    };
  }, [recordId, fresh, epoch]);

  return { record, error, connection };
}
