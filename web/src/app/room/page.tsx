"use client";

import Link from "next/link";
import { Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { useRouter, useSearchParams } from "next/navigation";
import {
  ChevronLeft,
  ChevronRight,
  Coins,
  Globe,
  History,
  Images,
  Pin as PinIcon,
  Settings2,
  Share2,
  Sparkles,
} from "lucide-react";
import { useTranslations } from "use-intl";
import { api, type ImageOut, type Pin, type Room } from "@/api/client";
import { listRecords, readyDesigns, startGeneration, type RecordOut } from "@/api/records";
import { useAuth, useRequireAuth } from "@/lib/auth";
import { useLiveRecord } from "@/lib/useRecord";
import { Alert, EmptyState, PageLoading, Shell } from "@/components/ui";
import { RoomSettingsDialog, shareUrl, CopyLink } from "@/components/RoomSettings";
import { RoomExport } from "@/components/ExportMenu";
import { Uploader, MAX_INPUTS, newSlot, type Slot } from "@/components/Uploader";
import { StylePicker } from "@/components/StylePicker";
import { FailureNotice, RecordView, StageProgress } from "@/components/RecordView";
import { JobControls } from "@/components/JobControls";
import { RecordCard } from "@/components/RecordCard";
import { UnpinButton } from "@/components/Pin";
import { useToast } from "@/components/Toast";
import { stableUrl } from "@/lib/imageUrls";
import { useErrorText } from "@/i18n/errors";
import { useLocaleSwitch } from "@/i18n/I18nProvider";

const RECORDS_PAGE = 6;

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
  const [room, setRoom] = useState<Room | null>(null);
  const [missing, setMissing] = useState(false);
  const t = useTranslations();

  useEffect(() => {
    if (!me || !id) return;
    void (async () => {
      const { data, error } = await api.GET("/api/v1/layerroom/{room_id}", { params: { path: { room_id: id } } });
      if (data) setRoom(data);
      else setMissing(Boolean(error));
    })();
  }, [me, id]);

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
  return <RoomStudio room={room} onRoom={setRoom} />;
}

