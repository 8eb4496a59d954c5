"use client";

// Markup edits (issue 30): draw over a design with a pen, arrows and short notes, say what
// should change, and spend a credit on a new record. The drawing is sent as the markup: a
// transparent PNG of the strokes in the design's own pixels (so it is the design's size
// whatever size it is shown at); the notes' words go into the prompt too, which is what the
// offline provider reads.
import { useRef, useState } from "react";
import { ArrowUpRight, PenLine, PencilRuler, Trash2, Type, Undo2 } from "lucide-react";
import { api, multipart } from "@/api/client";
import { startEdit } from "@/api/records";
import { useErrorText } from "@/i18n/errors";
import { useLocaleSwitch } from "@/i18n/I18nProvider";
import { useMarkupWords } from "@/i18n/content";
import { useTranslations } from "use-intl";
import { stableUrl } from "@/lib/imageUrls";
import { LoopDialog, useStart, type DialogProps } from "@/components/DesignLoop";

type Tool = "pen" | "arrow" | "text";
type Point = { x: number; y: number };

const INK = "rgb(220 38 38)";

/** The canvas's context, inked for marks `line` pixels wide. */
function inked(canvas: HTMLCanvasElement | null, line: number) {
  const ctx = canvas?.getContext("2d");
  if (!ctx) return null;
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  ctx.lineWidth = line;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  return ctx;
}

function drawPen(ctx: CanvasRenderingContext2D, from: Point, to: Point) {
  ctx.beginPath();
  ctx.moveTo(from.x, from.y);
  ctx.lineTo(to.x, to.y);
  ctx.stroke();
}

function drawArrow(ctx: CanvasRenderingContext2D, from: Point, to: Point, line: number) {
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  const head = line * 5;
  ctx.beginPath();
  ctx.moveTo(from.x, from.y);
  ctx.lineTo(to.x, to.y);
  for (const side of [-1, 1]) {
    ctx.moveTo(to.x, to.y);
    ctx.lineTo(to.x - head * Math.cos(angle + side * 0.5), to.y - head * Math.sin(angle + side * 0.5));
  }
  ctx.stroke();
}

function drawNote(ctx: CanvasRenderingContext2D, at: Point, words: string, line: number) {
  ctx.font = `600 ${line * 7}px system-ui, sans-serif`;
  ctx.textBaseline = "middle";
  ctx.fillText(words, at.x, at.y);
}

