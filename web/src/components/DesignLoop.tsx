"use client";

// The design loop on one design: "Refine" (start a new record from it) and "Edit region" (paint
// the area to change, say what goes there). Both spend a credit and open the new record.
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Brush, Eraser, PencilRuler, Sparkles, SquarePen, Trash2 } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import { api, multipart } from "@/api/client";
import { startEdit, startRefine, type ReadyDesign, type RecordOut } from "@/api/records";
import { useRecordStarted } from "@/api/mutations";
import { useAuth } from "@/lib/auth";
import { useErrorText } from "@/i18n/errors";
import { useLocaleSwitch } from "@/i18n/I18nProvider";
import { stableUrl } from "@/lib/imageUrls";
import { Dialog, FormActions } from "@/components/ui";
import { MarkupEditDialog } from "@/components/MarkupEditor";
import { useMarkupWords } from "@/i18n/content";

export function DesignLoopButtons({ record, design }: { record: RecordOut; design: ReadyDesign }) {
  const t = useTranslations();
  const markupWords = useMarkupWords();
  const [open, setOpen] = useState<"refine" | "edit" | "markup" | null>(null);
  const n = design.position + 1;
  return (
    <>
      <div className="flex gap-1">
        <button
          type="button"
          className="rounded-full bg-white/90 p-1.5 text-ink shadow-sm hover:bg-white"
          onClick={() => setOpen("refine")}
          aria-label={t("loop.refineDesign", { n })}
          title={t("loop.refine")}
        >
          <Sparkles className="h-3.5 w-3.5" aria-hidden />
        </button>
        <button
          type="button"
          className="rounded-full bg-white/90 p-1.5 text-ink shadow-sm hover:bg-white"
          onClick={() => setOpen("edit")}
          aria-label={t("loop.editDesign", { n })}
          title={t("loop.editRegion")}
        >
          <SquarePen className="h-3.5 w-3.5" aria-hidden />
        </button>
        <button
          type="button"
          className="rounded-full bg-white/90 p-1.5 text-ink shadow-sm hover:bg-white"
          onClick={() => setOpen("markup")}
          aria-label={markupWords.markupDesign(n)}
          title={markupWords.markup}
        >
          <PencilRuler className="h-3.5 w-3.5" aria-hidden />
        </button>
      </div>
      <RefineDialog open={open === "refine"} onClose={() => setOpen(null)} record={record} design={design} />
      <RegionEditDialog open={open === "edit"} onClose={() => setOpen(null)} record={record} design={design} />
      <MarkupEditDialog open={open === "markup"} onClose={() => setOpen(null)} record={record} design={design} />
    </>
  );
}

/** Busy and error state for a dialog that spends a credit on a new record, and opening it. */
export function useStart(roomId: string) {
  const t = useTranslations();
  const errorText = useErrorText();
  const router = useRouter();
  const { me } = useAuth();
  const recordStarted = useRecordStarted();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const cost = t("credits.amount", { count: me?.generation_cost ?? 1 });

  /** What to show for a POST /generate answer: the problem, or the record it started. */
  function outcome({ data, error }: { data?: { record_id: string }; error?: unknown }) {
    return data ?? errorText(error, "loop.failed", { InsufficientCredits: "room.outOfCredits" }, { cost });
  }

  /** Runs `start`: a string it returns is the problem to show; a record closes the dialog and opens it. */
  async function run(start: () => Promise<string | { record_id: string }>, close: () => void) {
    setBusy(true);
    setProblem(null);
    const started = await start();
    setBusy(false);
    if (typeof started === "string") {
      setProblem(started);
      return;
    }
    close();
    recordStarted(roomId); // the credit is spent now (the header shows it at once), the room has a new record
    router.push(`/record/?id=${started.record_id}`);
  }

  return { busy, problem, cost, outcome, run, clearProblem: () => setProblem(null) };
}

