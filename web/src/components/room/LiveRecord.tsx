"use client";

// The record being made in this room (or the newest, once done), followed over its SSE stream.
// Its end tells the rest of the page: the balance and the history are read again then.
import Link from "next/link";
import { useState } from "react";
import { useTranslations } from "@/i18n/useTranslations";
import { useRecordEnded } from "@/api/mutations";
import { usePinnedIds } from "@/api/queries";
import { useLiveRecord } from "@/lib/useRecord";
import { useErrorText } from "@/i18n/errors";
import { Alert, PageLoading } from "@/components/ui";
import { CancelledNotice, FailureNotice, RecordView, StageProgress } from "@/components/RecordView";
import { JobControls } from "@/components/JobControls";
import { useToast } from "@/components/Toast";

export function LiveRecord({ recordId, roomId }: { recordId: string; roomId: string }) {
  const t = useTranslations();
  const toast = useToast();
  const errorText = useErrorText();
  const ended = useRecordEnded();
  const pinnedIds = usePinnedIds(roomId);
  const [epoch, setEpoch] = useState(0);
  const live = useLiveRecord(
    recordId,
    (last) => {
      // Every stage ended: the balance may have changed (a refund), the gallery has a new record.
      ended(last);
      if (last.cancelled) return; // the Cancel button has said so already
      if (last.refunded) toast(t("room.toastRefunded"), "error");
      else toast(t("room.toastComplete"));
    },
    { fresh: true, epoch },
  );

  return (
    <section className="mt-8 space-y-5" aria-labelledby="live-title" aria-live="polite" data-testid="live-record">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="live-title" className="font-serif text-2xl">
          {live.record?.done ? t("room.latest") : t("room.generating")}
        </h2>
        {live.record && (
          <Link href={`/record/?id=${live.record.id}`} className="text-sm font-medium text-clay-700 hover:underline">
            {t("room.openRecord")}
          </Link>
        )}
      </div>
      {live.error && <Alert>{errorText(live.error.body, "recordPage.loadFailed")}</Alert>}
      {live.record ? (
        <>
          <StageProgress record={live.record} />
          <JobControls
            record={live.record}
            onChanged={(_, action) => {
              // The balance and the history are read again by the cancel or retry itself.
              toast(t(action === "cancelled" ? "jobs.toastCancelled" : "jobs.toastRetried"));
              if (action === "retried") setEpoch((n) => n + 1);
            }}
          />
          <FailureNotice record={live.record} />
          <CancelledNotice record={live.record} />
          <RecordView record={live.record} roomId={roomId} pinnedIds={pinnedIds} />
        </>
      ) : (
        !live.error && <PageLoading />
      )}
    </section>
  );
}
