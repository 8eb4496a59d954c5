"use client";

// The studio: every design the user has made, across rooms, with search, filters, favourites
// and "more like this".
import Link from "next/link";
import { useState } from "react";
import { keepPreviousData, useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { Heart, Search, Sparkles, X } from "lucide-react";
import { useTranslations } from "@/i18n/useTranslations";
import type { Schemas } from "@/api/client";
import { useToggleFavourite } from "@/api/mutations";
import { similarQuery, studioQuery, type StudioFilters } from "@/api/queries";
import { readyDesigns } from "@/api/records";
import { useReferenceTitle } from "@/i18n/content";
import { useErrorText } from "@/i18n/errors";
import { useRequireAuth } from "@/lib/auth";
import { stableUrl } from "@/lib/imageUrls";
import { Alert, EmptyState, PageLoading, Score, Shell } from "@/components/ui";
import { useToast } from "@/components/Toast";

type SimilarHit = Schemas["SimilarHitOut"];
type Status = StudioFilters["status"];

export default function StudioPage() {
  const me = useRequireAuth();
  if (!me) return <Shell><PageLoading /></Shell>;
  return <Studio />;
}

function Studio() {
  const t = useTranslations();
  const toast = useToast();
  const errorText = useErrorText();
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<Status>("");
  const [onlyFavourites, setOnlyFavourites] = useState(false);
  const [similar, setSimilar] = useState<{ imageId: string; url: string; hits: SimilarHit[] } | null>(null);
  const qc = useQueryClient();
  // The filters' pages, one more each "Load more"; the last filters' stay until the new come.
  const studio = useInfiniteQuery({
    ...studioQuery({ q: query, status, favourite: onlyFavourites }),
    placeholderData: keepPreviousData,
  });
  const records = studio.data?.pages.flatMap((page) => page.items) ?? null;
  const favourites = new Set(studio.data?.pages.flatMap((page) => page.favourite_image_ids));
  const error = studio.error ? errorText(studio.error, "studio.loadFailed") : null;
  const favourite = useToggleFavourite();
  const referenceTitle = useReferenceTitle();

  async function toggleFavourite(imageId: string) {
    const { error: err } = await favourite.mutateAsync({ imageId, on: !favourites.has(imageId) });
    if (err) toast(errorText(err, "studio.favouriteFailed"), "error");
  }

  async function moreLikeThis(imageId: string, url: string) {
    try {
      const data = await qc.fetchQuery(similarQuery(imageId));
      setSimilar({ imageId, url, hits: data.hits });
    } catch (err) {
      toast(errorText(err, "studio.similarFailed"), "error");
    }
  }

  // The server finds the records with a favourite; of those, only the hearted designs show.
  const designs = (records ?? [])
    .flatMap((record) => readyDesigns(record).map((design) => ({ record, design })))
    .filter(({ design }) => !onlyFavourites || favourites.has(design.image_id));

  return (
    <Shell>
      <h1 className="mb-1 font-serif text-3xl sm:text-4xl">{t("studio.title")}</h1>
      <p className="mb-6 text-sm text-muted">{t("studio.intro")}</p>
      <form
        className="mb-6 flex flex-wrap items-end gap-3"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(text.trim());
        }}
      >
        <label className="min-w-[14rem] flex-1 text-sm">
          <span className="label">{t("studio.searchLabel")}</span>
          <input className="field" value={text} onChange={(e) => setText(e.target.value)} placeholder={t("studio.searchPlaceholder")} />
        </label>
        <label className="text-sm">
          <span className="label">{t("studio.statusLabel")}</span>
          <select className="field select-field" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
            <option value="">{t("studio.statusAny")}</option>
            <option value="ready">{t("studio.statusReady")}</option>
            <option value="processing">{t("studio.statusProcessing")}</option>
            <option value="error">{t("studio.statusError")}</option>
          </select>
        </label>
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" checked={onlyFavourites} onChange={(e) => setOnlyFavourites(e.target.checked)} />
          {t("studio.onlyFavourites")}
        </label>
        <button type="submit" className="btn-primary">
          <Search className="h-4 w-4" aria-hidden /> {t("studio.search")}
        </button>
      </form>

      {error && <Alert>{error}</Alert>}
      {records === null && !error && <PageLoading />}
      {records !== null && designs.length === 0 && (
        <EmptyState icon={<Sparkles className="h-5 w-5" aria-hidden />} title={t("studio.emptyTitle")}>
          {t("studio.emptyBody")}
        </EmptyState>
      )}

      {similar && (
        <section className="card mb-6 p-4" aria-labelledby="similar-title" data-testid="similar">
          <div className="mb-3 flex items-center gap-3">
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={stableUrl(similar.imageId, similar.url)} alt="" className="h-12 w-12 rounded-lg object-cover" />
            <h2 id="similar-title" className="flex-1 font-serif text-xl">
              {t("studio.similarTitle")}
            </h2>
            <button type="button" className="btn-ghost px-2 py-1" onClick={() => setSimilar(null)}>
              <X className="h-4 w-4" aria-hidden /> {t("common.close")}
            </button>
          </div>
          {similar.hits.length ? (
            <ul className="grid grid-cols-3 gap-3 sm:grid-cols-6">
              {similar.hits.map((hit) => (
                <li key={hit.image_id} data-testid="similar-hit" data-kind={hit.kind}>
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <img src={stableUrl(hit.image_id, hit.url)} alt="" className="aspect-square w-full rounded-lg object-cover" />
                  <p className="mt-1 truncate text-xs text-muted" data-testid="similar-title">
                    {hit.kind === "design" ? (
                      t("studio.yourDesign")
                    ) : (
                      <span data-content="library">{referenceTitle({ title: hit.title ?? "", title_ko: hit.title_ko })}</span>
                    )}
                  </p>
                  <Score value={hit.score} title={t("record.similarity")} />
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-muted">{t("studio.similarNone")}</p>
          )}
        </section>
      )}

      <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4" data-testid="studio-designs">
        {designs.map(({ record, design }) => {
          const liked = favourites.has(design.image_id);
          const label = t("studio.designOf", { n: design.position + 1, name: record.name ?? t("record.untitled") });
          return (
            <li key={design.image_id} className="card overflow-hidden" data-testid="studio-design">
              <Link href={`/record/?id=${record.id}`} aria-label={label}>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={stableUrl(design.image_id, design.url)} alt="" className="aspect-square w-full object-cover" loading="lazy" />
              </Link>
              <div className="flex items-center gap-1 p-2">
                <p className="min-w-0 flex-1 truncate text-sm" data-content="generated">
                  {record.name ?? t("record.untitled")}
                </p>
                <button
                  type="button"
                  className="btn-ghost p-1.5"
                  aria-pressed={liked}
                  aria-label={t(liked ? "studio.unfavourite" : "studio.favourite", { name: label })}
                  onClick={() => void toggleFavourite(design.image_id)}
                >
                  <Heart className={`h-4 w-4 ${liked ? "fill-red-600 text-red-600" : ""}`} aria-hidden />
                </button>
                <button
                  type="button"
                  className="btn-ghost p-1.5"
                  aria-label={t("studio.moreLikeThis", { name: label })}
                  title={t("studio.moreLikeThisShort")}
                  onClick={() => void moreLikeThis(design.image_id, design.url)}
                >
                  <Sparkles className="h-4 w-4" aria-hidden />
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {studio.hasNextPage && (
        <div className="mt-6 text-center">
          <button type="button" className="btn-outline" onClick={() => void studio.fetchNextPage()}>
            {t("studio.loadMore")}
          </button>
        </div>
      )}
    </Shell>
  );
}
