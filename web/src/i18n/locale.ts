// Which language the studio speaks: the user's saved choice, else the browser's languages,
// else English. A choice made while signed out lives in localStorage; signed in, on the account.
export const LOCALES = ["ko", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

const KEY = "layerminder.locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The first of the browser's languages we speak ("ko-KR" counts as Korean), else English. */
export function negotiate(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLocale(base)) return base;
  }
  return DEFAULT_LOCALE;
}

export function browserLocale(): Locale {
  if (typeof navigator === "undefined") return DEFAULT_LOCALE;
  return negotiate(navigator.languages?.length ? navigator.languages : [navigator.language ?? ""]);
}

/** The choice made on this device, if any (null: none yet). */
export function storedLocale(): Locale | null {
  if (typeof window === "undefined") return null;
  try {
    const value = window.localStorage.getItem(KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null; // storage disabled: follow the browser
  }
}

export function storeLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(KEY, locale);
  } catch {
    /* storage disabled: the choice lasts for this page only */
  }
}
