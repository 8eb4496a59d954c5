"use client";

// Library words a page shows in its own language: a reference's tags, the starter set's name,
// and how closeness was measured (the embedder id stays for a details view or a tooltip).
import { useLocale } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";

/** The source the server gives every starter reference (library/words.py STARTER_SOURCE). */
const STARTER_SOURCE = "layerminder starter set";
/** The basic image descriptor's ids start so: a colour-and-shape measure, not a learned model. */
const BASIC_EMBEDDER = "basic-descriptor";

/** A reference's tags in the studio's language (each one's Korean name where it has one). */
export function useReferenceTags(): (reference: { tags: string[]; tags_ko?: string[] }) => string[] {
  const locale = useLocale();
  return (reference) => (locale === "ko" && reference.tags_ko?.length ? reference.tags_ko : reference.tags);
}

/** Where a reference comes from: the starter set by its name, any other source as written. */
export function useReferenceSource(): (source: string) => string {
  const t = useTranslations();
  return (source) => (source === STARTER_SOURCE ? t("library.starterSet") : source);
}

/** How closeness was measured, in words: colour and shape, or CLIP's image similarity. */
export function useEmbedderName(): (embedder: string) => string {
  const t = useTranslations();
  return (embedder) =>
    t(embedder.startsWith(BASIC_EMBEDDER) ? "record.basicSimilarity" : "record.imageSimilarity");
}
