"use client";

// Job control for one record: where it waits in the queue, Cancel while it waits or runs,
// and Retry (with its price) once it failed or was cancelled.
import { useState } from "react";
import { Clock, RotateCcw, Square } from "lucide-react";
import { useTranslations } from "use-intl";
import { cancelRecord, retryRecord, type RecordOut } from "@/api/records";
import { useErrorText } from "@/i18n/errors";

export function JobControls({
  record,
  onChanged,
}: {
  record: RecordOut;
  /** The record as the server returned it after a cancel or a retry. */
  onChanged: (record: RecordOut, action: "cancelled" | "retried") => void;
}) {
  const t = useTranslations();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // One key per shown attempt: a double click retries once.
  const [retryKey, setRetryKey] = useState(() => crypto.randomUUID());

  async function cancel() {
    setBusy(true);
    setProblem(null);
    const { data, error } = await cancelRecord(record.id);
    setBusy(false);
    if (data) onChanged(data, "cancelled");
    else setProblem(errorText(error, "jobs.cancelFailed", { AlreadyFinished: "jobs.alreadyFinished" }));
  }

  async function retry() {
    setBusy(true);
    setProblem(null);
    const { data, error } = await retryRecord(record.id, retryKey);
    setBusy(false);
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
