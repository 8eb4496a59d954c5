"use client";

// The room's records, newest first, a page at a time.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, History as HistoryIcon, Sparkles } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import { historyQuery, RECORDS_PAGE } from "@/api/queries";
import { useErrorText } from "@/i18n/errors";
import { Alert, EmptyState, PageLoading } from "@/components/ui";
import { RecordCard } from "@/components/RecordCard";

export function History({
  roomId,
  offset,
  onOffset,
}: {
  roomId: string;
  offset: number;
  onOffset: (offset: number) => void;
}) {
  const t = useTranslations();
  const errorText = useErrorText();
  // The page shown stays until the next one has come.
  const { data, error } = useQuery({ ...historyQuery(roomId, offset), placeholderData: keepPreviousData });
  const records = data?.items ?? null;
  const total = data?.total ?? 0;

  return (
    <section className="mt-12" aria-labelledby="records-title">
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="records-title" className="flex items-center gap-2 font-serif text-2xl">
          <HistoryIcon className="h-5 w-5 text-clay-600" aria-hidden /> {t("room.records")}
        </h2>
        {total > 0 && <p className="text-sm text-muted">{t("room.recordsCount", { count: total })}</p>}
      </div>
      {error && <Alert>{errorText(error, "room.recordsLoadFailed")}</Alert>}
      {records === null && !error && <PageLoading />}
      {records?.length === 0 && (
        <EmptyState icon={<Sparkles className="h-5 w-5" aria-hidden />} title={t("room.noRecordsTitle")}>
          {t("room.noRecordsBody")}
        </EmptyState>
      )}
      {records && records.length > 0 && (
        <>
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label={t("room.records")}>
            {records.map((record) => (
              <RecordCard key={record.id} record={record} />
            ))}
          </ul>
          {total > RECORDS_PAGE && (
            <nav aria-label={t("room.recordsPages")} className="mt-6 flex items-center justify-center gap-3">
              <button
                type="button"
                className="btn-outline"
                disabled={offset === 0}
                onClick={() => onOffset(Math.max(0, offset - RECORDS_PAGE))}
              >
                <ChevronLeft className="h-4 w-4" aria-hidden /> {t("room.newer")}
              </button>
              <span className="text-sm tabular-nums text-muted">
                {t("room.page", {
                  page: Math.floor(offset / RECORDS_PAGE) + 1,
                  pages: Math.ceil(total / RECORDS_PAGE),
                })}
              </span>
              <button
                type="button"
                className="btn-outline"
                disabled={offset + RECORDS_PAGE >= total}
                onClick={() => onOffset(offset + RECORDS_PAGE)}
              >
                {t("room.older")} <ChevronRight className="h-4 w-4" aria-hidden />
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
