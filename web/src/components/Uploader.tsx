"use client";

// Pick or drop 1–4 reference images. Checks mirror the server's (JPEG/PNG/WebP, ≤ 20 MB) so a
// designer hears at once why a file was turned away; each accepted file is uploaded right away.
import { useRef, useState } from "react";
import { ImagePlus, Loader2, X } from "lucide-react";
import { useFormatter } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import type { ImageOut, Schemas } from "@/api/client";
import { useUploadImage } from "@/api/mutations";
import { useErrorText, type MessageKey } from "@/i18n/errors";

export const MAX_INPUTS = 4;
export const MAX_BYTES = 20 * 1024 * 1024;
export const ACCEPTED = ["image/jpeg", "image/png", "image/webp"];

export type InputRole = Schemas["InputIn"]["role"];
export const ROLES: NonNullable<InputRole>[] = ["any", "form", "material", "colour", "mood"];
export const DEFAULT_STRENGTH = 0.5;
/** Each role's name in the catalogue. */
export const ROLE_LABEL: Record<NonNullable<InputRole>, MessageKey> = {
  any: "brief.roles.any",
  form: "brief.roles.form",
  material: "brief.roles.material",
  colour: "brief.roles.colour",
  mood: "brief.roles.mood",
};

export interface Slot {
  key: string;
  preview: string;
  name: string;
  image?: ImageOut;
  uploading: boolean;
  /** What the brief takes from this reference, and how much (0–1). */
  role: NonNullable<InputRole>;
  strength: number;
}

/** A new slot: role any at the default strength, as the API assumes. */
export function newSlot(fields: Omit<Slot, "role" | "strength">): Slot {
  return { ...fields, role: "any", strength: DEFAULT_STRENGTH };
}

/** Why a file is turned away, as a catalogue sentence and its values. */
export interface FileProblem {
  key: MessageKey;
  values: { name: string; size?: number };
}

export function checkFile(file: File): FileProblem | null {
  if (!ACCEPTED.includes(file.type)) return { key: "upload.wrongType", values: { name: file.name } };
  if (file.size > MAX_BYTES) return { key: "upload.tooLarge", values: { name: file.name, size: file.size / 1e6 } };
  if (file.size === 0) return { key: "upload.empty", values: { name: file.name } };
  return null;
}

/** A file problem as a sentence in the reader's language (sizes in MB, formatted for it). */
export function useFileProblemText() {
  const t = useTranslations();
  const format = useFormatter();
  return ({ key, values }: FileProblem) =>
    t(key, {
      name: values.name,
      size: format.number(values.size ?? 0, { maximumFractionDigits: 1, minimumFractionDigits: 1 }),
    });
}

