"use client";

// A public room: readable by anyone with the link, no account needed.
import Link from "next/link";
import { Suspense, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { Globe, Lock } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import { publicRoomQuery } from "@/api/queries";
import { useDates } from "@/i18n/format";
import { EmptyState, Lightbox, PageLoading, Shell, type GalleryImage } from "@/components/ui";
import { RecordView } from "@/components/RecordView";

export default function PublicRoomPage() {
  return (
    <Suspense fallback={<Shell><PageLoading /></Shell>}>
      <PublicRoomLoader />
    </Suspense>
  );
}

function PublicRoomLoader() {
  const slug = useSearchParams().get("slug");
  const { data: room, isError: missing } = useQuery({ ...publicRoomQuery(slug ?? ""), enabled: Boolean(slug) });
  const [lightbox, setLightbox] = useState<number | null>(null);
  const t = useTranslations();
  const dates = useDates();

  if (!slug || missing)
    return (
      <Shell title={t("publicRoom.notPublicTitle")}>
        <EmptyState
          icon={<Lock className="h-5 w-5" aria-hidden />}
          title={t("publicRoom.notPublicTitle")}
          action={
            <Link href="/" className="btn-primary">
              {t("publicRoom.goHome")}
            </Link>
          }
        >
          {t("publicRoom.notPublicBody")}
        </EmptyState>
      </Shell>
    );
  if (!room) return <Shell><PageLoading /></Shell>;

  const gallery: GalleryImage[] = [
    ...room.pins.map((p, i) => ({
      imageId: p.image.id,
      url: p.image.url,
      label: p.note || t("publicRoom.pinnedImage", { n: i + 1 }),
    })),
    ...room.images.map((img, i) => ({ imageId: img.id, url: img.url, label: t("publicRoom.reference", { n: i + 1 }) })),
  ];

  return (
    <Shell title={room.name}>
      <p className="label flex items-center gap-1.5">
        <Globe className="h-3.5 w-3.5" aria-hidden /> {t("roomSettings.public")}
      </p>
      <h1 className="font-serif text-3xl sm:text-5xl" data-content="user">
        {room.name}
      </h1>
      {room.description && (
        <p className="mt-3 max-w-2xl text-muted" data-content="user">
          {room.description}
        </p>
      )}
      <p className="mt-2 text-xs text-muted">{t("publicRoom.since", { date: dates.date(room.created_at) })}</p>

      <section className="mt-10" aria-labelledby="public-pins">
        <h2 id="public-pins" className="mb-4 font-serif text-2xl">
          {t("room.pinned")}
        </h2>
        {room.pins.length === 0 ? (
          <p className="text-sm text-muted">{t("publicRoom.noPins")}</p>
        ) : (
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
            {room.pins.map((pin, i) => (
              <li key={pin.id}>
                <button
                  type="button"
                  onClick={() => setLightbox(i)}
                  className="block aspect-square w-full overflow-hidden rounded-xl border border-line bg-stone-100"
                  aria-label={t("publicRoom.enlarge", { what: pin.note || t("publicRoom.pinnedImage", { n: i + 1 }) })}
                >
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <img src={pin.image.url} alt="" className="h-full w-full object-cover" />
                </button>
                {pin.note && (
                  <p className="mt-1.5 text-sm text-muted" data-content="user">
                    {pin.note}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      {room.records.length > 0 && (
        <section className="mt-10" aria-labelledby="public-records">
          <h2 id="public-records" className="mb-4 font-serif text-2xl">
            {t("publicRoom.generations")}
          </h2>
          <ul className="space-y-12">
            {room.records.map((record) => (
              <li key={record.id} className="card p-4 sm:p-6" data-testid="public-record">
                <p className="mb-4 text-xs text-muted">
                  {dates.date(record.created_at)}
                  {record.keyword && (
                    <span className="chip ml-2 py-0.5" data-content="user">
                      {record.keyword}
                    </span>
                  )}
                </p>
                <RecordView record={record} readOnly />
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="mt-10" aria-labelledby="public-refs">
        <h2 id="public-refs" className="mb-4 font-serif text-2xl">
          {t("publicRoom.references")}
        </h2>
        {room.images.length === 0 ? (
          <p className="text-sm text-muted">{t("publicRoom.noReferences")}</p>
        ) : (
          <ul className="grid grid-cols-3 gap-2 sm:grid-cols-4 lg:grid-cols-6">
            {room.images.map((image, i) => (
              <li key={image.id}>
                <button
                  type="button"
                  onClick={() => setLightbox(room.pins.length + i)}
                  className="block aspect-square w-full overflow-hidden rounded-lg border border-line bg-stone-100"
                  aria-label={t("publicRoom.enlarge", { what: t("publicRoom.reference", { n: i + 1 }) })}
                >
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <img src={image.url} alt="" className="h-full w-full object-cover" />
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Lightbox images={gallery} index={lightbox} onIndex={setLightbox} onClose={() => setLightbox(null)} />
    </Shell>
  );
}
