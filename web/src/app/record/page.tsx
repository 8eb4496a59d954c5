"use client";

import Link from "next/link";
import { Suspense, useState } from "react";
import { useSearchParams } from "next/navigation";
import { FileQuestion } from "lucide-react";
import { useFormatter } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useRecordEnded } from "@/api/mutations";
import { imageQuery, roomQuery, uploadsQuery, usePinnedIds } from "@/api/queries";
import { useRequireAuth } from "@/lib/auth";
import { readyDesigns } from "@/api/records";
import { useLiveRecord } from "@/lib/useRecord";
import { useDates } from "@/i18n/format";
import { useErrorText } from "@/i18n/errors";
import { Alert, EmptyState, PageLoading, Shell } from "@/components/ui";
import { CancelledNotice, FailureNotice, RecordView, StageProgress } from "@/components/RecordView";
import { JobControls } from "@/components/JobControls";
import { PinButton } from "@/components/Pin";
import { RecordExport } from "@/components/ExportMenu";
import { Attribution, Lineage } from "@/components/Lineage";
import { ROLE_LABEL } from "@/components/Uploader";
import { useStyleName, useStyles } from "@/components/StylePicker";

/** The room's uploads read to show a record's inputs (an older one is read on its own). */
const ROOM_INPUTS = 100;

export default function RecordPage() {
  return (
    <Suspense fallback={<Shell><PageLoading /></Shell>}>
      <RecordLoader />
    </Suspense>
  );
}

