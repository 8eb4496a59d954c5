"use client";

// API keys: create one (shown once), list them, revoke one.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { KeySquare, Plus, Trash2 } from "lucide-react";
import { useFormatter } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import type { Schemas } from "@/api/client";
import { useCreateApiKey, useRevokeApiKey } from "@/api/mutations";
import { apiKeysQuery } from "@/api/queries";
import { type MessageKey, useErrorText } from "@/i18n/errors";
import { Alert, Dialog, FormActions, Section } from "@/components/ui";
import { CopyField } from "@/components/CopyField";
import { useToast } from "@/components/Toast";

type ApiKey = Schemas["ApiKeyOut"];
type Scope = ApiKey["scopes"][number];

const SCOPE_NAME: Record<Scope, MessageKey> = {
  read: "settings.keys.scopeRead",
  generate: "settings.keys.scopeGenerate",
};
const SCOPE_HELP: Record<Scope, MessageKey> = {
  read: "settings.keys.scopeReadHelp",
  generate: "settings.keys.scopeGenerateHelp",
};

export function ApiKeys() {
  const t = useTranslations();
  const format = useFormatter();
  const toast = useToast();
  const errorText = useErrorText();
  const { data: keys = null, error: loadError } = useQuery(apiKeysQuery);
  const [problem, setError] = useState<string | null>(null);
  const error = problem ?? (loadError ? errorText(loadError, "settings.keys.loadFailed") : null);
  const createKey = useCreateApiKey();
  const revokeKey = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [scope, setScope] = useState<Scope>("read");
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    // `generate` also reads: a key gets one of the two.
    const { data, error: err } = await createKey.mutateAsync({ name: name.trim(), scopes: [scope] });
    if (!data) return setFormError(errorText(err, "settings.keys.createFailed"));
    setCreating(false);
    setName("");
    setFormError(null);
    setCreated(data.key);
  }

  async function revoke(key: ApiKey) {
    const { response, error: err } = await revokeKey.mutateAsync(key.id);
    if (!response.ok) return setError(errorText(err));
    setError(null);
    toast(t("settings.keys.revoked", { name: key.name }));
  }

  const when = (value: string | null | undefined) =>
    value ? format.dateTime(new Date(value), { dateStyle: "medium", timeStyle: "short" }) : t("settings.never");

  return (
    <Section id="api-keys" title={t("settings.keys.title")} intro={t("settings.keys.intro")}>
      {error && <div className="mb-3"><Alert>{error}</Alert></div>}
      {created && (
        <div className="mb-4 grid gap-2" data-testid="new-api-key">
          <Alert tone="ok">{t("settings.keys.showOnce")}</Alert>
          <CopyField id="new-key" label={t("settings.keys.newKey")} value={created} />
          <div>
            <button type="button" className="btn-ghost" onClick={() => setCreated(null)}>
              {t("settings.keys.doneCopying")}
            </button>
          </div>
        </div>
      )}
      {keys && keys.length === 0 && <p className="text-sm text-muted">{t("settings.keys.none")}</p>}
      {keys && keys.length > 0 && (
        <ul className="divide-y divide-line rounded-xl border border-line">
          {keys.map((key) => (
            <li key={key.id} data-testid="api-key" className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm">
              <KeySquare className="h-4 w-4 text-muted" aria-hidden />
              <span className="font-medium" data-content="user">{key.name}</span>
              <code className="rounded bg-clay-50 px-1.5 py-0.5 text-xs" translate="no">{key.prefix}…</code>
              <span className="text-muted">{key.scopes.map((s) => t(SCOPE_NAME[s])).join(", ")}</span>
              <span className="text-muted">
                {t("settings.keys.created", { when: when(key.created_at) })} ·{" "}
                {t("settings.keys.lastUsed", { when: when(key.last_used_at) })}
              </span>
              <button type="button" className="btn-ghost ml-auto" onClick={() => revoke(key)}
                aria-label={t("settings.keys.revoke", { name: key.name })}>
                <Trash2 className="h-4 w-4" aria-hidden />
                <span className="sr-only sm:not-sr-only">{t("settings.keys.revokeShort")}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="btn-outline mt-4" onClick={() => setCreating(true)}>
        <Plus className="h-4 w-4" aria-hidden />
        {t("settings.keys.create")}
      </button>
      <Dialog open={creating} onClose={() => setCreating(false)} title={t("settings.keys.create")}>
        <form onSubmit={create} className="grid gap-3">
          <div>
            <label htmlFor="key-name" className="label">{t("settings.keys.name")}</label>
            <input id="key-name" className="field" required maxLength={100} value={name}
              onChange={(e) => setName(e.target.value)} />
          </div>
          <fieldset className="grid gap-2">
            <legend className="label">{t("settings.keys.scopeLegend")}</legend>
            {(["read", "generate"] as const).map((value) => (
              <label key={value} className="flex cursor-pointer items-start gap-2 text-sm">
                <input type="radio" name="scope" value={value} checked={scope === value}
                  onChange={() => setScope(value)} className="mt-1" />
                <span>
                  <span className="font-medium">{t(SCOPE_NAME[value])}</span>
                  <span className="block text-muted">{t(SCOPE_HELP[value])}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <FormActions error={formError} onCancel={() => setCreating(false)}>
            <button type="submit" className="btn-primary" disabled={!name.trim()}>
              {t("settings.keys.createSubmit")}
            </button>
          </FormActions>
        </form>
      </Dialog>
    </Section>
  );
}
