"use client";

// A read-only value with a Copy button: a new API key or webhook secret, shown once.
import { useState } from "react";
import { Check, Copy } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";

export function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  const t = useTranslations();
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // No clipboard here (an insecure context): select the text for a manual copy.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      return;
    }
    setCopied(true);
    window.setTimeout(() => setCopied(false), 2000);
  }
  return (
    <div>
      <label htmlFor={id} className="label">{label}</label>
      <div className="flex gap-2">
        <input id={id} readOnly value={value} translate="no" className="field font-mono text-xs"
          onFocus={(e) => e.target.select()} />
        <button type="button" className="btn-outline shrink-0" onClick={copy}>
          {copied ? <Check className="h-4 w-4" aria-hidden /> : <Copy className="h-4 w-4" aria-hidden />}
          {copied ? t("share.copied") : t("share.copy")}
        </button>
      </div>
    </div>
  );
}
