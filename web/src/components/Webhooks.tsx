"use client";

// Webhooks: add an endpoint (its signing secret shown once), list them, see each one's
// deliveries, send a test event, delete one.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Plus, RefreshCw, Send, Trash2, Webhook as WebhookIcon } from "lucide-react";
import { useFormatter } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import type { Schemas } from "@/api/client";
import { useAddWebhook, useDeleteWebhook, useTestWebhook } from "@/api/mutations";
import { deliveriesQuery, webhooksQuery } from "@/api/queries";
import { type MessageKey, useErrorText } from "@/i18n/errors";
import { Alert, Dialog, FormActions, Section } from "@/components/ui";
import { CopyField } from "@/components/CopyField";
import { useToast } from "@/components/Toast";

type Hook = Schemas["WebhookOut"];
type Delivery = Schemas["DeliveryOut"];
type EventName = Hook["events"][number];

const EVENTS: EventName[] = ["record.finished", "record.failed", "record.cancelled"];
const EVENT_NAME: Record<string, MessageKey> = {
  "record.finished": "settings.webhooks.eventFinished",
  "record.failed": "settings.webhooks.eventFailed",
  "record.cancelled": "settings.webhooks.eventCancelled",
  "webhook.test": "settings.webhooks.eventTest",
};
/** Why an attempt failed, in words; the transport's own message stays in the details. */
const PROBLEM: Record<NonNullable<Delivery["problem"]>, MessageKey> = {
  answered: "settings.webhooks.problem.answered",
  refused: "settings.webhooks.problem.refused",
  host_not_found: "settings.webhooks.problem.host_not_found",
  tls: "settings.webhooks.problem.tls",
  timeout: "settings.webhooks.problem.timeout",
  connect: "settings.webhooks.problem.connect",
  network: "settings.webhooks.problem.network",
};
const STATUS_NAME: Record<Delivery["status"], MessageKey> = {
  pending: "settings.webhooks.statusPending",
  succeeded: "settings.webhooks.statusSucceeded",
  failed: "settings.webhooks.statusFailed",
};

export function Webhooks() {
  const t = useTranslations();
  const errorText = useErrorText();
  const { data: hooks = null, error: loadError } = useQuery(webhooksQuery);
  const error = loadError ? errorText(loadError, "settings.webhooks.loadFailed") : null;
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  return (
    <Section id="webhooks" title={t("settings.webhooks.title")} intro={t("settings.webhooks.intro")}>
      {error && <div className="mb-3"><Alert>{error}</Alert></div>}
      {secret && (
        <div className="mb-4 grid gap-2" data-testid="new-webhook-secret">
          <Alert tone="ok">{t("settings.webhooks.secretOnce")}</Alert>
          <CopyField id="new-secret" label={t("settings.webhooks.secret")} value={secret} />
          <div>
            <button type="button" className="btn-ghost" onClick={() => setSecret(null)}>
              {t("settings.keys.doneCopying")}
            </button>
          </div>
        </div>
      )}
      {hooks && hooks.length === 0 && <p className="text-sm text-muted">{t("settings.webhooks.none")}</p>}
      {hooks && hooks.length > 0 && (
        <ul className="grid gap-3">
          {hooks.map((hook) => (
            <HookItem key={hook.id} hook={hook} />
          ))}
        </ul>
      )}
      <button type="button" className="btn-outline mt-4" onClick={() => setAdding(true)}>
        <Plus className="h-4 w-4" aria-hidden />
        {t("settings.webhooks.add")}
      </button>
      <AddHookDialog
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={(created) => {
          setAdding(false);
          setSecret(created.secret);
        }}
      />
    </Section>
  );
}

function AddHookDialog({
  open,
  onClose,
  onAdded,
}: {
  open: boolean;
  onClose: () => void;
  onAdded: (created: Schemas["NewWebhookOut"]) => void;
}) {
  const t = useTranslations();
  const errorText = useErrorText();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<Set<EventName>>(new Set(EVENTS));
  const [error, setError] = useState<string | null>(null);
  const addHook = useAddWebhook();
  const busy = addHook.isPending;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const { data, error: err } = await addHook.mutateAsync({
      url: url.trim(),
      events: EVENTS.filter((name) => events.has(name)),
    });
    if (!data) return setError(errorText(err, "settings.webhooks.addFailed"));
    setError(null);
    setUrl("");
    onAdded(data);
  }

  return (
    <Dialog open={open} onClose={onClose} title={t("settings.webhooks.add")}>
      <form onSubmit={submit} className="grid gap-3">
        <div>
          <label htmlFor="webhook-url" className="label">{t("settings.webhooks.url")}</label>
          <input id="webhook-url" type="url" required className="field" placeholder="https://example.com/hooks"
            value={url} onChange={(e) => setUrl(e.target.value)} />
        </div>
        <fieldset className="grid gap-2">
          <legend className="label">{t("settings.webhooks.events")}</legend>
          {EVENTS.map((name) => (
            <label key={name} className="flex cursor-pointer items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={events.has(name)}
                onChange={(e) => {
                  const next = new Set(events);
                  if (e.target.checked) next.add(name);
                  else next.delete(name);
                  setEvents(next);
                }}
              />
              {t(EVENT_NAME[name])}
            </label>
          ))}
        </fieldset>
        <FormActions error={error} onCancel={onClose}>
          <button type="submit" className="btn-primary" disabled={busy || !url.trim() || events.size === 0}>
            {t("settings.webhooks.addSubmit")}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}