/** The shell both dialogs share: a form, its error, Cancel and the button that spends the credit. */
export function LoopDialog({
  open,
  onClose,
  title,
  className,
  problem,
  onSubmit,
  disabled,
  action,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  className: string;
  problem: string | null;
  onSubmit: () => void;
  disabled: boolean;
  action: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={title}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        className={className}
      >
        {children}
        <FormActions error={problem} onCancel={onClose}>
          <button type="submit" className="btn-primary" disabled={disabled}>
            {action}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}

export type DialogProps = {
  open: boolean;
  onClose: () => void;
  record: RecordOut;
  design: ReadyDesign;
};

function RefineDialog({ open, onClose, record, design }: DialogProps) {
  const t = useTranslations();
  const { locale } = useLocaleSwitch();
  const { busy, problem, cost, outcome, run } = useStart(record.room_id);
  const [keyword, setKeyword] = useState(record.keyword ?? "");

  function submit() {
    void run(
      async () =>
        outcome(
          await startRefine(
            { recordId: record.id, position: design.position },
            keyword,
            locale,
            crypto.randomUUID(),
          ),
        ),
      onClose,
    );
  }

  return (
    <LoopDialog
      open={open}
      onClose={onClose}
      title={t("loop.refineTitle", { n: design.position + 1 })}
      className="space-y-4"
      problem={problem}
      onSubmit={submit}
      disabled={busy}
      action={
        <>
          <Sparkles className="h-4 w-4" aria-hidden /> {t("loop.startRefine", { cost })}
        </>
      }
    >
      <div className="flex gap-3">
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img
          src={stableUrl(design.image_id, design.url)}
          alt={t("record.design", { n: design.position + 1 })}
          className="h-24 w-24 rounded-lg border border-line object-cover"
        />
        <p className="text-sm text-muted">{t("loop.refineHint")}</p>
      </div>
      <label className="block text-sm font-medium">
        {t("room.keyword")} <span className="font-normal text-muted">{t("common.optional")}</span>
        <input
          className="field mt-1"
          value={keyword}
          maxLength={100}
          onChange={(e) => setKeyword(e.target.value)}
          placeholder={t("room.keywordPlaceholder")}
        />
      </label>
    </LoopDialog>
  );
}

// Strokes are drawn in the design's own pixels (the canvas has its size), so the mask that is
// sent matches the image exactly whatever size the canvas is shown at.
const BRUSH_MIN = 8;
const BRUSH_MAX = 200;

function RegionEditDialog({ open, onClose, record, design }: DialogProps) {
  const t = useTranslations();
  const errorText = useErrorText();
  const { locale } = useLocaleSwitch();
  const { busy, problem, cost, outcome, run, clearProblem } = useStart(record.room_id);
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const [tool, setTool] = useState<"brush" | "eraser">("brush");
  const [size, setSize] = useState(64);
  const [painted, setPainted] = useState(false);
  const [prompt, setPrompt] = useState("");

  // The canvas goes with the dialog, so what was painted goes too: start clean next time.
  function close() {
    setPainted(false);
    clearProblem();
    setTool("brush");
    onClose();
  }

  function point(e: React.PointerEvent<HTMLCanvasElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) / box.width) * design.width,
      y: ((e.clientY - box.top) / box.height) * design.height,
    };
  }

  function stroke(from: { x: number; y: number }, to: { x: number; y: number }) {
    const context = canvas.current?.getContext("2d");
    if (!context) return;
    context.globalCompositeOperation = tool === "brush" ? "source-over" : "destination-out";
    context.strokeStyle = "rgb(217 70 39)";
    context.fillStyle = "rgb(217 70 39)";
    context.lineWidth = size;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
    context.beginPath();
    context.arc(to.x, to.y, size / 2, 0, Math.PI * 2);
    context.fill();
    setPainted(true);
  }

  function clear() {
    const element = canvas.current;
    element?.getContext("2d")?.clearRect(0, 0, element.width, element.height);
    setPainted(false);
  }

  /** OpenAI images.edit's format: opaque everywhere, fully transparent where painted. */
  async function maskPng(): Promise<Blob | null> {
    const strokes = canvas.current;
    if (!strokes) return null;
    const mask = document.createElement("canvas");
    mask.width = design.width;
    mask.height = design.height;
    const context = mask.getContext("2d");
    if (!context) return null;
    context.fillStyle = "#000";
    context.fillRect(0, 0, mask.width, mask.height);
    context.globalCompositeOperation = "destination-out";
    context.drawImage(strokes, 0, 0);
    return new Promise((resolve) => mask.toBlob(resolve, "image/png"));
  }

  function submit() {
    if (!painted || !prompt.trim()) return;
    void run(async () => {
      const blob = await maskPng();
      if (!blob) return t("loop.failed");
      const file = new File([blob], "mask.png", { type: "image/png" });
      const { data: mask, error: uploadError } = await api.POST("/api/v1/layerroom/{room_id}/images", {
        params: { path: { room_id: record.room_id } },
        ...multipart(file, { purpose: "mask" as const }),
      });
      if (!mask) return errorText(uploadError, "loop.failed");
      return outcome(
        await startEdit(
          { imageId: design.image_id, maskImageId: mask.id, prompt },
          record.keyword ?? null,
          locale,
          crypto.randomUUID(),
        ),
      );
    }, close);
  }

  return (
    <LoopDialog
      open={open}
      onClose={close}
      title={t("loop.editTitle", { n: design.position + 1 })}
      className="space-y-3"
      problem={problem}
      onSubmit={submit}
      disabled={busy || !painted || !prompt.trim()}
      action={
        <>
          <SquarePen className="h-4 w-4" aria-hidden /> {t("loop.startEdit", { cost })}
        </>
      }
    >
      <p className="text-sm text-muted">{t("loop.editHint")}</p>
      <div className="relative aspect-square w-full overflow-hidden rounded-lg border border-line bg-stone-100">
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img
          src={stableUrl(design.image_id, design.url)}
          alt={t("record.design", { n: design.position + 1 })}
          className="absolute inset-0 h-full w-full object-contain"
          draggable={false}
        />
        <canvas
          ref={canvas}
          width={design.width}
          height={design.height}
          data-testid="mask-canvas"
          aria-label={t("loop.canvas")}
          className="absolute inset-0 h-full w-full cursor-crosshair touch-none opacity-50"
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            const at = point(e);
            last.current = at;
            stroke(at, at);
          }}
          onPointerMove={(e) => {
            if (!last.current) return;
            const at = point(e);
            stroke(last.current, at);
            last.current = at;
          }}
          onPointerUp={() => {
            last.current = null;
          }}
          onPointerCancel={() => {
            last.current = null;
          }}
        />
      </div>
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label={t("loop.tools")}>
        <button
          type="button"
          className={tool === "brush" ? "btn-primary" : "btn-outline"}
          aria-pressed={tool === "brush"}
          onClick={() => setTool("brush")}
        >
          <Brush className="h-4 w-4" aria-hidden /> {t("loop.brush")}
        </button>
        <button
          type="button"
          className={tool === "eraser" ? "btn-primary" : "btn-outline"}
          aria-pressed={tool === "eraser"}
          onClick={() => setTool("eraser")}
        >
          <Eraser className="h-4 w-4" aria-hidden /> {t("loop.eraser")}
        </button>
        <button type="button" className="btn-ghost" onClick={clear}>
          <Trash2 className="h-4 w-4" aria-hidden /> {t("loop.clear")}
        </button>
        <label className="ml-auto flex items-center gap-2 text-sm">
          {t("loop.brushSize")}
          <input
            type="range"
            min={BRUSH_MIN}
            max={BRUSH_MAX}
            value={size}
            onChange={(e) => setSize(Number(e.target.value))}
          />
        </label>
      </div>
      <label className="block text-sm font-medium">
        {t("loop.prompt")}
        <input
          className="field mt-1"
          value={prompt}
          maxLength={1000}
          onChange={(e) => setPrompt(e.target.value)}
          placeholder={t("loop.promptPlaceholder")}
        />
      </label>
      {/* Hidden, not removed, once painted: the canvas must not move under the pointer. */}
      <p className={`text-xs text-muted ${painted ? "invisible" : ""}`}>{t("loop.paintFirst")}</p>
    </LoopDialog>
  );
}
