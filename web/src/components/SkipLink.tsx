"use client";

import { useTranslations } from "@/i18n/useTranslations";

/** The first Tab stop: straight past the header to the page's content. */
export function SkipLink() {
  const t = useTranslations();
  return (
    <a
      href="#main"
      className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-lg focus:bg-white focus:px-4 focus:py-2 focus:shadow"
    >
      {t("common.skipToContent")}
    </a>
  );
}
