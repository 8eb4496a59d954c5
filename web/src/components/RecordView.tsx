"use client";

// A record: per-stage progress, the 4 designs (lightbox), story, keywords, recommendations,
// providers. Renders a record that is still streaming in as well as a finished one. The rules
// of a record's stages live here; the generic pieces (Lightbox, Score, Fact) in ui.tsx.
import { useState } from "react";
import { AlertTriangle, Check, Circle, Coins, Cpu, Loader2, Maximize2, RotateCcw, Square } from "lucide-react";
import { useFormatter } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import { readyDesigns, type DesignOut, type RecordOut, type StageStatus } from "@/api/records";
import { useReferenceTitle } from "@/i18n/content";
import { useEmbedderName, useReferenceSource } from "@/i18n/references";
import type { MessageKey } from "@/i18n/errors";
import { Fact, Lightbox, Score, type GalleryImage } from "@/components/ui";
import { PinButton } from "@/components/Pin";
import { Checks } from "@/components/Checks";
import { DesignLoopButtons } from "@/components/DesignLoop";
import { ModelViewerButton } from "@/components/ModelViewer";
import { stableUrl } from "@/lib/imageUrls";

type Stage = RecordOut["stages"][number]["stage"];
type StageWords = { label: MessageKey; hint: MessageKey; failed: MessageKey };

// The stages and their order come from the record (`record.stages`, the server's one list);
// only their words live here, keyed by the server's Stage enum so a new stage fails the build
// until it has them.
const STAGE_WORDS: Record<Stage, StageWords> = {
  images: { label: "stages.image", hint: "stages.imageHint", failed: "stages.imageFailed" },
  story: { label: "stages.story", hint: "stages.storyHint", failed: "stages.storyFailed" },
  keywords: { label: "stages.keywords", hint: "stages.keywordsHint", failed: "stages.keywordsFailed" },
  recommendation: {
    label: "stages.recommendation",
    hint: "stages.recommendationHint",
    failed: "stages.recommendationFailed",
  },
};

/** A stage's test id: `images` keeps the id `stage-image` the browser tests and scripts know. */
function stageId(stage: Stage): string {
  return stage === "images" ? "image" : stage;
}

export function recordFailed(record: RecordOut): boolean {
  return record.stages.some((s) => s.status === "error");
}

export function StageProgress({ record }: { record: RecordOut }) {
  const t = useTranslations();
  return (
    <ol className="grid gap-2 sm:grid-cols-4" aria-label={t("stages.progress")}>
      {record.stages.map(({ stage, status, error }, i) => {
        const words = STAGE_WORDS[stage];
        return (
          <li
            key={stage}
            data-testid={`stage-${stageId(stage)}`}
            data-status={status}
            className={`rounded-xl border px-3 py-2.5 ${
              status === "error"
                ? "border-red-200 bg-red-50"
                : status === "ready"
                  ? "border-sage-600/20 bg-sage-50"
                  : status === "processing"
                    ? "border-clay-500/40 bg-clay-50"
                    : "border-line bg-white"
            }`}
          >
            <div className="flex items-center gap-2 text-sm font-medium">
              <StageIcon status={status} />
              <span>
                <span className="text-muted">{i + 1}.</span> {t(words.label)}
              </span>
              <span className="sr-only">: {t(STATUS_LABEL[status] ?? "stages.waiting")}</span>
            </div>
            <p className={`mt-0.5 text-xs ${status === "error" ? "text-red-800" : "text-muted"}`}>
              {status === "error" ? (
                <>
                  {t("stages.failed")}
                  {error && <StageErrorDetail text={error} />}
                </>
              ) : status === "ready" ? (
                t("stages.ready")
              ) : status === "cancelled" ? (
                t("stages.cancelled")
              ) : status === "processing" ? (
                t(words.hint)
              ) : (
                t("stages.waiting")
              )}
            </p>
          </li>
        );
      })}
    </ol>
  );
}

const STATUS_LABEL: Record<StageStatus, MessageKey> = {
  pending: "stages.waiting",
  processing: "stages.processing",
  ready: "stages.ready",
  error: "stages.failed",
  cancelled: "stages.cancelled",
};

