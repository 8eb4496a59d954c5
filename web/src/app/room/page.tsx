"use client";

// A room's studio: the brief (Composer), the record being made (LiveRecord), the room's pins
// (Pins) and its earlier records page by page (History). Every read is a query
// (src/api/queries.ts); the live record comes from its SSE stream (src/lib/useRecord.ts).
import Link from "next/link";
import { Suspense, useState } from "react";
import { useRouter, useSearchParams } from "next/navigation";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Globe, Images, Settings2, Share2 } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import type { Room } from "@/api/client";
import { historyQuery, keys, recordQuery, roomQuery } from "@/api/queries";
import { readyDesigns } from "@/api/records";
import { useRequireAuth } from "@/lib/auth";
import { EmptyState, PageLoading, Shell } from "@/components/ui";
import { RoomSettingsDialog, shareUrl, CopyLink } from "@/components/RoomSettings";
import { RoomExport } from "@/components/ExportMenu";
import { Composer } from "@/components/room/Composer";
import { LiveRecord } from "@/components/room/LiveRecord";
import { Pins } from "@/components/room/Pins";
import { History } from "@/components/room/History";

export default function RoomPage() {
  return (
    <Suspense fallback={<Shell><PageLoading /></Shell>}>
      <RoomLoader />
    </Suspense>
  );
}

function RoomLoader() {
  const me = useRequireAuth();
  const id = useSearchParams().get("id");
  const t = useTranslations();
  const { data: room, isError: missing } = useQuery({ ...roomQuery(id ?? ""), enabled: Boolean(me && id) });

  if (!id || missing)
    return (
      <Shell title={t("room.notFoundTitle")}>
        <EmptyState
          icon={<Images className="h-5 w-5" aria-hidden />}
          title={t("room.notFoundTitle")}
          action={
            <Link href="/" className="btn-primary">
              {t("common.backToRooms")}
            </Link>
          }
        >
          {t("room.notFoundBody")}
        </EmptyState>
      </Shell>
    );
  if (!me || !room) return <Shell><PageLoading /></Shell>;
  return <RoomStudio room={room} />;
}

/** The record this visit follows live when the room opens with one still running (its newest,
 *  not done): read once a visit from the history's first page, so it stays followed once done. */
function useResumedRecord(roomId: string): string | null {
  const qc = useQueryClient();
  const { data } = useQuery({
    queryKey: keys.resume(roomId),
    queryFn: async () => {
      const first = (await qc.fetchQuery(historyQuery(roomId, 0))).items[0];
      return first && !first.done ? first.id : null;
    },
    staleTime: Infinity,
    gcTime: 0,
  });
  return data ?? null;
}

function RoomStudio({ room }: { room: Room }) {
  const router = useRouter();
  const t = useTranslations();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [shareOpen, setShareOpen] = useState(false);
  // The record started here; else the one running when the page opened.
  const [startedId, setStartedId] = useState<string | null>(null);
  const resumedId = useResumedRecord(room.id);
  const liveId = startedId ?? resumedId;
  const { data: live } = useQuery({ ...recordQuery(liveId ?? ""), enabled: Boolean(liveId) });
  const liveRunning = Boolean(liveId && live && !live.done);
  const [offset, setOffset] = useState(0);
  const { data: page } = useQuery({ ...historyQuery(room.id, offset), placeholderData: keepPreviousData });

  return (
    <Shell title={room.name}>
      <nav aria-label={t("common.breadcrumb")} className="mb-3 text-sm text-muted">
        <Link href="/" className="hover:text-ink">
          {t("header.rooms")}
        </Link>{" "}
        / <span className="text-ink" data-content="user">{room.name}</span>
      </nav>
      <div className="mb-8 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="break-words font-serif text-3xl sm:text-4xl" data-content="user">
            {room.name}
          </h1>
          <p className="mt-1 max-w-2xl text-sm text-muted">
            {room.description ? <span data-content="user">{room.description}</span> : t("rooms.noDescription")}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {page && page.items.some((r) => readyDesigns(r).length > 0) && <RoomExport roomId={room.id} />}
          {room.is_public && (
            <button type="button" className="btn-outline" onClick={() => setShareOpen((v) => !v)} aria-expanded={shareOpen}>
              <Share2 className="h-4 w-4" aria-hidden /> {t("room.share")}
            </button>
          )}
          <button type="button" className="btn-outline" onClick={() => setSettingsOpen(true)}>
            <Settings2 className="h-4 w-4" aria-hidden /> {t("room.settings")}
          </button>
        </div>
      </div>
      {room.is_public && shareOpen && (
        <div className="card mb-6 p-4">
          <p className="mb-2 flex items-center gap-1.5 text-sm">
            <Globe className="h-4 w-4 text-sage-600" aria-hidden /> {t("room.publicNotice")}
          </p>
          <CopyLink url={shareUrl(room)} />
        </div>
      )}

      <Composer roomId={room.id} liveRunning={liveRunning} onStarted={setStartedId} />
      {liveId && <LiveRecord recordId={liveId} roomId={room.id} />}
      <Pins roomId={room.id} />
      <History roomId={room.id} offset={offset} onOffset={setOffset} />

      <RoomSettingsDialog
        room={room}
        open={settingsOpen}
        onClose={() => setSettingsOpen(false)}
        onDeleted={() => router.push("/")}
      />
    </Shell>
  );
}
