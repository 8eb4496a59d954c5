"use client";

// The studio's language: picked on the client (a static export has no server to negotiate),
// applied to every message, date and number through use-intl, and kept on the account.
import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore } from "react";
import { IntlProvider } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import { api } from "@/api/client";
import { useAuth } from "@/lib/auth";
import en from "./messages/en.json";
import ko from "./messages/ko.json";
import { browserLocale, isLocale, storedLocale, storeLocale, type Locale } from "./locale";

export const MESSAGES = { en, ko } as const;

// One small store so every reader (and other tabs, through the storage event) agrees.
const listeners = new Set<() => void>();
let current: Locale | null = null;

function readLocale(): Locale {
  current ??= storedLocale() ?? browserLocale();
  return current;
}

function writeLocale(locale: Locale): void {
  storeLocale(locale);
  if (current === locale) return;
  current = locale;
  listeners.forEach((notify) => notify());
}

function subscribe(notify: () => void): () => void {
  listeners.add(notify);
  const onStorage = (e: StorageEvent) => {
    if (e.key === "layerminder.locale" && isLocale(e.newValue)) writeLocale(e.newValue);
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(notify);
    window.removeEventListener("storage", onStorage);
  };
}

interface LocaleState {
  locale: Locale;
  /** Switch now; signed in, also save it on the account (resolves false if that failed). */
  setLocale: (locale: Locale) => Promise<boolean>;
}

const LocaleContext = createContext<LocaleState | null>(null);

export function I18nProvider({ children }: { children: React.ReactNode }) {
  // null while prerendering: the build cannot know the reader's language, so the static HTML
  // stays empty rather than flashing English at a Korean reader.
  const locale = useSyncExternalStore(subscribe, readLocale, () => null);
  const { me, replace } = useAuth();
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);

  // The account's saved language wins over this device's; an account that has none yet takes
  // the one chosen on this device before signing in (the browser's default is no choice).
  useEffect(() => {
    if (!me) return;
    if (me.locale) writeLocale(me.locale);
    else if (storedLocale()) {
      void api.PATCH("/api/v1/auth/me", { body: { locale: readLocale() } }).then(({ data }) => {
        if (data) replace(data);
      });
    }
  }, [me, replace]);

  useEffect(() => {
    if (locale) document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback(
    async (next: Locale) => {
      writeLocale(next);
      if (!me) return true;
      const { data } = await api.PATCH("/api/v1/auth/me", { body: { locale: next } });
      if (data) replace(data);
      return Boolean(data);
    },
    [me, replace],
  );

  const value = useMemo(() => (locale ? { locale, setLocale } : null), [locale, setLocale]);
  if (!value) return null;
  return (
    <LocaleContext.Provider value={value}>
      <IntlProvider locale={value.locale} messages={MESSAGES[value.locale]} timeZone={timeZone}>
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export function useLocaleSwitch(): LocaleState {
  const state = useContext(LocaleContext);
  if (!state) throw new Error("useLocaleSwitch outside I18nProvider");
  return state;
}

/** The tab's title: "<page> — LayerMinder", or the studio's own title. */
export function useDocumentTitle(page?: string | null): void {
  const t = useTranslations();
  const title = page ? t("meta.pageTitle", { page }) : t("meta.title");
  useEffect(() => {
    document.title = title;
  }, [title]);
}
