"use client";

import Link from "next/link";
import { useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ArrowRight, FolderPlus, Globe, Layers, Plus, Settings2, Sofa } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import type { Room } from "@/api/client";
import { useCreateRoom } from "@/api/mutations";
import { roomListQuery } from "@/api/queries";
import { useAuth } from "@/lib/auth";
import { useErrorText } from "@/i18n/errors";
import { useDates } from "@/i18n/format";
import { Alert, Dialog, EmptyState, FormActions, PageLoading, Shell } from "@/components/ui";
import { RoomSettingsDialog } from "@/components/RoomSettings";

export default function Home() {
  const { me } = useAuth();
  if (me === undefined) return <Shell><PageLoading /></Shell>;
  if (me === null) return <Landing />;
  return <Rooms />;
}

function Landing() {
  const t = useTranslations();
  return (
    <Shell>
      <section className="grid items-center gap-10 py-10 md:grid-cols-2 md:py-20">
        <div>
          <p className="label">{t("landing.eyebrow")}</p>
          <h1 className="font-serif text-4xl leading-tight sm:text-5xl">{t("landing.title")}</h1>
          <p className="mt-5 max-w-lg text-muted">{t("landing.lead")}</p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link href="/signup/" className="btn-primary px-5 py-2.5">
              {t("landing.openStudio")} <ArrowRight className="h-4 w-4" aria-hidden />
            </Link>
            <Link href="/login/" className="btn-outline px-5 py-2.5">
              {t("auth.signIn")}
            </Link>
          </div>
        </div>
        <div className="grid grid-cols-2 gap-3" aria-hidden>
          {["bg-clay-100", "bg-stone-200", "bg-sage-50", "bg-clay-50"].map((bg, i) => (
            <div key={bg} className={`card grid aspect-square place-items-center ${bg}`}>
              <Sofa className={`h-12 w-12 text-stone-500 ${i % 2 ? "rotate-6" : "-rotate-3"}`} strokeWidth={1.25} />
            </div>
          ))}
        </div>
      </section>
    </Shell>
  );
}

function Rooms() {
  const router = useRouter();
  const t = useTranslations();
  const errorText = useErrorText();
  const dates = useDates();
  const list = useInfiniteQuery(roomListQuery);
  const rooms = list.data?.pages.flatMap((page) => page.items) ?? null;
  const error = list.error ? errorText(list.error, "rooms.loadFailed") : null;
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Room | null>(null);

  return (
    <Shell title={t("rooms.title")}>
      <div className="mb-8 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="font-serif text-3xl sm:text-4xl">{t("rooms.title")}</h1>
          <p className="mt-1 text-sm text-muted">{t("rooms.lead")}</p>
        </div>
        <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
          <Plus className="h-4 w-4" aria-hidden /> {t("rooms.new")}
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
      {rooms === null && !error && <PageLoading />}
      {rooms?.length === 0 && (
        <EmptyState
          icon={<FolderPlus className="h-5 w-5" aria-hidden />}
          title={t("rooms.emptyTitle")}
          action={
            <button type="button" className="btn-accent" onClick={() => setCreating(true)}>
              <Plus className="h-4 w-4" aria-hidden /> {t("rooms.createFirst")}
            </button>
          }
        >
          {t("rooms.emptyBody")}
        </EmptyState>
      )}
      {rooms && rooms.length > 0 && (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label={t("header.rooms")}>
          {rooms.map((room) => (
            <li key={room.id} className="card group relative flex flex-col p-5 transition-shadow hover:shadow-md">
              <div className="mb-4 flex items-start gap-3">
                <span className="grid h-10 w-10 shrink-0 place-items-center rounded-xl bg-clay-50 font-serif text-lg text-clay-700">
                  {room.name.slice(0, 1).toUpperCase()}
                </span>
                <div className="min-w-0 flex-1">
                  <h2 className="truncate font-serif text-lg">
                    <Link
                      href={`/room/?id=${room.id}`}
                      className="after:absolute after:inset-0 after:rounded-2xl focus-visible:outline-none"
                    >
                      <span data-content="user">{room.name}</span>
                    </Link>
                  </h2>
                  <p className="text-xs text-muted" title={dates.date(room.updated_at)}>
                    {t("rooms.updated", { when: dates.relative(room.updated_at) })}
                  </p>
                </div>
                <button
                  type="button"
                  className="btn-ghost relative z-10 -mr-2 -mt-1 px-2"
                  aria-label={t("rooms.settingsFor", { name: room.name })}
                  onClick={() => setEditing(room)}
                >
                  <Settings2 className="h-4 w-4" aria-hidden />
                </button>
              </div>
              <p className="line-clamp-2 min-h-10 text-sm text-muted">
                {room.description ? <span data-content="user">{room.description}</span> : t("rooms.noDescription")}
              </p>
              <div className="mt-4 flex items-center gap-2 text-xs">
                {room.is_public ? (
                  <span className="chip border-sage-600/20 bg-sage-50 text-sage-600">
                    <Globe className="mr-1 h-3 w-3" aria-hidden /> {t("rooms.public")}
                  </span>
                ) : (
                  <span className="chip">{t("rooms.private")}</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {rooms && list.hasNextPage && (
        <div className="mt-6 text-center">
          <button type="button" className="btn-outline" onClick={() => void list.fetchNextPage()}>
            {t("rooms.showMore")}
          </button>
        </div>
      )}
      <CreateRoomDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(room) => router.push(`/room/?id=${room.id}`)}
      />
      {editing && (
        <RoomSettingsDialog
          room={editing}
          open
          onClose={() => setEditing(null)}
          onDeleted={() => setEditing(null)}
        />
      )}
    </Shell>
  );
}

function CreateRoomDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (room: Room) => void;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);
  const creating = useCreateRoom();
  const busy = creating.isPending;
  const t = useTranslations();
  const errorText = useErrorText();

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const { data, error: err } = await creating.mutateAsync({ name: name.trim(), description: description.trim() });
    if (!data) return setError(errorText(err, "rooms.createFailed"));
    onCreated(data);
  }

  return (
    <Dialog open={open} onClose={onClose} title={t("rooms.new")}>
      <form onSubmit={create} className="space-y-4">
        <div>
          <label htmlFor="new-room-name" className="label">
            {t("rooms.name")}
          </label>
          <input
            id="new-room-name"
            className="field"
            required
            maxLength={100}
            autoFocus
            placeholder={t("rooms.namePlaceholder")}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="new-room-description" className="label">
            {t("rooms.description")} <span className="normal-case tracking-normal">{t("common.optional")}</span>
          </label>
          <textarea
            id="new-room-description"
            className="field min-h-20"
            maxLength={1000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <FormActions error={error} onCancel={onClose}>
          <button type="submit" className="btn-primary" disabled={busy || !name.trim()}>
            <Layers className="h-4 w-4" aria-hidden /> {t("rooms.create")}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}
