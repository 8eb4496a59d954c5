"use client";

// The account's settings: password, sessions, API keys, webhooks, and deleting the account.
import { useTranslations } from "@/i18n/useTranslations";
import { useRequireAuth } from "@/lib/auth";
import { PageLoading, Shell } from "@/components/ui";
import { DeleteAccount, PasswordForm, Sessions } from "@/components/AccountSettings";
import { ApiKeys } from "@/components/ApiKeys";
import { Webhooks } from "@/components/Webhooks";

export default function SettingsPage() {
  const me = useRequireAuth();
  const t = useTranslations();
  if (!me) return <Shell><PageLoading /></Shell>;
  return (
    <Shell title={t("settings.title")}>
      <h1 className="font-serif text-3xl tracking-tight">{t("settings.title")}</h1>
      <p className="mt-1 text-sm text-muted" data-content="user">{me.email}</p>
      <nav aria-label={t("settings.sections")} className="mt-4 flex flex-wrap gap-3 text-sm text-muted">
        <a href="#password" className="hover:text-ink">{t("settings.password.title")}</a>
        <a href="#sessions" className="hover:text-ink">{t("settings.sessions.title")}</a>
        <a href="#api-keys" className="hover:text-ink">{t("settings.keys.title")}</a>
        <a href="#webhooks" className="hover:text-ink">{t("settings.webhooks.title")}</a>
        <a href="#delete" className="hover:text-ink">{t("settings.delete.title")}</a>
      </nav>
      <div className="mt-8 grid gap-8">
        <PasswordForm />
        <Sessions />
        <ApiKeys />
        <Webhooks />
        <DeleteAccount />
      </div>
    </Shell>
  );
}