export function Uploader({
  roomId,
  slots,
  setSlots,
  disabled,
}: {
  roomId: string;
  slots: Slot[];
  setSlots: React.Dispatch<React.SetStateAction<Slot[]>>;
  disabled?: boolean;
}) {
  // Each upload is also among the room's earlier uploads from then on (the query is invalidated).
  const uploadImage = useUploadImage(roomId);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const t = useTranslations();
  const errorText = useErrorText();
  const problemText = useFileProblemText();
  const free = MAX_INPUTS - slots.length;

  async function upload(slot: Slot, file: File) {
    const { data, error } = await uploadImage.mutateAsync(file);
    if (!data) {
      setProblems((p) => [...p, t("upload.failed", { name: file.name, reason: errorText(error, "upload.failedReason") })]);
      setSlots((s) => s.filter((x) => x.key !== slot.key));
      URL.revokeObjectURL(slot.preview);
      return;
    }
    setSlots((s) => s.map((x) => (x.key === slot.key ? { ...x, image: data, uploading: false } : x)));
  }

  function accept(files: FileList | File[]) {
    const found: string[] = [];
    const fresh: [Slot, File][] = [];
    for (const file of Array.from(files)) {
      const problem = checkFile(file);
      if (problem) {
        found.push(problemText(problem));
        continue;
      }
      if (fresh.length >= free) {
        found.push(t("upload.tooMany", { max: MAX_INPUTS, name: file.name }));
        continue;
      }
      const slot = newSlot({
        key: `${Date.now()}-${Math.random()}`,
        preview: URL.createObjectURL(file),
        name: file.name,
        uploading: true,
      });
      fresh.push([slot, file]);
    }
    setProblems(found);
    if (!fresh.length) return;
    setSlots((s) => [...s, ...fresh.map(([slot]) => slot)]);
    for (const [slot, file] of fresh) void upload(slot, file);
  }

  return (
    <div>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          if (!disabled && free > 0) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (!disabled && free > 0) accept(e.dataTransfer.files);
        }}
        className={`grid grid-cols-2 gap-3 rounded-2xl border-2 border-dashed p-3 transition-colors sm:grid-cols-4 ${
          dragging ? "border-clay-500 bg-clay-50" : "border-line bg-paper/60"
        }`}
        data-testid="dropzone"
      >
        {slots.map((slot, i) => (
          <div key={slot.key} className="flex flex-col gap-1.5" data-testid="input-slot">
            <div className="relative aspect-square overflow-hidden rounded-xl bg-stone-100">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={slot.image?.url ?? slot.preview} alt={t("upload.slotAlt", { n: i + 1, name: slot.name })} className="h-full w-full object-cover" />
              {slot.uploading && (
                <div className="absolute inset-0 grid place-items-center bg-white/60">
                  <Loader2 className="h-5 w-5 animate-spin text-clay-600" aria-label={t("upload.uploading")} />
                </div>
              )}
              <button
                type="button"
                onClick={() => {
                  setSlots((s) => s.filter((x) => x.key !== slot.key));
                  if (!slot.image) URL.revokeObjectURL(slot.preview);
                }}
                className="absolute right-1.5 top-1.5 rounded-full bg-white/95 p-1 text-ink shadow hover:bg-white"
                aria-label={t("upload.remove", { n: i + 1, name: slot.name })}
                disabled={disabled}
              >
                <X className="h-3.5 w-3.5" aria-hidden />
              </button>
            </div>
            <SlotBrief
              slot={slot}
              n={i + 1}
              disabled={disabled}
              onChange={(change) => setSlots((s) => s.map((x) => (x.key === slot.key ? { ...x, ...change } : x)))}
            />
          </div>
        ))}
        {free > 0 && (
          <button
            type="button"
            disabled={disabled}
            onClick={() => input.current?.click()}
            className={`flex flex-col items-center justify-center gap-2 rounded-xl border border-line bg-white px-3 text-center text-sm text-muted transition-colors hover:border-clay-500 hover:text-ink ${
              slots.length === 0 ? "col-span-2 min-h-44 py-8 sm:col-span-4" : "aspect-square"
            }`}
          >
            <ImagePlus className="h-6 w-6 text-clay-600" aria-hidden />
            <span className="font-medium text-ink">
              {slots.length === 0 ? t("upload.drop") : t("upload.addAnother")}
            </span>
            {slots.length === 0 && (
              <span className="text-xs">{t("upload.limits", { max: MAX_INPUTS })}</span>
            )}
          </button>
        )}
        <input
          ref={input}
          type="file"
          accept={ACCEPTED.join(",")}
          multiple
          className="sr-only"
          aria-label={t("upload.choose")}
          data-testid="file-input"
          tabIndex={-1}
          onChange={(e) => {
            if (e.target.files) accept(e.target.files);
            e.target.value = "";
          }}
        />
      </div>
      {problems.length > 0 && (
        <ul role="alert" className="mt-2 space-y-1 text-sm text-red-700">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A reference card's part of the brief: what to take from it (role) and how much (strength). */
function SlotBrief({
  slot,
  n,
  disabled,
  onChange,
}: {
  slot: Slot;
  n: number;
  disabled?: boolean;
  onChange: (change: Partial<Slot>) => void;
}) {
  const t = useTranslations();
  const format = useFormatter();
  return (
    <div className="space-y-1 text-xs">
      <label className="flex items-center gap-1.5">
        <span className="sr-only">{t("brief.roleOf", { n })}</span>
        <select
          className="field select-field py-1 pl-2 text-xs"
          value={slot.role}
          disabled={disabled}
          onChange={(e) => onChange({ role: e.target.value as Slot["role"] })}
          aria-label={t("brief.roleOf", { n })}
          data-testid="input-role"
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t(ROLE_LABEL[role])}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1.5 text-muted">
        <span aria-hidden>{t("brief.strength")}</span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={slot.strength}
          disabled={disabled}
          onChange={(e) => onChange({ strength: Number(e.target.value) })}
          aria-label={t("brief.strengthOf", { n })}
          className="range-field min-w-0 flex-1"
          data-testid="input-strength"
        />
        <output className="w-8 text-right font-mono text-ink" data-testid="input-strength-value">
          {format.number(slot.strength, { style: "percent" })}
        </output>
      </label>
    </div>
  );
}
