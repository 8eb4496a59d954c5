"use client";

import Link from "next/link";
import { AlertTriangle, ImageOff, Loader2, RotateCcw, Square } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import { isReady, type RecordOut } from "@/api/records";
import { useDates } from "@/i18n/format";
import { DesignPreview, recordFailed } from "@/components/RecordView";
import { stableUrl } from "@/lib/imageUrls";

export function RecordCard({ record }: { record: RecordOut }) {
  const designs = [0, 1, 2, 3].map((position) => record.designs.find((d) => d.position === position));
  const failed = recordFailed(record);
  const t = useTranslations();
  const dates = useDates();
  const generated = record.title || record.name;
  const label = generated
    ? generated
    : record.keyword
      ? t("record.quotedKeyword", { keyword: record.keyword })
      : t("record.untitled");
  return (
    <li className="card group relative overflow-hidden transition-shadow hover:shadow-md" data-testid="record-card">
      {record.designs.length === 0 && (record.image_status === "error" || record.image_status === "cancelled") ? (
        <div className="grid aspect-square place-items-center bg-stone-100 text-sm text-muted">
          <span className="flex flex-col items-center gap-2 px-6 text-center">
            <ImageOff className="h-6 w-6" aria-hidden />
            {t("record.noDesigns")}
          </span>
        </div>
      ) : (
        <div className="grid grid-cols-2 gap-0.5 bg-line">
          {designs.map((design, i) => {
            const preview = design?.preview;
            return (
              <div key={i} className={`aspect-square overflow-hidden bg-stone-100 ${isReady(design) || preview || record.done ? "" : "animate-pulse"}`}>
                {isReady(design) ? (
                  // eslint-disable-next-line @next/next/no-img-element
                  <img src={stableUrl(design.image_id, design.url)} alt="" loading="lazy" className="h-full w-full object-cover" />
                ) : (
                  preview && <DesignPreview position={i} preview={preview} compact />
                )}
              </div>
            );
          })}
        </div>
      )}
      <div className="p-4">
        <h3 className="truncate font-serif text-base">
          <Link href={`/record/?id=${record.id}`} className="after:absolute after:inset-0 focus-visible:outline-none">
            <span
              data-content={generated || record.keyword ? "generated" : undefined}
              lang={generated ? record.language : undefined}
            >
              {label}
            </span>
          </Link>
        </h3>
        <div className="mt-1 flex items-center gap-2 text-xs text-muted">
          <span title={dates.date(record.created_at)}>{dates.relative(record.created_at)}</span>
          {record.keyword && record.title && (
            <span className="truncate" data-content="user">
              · {record.keyword}
            </span>
          )}
        </div>
        <div className="mt-2 flex flex-wrap gap-1.5 text-xs">
          {!record.done && (
            <span className="chip gap-1 border-clay-500/30 bg-clay-50">
              <Loader2 className="h-3 w-3 animate-spin" aria-hidden /> {t("record.inProgress")}
            </span>
          )}
          {record.cancelled && (
            <span className="chip gap-1 border-line bg-stone-100" data-testid="record-cancelled">
              <Square className="h-3 w-3" aria-hidden /> {t("record.cancelled")}
            </span>
          )}
          {failed && (
            <span className="chip gap-1 border-red-200 bg-red-50 text-red-800">
              <AlertTriangle className="h-3 w-3" aria-hidden /> {t("record.stageFailed")}
            </span>
          )}
          {record.refunded && (
            <span className="chip gap-1 border-emerald-200 bg-emerald-50 text-emerald-800">
              <RotateCcw className="h-3 w-3" aria-hidden /> {t("record.refunded")}
            </span>
          )}
        </div>
      </div>
    </li>
  );
}