function HookItem({ hook }: { hook: Hook }) {
  const t = useTranslations();
  const format = useFormatter();
  const toast = useToast();
  const errorText = useErrorText();
  // The deliveries are read once asked for (or a test event went out), then on each ask.
  const [shown, setShown] = useState(false);
  const listed = useQuery({ ...deliveriesQuery(hook.id), enabled: shown });
  const deliveries: Delivery[] | null = shown ? (listed.data ?? null) : null;
  const [problem, setError] = useState<string | null>(null);
  const error = problem ?? (listed.error ? errorText(listed.error, "settings.webhooks.loadFailed") : null);
  const test = useTestWebhook(hook.id);
  const deleteHook = useDeleteWebhook(hook.id);

  function loadDeliveries() {
    setError(null);
    if (shown) void listed.refetch();
    else setShown(true);
  }

  async function sendTest() {
    const { data, error: err } = await test.mutateAsync();
    if (!data) return setError(errorText(err));
    toast(t("settings.webhooks.testSent"));
    setError(null);
    setShown(true);
  }

  async function remove() {
    const { response, error: err } = await deleteHook.mutateAsync();
    if (!response.ok) return setError(errorText(err));
  }

  return (
    <li data-testid="webhook" className="rounded-xl border border-line p-4 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <WebhookIcon className="h-4 w-4 text-muted" aria-hidden />
        <code className="break-all" translate="no" data-content="user">{hook.url}</code>
        <span className="text-muted">{EVENTS.filter((name) => hook.events.includes(name)).map((name) => t(EVENT_NAME[name])).join(", ")}</span>
        <div className="ml-auto flex gap-1">
          <button type="button" className="btn-ghost" onClick={sendTest}>
            <Send className="h-4 w-4" aria-hidden />
            {t("settings.webhooks.sendTest")}
          </button>
          <button type="button" className="btn-ghost" onClick={loadDeliveries}>
            <RefreshCw className="h-4 w-4" aria-hidden />
            {t("settings.webhooks.showDeliveries")}
          </button>
          <button type="button" className="btn-ghost" onClick={remove}
            aria-label={t("settings.webhooks.delete", { url: hook.url })}>
            <Trash2 className="h-4 w-4" aria-hidden />
          </button>
        </div>
      </div>
      {error && <div className="mt-2"><Alert>{error}</Alert></div>}
      {deliveries && (
        <div className="mt-3">
          <h3 className="text-xs font-medium uppercase tracking-wide text-muted">{t("settings.webhooks.deliveries")}</h3>
          {deliveries.length === 0 ? (
            <p className="mt-1 text-muted">{t("settings.webhooks.noDeliveries")}</p>
          ) : (
            <ul className="mt-1 divide-y divide-line">
              {deliveries.map((delivery) => (
                <li key={delivery.id} data-testid="delivery" data-status={delivery.status}
                  className="flex flex-wrap gap-x-3 py-1.5">
                  <span>{format.dateTime(new Date(delivery.created_at), { dateStyle: "short", timeStyle: "medium" })}</span>
                  <span>{t(EVENT_NAME[delivery.event] ?? "settings.webhooks.eventTest")}</span>
                  <span className="font-medium">{t(STATUS_NAME[delivery.status])}</span>
                  <span className="text-muted">
                    {t("settings.webhooks.attempts", { count: delivery.attempts })}
                    {delivery.last_status_code != null && ` · HTTP ${delivery.last_status_code}`}
                  </span>
                  {delivery.last_error && (
                    <span className="basis-full" data-testid="delivery-problem">
                      {t(delivery.problem ? PROBLEM[delivery.problem] : "settings.webhooks.problem.network")}
                      <details className="text-xs text-muted">
                        <summary className="cursor-pointer">{t("record.details")}</summary>
                        <code className="break-all" lang="en" translate="no" data-content="provider">
                          {delivery.last_error}
                        </code>
                      </details>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}
