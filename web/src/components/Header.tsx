"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Coins, LayoutGrid, Languages, Layers, LibraryBig, LogOut, Settings } from "lucide-react";
import { useFormatter } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import { useAuth } from "@/lib/auth";
import { useLocaleSwitch } from "@/i18n/I18nProvider";
import { isLocale, LOCALES, type Locale } from "@/i18n/locale";
import { useToast } from "@/components/Toast";

export function Header() {
  const { me, signOut } = useAuth();
  const router = useRouter();
  const t = useTranslations();
  return (
    <header className="sticky top-0 z-30 border-b border-line bg-paper/90 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-serif text-lg tracking-tight">
          <span className="grid h-8 w-8 place-items-center rounded-lg bg-ink text-paper">
            <Layers className="h-4 w-4" aria-hidden />
          </span>
          {/* On a phone the mark alone: the header's icons need the width (no sideways scroll at 375 px). */}
          <span translate="no" className="sr-only sm:not-sr-only">
            LayerMinder
          </span>
        </Link>
        <nav aria-label={t("header.nav")} className="ml-1 sm:ml-4">
          {me && (
            <div className="flex items-center gap-1 sm:gap-4">
              {/* On a phone the logo leads to the rooms; the library keeps an icon. */}
              <Link href="/" className="hidden text-sm text-muted hover:text-ink sm:inline">
                {t("header.rooms")}
              </Link>
              {/* On a phone the studio and the library keep an icon each (their names for readers). */}
              <Link
                href="/studio/"
                className="inline-flex items-center gap-1.5 rounded-lg p-1.5 text-sm text-muted hover:text-ink sm:p-0"
                data-testid="nav-studio"
              >
                <LayoutGrid className="h-4 w-4 sm:hidden" aria-hidden />
                <span className="sr-only sm:not-sr-only">{t("header.studio")}</span>
              </Link>
              <Link
                href="/library/"
                className="inline-flex items-center gap-1.5 rounded-lg p-1.5 text-sm text-muted hover:text-ink sm:p-0"
              >
                <LibraryBig className="h-4 w-4 sm:hidden" aria-hidden />
                <span className="sr-only sm:not-sr-only">{t("header.library")}</span>
              </Link>
            </div>
          )}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <LanguageSwitcher />
          {me ? (
            <>
              <CreditBadge credits={me.credits} cost={me.generation_cost} />
              <Link
                href="/settings/"
                className="inline-flex items-center gap-1.5 rounded-lg p-1.5 text-sm text-muted hover:text-ink"
                title={me.email}
              >
                <Settings className="h-4 w-4" aria-hidden />
                <span className="sr-only">{t("header.settings")}</span>
                <span className="hidden max-w-48 truncate md:inline" data-content="user" aria-hidden>
                  {me.email}
                </span>
              </Link>
              <button
                type="button"
                className="btn-ghost px-2"
                onClick={() => {
                  signOut();
                  router.push("/login/");
                }}
              >
                <LogOut className="h-4 w-4" aria-hidden />
                <span className="sr-only sm:not-sr-only">{t("header.signOut")}</span>
              </button>
            </>
          ) : me === null ? (
            <>
              <Link href="/login/" className="btn-ghost">
                {t("header.signIn")}
              </Link>
              <Link href="/signup/" className="btn-primary">
                {t("header.createAccount")}
              </Link>
            </>
          ) : null}
        </div>
      </div>
    </header>
  );
}

/** Each language named in itself (한국어, English), so a reader finds theirs whatever is showing. */
const AUTONYMS: Record<Locale, string> = { ko: "한국어", en: "English" };

export function LanguageSwitcher() {
  const t = useTranslations();
  const toast = useToast();
  const { locale, setLocale } = useLocaleSwitch();
  // On a phone only the icon shows (the header has no room for a word); the list still names
  // each language when it opens.
  return (
    <label className="relative inline-flex items-center rounded-lg text-sm text-muted hover:text-ink">
      <Languages className="pointer-events-none absolute left-2 h-4 w-4" aria-hidden />
      <span className="sr-only">{t("header.language")}</span>
      <select
        data-testid="language-switcher"
        translate="no"
        value={locale}
        onChange={async (e) => {
          if (!isLocale(e.target.value)) return;
          if (!(await setLocale(e.target.value))) toast(t("header.languageNotSaved"), "error");
        }}
        className="w-8 cursor-pointer appearance-none rounded-lg border border-transparent bg-transparent py-1.5 pl-7 text-sm text-transparent hover:border-line focus:border-line focus:outline-none sm:w-auto sm:pr-2 sm:text-inherit"
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code} className="text-ink">
            {AUTONYMS[code]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CreditBadge({ credits, cost = 1 }: { credits: number; cost?: number }) {
  const t = useTranslations();
  const format = useFormatter();
  const empty = credits < cost;
  return (
    <span
      data-testid="credit-balance"
      data-credits={credits}
      title={empty ? t("credits.noneLeft") : t("credits.eachCosts", { cost })}
      className={`inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-sm font-medium tabular-nums ${
        empty ? "border-red-200 bg-red-50 text-red-700" : "border-line bg-white text-ink"
      }`}
    >
      <Coins className="h-4 w-4" aria-hidden />
      <span>
        {format.number(credits)}{" "}
        <span className="sr-only sm:not-sr-only">{t("credits.unit", { count: credits })}</span>
      </span>
    </span>
  );
}
