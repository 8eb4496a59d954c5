"use client";

// Hand-off buttons: the record's spec sheet (PDF, zip, JSON-LD), or the whole room as a zip.
import { useState } from "react";
import { Download, Loader2 } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import { downloadRecord, downloadRoom, type ExportFormat } from "@/api/exports";
import { useErrorText } from "@/i18n/errors";
import { useToast } from "@/components/Toast";
import type { MessageKey } from "@/i18n/errors";

const FORMATS: { format: ExportFormat; label: MessageKey }[] = [
  { format: "pdf", label: "export.pdf" },
  { format: "zip", label: "export.zip" },
  { format: "json", label: "export.json" },
];

export function RecordExport({ recordId }: { recordId: string }) {
  const t = useTranslations();
  const toast = useToast();
  const errorText = useErrorText();
  const [busy, setBusy] = useState<ExportFormat | null>(null);

  async function run(format: ExportFormat) {
    setBusy(format);
    const error = await downloadRecord(recordId, format);
    setBusy(null);
    if (error) toast(errorText(error, "export.failed"), "error");
  }

  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label={t("export.title")} data-testid="record-export">
      {FORMATS.map(({ format, label }) => (
        <button key={format} type="button" className="btn-outline" disabled={busy !== null} onClick={() => void run(format)}>
          {busy === format ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : <Download className="h-4 w-4" aria-hidden />}{" "}
          {t(label)}
        </button>
      ))}
    </div>
  );
}

export function RoomExport({ roomId }: { roomId: string }) {
  const t = useTranslations();
  const toast = useToast();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);

  async function run() {
    setBusy(true);
    const error = await downloadRoom(roomId);
    setBusy(false);
    if (error) toast(errorText(error, "export.failed"), "error");
  }

  return (
    <button type="button" className="btn-outline" disabled={busy} onClick={() => void run()}>
      {busy ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : <Download className="h-4 w-4" aria-hidden />}{" "}
      {t("export.room")}
    </button>
  );
}
