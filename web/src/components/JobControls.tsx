"use client";

// Job control for one record: where it waits in the queue, Cancel while it waits or runs,
// and Retry (with its price) once it failed or was cancelled.
import { useState } from "react";
import { Clock, RotateCcw, Square } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import type { RecordOut } from "@/api/records";
import { useCancelRecord, useRetryRecord } from "@/api/mutations";
import { useErrorText } from "@/i18n/errors";

export function JobControls({
  record,
  onChanged,
}: {
  record: RecordOut;
  /** The record as the server returned it after a cancel or a retry (the queries showing the
   *  balance, the room's history and the studio are read again already). */
  onChanged: (record: RecordOut, action: "cancelled" | "retried") => void;
}) {
  const t = useTranslations();
  const errorText = useErrorText();
  const cancelling = useCancelRecord();
  const retrying = useRetryRecord();
  const busy = cancelling.isPending || retrying.isPending;
  const [problem, setProblem] = useState<string | null>(null);
  // One key per shown attempt: a double click retries once.
  const [retryKey, setRetryKey] = useState(() => crypto.randomUUID());

  async function cancel() {
    setProblem(null);
    const { data, error } = await cancelling.mutateAsync(record);
    if (data) onChanged(data, "cancelled");
    else setProblem(errorText(error, "jobs.cancelFailed", { AlreadyFinished: "jobs.alreadyFinished" }));
  }

  async function retry() {
    setProblem(null);
    const { data, error } = await retrying.mutateAsync({ record, key: retryKey });
    if (data) {
      setRetryKey(crypto.randomUUID());
      onChanged(data, "retried");
    } else setProblem(errorText(error, "jobs.retryFailed"));
  }

  const price = record.retry_cost;
  if (record.done && price === null) return null;
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="job-controls">
      {!record.done && record.queue_position != null && (
        <p className="inline-flex items-center gap-1.5 text-muted" data-testid="queue-position">
          <Clock className="h-4 w-4" aria-hidden />
          {t("jobs.queued", { position: record.queue_position })}
          {record.eta_seconds != null && <> · {t("jobs.eta", { minutes: Math.max(1, Math.round(record.eta_seconds / 60)) })}</>}
        </p>
      )}
      {!record.done && (
        <button type="button" className="btn-outline" onClick={() => void cancel()} disabled={busy} data-testid="cancel-record">
          <Square className="h-4 w-4" aria-hidden /> {t("jobs.cancel")}
        </button>
      )}
      {record.done && price !== null && (
        <button type="button" className="btn-outline" onClick={() => void retry()} disabled={busy} data-testid="retry-record">
          <RotateCcw className="h-4 w-4" aria-hidden />
          {price === 0 ? t("jobs.retryFree") : t("jobs.retryPaid", { cost: price })}
        </button>
      )}
      {problem && (
        <p role="alert" className="text-red-800">
          {problem}
        </p>
      )}
    </div>
  );
}