/** The pipeline's own words for a failure (English, from the provider): kept for whoever can
 *  act on them, marked as such so translators and screen readers treat them as a quote. */
function StageErrorDetail({ text }: { text: string }) {
  return (
    <span className="mt-0.5 block" lang="en" translate="no" data-content="provider">
      {text}
    </span>
  );
}

function StageIcon({ status }: { status: StageStatus }) {
  if (status === "ready") return <Check className="h-4 w-4 text-sage-600" aria-hidden />;
  if (status === "error") return <AlertTriangle className="h-4 w-4 text-red-700" aria-hidden />;
  if (status === "processing") return <Loader2 className="h-4 w-4 animate-spin text-clay-600" aria-hidden />;
  if (status === "cancelled") return <Square className="h-4 w-4 text-muted" aria-hidden />;
  return <Circle className="h-4 w-4 text-stone-300" aria-hidden />;
}

/** What went wrong and what happened to the credit, in one sentence a designer can act on. */
export function FailureNotice({ record }: { record: RecordOut }) {
  const t = useTranslations();
  if (!recordFailed(record)) return null;
  const failed = record.stages.find((s) => s.status === "error");
  const detail = failed?.error ?? null;
  return (
    <div role="alert" data-testid="record-failure" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
      <p className="font-medium">
        {failed && t(STAGE_WORDS[failed.stage].failed)} {readyDesigns(record).length > 0 && t("stages.earlierKept")}
      </p>
      {detail && <StageErrorDetail text={detail} />}
      {record.refunded ? (
        <p data-testid="refund-notice" className="mt-2 inline-flex items-center gap-1.5 font-medium text-emerald-800">
          <RotateCcw className="h-4 w-4" aria-hidden /> {t("stages.refunded")}
        </p>
      ) : (
        readyDesigns(record).length > 0 && record.done && <p className="mt-2 text-red-800">{t("stages.creditKept")}</p>
      )}
    </div>
  );
}

/** A cancelled record: what happened to the credit, and what a retry would run. */
export function CancelledNotice({ record }: { record: RecordOut }) {
  const t = useTranslations();
  if (!record.cancelled || !record.done) return null;
  const unfinished = record.stages.filter((s) => s.status === "cancelled" || s.status === "error");
  return (
    <div role="status" data-testid="record-cancelled-notice" className="rounded-xl border border-line bg-stone-50 px-4 py-3 text-sm">
      <p className="inline-flex items-center gap-1.5 font-medium" data-testid="cancel-credit">
        {record.refunded ? <RotateCcw className="h-4 w-4 text-emerald-700" aria-hidden /> : <Coins className="h-4 w-4 text-muted" aria-hidden />}
        {t(record.refunded ? "stages.cancelledRefunded" : "stages.cancelledCharged")}
      </p>
      {record.retry_cost !== null && unfinished.length > 0 && (
        <p className="mt-1 text-muted" data-testid="cancel-retry-scope">
          {t("stages.canRetry", { stages: unfinished.map((s) => t(STAGE_WORDS[s.stage].label)).join(", ") })}
        </p>
      )}
    </div>
  );
}

