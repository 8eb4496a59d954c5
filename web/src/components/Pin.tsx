"use client";

// Pin any image (an upload, a design, a reference) into any of the user's rooms.
import { useEffect, useState } from "react";
import { Pin as PinIcon, PinOff } from "lucide-react";
import { useTranslations } from "use-intl";
import { api, errorCode, type Room } from "@/api/client";
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
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const [roomId, setRoomId] = useState(defaultRoomId ?? "");
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void (async () => {
      const { data, error: err } = await api.GET("/api/v1/layerroom", { params: { query: { limit: 100 } } });
      if (!data) return setError(errorText(err, "rooms.loadFailed"));
      setRooms(data.items);
      setRoomId((current) => current || data.items[0]?.id || "");
    })();
  }, [errorText]);

  async function pin(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const { data, error: err } = await api.POST("/api/v1/layerroom/{room_id}/pins", {
      params: { path: { room_id: roomId } },
      body: { image_id: imageId, note: note.trim() },
    });
    setBusy(false);
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
          <select id="pin-room" className="field" value={roomId} onChange={(e) => setRoomId(e.target.value)}>
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

export function UnpinButton({ roomId, imageId, onUnpinned }: { roomId: string; imageId: string; onUnpinned: () => void }) {
  const toast = useToast();
  const t = useTranslations();
  const errorText = useErrorText();
  return (
    <button
      type="button"
      className="inline-flex items-center gap-1 rounded-full border border-line bg-white/95 px-2.5 py-1 text-xs font-medium shadow-sm hover:bg-white"
      aria-label={t("pin.unpinLabel")}
      onClick={async () => {
        const { response, error } = await api.DELETE("/api/v1/layerroom/{room_id}/pins", {
          params: { path: { room_id: roomId }, query: { image_id: imageId } },
        });
        if (!response.ok) return toast(errorText(error, "pin.unpinFailed"), "error");
        toast(t("pin.unpinned"));
        onUnpinned();
      }}
    >
      <PinOff className="h-3.5 w-3.5" aria-hidden /> {t("pin.unpin")}
    </button>
  );
}
