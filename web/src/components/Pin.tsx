"use client";

// Pin any image (an upload, a design, a reference) into any of the user's rooms.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Pin as PinIcon, PinOff } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import { errorCode } from "@/api/client";
import { usePin, useUnpin } from "@/api/mutations";
import { pinRoomsQuery } from "@/api/queries";
import { useErrorText } from "@/i18n/errors";
import { Alert, Dialog, FormActions, Spinner } from "@/components/ui";
import { useToast } from "@/components/Toast";

export function PinButton({
  imageId,
  label,
  defaultRoomId,
  pinned = false,
  onPinned,
  className = "",
}: {
  imageId: string;
  /** What the image is, for the accessible name: "design 2", "reference “Eames lounge”". */
  label: string;
  defaultRoomId?: string;
  pinned?: boolean;
  onPinned?: (roomId: string) => void;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const t = useTranslations();
  return (
    <>
      <button
        type="button"
        className={`inline-flex items-center gap-1 rounded-full border px-2.5 py-1 text-xs font-medium shadow-sm transition-colors ${
          pinned ? "border-clay-500 bg-clay-600 text-white" : "border-line bg-white/95 text-ink hover:bg-white"
        } ${className}`}
        onClick={() => setOpen(true)}
        aria-label={pinned ? t("pin.pinnedLabel", { what: label }) : t("pin.pinLabel", { what: label })}
      >
        <PinIcon className="h-3.5 w-3.5" aria-hidden />
        {pinned ? t("pin.pinned") : t("pin.pin")}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t("pin.dialogTitle")}>
        {open && (
          <PinForm
            imageId={imageId}
            defaultRoomId={defaultRoomId}
            onClose={() => setOpen(false)}
            onPinned={(roomId) => {
              onPinned?.(roomId);
              setOpen(false);
            }}
          />
        )}
      </Dialog>
    </>
  );
}

function PinForm({
  imageId,
  defaultRoomId,
  onClose,
  onPinned,
}: {
  imageId: string;
  defaultRoomId?: string;
  onClose: () => void;
  onPinned: (roomId: string) => void;
}) {
  const toast = useToast();
  const t = useTranslations();
  const errorText = useErrorText();
  const { data: rooms = null, error: roomsError } = useQuery(pinRoomsQuery);
  // The room chosen; until one is, the default (this page's room) or the first.
  const [chosen, setChosen] = useState(defaultRoomId ?? "");
  const roomId = chosen || rooms?.[0]?.id || "";
  const [note, setNote] = useState("");
  const [pinError, setError] = useState<string | null>(null);
  const pinning = usePin();
  const busy = pinning.isPending;
  const error = pinError ?? (roomsError ? errorText(roomsError, "rooms.loadFailed") : null);

  async function pin(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const { data, error: err } = await pinning.mutateAsync({ roomId, imageId, note: note.trim() });
    const room = rooms?.find((r) => r.id === roomId)?.name ?? "";
    if (!data && errorCode(err) !== "Conflict") return setError(errorText(err, "pin.failed"));
    toast(data ? t("pin.pinnedTo", { room }) : t("pin.alreadyPinned", { room }));
    onPinned(roomId);
  }

  if (rooms === null && !error) return <Spinner label={t("pin.loadingRooms")} />;
  return (
    <form onSubmit={pin} className="space-y-4">
      {rooms && rooms.length === 0 ? (
        <Alert tone="info">{t("pin.noRooms")}</Alert>
      ) : (
        <div>
          <label htmlFor="pin-room" className="label">
            {t("pin.room")}
          </label>
          <select id="pin-room" className="field select-field" value={roomId} onChange={(e) => setChosen(e.target.value)}>
            {rooms?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div>
        <label htmlFor="pin-note" className="label">
          {t("pin.note")} <span className="normal-case tracking-normal">{t("common.optional")}</span>
        </label>
        <input
          id="pin-note"
          className="field"
          maxLength={500}
          placeholder={t("pin.notePlaceholder")}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      <FormActions error={error} onCancel={onClose}>
        <button type="submit" className="btn-primary" disabled={busy || !roomId}>
          <PinIcon className="h-4 w-4" aria-hidden /> {t("pin.pin")}
        </button>
      </FormActions>
    </form>
  );
}

export function UnpinButton({ roomId, imageId, onUnpinned }: { roomId: string; imageId: string; onUnpinned?: () => void }) {
  const unpin = useUnpin(roomId);
  const toast = useToast();
  const t = useTranslations();
  const errorText = useErrorText();
  return (
    <button
      type="button"
      className="inline-flex items-center gap-1 rounded-full border border-line bg-white/95 px-2.5 py-1 text-xs font-medium shadow-sm hover:bg-white"
      aria-label={t("pin.unpinLabel")}
      onClick={async () => {
        const { response, error } = await unpin.mutateAsync(imageId);
        if (!response.ok) return toast(errorText(error, "pin.unpinFailed"), "error");
        toast(t("pin.unpinned"));
        onUnpinned?.();
      }}
    >
      <PinOff className="h-3.5 w-3.5" aria-hidden /> {t("pin.unpin")}
    </button>
  );
}
