"use client";

// Content that has a name in each language: the page shows the one for the studio's language.
import { useLocale } from "use-intl";

type Titled = { title: string; title_ko?: string | null };

/** A reference's title in the studio's language (its Korean name where it has one). */
export function useReferenceTitle(): (reference: Titled) => string {
  const locale = useLocale();
  return (reference) => (locale === "ko" && reference.title_ko ? reference.title_ko : reference.title);
}