export function RecordView({
  record,
  roomId,
  pinnedIds,
  onPinned,
  readOnly = false,
}: {
  record: RecordOut;
  /** A public page: no pin buttons. */
  readOnly?: boolean;
  /** The room a pin goes to by default. */
  roomId?: string;
  pinnedIds?: Set<string>;
  onPinned?: (imageId: string, roomId: string) => void;
}) {
  const [lightbox, setLightbox] = useState<number | null>(null);
  const t = useTranslations();
  const format = useFormatter();
  const referenceTitle = useReferenceTitle();
  const referenceSource = useReferenceSource();
  const designs = readyDesigns(record);
  const gallery: GalleryImage[] = [
    ...designs.map((d) => ({
      imageId: d.image_id,
      url: stableUrl(d.image_id, d.url),
      label: t("record.design", { n: d.position + 1 }),
    })),
    ...record.recommendations.map((r) => ({
      imageId: r.image_id,
      url: stableUrl(r.image_id, r.url),
      label: t("record.referenceLabel", { title: referenceTitle(r) }),
    })),
  ];
  const imageStatus = record.image_status;
  // No design was made: the failure or cancel notice says what happened; empty frames would
  // add nothing.
  if ((imageStatus === "error" || imageStatus === "cancelled") && designs.length === 0) return null;
  const paragraphs = (record.story ?? "").split(/\n\s*\n/).filter((p) => p.trim());

  return (
    <div className="space-y-8">
      <section aria-labelledby={`designs-${record.id}`}>
        <h3 id={`designs-${record.id}`} className="sr-only">
          {t("stages.image")}
        </h3>
        <ul className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="designs">
          {[0, 1, 2, 3].map((position) => {
            const design = designs.find((d) => d.position === position);
            const slot = record.designs.find((d) => d.position === position);
            return (
              <li key={position} className="group relative aspect-square overflow-hidden rounded-xl border border-line bg-stone-100">
                {design ? (
                  <>
                    <button
                      type="button"
                      className="block h-full w-full"
                      onClick={() => setLightbox(designs.indexOf(design))}
                      aria-label={t("record.enlargeDesign", { n: position + 1 })}
                    >
                      {/* eslint-disable-next-line @next/next/no-img-element */}
                      <img
                        src={stableUrl(design.image_id, design.url)}
                        alt={
                          record.name && position === 0
                            ? t("record.designNamed", { n: position + 1, name: record.name })
                            : t("record.design", { n: position + 1 })
                        }
                        data-testid="design-image"
                        className="h-full w-full object-cover transition-transform duration-500 group-hover:scale-[1.03]"
                      />
                      <span className="absolute bottom-2 left-2 hidden rounded-full bg-black/50 p-1.5 text-white group-hover:block">
                        <Maximize2 className="h-3.5 w-3.5" aria-hidden />
                      </span>
                    </button>
                    <div className={`absolute right-2 top-2 ${readOnly ? "hidden" : ""}`}>
                      <PinButton
                        imageId={design.image_id}
                        label={t("record.designLower", { n: position + 1 })}
                        defaultRoomId={roomId}
                        pinned={pinnedIds?.has(design.image_id)}
                        onPinned={(room) => onPinned?.(design.image_id, room)}
                      />
                    </div>
                    {!readOnly && (
                      <div className="absolute bottom-2 right-2 flex gap-1">
                        <ModelViewerButton record={record} design={design} />
                        <DesignLoopButtons record={record} design={design} />
                      </div>
                    )}
                  </>
                ) : slot?.preview ? (
                  <DesignPreview position={position} preview={slot.preview} />
                ) : (
                  <div className="grid h-full w-full place-items-center text-xs text-muted">
                    {imageStatus === "error" ? (
                      <span className="px-2 text-center">{t("record.notGenerated")}</span>
                    ) : imageStatus === "cancelled" ? (
                      <span className="px-2 text-center">{t("stages.notRun")}</span>
                    ) : (
                      <span className="flex flex-col items-center gap-2">
                        <span className="h-8 w-8 animate-pulse rounded-full bg-stone-200" />
                        {imageStatus === "processing" ? t("record.drawing") : t("stages.waiting")}
                      </span>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </section>

      <div className="grid gap-8 lg:grid-cols-5">
        <section className="lg:col-span-3" aria-label={t("stages.story")}>
          {record.story_status === "ready" ? (
            <article data-testid="story" lang={record.language}>
              <p className="label" data-content="generated">
                {record.name}
              </p>
              <h3 className="font-serif text-2xl leading-snug sm:text-3xl" data-content="generated">
                {record.title}
              </h3>
              <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-3">
                <Fact term={t("record.name")} value={record.name} />
                <Fact
                  term={t("record.dimensions")}
                  value={
                    record.dimensions
                      ? t("record.dimensionsValue", {
                          width: format.number(record.dimensions.width_cm),
                          depth: format.number(record.dimensions.depth_cm),
                          height: format.number(record.dimensions.height_cm),
                        })
                      : null
                  }
                  generated={false}
                />
                <Fact term={t("record.material")} value={record.material} />
              </dl>
              <Checks record={record} />
              <div
                className="mt-5 space-y-3 font-serif text-[1.05rem] leading-relaxed text-stone-800"
                data-content="generated"
              >
                {paragraphs.map((p, i) => (
                  <p key={i}>{p}</p>
                ))}
              </div>
            </article>
          ) : (
            <Placeholder status={record.story_status} label={t("stages.storyFailedShort")} lines={5} />
          )}
        </section>
        <section className="lg:col-span-2" aria-labelledby={`keywords-${record.id}`}>
          <h3 id={`keywords-${record.id}`} className="label">
            {t("stages.keywords")}
          </h3>
          {record.keywords_status === "ready" ? (
            <ul className="flex flex-wrap gap-2" data-testid="keywords">
              {/* Shown in the story's language; the English search word stays on hover. */}
              {record.keywords.map((k, i) => {
                const shown = record.keywords_display[i] ?? k;
                return (
                  <li
                    key={k}
                    className="chip"
                    data-testid="keyword"
                    data-keyword={k}
                    translate="no"
                    lang={shown === k ? "en" : record.language}
                    title={shown === k ? undefined : k}
                  >
                    {shown}
                  </li>
                );
              })}
            </ul>
          ) : (
            <Placeholder status={record.keywords_status} label={t("stages.keywordsFailedShort")} lines={2} />
          )}
          <ProviderInfo record={record} />
        </section>
      </div>

      <section aria-labelledby={`recs-${record.id}`}>
        <h3 id={`recs-${record.id}`} className="label">
          {t("record.kindred")}
        </h3>
        {record.recommendation_status === "ready" ? (
          record.recommendations.length ? (
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="recommendations">
              {record.recommendations.map((rec) => (
                <li key={rec.reference_id} className="card flex gap-3 overflow-hidden p-3" data-testid="recommendation">
                  <button
                    type="button"
                    className="h-20 w-20 shrink-0 overflow-hidden rounded-lg bg-stone-100"
                    onClick={() => setLightbox(designs.length + record.recommendations.indexOf(rec))}
                    aria-label={t("record.enlargeReference", { title: referenceTitle(rec) })}
                  >
                    {/* eslint-disable-next-line @next/next/no-img-element */}
                    <img src={stableUrl(rec.image_id, rec.url)} alt="" className="h-full w-full object-cover" />
                  </button>
                  <div className="min-w-0 flex-1">
                    <p className="truncate text-sm font-medium" title={referenceTitle(rec)}>
                      {rec.rank}. <span data-content="library">{referenceTitle(rec)}</span>
                    </p>
                    {rec.source && (
                      <p className="truncate text-xs text-muted" data-content="library">
                        {referenceSource(rec.source)}
                      </p>
                    )}
                    <Score value={rec.score} />
                    <div className={`mt-1.5 ${readOnly ? "hidden" : ""}`}>
                      <PinButton
                        imageId={rec.image_id}
                        label={t("record.referenceLower", { title: referenceTitle(rec) })}
                        defaultRoomId={roomId}
                        pinned={pinnedIds?.has(rec.image_id)}
                        onPinned={(room) => onPinned?.(rec.image_id, room)}
                      />
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-muted">{t("record.nothingClose")}</p>
          )
        ) : (
          <Placeholder status={record.recommendation_status} label={t("stages.recommendationFailedShort")} lines={1} />
        )}
      </section>

      <Lightbox images={gallery} index={lightbox} onIndex={setLightbox} onClose={() => setLightbox(null)} />
    </div>
  );
}

/** A design being made: its latest preview, softened less with each pass, and the pass. */
export function DesignPreview({
  position,
  preview,
  compact = false,
}: {
  position: number;
  preview: NonNullable<DesignOut["preview"]>;
  compact?: boolean;
}) {
  const t = useTranslations();
  // The earlier the pass, the softer it is shown: the card visibly sharpens as passes arrive.
  const blur = Math.max(0, preview.of - preview.step - 1) * 3 + 1;
  return (
    <div className="relative h-full w-full overflow-hidden">
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img
        src={preview.url}
        alt={t("record.designPreview", { n: position + 1, step: preview.step, of: preview.of })}
        data-testid="design-preview"
        data-step={preview.step}
        className="h-full w-full scale-105 object-cover transition-[filter] duration-500"
        style={{ filter: `blur(${blur}px)` }}
      />
      {!compact && (
        <span className="absolute bottom-2 left-2 rounded-full bg-black/50 px-2 py-0.5 text-xs text-white" aria-hidden>
          {t("record.previewPass", { step: preview.step, of: preview.of })}
        </span>
      )}
    </div>
  );
}

/** Grey lines while a stage waits or runs; `failedText` once it has failed, and a word once it
 *  was cancelled (a skeleton would promise something that is not coming). */
function Placeholder({ status, label: failedText, lines }: { status: StageStatus; label: string; lines: number }) {
  const t = useTranslations();
  if (status === "error") return <p className="text-sm text-muted">{failedText}</p>;
  if (status === "cancelled") {
    return (
      <p className="text-sm text-muted" data-testid="stage-cancelled">
        {t("record.cancelledShort")}
      </p>
    );
  }
  return (
    <div aria-hidden className="space-y-2">
      {Array.from({ length: lines }).map((_, i) => (
        <div
          key={i}
          className={`h-3 rounded bg-stone-200/70 ${status === "processing" ? "animate-pulse" : ""}`}
          style={{ width: `${90 - ((i * 17) % 40)}%` }}
        />
      ))}
    </div>
  );
}

/** The offline providers' name (the server's `local` image and story providers). */
const OFFLINE_PROVIDER = "local";

/** How each stage was made, in a designer's words; the provider and model ids in a details view. */
function ProviderInfo({ record }: { record: RecordOut }) {
  const t = useTranslations();
  const embedderName = useEmbedderName();
  const made: { stage: Stage; words: string | null; ids: string }[] = [
    {
      stage: "images",
      words: record.image_provider
        ? t(record.image_provider === OFFLINE_PROVIDER ? "record.offlineRenderer" : "record.aiModel")
        : null,
      ids: [record.image_provider, record.image_model].filter(Boolean).join(" · "),
    },
    {
      stage: "story",
      words: record.story_provider
        ? t(record.story_provider === OFFLINE_PROVIDER ? "record.offlineWriter" : "record.aiModel")
        : null,
      ids: [record.story_provider, record.story_model].filter(Boolean).join(" · "),
    },
    {
      stage: "recommendation",
      words: record.embedder_model ? embedderName(record.embedder_model) : null,
      ids: record.embedder_model ?? "",
    },
  ];
  const rows = made.filter((row) => row.words !== null);
  if (rows.length === 0) return null;
  return (
    <div className="mt-6 rounded-xl border border-line bg-paper p-3" data-testid="providers">
      <p className="mb-2 flex items-center gap-1.5 text-[11px] font-medium uppercase tracking-wider text-muted">
        <Cpu className="h-3.5 w-3.5" aria-hidden /> {t("record.madeBy")}
      </p>
      <dl className="space-y-1 text-xs">
        {rows.map(({ stage, words }) => (
          <div key={stage} className="flex justify-between gap-3">
            <dt className="text-muted">{t(STAGE_WORDS[stage].label)}</dt>
            <dd className="truncate" data-testid={`made-by-${stageId(stage)}`}>
              {words}
            </dd>
          </div>
        ))}
      </dl>
      <details className="mt-2 text-xs text-muted" data-testid="provider-details">
        <summary className="cursor-pointer">{t("record.details")}</summary>
        <dl className="mt-1 space-y-1">
          {rows.map(({ stage, ids }) => (
            <div key={stage} className="flex justify-between gap-3">
              <dt>{t(STAGE_WORDS[stage].label)}</dt>
              <dd className="truncate font-mono" title={ids} translate="no" data-content="provider">
                {ids}
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
