"use client";

// The record's dimension checks: each size against the ergonomic range for its furniture type.
import { AlertTriangle, Check } from "lucide-react";
import { useFormatter } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import type { RecordOut } from "@/api/records";
import type { MessageKey } from "@/i18n/errors";

const DIMENSION: Record<string, MessageKey> = {
  seat_height_cm: "dimension.seat_height_cm",
  width_cm: "dimension.width_cm",
  depth_cm: "dimension.depth_cm",
  height_cm: "dimension.height_cm",
};

export const FURNITURE: Record<string, MessageKey> = {
  chair: "furniture.chair",
  lounge_chair: "furniture.lounge_chair",
  stool: "furniture.stool",
  bar_stool: "furniture.bar_stool",
  bench: "furniture.bench",
  sofa: "furniture.sofa",
  table: "furniture.table",
  other: "furniture.other",
};

export function Checks({ record }: { record: RecordOut }) {
  const t = useTranslations();
  const format = useFormatter();
  if (!record.checks.length) return null;
  const type = record.furniture_type ? FURNITURE[record.furniture_type] : undefined;
  return (
    <section className="mt-5" aria-labelledby={`checks-${record.id}`} data-testid="checks">
      <h4 id={`checks-${record.id}`} className="label">
        {t("record.checks")}
        {type && (
          <span className="ml-2 normal-case text-muted">
            · {t("record.furnitureType")}: {t(type)}
          </span>
        )}
      </h4>
      <ul className="grid gap-1.5 text-sm sm:grid-cols-2">
        {record.checks.map((check) => {
          const ok = check.status === "ok";
          return (
            <li
              key={check.dimension}
              className={`flex items-start gap-2 rounded-lg px-2.5 py-1.5 ${ok ? "bg-stone-100" : "bg-amber-50 text-amber-900"}`}
              data-testid="check"
              data-status={check.status}
            >
              {ok ? (
                <Check className="mt-0.5 h-4 w-4 shrink-0 text-emerald-700" aria-hidden />
              ) : (
                <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0 text-amber-700" aria-hidden />
              )}
              <span>
                <span className="font-medium">{DIMENSION[check.dimension] ? t(DIMENSION[check.dimension]) : check.dimension}</span>{" "}
                {t("record.checkValue", {
                  value: format.number(check.value_cm),
                  min: format.number(check.min_cm),
                  max: format.number(check.max_cm),
                })}
                <span className="sr-only"> ({ok ? t("record.checkOk") : t("record.checkWarn")})</span>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
