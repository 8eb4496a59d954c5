"use client";

// Small shared pieces: page shell, dialog, empty state, spinner, lightbox, score bar, fact.
import { useCallback, useEffect, useRef } from "react";
import { ChevronLeft, ChevronRight, Loader2, X } from "lucide-react";
import { useFormatter } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import { Header } from "@/components/Header";
import { useDocumentTitle } from "@/i18n/I18nProvider";

export function Shell({
  children,
  wide = false,
  title,
}: {
  children: React.ReactNode;
  wide?: boolean;
  /** The page's name for the browser tab (the studio's own title when absent). */
  title?: string | null;
}) {
  useDocumentTitle(title);
  return (
    <>
      <Header />
      <main
        id="main"
        className={`mx-auto w-full px-4 pb-24 pt-6 sm:px-6 sm:pt-10 ${wide ? "max-w-7xl" : "max-w-6xl"}`}
      >
        {children}
      </main>
    </>
  );
}

export function Spinner({ label, className = "" }: { label?: string; className?: string }) {
  const t = useTranslations();
  return (
    <span role="status" className={`inline-flex items-center gap-2 text-sm text-muted ${className}`}>
      <Loader2 className="h-4 w-4 animate-spin" aria-hidden />
      {label ?? t("common.loading")}
    </span>
  );
}

export function PageLoading() {
  return (
    <div className="grid min-h-[40vh] place-items-center">
      <Spinner />
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon: React.ReactNode;
  title: string;
  children?: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <div className="flex flex-col items-center rounded-2xl border border-dashed border-line bg-white/60 px-6 py-12 text-center">
      <div className="mb-4 grid h-12 w-12 place-items-center rounded-full bg-clay-50 text-clay-600">{icon}</div>
      <h3 className="font-serif text-lg">{title}</h3>
      {children && <div className="mt-1 max-w-md text-sm text-muted">{children}</div>}
      {action && <div className="mt-5">{action}</div>}
    </div>
  );
}

