"use client";

// The studio's `t`: use-intl's, with Korean particles fitted to the words put into a sentence
// (see particles.ts). Components take it from here rather than from use-intl.
import { useMemo } from "react";
import { useLocale, useTranslations as useIntlTranslations } from "use-intl";
import { attachParticles } from "./particles";

type Translate = ReturnType<typeof useIntlTranslations<never>>;

export function useTranslations(): Translate {
  const t = useIntlTranslations();
  const locale = useLocale();
  return useMemo(() => {
    if (locale !== "ko") return t;
    const korean = (...args: Parameters<Translate>) => attachParticles(t(...args));
    return Object.assign(korean, {
      rich: t.rich,
      markup: (...args: Parameters<Translate["markup"]>) => attachParticles(t.markup(...args)),
      raw: t.raw,
      has: t.has,
    }) as Translate;
  }, [t, locale]);
}
