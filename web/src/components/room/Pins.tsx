"use client";

// The images pinned to this room, each with its note and an Unpin button.
import { useQuery } from "@tanstack/react-query";
import { Pin as PinIcon } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import { pinsQuery } from "@/api/queries";
import { stableUrl } from "@/lib/imageUrls";
import { UnpinButton } from "@/components/Pin";

export function Pins({ roomId }: { roomId: string }) {
  const t = useTranslations();
  const { data: pins = [] } = useQuery(pinsQuery(roomId));
  return (
    <section className="mt-12" aria-labelledby="pins-title">
      <h2 id="pins-title" className="mb-4 flex items-center gap-2 font-serif text-2xl">
        <PinIcon className="h-5 w-5 text-clay-600" aria-hidden /> {t("room.pinned")}
      </h2>
      {pins.length === 0 ? (
        <p className="rounded-xl border border-dashed border-line px-4 py-6 text-center text-sm text-muted">
          {t("room.noPins")}
        </p>
      ) : (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-6" data-testid="pins">
          {pins.map((pin) => (
            <li key={pin.id} className="group relative aspect-square overflow-hidden rounded-xl border border-line bg-stone-100" data-testid="pin">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={stableUrl(pin.image.id, pin.image.url)} alt={pin.note || t("room.pinnedImageAlt")} className="h-full w-full object-cover" />
              {pin.note && (
                <p className="absolute inset-x-0 bottom-0 truncate bg-black/50 px-2 py-1 text-xs text-white" data-content="user">
                  {pin.note}
                </p>
              )}
              <div className="absolute right-1.5 top-1.5 opacity-100 sm:opacity-0 sm:group-focus-within:opacity-100 sm:group-hover:opacity-100">
                <UnpinButton roomId={roomId} imageId={pin.image.id} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
