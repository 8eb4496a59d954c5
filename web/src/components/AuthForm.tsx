"use client";

import Link from "next/link";
import { Suspense, useState } from "react";
import { useRouter, useSearchParams } from "next/navigation";
import { Layers } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import { useQuery } from "@tanstack/react-query";
import { api } from "@/api/client";
import { authConfigQuery } from "@/api/queries";
import { useAuth } from "@/lib/auth";
import { useErrorText } from "@/i18n/errors";
import { useDocumentTitle } from "@/i18n/I18nProvider";
import { LanguageSwitcher } from "@/components/Header";
import { Alert } from "@/components/ui";

type Mode = "login" | "signup";

export function AuthPage({ mode }: { mode: Mode }) {
  const t = useTranslations();
  useDocumentTitle(mode === "signup" ? t("auth.createAccount") : t("auth.signIn"));
  return (
    <main id="main" className="grid min-h-screen lg:grid-cols-2">
      <section className="hidden flex-col justify-between bg-ink p-12 text-paper lg:flex">
        <Link href="/" className="flex items-center gap-2 font-serif text-xl">
          <Layers className="h-5 w-5" aria-hidden /> <span translate="no">LayerMinder</span>
        </Link>
        <div>
          <p className="font-serif text-4xl leading-tight">
            {t("auth.pitchLine1")}
            <br />
            {t("auth.pitchLine2")}
          </p>
          <p className="mt-4 max-w-md text-stone-300">{t("auth.pitch")}</p>
        </div>
        <p className="text-xs text-stone-400">{t("auth.creditNote")}</p>
      </section>
      <section className="relative flex items-center justify-center px-4 py-12 sm:px-6">
        <div className="absolute right-4 top-4">
          <LanguageSwitcher />
        </div>
        <Suspense>
          <AuthForm mode={mode} />
        </Suspense>
      </section>
    </main>
  );
}

function AuthForm({ mode }: { mode: Mode }) {
  const router = useRouter();
  const params = useSearchParams();
  const { signIn } = useAuth();
  const t = useTranslations();
  const errorText = useErrorText();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // An invite link carries its code (?invite=…); the field shows only where sign-up needs one.
  const [invite, setInvite] = useState(params.get("invite") ?? "");
  const config = useQuery({ ...authConfigQuery, enabled: mode === "signup" });
  // null until the sign-up form knows (a failed read leaves sign-up open, as the server decides).
  const signupMode = mode === "signup" && !config.isPending ? (config.data?.signup_mode ?? "open") : null;
  const next = safeNext(params.get("next"));
  const isSignup = mode === "signup";

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = { email: email.trim(), password };
    const { data, error: err } = isSignup
      ? await api.POST("/api/v1/auth/signup", {
          body: { ...body, invite_code: signupMode === "invite" ? invite.trim() || null : null },
        })
      : await api.POST("/api/v1/auth/login", { body });
    setBusy(false);
    if (!data) {
      setError(errorText(err, isSignup ? "auth.signupFailed" : "auth.signInFailed"));
      return;
    }
    signIn(data.access_token, data.user, remember);
    router.replace(next);
  }

  const other = isSignup ? "/login/" : "/signup/";
  const otherHref = params.get("next") ? `${other}?next=${encodeURIComponent(next)}` : other;

  return (
    <form onSubmit={submit} className="w-full max-w-sm" noValidate={false}>
      <Link href="/" className="mb-10 flex items-center gap-2 font-serif text-xl lg:hidden">
        <Layers className="h-5 w-5" aria-hidden /> <span translate="no">LayerMinder</span>
      </Link>
      <h1 className="font-serif text-3xl">{isSignup ? t("auth.signupTitle") : t("auth.loginTitle")}</h1>
      <p className="mt-2 text-sm text-muted">{isSignup ? t("auth.signupLead") : t("auth.loginLead")}</p>
      {isSignup && signupMode === "closed" && (
        <div className="mt-6" data-testid="signup-closed">
          <Alert tone="info">{t("auth.signupClosed")}</Alert>
        </div>
      )}
      <fieldset className="mt-8 space-y-4" disabled={isSignup && signupMode === "closed"}>
        {isSignup && signupMode === "invite" && (
          <div>
            <label htmlFor="invite" className="label">
              {t("auth.inviteCode")}
            </label>
            <input
              id="invite"
              required
              autoComplete="off"
              className="field font-mono"
              maxLength={100}
              value={invite}
              onChange={(e) => setInvite(e.target.value)}
              aria-describedby="invite-hint"
            />
            <p id="invite-hint" className="mt-1 text-xs text-muted">
              {t("auth.inviteHint")}
            </p>
          </div>
        )}
        <div>
          <label htmlFor="email" className="label">
            {t("auth.email")}
          </label>
          <input
            id="email"
            type="email"
            autoComplete="email"
            required
            className="field"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="password" className="label">
            {t("auth.password")}
          </label>
          <input
            id="password"
            type="password"
            autoComplete={isSignup ? "new-password" : "current-password"}
            required
            minLength={isSignup ? 8 : undefined}
            className="field"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby={isSignup ? "password-hint" : undefined}
          />
          {isSignup && (
            <p id="password-hint" className="mt-1 text-xs text-muted">
              {t("auth.passwordHint")}
            </p>
          )}
        </div>
        <label className="flex items-center gap-2 text-sm text-muted">
          <input
            type="checkbox"
            checked={remember}
            onChange={(e) => setRemember(e.target.checked)}
            className="h-4 w-4 accent-clay-600"
          />
          {t("auth.remember")}
        </label>
        {error && <Alert>{error}</Alert>}
        <button type="submit" className="btn-primary w-full py-2.5" disabled={busy}>
          {busy ? t("common.pleaseWait") : isSignup ? t("auth.createAccount") : t("auth.signIn")}
        </button>
      </fieldset>
      <p className="mt-6 text-center text-sm text-muted">
        {isSignup ? t("auth.haveAccount") : t("auth.newHere")}{" "}
        <Link href={otherHref} className="font-medium text-clay-700 underline-offset-4 hover:underline">
          {isSignup ? t("auth.signIn") : t("auth.createAnAccount")}
        </Link>
      </p>
    </form>
  );
}

/** Only same-site paths: `?next=https://evil.example` must not become an open redirect. */
function safeNext(value: string | null): string {
  if (!value || !value.startsWith("/") || value.startsWith("//")) return "/";
  return value;
}
