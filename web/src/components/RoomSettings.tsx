"use client";

// Rename/describe a room, make it public with a copyable link, or delete it.
import { useState } from "react";
import { Check, Copy, Globe, Lock, Trash2 } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import type { Room } from "@/api/client";
import { useDeleteRoom, useSaveRoom } from "@/api/mutations";
import { useErrorText } from "@/i18n/errors";
import { Alert, Dialog } from "@/components/ui";
import { useToast } from "@/components/Toast";

export function shareUrl(room: Pick<Room, "slug">): string {
  return `${window.location.origin}/public/?slug=${encodeURIComponent(room.slug)}`;
}

export function CopyLink({ url }: { url: string }) {
  const [copied, setCopied] = useState(false);
  const toast = useToast();
  const t = useTranslations();
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // Clipboard API refused (insecure context): select the text for a manual copy instead.
      const input = document.getElementById("share-url") as HTMLInputElement | null;
      input?.select();
      return;
    }
    setCopied(true);
    toast(t("share.copiedToast"));
    window.setTimeout(() => setCopied(false), 2000);
  }
  return (
    <div className="flex gap-2">
      <label htmlFor="share-url" className="sr-only">
        {t("share.link")}
      </label>
      <input id="share-url" readOnly value={url} className="field font-mono text-xs" onFocus={(e) => e.target.select()} />
      <button type="button" className="btn-outline shrink-0" onClick={copy}>
        {copied ? <Check className="h-4 w-4" aria-hidden /> : <Copy className="h-4 w-4" aria-hidden />}
        {copied ? t("share.copied") : t("share.copy")}
      </button>
    </div>
  );
}

export function RoomSettingsDialog({
  room,
  open,
  onClose,
  onSaved,
  onDeleted,
}: {
  room: Room;
  open: boolean;
  onClose: () => void;
  /** The room as saved (every query showing it has it already). */
  onSaved?: (room: Room) => void;
  onDeleted: () => void;
}) {
  const t = useTranslations();
  return (
    <Dialog open={open} onClose={onClose} title={t("roomSettings.title")}>
      {open && <RoomSettingsForm room={room} onClose={onClose} onSaved={onSaved} onDeleted={onDeleted} />}
    </Dialog>
  );
}

function RoomSettingsForm({
  room,
  onClose,
  onSaved,
  onDeleted,
}: {
  room: Room;
  onClose: () => void;
  onSaved?: (room: Room) => void;
  onDeleted: () => void;
}) {
  const toast = useToast();
  const t = useTranslations();
  const errorText = useErrorText();
  const [name, setName] = useState(room.name);
  const [description, setDescription] = useState(room.description);
  const [isPublic, setIsPublic] = useState(room.is_public);
  const [error, setError] = useState<string | null>(null);
  const saving = useSaveRoom(room.id);
  const deleting = useDeleteRoom(room.id);
  const busy = saving.isPending || deleting.isPending;
  const [confirmDelete, setConfirmDelete] = useState(false);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const { data, error: err } = await saving.mutateAsync({
      name: name.trim(),
      description: description.trim(),
      is_public: isPublic,
    });
    if (!data) return setError(errorText(err, "roomSettings.saveFailed"));
    toast(t("roomSettings.saved"));
    onSaved?.(data);
    onClose();
  }

  async function remove() {
    const { error: err, response } = await deleting.mutateAsync();
    if (!response.ok) return setError(errorText(err, "roomSettings.deleteFailed"));
    toast(t("roomSettings.deleted", { name: room.name }));
    onDeleted();
  }

  return (
    <form onSubmit={save} className="space-y-4">
      <div>
        <label htmlFor="room-name" className="label">
          {t("rooms.name")}
        </label>
        <input
          id="room-name"
          className="field"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div>
        <label htmlFor="room-description" className="label">
          {t("rooms.description")}
        </label>
        <textarea
          id="room-description"
          className="field min-h-24"
          maxLength={1000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          placeholder={t("roomSettings.descriptionPlaceholder")}
        />
      </div>
      <fieldset className="rounded-xl border border-line p-4">
        <legend className="px-1 text-xs font-medium uppercase tracking-wider text-muted">
          {t("roomSettings.visibility")}
        </legend>
        <label className="flex cursor-pointer items-start gap-3">
          <input
            type="checkbox"
            role="switch"
            aria-checked={isPublic}
            checked={isPublic}
            onChange={(e) => setIsPublic(e.target.checked)}
            className="mt-1 h-4 w-4 accent-clay-600"
          />
          <span>
            <span className="flex items-center gap-1.5 text-sm font-medium">
              {isPublic ? <Globe className="h-4 w-4" aria-hidden /> : <Lock className="h-4 w-4" aria-hidden />}
              {t("roomSettings.public")}
            </span>
            <span className="block text-xs text-muted">{t("roomSettings.publicHint")}</span>
          </span>
        </label>
        {isPublic && room.is_public && (
          <div className="mt-3">
            <CopyLink url={shareUrl(room)} />
          </div>
        )}
        {isPublic && !room.is_public && (
          <p className="mt-3 text-xs text-muted">{t("roomSettings.saveToPublish")}</p>
        )}
      </fieldset>
      {error && <Alert>{error}</Alert>}
      <div className="flex flex-wrap items-center justify-between gap-3 pt-2">
        {confirmDelete ? (
          <div className="flex items-center gap-2">
            <button type="button" className="btn-danger" onClick={remove} disabled={busy}>
              <Trash2 className="h-4 w-4" aria-hidden /> {t("roomSettings.confirmDelete")}
            </button>
            <button type="button" className="btn-ghost" onClick={() => setConfirmDelete(false)}>
              {t("common.keepIt")}
            </button>
          </div>
        ) : (
          <button type="button" className="btn-ghost text-red-700" onClick={() => setConfirmDelete(true)}>
            <Trash2 className="h-4 w-4" aria-hidden /> {t("roomSettings.delete")}
          </button>
        )}
        <div className="flex gap-2">
          <button type="button" className="btn-ghost" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn-primary" disabled={busy || !name.trim()}>
            {t("common.save")}
          </button>
        </div>
      </div>
    </form>
  );
}