/** The "Mark up" button's dialog: the drawing, the notes and the prompt. */
export function MarkupEditDialog({ open, onClose, record, design }: DialogProps) {
  const t = useTranslations();
  const words = useMarkupWords();
  const errorText = useErrorText();
  const { locale } = useLocaleSwitch();
  const { busy, problem, cost, outcome, run, clearProblem } = useStart(record.room_id);
  const canvas = useRef<HTMLCanvasElement>(null);
  // The canvas as it was before each mark: for undo, and to redraw an arrow while it is dragged.
  const history = useRef<ImageData[]>([]);
  const [marks, setMarks] = useState(0);
  const line = Math.max(4, Math.round(Math.min(design.width, design.height) / 160));
  const [tool, setTool] = useState<Tool>("pen");
  const [prompt, setPrompt] = useState("");
  const [notes, setNotes] = useState<string[]>([]);
  const [noteAt, setNoteAt] = useState<Point | null>(null);
  const [noteText, setNoteText] = useState("");
  const from = useRef<Point | null>(null);
  const drawn = marks > 0;
  const described = prompt.trim() || notes.length > 0;

  /** A new mark begins: keep the canvas as it is now. */
  function begin() {
    const ctx = inked(canvas.current, line);
    if (!ctx) return null;
    history.current.push(ctx.getImageData(0, 0, design.width, design.height));
    setMarks(history.current.length);
    return ctx;
  }

  function undo() {
    const last = history.current.pop();
    if (last) inked(canvas.current, line)?.putImageData(last, 0, 0);
    setMarks(history.current.length);
  }

  function clearAll() {
    inked(canvas.current, line)?.clearRect(0, 0, design.width, design.height);
    history.current = [];
    setMarks(0);
    setNotes([]);
  }

  function png(): Promise<Blob | null> {
    const element = canvas.current;
    return new Promise((resolve) => (element ? element.toBlob(resolve, "image/png") : resolve(null)));
  }

  function close() {
    clearAll();
    setNoteAt(null);
    setPrompt("");
    setTool("pen");
    clearProblem();
    onClose();
  }

  function point(e: React.PointerEvent<HTMLCanvasElement>): Point {
    const box = e.currentTarget.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) / box.width) * design.width,
      y: ((e.clientY - box.top) / box.height) * design.height,
    };
  }

  function placeNote() {
    const text = noteText.trim();
    const ctx = noteAt && text ? begin() : null;
    if (ctx && noteAt) {
      drawNote(ctx, noteAt, text, line);
      setNotes((n) => [...n, text]);
    }
    setNoteAt(null);
    setNoteText("");
  }

  /** The prompt the edit is sent with: what the designer typed, then their notes. */
  function editPrompt(): string {
    const said = prompt.trim();
    if (!notes.length) return said;
    const noted = `${words.notes}: ${notes.join("; ")}`;
    return said ? `${said} (${noted})` : noted;
  }

  function submit() {
    if (!drawn || !described) return;
    void run(async () => {
      const blob = await png();
      if (!blob) return t("loop.failed");
      const file = new File([blob], "markup.png", { type: "image/png" });
      const { data: markup, error: uploadError } = await api.POST("/api/v1/layerroom/{room_id}/images", {
        params: { path: { room_id: record.room_id } },
        ...multipart(file, { purpose: "markup" as const }),
      });
      if (!markup) return errorText(uploadError, "loop.failed");
      return outcome(
        await startEdit(
          { imageId: design.image_id, markupImageId: markup.id, prompt: editPrompt().slice(0, 1000) },
          record.keyword ?? null,
          locale,
          crypto.randomUUID(),
        ),
      );
    }, close);
  }

  const tools: { id: Tool; label: string; icon: React.ReactNode }[] = [
    { id: "pen", label: words.pen, icon: <PenLine className="h-4 w-4" aria-hidden /> },
    { id: "arrow", label: words.arrow, icon: <ArrowUpRight className="h-4 w-4" aria-hidden /> },
    { id: "text", label: words.text, icon: <Type className="h-4 w-4" aria-hidden /> },
  ];

  return (
    <LoopDialog
      open={open}
      onClose={close}
      title={words.markupTitle(design.position + 1)}
      className="space-y-3"
      problem={problem}
      onSubmit={submit}
      disabled={busy || !drawn || !described}
      action={
        <>
          <PencilRuler className="h-4 w-4" aria-hidden /> {words.start(cost)}
        </>
      }
    >
      <p className="text-sm text-muted">{words.markupHint}</p>
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
          data-testid="markup-canvas"
          aria-label={words.canvas}
          className="absolute inset-0 h-full w-full cursor-crosshair touch-none"
          onPointerDown={(e) => {
            const at = point(e);
            if (tool === "text") {
              setNoteAt(at);
              return;
            }
            e.currentTarget.setPointerCapture(e.pointerId);
            const ctx = begin();
            from.current = at;
            if (ctx && tool === "pen") drawPen(ctx, at, at);
          }}
          onPointerMove={(e) => {
            const ctx = inked(canvas.current, line);
            if (!from.current || !ctx) return;
            const at = point(e);
            if (tool === "pen") {
              drawPen(ctx, from.current, at);
              from.current = at;
              return;
            }
            // The arrow follows the pointer: back to before it, then drawn to here.
            const before = history.current[history.current.length - 1];
            if (before) ctx.putImageData(before, 0, 0);
            drawArrow(ctx, from.current, at, line);
          }}
          onPointerUp={() => {
            from.current = null;
          }}
          onPointerCancel={() => {
            from.current = null;
          }}
        />
      </div>
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label={words.tools}>
        {tools.map((item) => (
          <button
            key={item.id}
            type="button"
            className={tool === item.id ? "btn-primary" : "btn-outline"}
            aria-pressed={tool === item.id}
            onClick={() => setTool(item.id)}
          >
            {item.icon} {item.label}
          </button>
        ))}
        <button type="button" className="btn-ghost" onClick={undo} disabled={!drawn}>
          <Undo2 className="h-4 w-4" aria-hidden /> {words.undo}
        </button>
        <button
          type="button"
          className="btn-ghost"
          onClick={clearAll}
        >
          <Trash2 className="h-4 w-4" aria-hidden /> {words.clear}
        </button>
      </div>
      {tool === "text" && (
        <label className="block text-sm font-medium">
          {noteAt ? words.text : words.addNote}
          <input
            className="field mt-1"
            value={noteText}
            maxLength={80}
            disabled={!noteAt}
            placeholder={words.notePlaceholder}
            onChange={(e) => setNoteText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                placeNote();
              }
            }}
            onBlur={placeNote}
          />
        </label>
      )}
      {notes.length > 0 && (
        <p className="text-xs text-muted" data-testid="markup-notes">
          {words.notes}: {notes.join(" · ")}
        </p>
      )}
      <label className="block text-sm font-medium">
        {words.prompt}
        <input
          className="field mt-1"
          value={prompt}
          maxLength={900}
          onChange={(e) => setPrompt(e.target.value)}
          placeholder={words.promptPlaceholder}
        />
      </label>
      {/* Hidden, not removed, once drawn: the canvas must not move under the pointer. */}
      <p className={`text-xs text-muted ${drawn ? "invisible" : ""}`}>{words.drawFirst}</p>
    </LoopDialog>
  );
}
