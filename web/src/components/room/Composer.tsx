"use client";

// The room's brief: 1–4 references (new uploads or earlier ones), a keyword, a style, and the
// button that spends a credit on a new record.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Coins, Sparkles } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import { useStartGeneration } from "@/api/mutations";
import { uploadsQuery } from "@/api/queries";
import { useAuth } from "@/lib/auth";
import { stableUrl } from "@/lib/imageUrls";
import { useErrorText } from "@/i18n/errors";
import { useLocaleSwitch } from "@/i18n/I18nProvider";
import { Alert } from "@/components/ui";
import { Uploader, MAX_INPUTS, newSlot, type Slot } from "@/components/Uploader";
import { StylePicker } from "@/components/StylePicker";
import { CostEstimate } from "@/components/CostEstimate";

const EARLIER_UPLOADS = 24;

export function Composer({
  roomId,
  liveRunning,
  onStarted,
}: {
  roomId: string;
  /** The room's live record is still being made: the brief waits. */
  liveRunning: boolean;
  onStarted: (recordId: string) => void;
}) {
  const { me } = useAuth();
  const t = useTranslations();
  const errorText = useErrorText();
  const { locale } = useLocaleSwitch();
  const [slots, setSlots] = useState<Slot[]>([]);
  const [keyword, setKeyword] = useState("");
  const [style, setStyle] = useState<string | null>(null);
  const [genError, setGenError] = useState<string | null>(null);
  const [previews, setPreviews] = useState<boolean | null>(null);
  const { data: uploads = [] } = useQuery(uploadsQuery(roomId, EARLIER_UPLOADS));
  const start = useStartGeneration(roomId);

  const ready = slots.filter((s) => s.image && !s.uploading);
  const uploading = slots.some((s) => s.uploading);
  const running = liveRunning || start.isPending;
  const credits = me?.credits ?? 0;
  const cost = me?.generation_cost ?? 1;
  const costLabel = t("credits.amount", { count: cost });
  const outOfCredits = credits < cost;
  const chosenIds = new Set(slots.map((s) => s.image?.id));
  const earlier = uploads.filter((u) => !chosenIds.has(u.id));

  async function generate(e: React.FormEvent) {
    e.preventDefault();
    if (!ready.length || uploading) return;
    setGenError(null);
    const { data, error } = await start.mutateAsync({
      inputs: ready.map((s) => ({ image_id: s.image!.id, role: s.role, strength: s.strength })),
      keyword,
      style,
      language: locale,
      previews,
    });
    if (!data) {
      setGenError(
        errorText(error, "room.generateFailed", { InsufficientCredits: "room.outOfCredits" }, { cost: costLabel }),
      );
      return;
    }
    onStarted(data.record_id);
  }

  return (
    <form onSubmit={generate} className="card p-4 sm:p-6" aria-labelledby="compose-title">
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="compose-title" className="font-serif text-xl">
          {t("room.composeTitle")}
        </h2>
        <p className="text-xs text-muted">{t("room.referenceCount", { count: slots.length, max: MAX_INPUTS })}</p>
      </div>
      <Uploader roomId={roomId} slots={slots} setSlots={setSlots} disabled={running} />
      {earlier.length > 0 && slots.length < MAX_INPUTS && (
        <div className="mt-4">
          <p className="label">{t("room.earlierUploads")}</p>
          <ul className="flex gap-2 overflow-x-auto pb-1">
            {earlier.map((image) => (
              <li key={image.id} className="shrink-0">
                <button
                  type="button"
                  disabled={running}
                  onClick={() =>
                    setSlots((s) =>
                      s.length >= MAX_INPUTS
                        ? s
                        : [
                            ...s,
                            newSlot({ key: image.id, preview: image.url, name: t("room.earlierUpload"), image, uploading: false }),
                          ],
                    )
                  }
                  className="block h-16 w-16 overflow-hidden rounded-lg border border-line hover:border-clay-500"
                  aria-label={t("room.useEarlierUpload")}
                >
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <img src={stableUrl(image.id, image.url)} alt="" className="h-full w-full object-cover" />
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="mt-5 flex flex-col gap-4 sm:flex-row sm:items-end">
        <div className="flex-1">
          <label htmlFor="keyword" className="label">
            {t("room.keyword")} <span className="normal-case tracking-normal">{t("common.optional")}</span>
          </label>
          <input
            id="keyword"
            className="field"
            maxLength={100}
            placeholder={t("room.keywordPlaceholder")}
            value={keyword}
            onChange={(e) => setKeyword(e.target.value)}
            disabled={running}
          />
        </div>
        <StylePicker value={style} onChange={setStyle} disabled={running} />
        <CostEstimate inputImages={ready.length} previews={previews} onPreviews={setPreviews} disabled={running} />
        {outOfCredits ? (
          <div role="status" data-testid="no-credits" className="flex items-center gap-2 rounded-lg border border-red-200 bg-red-50 px-4 py-2.5 text-sm text-red-800 sm:max-w-sm">
            <Coins className="h-4 w-4 shrink-0" aria-hidden />
            {t("room.outOfCredits", { cost: costLabel })}
          </div>
        ) : (
          <button
            type="submit"
            className="btn-accent px-5 py-2.5"
            disabled={!ready.length || uploading || running}
            aria-describedby="generate-cost"
          >
            <Sparkles className="h-4 w-4" aria-hidden />
            {running ? t("room.generating") : t("room.generate")}
            <span id="generate-cost" className="rounded-full bg-white/20 px-2 py-0.5 text-xs">
              {costLabel}
            </span>
          </button>
        )}
      </div>
      {!ready.length && !outOfCredits && <p className="mt-2 text-xs text-muted">{t("room.needReference")}</p>}
      {genError && (
        <div className="mt-4">
          <Alert>{genError}</Alert>
        </div>
      )}
    </form>
  );
}
