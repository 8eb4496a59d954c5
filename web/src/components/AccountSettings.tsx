"use client";

// Account settings: change the password, log out everywhere, delete the account.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { KeyRound, LogOut, Trash2 } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import { api } from "@/api/client";
import { useErrorText } from "@/i18n/errors";
import { useAuth } from "@/lib/auth";
import { clearToken, isRemembered } from "@/lib/token";
import { Alert, Dialog, FormActions, Section } from "@/components/ui";
import { useToast } from "@/components/Toast";

export function PasswordForm() {
  const t = useTranslations();
  const toast = useToast();
  const errorText = useErrorText();
  const { signIn } = useAuth();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    const { data, error: err } = await api.POST("/api/v1/auth/password", {
      body: { current_password: current, new_password: next },
    });
    setBusy(false);
    if (!data) {
      return setError(errorText(err, "settings.password.failed", { WrongPassword: "settings.wrongPassword" }));
    }
    // Every other session ended; this tab carries on with the new token.
    signIn(data.access_token, data.user, isRemembered());
    setError(null);
    setCurrent("");
    setNext("");
    toast(t("settings.password.changed"));
  }

  return (
    <Section id="password" title={t("settings.password.title")} intro={t("settings.password.intro")}>
      <form onSubmit={submit} className="grid max-w-md gap-3">
        <div>
          <label htmlFor="current-password" className="label">{t("settings.password.current")}</label>
          <input id="current-password" type="password" autoComplete="current-password" required className="field"
            value={current} onChange={(e) => setCurrent(e.target.value)} />
        </div>
        <div>
          <label htmlFor="new-password" className="label">{t("settings.password.new")}</label>
          <input id="new-password" type="password" autoComplete="new-password" required minLength={8} className="field"
            value={next} onChange={(e) => setNext(e.target.value)} />
        </div>
        {error && <Alert>{error}</Alert>}
        <div>
          <button type="submit" className="btn-primary" disabled={busy}>
            <KeyRound className="h-4 w-4" aria-hidden />
            {t("settings.password.submit")}
          </button>
        </div>
      </form>
    </Section>
  );
}

export function Sessions() {
  const t = useTranslations();
  const errorText = useErrorText();
  const router = useRouter();
  const { signOut } = useAuth();
  const [error, setError] = useState<string | null>(null);

  async function logOutEverywhere() {
    const { response, error: err } = await api.POST("/api/v1/auth/logout-all");
    if (!response.ok) return setError(errorText(err));
    signOut();
    router.push("/login/");
  }

  return (
    <Section id="sessions" title={t("settings.sessions.title")} intro={t("settings.sessions.intro")}>
      {error && <div className="mb-3"><Alert>{error}</Alert></div>}
      <button type="button" className="btn-outline" onClick={logOutEverywhere}>
        <LogOut className="h-4 w-4" aria-hidden />
        {t("settings.sessions.logOutAll")}
      </button>
    </Section>
  );
}

export function DeleteAccount() {
  const t = useTranslations();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const word = t("settings.delete.confirmWord");

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    const { response, error: err } = await api.DELETE("/api/v1/auth/me", { body: { password } });
    setBusy(false);
    if (!response.ok) {
      return setError(errorText(err, "settings.delete.failed", { WrongPassword: "settings.wrongPassword" }));
    }
    // A full load of the landing page, signed out: signing out in place would first send this
    // page (which needs an account) to the login form.
    clearToken();
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load on purpose
    window.location.assign("/");
  }

  return (
    <Section id="delete" title={t("settings.delete.title")} intro={t("settings.delete.intro")}>
      <button type="button" className="btn-danger" onClick={() => setOpen(true)}>
        <Trash2 className="h-4 w-4" aria-hidden />
        {t("settings.delete.open")}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t("settings.delete.dialogTitle")}>
        <form onSubmit={submit} className="grid gap-3">
          <Alert>{t("settings.delete.warning")}</Alert>
          <div>
            <label htmlFor="delete-password" className="label">{t("settings.password.current")}</label>
            <input id="delete-password" type="password" autoComplete="current-password" required className="field"
              value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          <div>
            <label htmlFor="delete-confirm" className="label">{t("settings.delete.typeToConfirm", { word })}</label>
            <input id="delete-confirm" className="field" autoComplete="off"
              value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          </div>
          <FormActions error={error} onCancel={() => setOpen(false)}>
            <button type="submit" className="btn-danger" disabled={busy || confirm.trim() !== word || !password}>
              {t("settings.delete.submit")}
            </button>
          </FormActions>
        </form>
      </Dialog>
    </Section>
  );
}
