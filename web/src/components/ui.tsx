"use client";

// Small shared pieces: page shell, dialog, empty state, spinner, status pill.
import { useEffect, useRef } from "react";
import { Loader2, X } from "lucide-react";
import { useTranslations } from "use-intl";
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