function RecordLoader() {
  const me = useRequireAuth();
  const t = useTranslations();
  const dates = useDates();
  const format = useFormatter();
  const styles = useStyles();
  const styleName = useStyleName();
  const errorText = useErrorText();
  const id = useSearchParams().get("id");
  const [epoch, setEpoch] = useState(0);
  const ended = useRecordEnded();
  // Its end (seen here) changes the balance, its room's history and its lineage.
  const { record, error } = useLiveRecord(me ? id : null, ended, { epoch });
  const roomId = record?.room_id;
  const { data: room } = useQuery({ ...roomQuery(roomId ?? ""), enabled: Boolean(roomId) });
  const pinnedIds = usePinnedIds(roomId);
  const uploads = useQuery({ ...uploadsQuery(roomId ?? "", ROOM_INPUTS), enabled: Boolean(roomId) });
  // A refine's first input is a design, an edit's its image: not among the room's uploads.
  const missing = uploads.isFetched
    ? (record?.input_image_ids ?? []).filter((i) => !uploads.data?.some((x) => x.id === i))
    : [];
  const found = useQueries({ queries: missing.map((i) => imageQuery(i)) });
  const inputs = [...(uploads.data ?? []), ...found.flatMap(({ data }) => (data ? [data] : []))];
  const inputSlots = record ? record.input_image_ids.map((i) => inputs.find((x) => x.id === i)) : [];
  const inputImages = inputSlots.filter((x) => !!x);

  if (!id || (error && !record))
    return (
      <Shell title={t("recordPage.notFoundTitle")}>
        <EmptyState
          icon={<FileQuestion className="h-5 w-5" aria-hidden />}
          title={t("recordPage.notFoundTitle")}
          action={
            <Link href="/" className="btn-primary">
              {t("common.backToRooms")}
            </Link>
          }
        >
          {id ? errorText(error?.body, "recordPage.loadFailed", { NotFound: "recordPage.notFoundBody" }) : t("recordPage.noId")}
        </EmptyState>
      </Shell>
    );
  if (!me || !record) return <Shell><PageLoading /></Shell>;
  const style = styles.find((s) => s.id === record.style);
  const styleShown = style ? styleName(style) : record.style;

  return (
    <Shell title={record.name || t("recordPage.crumb")}>
      <nav aria-label={t("common.breadcrumb")} className="mb-3 truncate text-sm text-muted">
        <Link href="/" className="hover:text-ink">
          {t("header.rooms")}
        </Link>{" "}
        /{" "}
        <Link href={`/room/?id=${record.room_id}`} className="hover:text-ink">
          {room ? <span data-content="user">{room.name}</span> : t("recordPage.room")}
        </Link>{" "}
        / <span className="text-ink">{t("recordPage.crumb")}</span>
      </nav>
      <header className="mb-6">
        <h1 className="font-serif text-3xl sm:text-4xl">
          {record.name ? (
            <span data-content="generated" lang={record.language}>
              {record.name}
            </span>
          ) : record.done ? (
            t("record.untitled")
          ) : (
            t("room.generating")
          )}
        </h1>
        <p className="mt-1 text-sm text-muted">
          <time dateTime={record.created_at} data-testid="record-date">
            {dates.date(record.created_at)}
          </time>
          {styleShown && (
            <>
              {" "}
              · {t("brief.style")}{" "}
              <span className="chip ml-1 py-0.5" data-testid="record-style">
                {styleShown}
              </span>
            </>
          )}
          {record.keyword && (
            <>
              {" "}
              · {t("recordPage.keyword")}{" "}
              <span className="chip ml-1 py-0.5" data-content="user">
                {record.keyword}
              </span>
            </>
          )}
        </p>
        {(record.parent || record.edit) && (
          <p className="mt-1 text-sm text-muted" data-testid="record-origin">
            {record.parent ? (
              <Link href={`/record/?id=${record.parent.record_id}`} className="underline hover:text-ink">
                {t(record.edit ? "lineage.editedFrom" : "lineage.refinedFrom", { n: record.parent.position + 1 })}
              </Link>
            ) : (
              t("lineage.editedUpload")
            )}
            {record.edit && (
              <>
                {" "}
                · {t("lineage.editPrompt")}{" "}
                <span className="chip ml-1 py-0.5" data-content="user">
                  {record.edit.prompt}
                </span>
              </>
            )}
          </p>
        )}
        {readyDesigns(record).length > 0 && (
          <div className="mt-3">
            <RecordExport recordId={record.id} />
          </div>
        )}
      </header>
      <div className="space-y-5">
        {(!record.done || record.cancelled || record.image_status === "error" || record.story_status === "error" || record.keywords_status === "error" || record.recommendation_status === "error") && (
          <StageProgress record={record} />
        )}
        <JobControls
          record={record}
          onChanged={() => {
            // A retry runs the record again (and may have spent a credit): follow it anew.
            setEpoch((n) => n + 1);
          }}
        />
        <FailureNotice record={record} />
        <CancelledNotice record={record} />
        {error && <Alert>{errorText(error.body, "recordPage.loadFailed")}</Alert>}
        <RecordView record={record} roomId={record.room_id} pinnedIds={pinnedIds} />
      </div>
      {inputImages.length > 0 && (
        <section className="mt-10" aria-labelledby="inputs-title">
          <h2 id="inputs-title" className="label">
            {t("recordPage.inputs")}
          </h2>
          <ul className="flex flex-wrap gap-3">
            {inputImages.map((image, i) => {
              const brief = record.inputs.find((x) => x.image_id === image.id);
              return (
                <li key={image.id} className="w-28">
                  <div className="relative h-28 w-28 overflow-hidden rounded-xl border border-line bg-stone-100">
                    {/* eslint-disable-next-line @next/next/no-img-element */}
                    <img src={image.url} alt={t("recordPage.inputAlt", { n: i + 1 })} className="h-full w-full object-cover" />
                    <div className="absolute right-1 top-1">
                      <PinButton
                        imageId={image.id}
                        label={t("recordPage.inputLower", { n: i + 1 })}
                        defaultRoomId={record.room_id}
                        pinned={pinnedIds.has(image.id)}
                      />
                    </div>
                  </div>
                  {brief && (
                    <p className="mt-1 text-xs text-muted" data-testid="input-brief">
                      {t(ROLE_LABEL[brief.role])} · {format.number(brief.strength, { style: "percent" })}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <Attribution record={record} inputs={inputSlots} />
      <Lineage record={record} />
    </Shell>
  );
}