function RoomStudio({ room, onRoom }: { room: Room; onRoom: (room: Room) => void }) {
  const router = useRouter();
  const toast = useToast();
  const { me, refresh } = useAuth();
  const t = useTranslations();
  const errorText = useErrorText();
  const { locale } = useLocaleSwitch();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [shareOpen, setShareOpen] = useState(false);

  // Composer
  const [slots, setSlots] = useState<Slot[]>([]);
  const [keyword, setKeyword] = useState("");
  const [style, setStyle] = useState<string | null>(null);
  const [uploads, setUploads] = useState<ImageOut[]>([]);
  const [starting, setStarting] = useState(false);
  const [genError, setGenError] = useState<string | null>(null);
  const [liveId, setLiveId] = useState<string | null>(null);

  // Gallery and pins
  const [records, setRecords] = useState<RecordOut[] | null>(null);
  const [recordsTotal, setRecordsTotal] = useState(0);
  const [recordsOffset, setRecordsOffset] = useState(0);
  const [recordsError, setRecordsError] = useState<string | null>(null);
  const [pins, setPins] = useState<Pin[]>([]);

  const loadRecords = useCallback(
    async (offset: number) => {
      const { data, error } = await listRecords(room.id, RECORDS_PAGE, offset);
      if (!data) return setRecordsError(errorText(error, "room.recordsLoadFailed"));
      setRecordsError(null);
      setRecords(data.items);
      setRecordsTotal(data.total);
      setRecordsOffset(offset);
    },
    [room.id, errorText],
  );
  const loadPins = useCallback(async () => {
    const { data } = await api.GET("/api/v1/layerroom/{room_id}/pins", { params: { path: { room_id: room.id } } });
    if (data) setPins(data);
  }, [room.id]);
  const loadUploads = useCallback(async () => {
    const { data } = await api.GET("/api/v1/layerroom/{room_id}/images", {
      params: { path: { room_id: room.id }, query: { limit: 24 } },
    });
    if (data) setUploads(data.items);
  }, [room.id]);

  useEffect(() => {
    // The loader sets state only after its fetch's await, which this rule cannot see yet
    // (react/react#34905).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void loadRecords(0);
    void loadPins();
    void loadUploads();
  }, [loadRecords, loadPins, loadUploads]);

  // Opened (or reloaded) while a generation is still running: follow it live again.
  const resumeId = records && recordsOffset === 0 && records[0] && !records[0].done ? records[0].id : null;
  // Set while rendering (React's "adjust state when a prop changes"); liveId never returns to null.
  if (resumeId && liveId === null) setLiveId(resumeId);

  const [epoch, setEpoch] = useState(0);
  const live = useLiveRecord(liveId, (last) => {
    // Every stage ended: the balance may have changed (a refund), the gallery has a new record.
    void refresh();
    void loadRecords(0);
    if (last.cancelled) return; // the Cancel button has said so already
    if (last.refunded) toast(t("room.toastRefunded"), "error");
    else toast(t("room.toastComplete"));
  }, { fresh: true, epoch });

  const pinnedIds = useMemo(() => new Set(pins.map((p) => p.image.id)), [pins]);
  const ready = slots.filter((s) => s.image && !s.uploading);
  const uploading = slots.some((s) => s.uploading);
  const running = Boolean(liveId && live.record && !live.record.done) || starting;
  const credits = me?.credits ?? 0;
  const cost = me?.generation_cost ?? 1;
  const costLabel = t("credits.amount", { count: cost });
  const outOfCredits = credits < cost;
  const chosenIds = new Set(slots.map((s) => s.image?.id));
  const earlier = uploads.filter((u) => !chosenIds.has(u.id));

  async function generate(e: React.FormEvent) {
    e.preventDefault();
    if (!ready.length || uploading) return;
    setStarting(true);
    setGenError(null);
    const { data, error } = await startGeneration(
      room.id,
      ready.map((s) => ({ image_id: s.image!.id, role: s.role, strength: s.strength })),
      keyword,
      style,
      locale,
      crypto.randomUUID(),
    );
    setStarting(false);
    if (!data) {
      setGenError(
        errorText(error, "room.generateFailed", { InsufficientCredits: "room.outOfCredits" }, { cost: costLabel }),
      );
      void refresh();
      return;
    }
    setLiveId(data.record_id);
    void refresh(); // the credit is spent now; the header shows it at once
    void loadRecords(0);
  }

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
          {records && records.some((r) => readyDesigns(r).length > 0) && <RoomExport roomId={room.id} />}
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

      <form onSubmit={generate} className="card p-4 sm:p-6" aria-labelledby="compose-title">
        <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="compose-title" className="font-serif text-xl">
            {t("room.composeTitle")}
          </h2>
          <p className="text-xs text-muted">{t("room.referenceCount", { count: slots.length, max: MAX_INPUTS })}</p>
        </div>
        <Uploader
          roomId={room.id}
          slots={slots}
          setSlots={setSlots}
          disabled={running}
          onUploaded={(image) => setUploads((u) => [image, ...u.filter((x) => x.id !== image.id)])}
        />
        {earlier.length > 0 && slots.length < MAX_INPUTS && (
          <div className="mt-4">
            <p className="label">{t("room.earlierUploads")}</p>
            <ul className="flex gap-2 overflow-x-auto pb-1">
              {earlier.map((image) => (
                <li key={image.id} className="shrink-0">
                  <button
                    type="button"
                    disabled={running}
                    onClick={() =>
                      setSlots((s) =>
                        s.length >= MAX_INPUTS
                          ? s
                          : [
                              ...s,
                              newSlot({ key: image.id, preview: image.url, name: t("room.earlierUpload"), image, uploading: false }),
                            ],
                      )
                    }
                    className="block h-16 w-16 overflow-hidden rounded-lg border border-line hover:border-clay-500"
                    aria-label={t("room.useEarlierUpload")}
                  >
                    {/* eslint-disable-next-line @next/next/no-img-element */}
                    <img src={stableUrl(image.id, image.url)} alt="" className="h-full w-full object-cover" />
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="mt-5 flex flex-col gap-4 sm:flex-row sm:items-end">
          <div className="flex-1">
            <label htmlFor="keyword" className="label">
              {t("room.keyword")} <span className="normal-case tracking-normal">{t("common.optional")}</span>
            </label>
            <input
              id="keyword"
              className="field"
              maxLength={100}
              placeholder={t("room.keywordPlaceholder")}
              value={keyword}
              onChange={(e) => setKeyword(e.target.value)}
              disabled={running}
            />
          </div>
          <StylePicker value={style} onChange={setStyle} disabled={running} />
          {outOfCredits ? (
            <div role="status" data-testid="no-credits" className="flex items-center gap-2 rounded-lg border border-red-200 bg-red-50 px-4 py-2.5 text-sm text-red-800 sm:max-w-sm">
              <Coins className="h-4 w-4 shrink-0" aria-hidden />
              {t("room.outOfCredits", { cost: costLabel })}
            </div>
          ) : (
            <button
              type="submit"
              className="btn-accent px-5 py-2.5"
              disabled={!ready.length || uploading || running}
              aria-describedby="generate-cost"
            >
              <Sparkles className="h-4 w-4" aria-hidden />
              {running ? t("room.generating") : t("room.generate")}
              <span id="generate-cost" className="rounded-full bg-white/20 px-2 py-0.5 text-xs">
                {costLabel}
              </span>
            </button>
          )}
        </div>
        {!ready.length && !outOfCredits && (
          <p className="mt-2 text-xs text-muted">{t("room.needReference")}</p>
        )}
        {genError && (
          <div className="mt-4">
            <Alert>{genError}</Alert>
          </div>
        )}
      </form>

      {liveId && (
        <section className="mt-8 space-y-5" aria-labelledby="live-title" aria-live="polite" data-testid="live-record">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="live-title" className="font-serif text-2xl">
              {live.record?.done ? t("room.latest") : t("room.generating")}
            </h2>
            {live.record && (
              <Link href={`/record/?id=${live.record.id}`} className="text-sm font-medium text-clay-700 hover:underline">
                {t("room.openRecord")}
              </Link>
            )}
          </div>
          {live.error && <Alert>{errorText(live.error.body, "recordPage.loadFailed")}</Alert>}
          {live.record ? (
            <>
              <StageProgress record={live.record} />
              <JobControls
                record={live.record}
                onChanged={(_, action) => {
                  void refresh();
                  void loadRecords(0);
                  toast(t(action === "cancelled" ? "jobs.toastCancelled" : "jobs.toastRetried"));
                  if (action === "retried") setEpoch((n) => n + 1);
                }}
              />
              <FailureNotice record={live.record} />
              <RecordView
                record={live.record}
                roomId={room.id}
                pinnedIds={pinnedIds}
                onPinned={() => void loadPins()}
              />
            </>
          ) : (
            !live.error && <PageLoading />
          )}
        </section>
      )}

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
                  <p
                    className="absolute inset-x-0 bottom-0 truncate bg-black/50 px-2 py-1 text-xs text-white"
                    data-content="user"
                  >
                    {pin.note}
                  </p>
                )}
                <div className="absolute right-1.5 top-1.5 opacity-100 sm:opacity-0 sm:group-focus-within:opacity-100 sm:group-hover:opacity-100">
                  <UnpinButton roomId={room.id} imageId={pin.image.id} onUnpinned={() => void loadPins()} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="mt-12" aria-labelledby="records-title">
        <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="records-title" className="flex items-center gap-2 font-serif text-2xl">
            <History className="h-5 w-5 text-clay-600" aria-hidden /> {t("room.records")}
          </h2>
          {recordsTotal > 0 && <p className="text-sm text-muted">{t("room.recordsCount", { count: recordsTotal })}</p>}
        </div>
        {recordsError && <Alert>{recordsError}</Alert>}
        {records === null && !recordsError && <PageLoading />}
        {records?.length === 0 && (
          <EmptyState icon={<Sparkles className="h-5 w-5" aria-hidden />} title={t("room.noRecordsTitle")}>
            {t("room.noRecordsBody")}
          </EmptyState>
        )}
        {records && records.length > 0 && (
          <>
            <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label={t("room.records")}>
              {records.map((record) => (
                <RecordCard key={record.id} record={record} />
              ))}
            </ul>
            {recordsTotal > RECORDS_PAGE && (
              <nav aria-label={t("room.recordsPages")} className="mt-6 flex items-center justify-center gap-3">
                <button
                  type="button"
                  className="btn-outline"
                  disabled={recordsOffset === 0}
                  onClick={() => loadRecords(Math.max(0, recordsOffset - RECORDS_PAGE))}
                >
                  <ChevronLeft className="h-4 w-4" aria-hidden /> {t("room.newer")}
                </button>
                <span className="text-sm tabular-nums text-muted">
                  {t("room.page", {
                    page: Math.floor(recordsOffset / RECORDS_PAGE) + 1,
                    pages: Math.ceil(recordsTotal / RECORDS_PAGE),
                  })}
                </span>
                <button
                  type="button"
                  className="btn-outline"
                  disabled={recordsOffset + RECORDS_PAGE >= recordsTotal}
                  onClick={() => loadRecords(recordsOffset + RECORDS_PAGE)}
                >
                  {t("room.older")} <ChevronRight className="h-4 w-4" aria-hidden />
                </button>
              </nav>
            )}
          </>
        )}
      </section>

      <RoomSettingsDialog
        room={room}
        open={settingsOpen}
        onClose={() => setSettingsOpen(false)}
        onSaved={onRoom}
        onDeleted={() => router.push("/")}
      />
    </Shell>
  );
}
