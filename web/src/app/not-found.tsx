"use client";

import Link from "next/link";
import { useTranslations } from "@/i18n/useTranslations";
import { useDocumentTitle } from "@/i18n/I18nProvider";

export default function NotFound() {
  const t = useTranslations();
  useDocumentTitle(t("notFound.title"));
  return (
    <main id="main" className="grid min-h-screen place-items-center px-4 text-center">
      <div>
        <p className="label">404</p>
        <h1 className="font-serif text-3xl">{t("notFound.title")}</h1>
        <Link href="/" className="btn-primary mt-6">
          {t("notFound.back")}
        </Link>
      </div>
    </main>
  );
}