export function Alert({ children, tone = "error" }: { children: React.ReactNode; tone?: "error" | "info" | "ok" }) {
  const styles = {
    error: "border-red-200 bg-red-50 text-red-800",
    info: "border-line bg-clay-50 text-ink",
    ok: "border-emerald-200 bg-emerald-50 text-emerald-900",
  }[tone];
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-xl border px-4 py-3 text-sm ${styles}`}>
      {children}
    </div>
  );
}

/** A dialog form's last rows: its error, then Cancel beside the submit button (the children). */
export function FormActions({
  error,
  onCancel,
  children,
}: {
  error: string | null;
  onCancel: () => void;
  children: React.ReactNode;
}) {
  const t = useTranslations();
  return (
    <>
      {error && <Alert>{error}</Alert>}
      <div className="flex justify-end gap-2">
        <button type="button" className="btn-ghost" onClick={onCancel}>
          {t("common.cancel")}
        </button>
        {children}
      </div>
    </>
  );
}

/** A modal built on <dialog>: the browser gives focus trapping, Esc to close and inertness. */
export function Dialog({
  open,
  onClose,
  title,
  children,
  size = "md",
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: React.ReactNode;
  size?: "md" | "full";
}) {
  const t = useTranslations();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
      className={
        size === "full"
          ? "m-auto h-full max-h-none w-full max-w-none bg-transparent p-0 backdrop:bg-black/85"
          : "m-auto w-[calc(100%-2rem)] max-w-lg rounded-2xl border border-line bg-white p-0 text-ink shadow-2xl backdrop:bg-ink/40"
      }
    >
      {open && size === "md" && (
        <div className="p-5 sm:p-6">
          <div className="mb-4 flex items-start justify-between gap-4">
            <h2 className="font-serif text-xl">{title}</h2>
            <button type="button" className="btn-ghost -mr-2 -mt-1 px-2" onClick={onClose} aria-label={t("common.close")}>
              <X className="h-4 w-4" aria-hidden />
            </button>
          </div>
          {children}
        </div>
      )}
      {open && size === "full" && children}
    </dialog>
  );
}

/** A settings section: a titled card with an anchor. */
export function Section({ id, title, intro, children }: { id: string; title: string; intro?: string; children: React.ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="rounded-2xl border border-line bg-white p-5 sm:p-6">
      <h2 id={`${id}-title`} className="font-serif text-xl">{title}</h2>
      {intro && <p className="mt-1 text-sm text-muted">{intro}</p>}
      <div className="mt-4">{children}</div>
    </section>
  );
}

/** A gallery's image: what the lightbox shows and names. */
export interface GalleryImage {
  imageId: string;
  url: string;
  label: string;
}

export function Lightbox({
  images,
  index,
  onIndex,
  onClose,
}: {
  images: GalleryImage[];
  index: number | null;
  onIndex: (i: number) => void;
  onClose: () => void;
}) {
  const t = useTranslations();
  const open = index !== null;
  const go = useCallback(
    (step: number) => {
      if (index === null) return;
      onIndex((index + step + images.length) % images.length);
    },
    [index, images.length, onIndex],
  );
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "ArrowRight") go(1);
      if (e.key === "ArrowLeft") go(-1);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, go]);
  const current = index !== null ? images[index] : null;
  return (
    <Dialog open={open} onClose={onClose} title={current ? current.label : t("lightbox.image")} size="full">
      {current && (
        <div className="flex h-full flex-col text-white">
          <div className="flex items-center justify-between gap-2 p-3 sm:p-4">
            <p className="text-sm">
              {current.label}{" "}
              <span className="text-white/60">· {t("lightbox.position", { n: index! + 1, total: images.length })}</span>
            </p>
            <button type="button" onClick={onClose} className="rounded-full p-2 hover:bg-white/10" aria-label={t("common.close")}>
              <X className="h-5 w-5" aria-hidden />
            </button>
          </div>
          <div className="relative flex min-h-0 flex-1 items-center justify-center px-2 pb-6 sm:px-16">
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={current.url} alt={current.label} className="max-h-full max-w-full rounded-lg object-contain" />
            {images.length > 1 && (
              <>
                <button
                  type="button"
                  onClick={() => go(-1)}
                  aria-label={t("lightbox.previous")}
                  className="absolute left-2 top-1/2 -translate-y-1/2 rounded-full bg-white/10 p-2 hover:bg-white/20 sm:left-4"
                >
                  <ChevronLeft className="h-6 w-6" aria-hidden />
                </button>
                <button
                  type="button"
                  onClick={() => go(1)}
                  aria-label={t("lightbox.next")}
                  className="absolute right-2 top-1/2 -translate-y-1/2 rounded-full bg-white/10 p-2 hover:bg-white/20 sm:right-4"
                >
                  <ChevronRight className="h-6 w-6" aria-hidden />
                </button>
              </>
            )}
          </div>
        </div>
      )}
    </Dialog>
  );
}

/** A similarity score, 0–1, as a bar and its value. */
export function Score({ value, title }: { value: number; title?: string }) {
  const t = useTranslations();
  const format = useFormatter();
  const pct = Math.max(0, Math.min(1, value));
  return (
    <div className="mt-1 flex items-center gap-2" title={title ?? t("record.scoreTitle")}>
      <div className="h-1.5 flex-1 overflow-hidden rounded-full bg-stone-100" aria-hidden>
        <div className="h-full rounded-full bg-clay-500" style={{ width: `${pct * 100}%` }} />
      </div>
      <span className="text-xs tabular-nums text-muted" data-testid="score">
        <span className="sr-only">{t("record.similarity")} </span>
        {format.number(value, { minimumFractionDigits: 3, maximumFractionDigits: 3 })}
      </span>
    </div>
  );
}

/** A term and its value in a small card (a record's name, dimensions, material). */
export function Fact({ term, value, generated = true }: { term: string; value: string | null; generated?: boolean }) {
  return (
    <div className="rounded-lg bg-paper px-3 py-2">
      <dt className="text-[11px] uppercase tracking-wider text-muted">{term}</dt>
      <dd className="mt-0.5 font-medium" data-content={generated && value ? "generated" : undefined}>
        {value ?? "—"}
      </dd>
    </div>
  );
}
