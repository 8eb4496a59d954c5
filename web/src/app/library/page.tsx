"use client";

// The reference library: browse it, search it by words (CLIP) or by an image, pin what you find
// into a room. Admins also add and remove references here.
import { useRef, useState } from "react";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { ImagePlus, Library as LibraryIcon, Plus, Search, Trash2, X } from "lucide-react";
import { useFormatter } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import type { Schemas } from "@/api/client";
import { useAddReference, useRemoveReference, useSearchLibraryByImage } from "@/api/mutations";
import { libraryBrowseQuery, librarySearchQuery } from "@/api/queries";
import { useReferenceTitle } from "@/i18n/content";
import { useEmbedderName, useReferenceTags } from "@/i18n/references";
import { type MessageKey, useErrorText } from "@/i18n/errors";
import { useRequireAuth } from "@/lib/auth";
import { stableUrl } from "@/lib/imageUrls";
import { Alert, Dialog, EmptyState, FormActions, PageLoading, Score, Shell, Spinner } from "@/components/ui";
import { PinButton } from "@/components/Pin";
import { ACCEPTED, checkFile, useFileProblemText } from "@/components/Uploader";
import { useToast } from "@/components/Toast";

type Reference = Schemas["ReferenceOut"];
type SearchOut = Schemas["SearchOut"];
// How the server found the hits (SearchOut.match): words work on every install.
const MATCH: Record<string, MessageKey> = {
  words: "library.matchWords",
  "clip+words": "library.matchClipWords",
  image: "library.matchImage",
};

/** What the grid shows: the whole library page by page, or the hits of one search. */
type View =
  | { kind: "browse"; items: Reference[]; total: number }
  | Search;
type Search =
  | {
      kind: "search";
      query: { text: string } | { file: string };
      hits: SearchOut["hits"];
      embedder: string;
      match: string;
      // The similarity floor image (and CLIP text) matches had to reach, and how many of the
      // nearest references it left out: "12 references scored below 0.20", not "nothing".
      minScore: number | null;
      below: number;
    };

const TOP_K = 24;

export default function LibraryPage() {
  const me = useRequireAuth();
  if (!me) return <Shell><PageLoading /></Shell>;
  return <Library isAdmin={me.role === "admin"} />;
}

function Library({ isAdmin }: { isAdmin: boolean }) {
  const toast = useToast();
  // The hits of the last search; none while browsing.
  const [search, setSearch] = useState<Search | null>(null);
  const [text, setText] = useState("");
  const [searching, setSearching] = useState(false);
  const [problem, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Reference | null>(null);
  // Pinned from this page (the button shows it); any room's pins stay on the room itself.
  const [pinned, setPinned] = useState<Set<string>>(new Set());
  const fileInput = useRef<HTMLInputElement>(null);
  const t = useTranslations();
  const format = useFormatter();
  const errorText = useErrorText();
  const problemText = useFileProblemText();
  const referenceTitle = useReferenceTitle();
  const referenceTags = useReferenceTags();
  const embedderName = useEmbedderName();
  const qc = useQueryClient();
  const byImage = useSearchLibraryByImage(TOP_K);
  const remove = useRemoveReference();
  const busy = searching || byImage.isPending;

  const library = useInfiniteQuery(libraryBrowseQuery);
  const browsed: View | null = library.data
    ? {
        kind: "browse",
        items: library.data.pages.flatMap((page) => page.items),
        total: library.data.pages[library.data.pages.length - 1].total,
      }
    : null;
  const view: View | null = search ?? browsed;
  const error = problem ?? (library.error ? errorText(library.error, "library.loadFailed") : null);

  function browse() {
    setError(null);
    setSearch(null);
  }

  async function searchText(e: React.FormEvent) {
    e.preventDefault();
    const q = text.trim();
    if (!q) return browse();
    setSearching(true);
    try {
      const data = await qc.fetchQuery(librarySearchQuery(q, TOP_K));
      setError(null);
      setSearch({
        kind: "search",
        query: { text: q },
        hits: data.hits,
        embedder: data.embedder,
        match: data.match,
        minScore: data.min_score ?? null,
        below: data.below_min_score,
      });
    } catch (err) {
      setError(errorText(err, "library.searchFailed"));
    } finally {
      setSearching(false);
    }
  }

  async function searchImage(file: File) {
    const problem = checkFile(file);
    if (problem) return setError(problemText(problem));
    const { data, error: err } = await byImage.mutateAsync(file);
    if (!data) return setError(errorText(err, "library.searchFailed"));
    setError(null);
    setText("");
    setSearch({
      kind: "search",
      query: { file: file.name },
      hits: data.hits,
      embedder: data.embedder,
      match: data.match,
      minScore: data.min_score ?? null,
      below: data.below_min_score,
    });
  }

  function clear() {
    setText("");
    browse();
  }

  // A hit found by words alone has a rank-like score (1, 0.5…), not a similarity: no bar for it.
  const cards: { reference: Reference; score: number | null; byWords: boolean }[] =
    view?.kind === "search"
      ? view.hits.map((h) => ({ reference: h.reference, score: h.score, byWords: h.match === "words" }))
      : (view?.items ?? []).map((reference) => ({ reference, score: null, byWords: false }));

  return (
    <Shell wide title={t("library.title")}>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="font-serif text-3xl sm:text-4xl">{t("library.title")}</h1>
          <p className="mt-1 text-sm text-muted">{t("library.lead")}</p>
        </div>
        {isAdmin && (
          <button type="button" className="btn-primary" onClick={() => setAdding(true)}>
            <Plus className="h-4 w-4" aria-hidden /> {t("library.add")}
          </button>
        )}
      </div>

      <div className="mb-6 flex flex-wrap items-center gap-2">
        <form role="search" onSubmit={searchText} className="flex min-w-0 flex-1 gap-2">
          <label htmlFor="library-query" className="sr-only">
            {t("library.searchLabel")}
          </label>
          <input
            id="library-query"
            type="search"
            className="field min-w-0 flex-1"
            placeholder={t("library.searchPlaceholder")}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="btn-primary" disabled={busy}>
            <Search className="h-4 w-4" aria-hidden /> {t("library.search")}
          </button>
        </form>
        <button type="button" className="btn-outline" disabled={busy} onClick={() => fileInput.current?.click()}>
          <ImagePlus className="h-4 w-4" aria-hidden /> {t("library.searchByImage")}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept={ACCEPTED.join(",")}
          className="hidden"
          data-testid="library-image-search"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file) void searchImage(file);
          }}
        />
      </div>

      {error && (
        <div className="mb-4" data-testid="library-error">
          <Alert>{error}</Alert>
        </div>
      )}
      {busy && <Spinner label={t("library.searching")} className="mb-4" />}
      {view === null && !error && <PageLoading />}

      {view?.kind === "search" && (
        <div className="mb-4 flex flex-wrap items-center gap-2 text-sm text-muted" data-testid="search-summary">
          <span>
            {"text" in view.query
              ? t.rich("library.matchesText", {
                  count: view.hits.length,
                  query: view.query.text,
                  q: (chunks) => <span data-content="user">{chunks}</span>,
                })
              : t.rich("library.matchesImage", {
                  count: view.hits.length,
                  file: view.query.file,
                  q: (chunks) => <span data-content="user">{chunks}</span>,
                })}
          </span>
          {view.below > 0 && view.minScore !== null && (
            <span data-testid="search-below">
              {t("library.belowFloor", { count: view.below, score: view.minScore.toFixed(2) })}
            </span>
          )}
          {MATCH[view.match] && (
            <span className="chip" data-testid="search-match">
              {t(MATCH[view.match])}
            </span>
          )}
          <span className="chip" title={`${t("library.embedderTitle")}: ${view.embedder}`} data-testid="search-embedder">
            {embedderName(view.embedder)}
          </span>
          <button type="button" className="btn-ghost px-2 py-1" onClick={clear}>
            <X className="h-4 w-4" aria-hidden /> {t("library.clearSearch")}
          </button>
        </div>
      )}
      {view?.kind === "browse" && view.total > 0 && (
        <p className="mb-4 text-sm text-muted" data-testid="library-count">
          {t("library.count", { count: view.total, total: format.number(view.total) })}
        </p>
      )}

      {view?.kind === "browse" && view.total === 0 && (
        <EmptyState icon={<LibraryIcon className="h-5 w-5" aria-hidden />} title={t("library.emptyTitle")}>
          {isAdmin
            ? t.rich("library.emptyAdmin", {
                code: (chunks) => (
                  <code translate="no" data-content="command">
                    {chunks}
                  </code>
                ),
              })
            : t("library.emptyUser")}
        </EmptyState>
      )}
      {view?.kind === "search" && view.hits.length === 0 && (
        <EmptyState icon={<Search className="h-5 w-5" aria-hidden />} title={t("library.nothingCloseTitle")}>
          {view.below > 0 && view.minScore !== null
            ? t("library.nothingCloseBelow", { count: view.below, score: view.minScore.toFixed(2) })
            : t("library.nothingCloseBody")}
        </EmptyState>
      )}

      {cards.length > 0 && (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" aria-label={t("publicRoom.references")}>
          {cards.map(({ reference, score, byWords }) => (
            <li key={reference.id} className="card flex flex-col overflow-hidden" data-testid="library-reference">
              <div className="aspect-square bg-stone-100">
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img
                  src={stableUrl(reference.image_id, reference.url)}
                  alt={referenceTitle(reference)}
                  loading="lazy"
                  className="h-full w-full object-cover"
                />
              </div>
              <div className="flex flex-1 flex-col gap-1 p-3">
                <p className="truncate text-sm font-medium" title={referenceTitle(reference)}>
                  {referenceTitle(reference) ? <span data-content="library">{referenceTitle(reference)}</span> : t("library.untitled")}
                </p>
                {reference.tags.length > 0 && (
                  <p className="truncate text-xs text-muted" data-content="library" data-testid="reference-tags">
                    {referenceTags(reference).join(" · ")}
                  </p>
                )}
                {byWords ? (
                  <span className="chip self-start py-0.5" data-testid="word-match">
                    {t("library.wordMatch")}
                  </span>
                ) : (
                  score !== null && <Score value={score} title={t("library.scoreTitle")} />
                )}
                <div className="mt-auto flex items-center gap-2 pt-2">
                  <PinButton
                    imageId={reference.image_id}
                    label={t("record.referenceLower", { title: referenceTitle(reference) })}
                    pinned={pinned.has(reference.image_id)}
                    onPinned={() => setPinned((ids) => new Set(ids).add(reference.image_id))}
                  />
                  {isAdmin && (
                    <button
                      type="button"
                      className="btn-ghost ml-auto px-2 py-1 text-red-700"
                      aria-label={t("library.removeLabel", { title: referenceTitle(reference) })}
                      onClick={() => setRemoving(reference)}
                    >
                      <Trash2 className="h-4 w-4" aria-hidden />
                    </button>
                  )}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      {view?.kind === "browse" && view.items.length < view.total && (
        <div className="mt-6 text-center">
          <button type="button" className="btn-outline" onClick={() => void library.fetchNextPage()}>
            {t("library.showMore")}
          </button>
        </div>
      )}

      {isAdmin && (
        <AddReferenceDialog
          open={adding}
          onClose={() => setAdding(false)}
          onAdded={(message) => {
            setAdding(false);
            toast(message);
            clear();
          }}
        />
      )}
      {removing && (
        <Dialog open onClose={() => setRemoving(null)} title={t("library.removeTitle")}>
          <p className="text-sm text-muted">
            {t("library.removeBody", { title: referenceTitle(removing) || t("library.untitled") })}
          </p>
          <div className="mt-5 flex justify-end gap-2">
            <button type="button" className="btn-ghost" onClick={() => setRemoving(null)}>
              {t("common.keepIt")}
            </button>
            <button
              type="button"
              className="btn-danger"
              onClick={async () => {
                const { error: err } = await remove.mutateAsync(removing.id);
                setRemoving(null);
                if (err) return setError(errorText(err, "library.removeFailed"));
                toast(t("library.removed"));
                clear();
              }}
            >
              {t("library.remove")}
            </button>
          </div>
        </Dialog>
      )}
    </Shell>
  );
}

function AddReferenceDialog({
  open,
  onClose,
  onAdded,
}: {
  open: boolean;
  onClose: () => void;
  onAdded: (message: string) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState("");
  const [tags, setTags] = useState("");
  const [error, setError] = useState<string | null>(null);
  const adding = useAddReference();
  const busy = adding.isPending;
  const t = useTranslations();
  const errorText = useErrorText();

  async function add(e: React.FormEvent) {
    e.preventDefault();
    if (!file) return setError(t("library.chooseFirst"));
    setError(null);
    const { data, error: err } = await adding.mutateAsync({ file, title: title.trim(), tags });
    if (!data) return setError(errorText(err, "library.addFailed"));
    setFile(null);
    setTitle("");
    setTags("");
    onAdded(data.added ? t("library.added") : t("library.alreadyThere"));
  }

  return (
    <Dialog open={open} onClose={onClose} title={t("library.addTitle")}>
      <form onSubmit={add} className="space-y-4">
        <div>
          <label htmlFor="reference-file" className="label">
            {t("library.image")}
          </label>
          <input
            id="reference-file"
            type="file"
            accept={ACCEPTED.join(",")}
            className="field"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <div>
          <label htmlFor="reference-title" className="label">
            {t("library.titleField")}
          </label>
          <input
            id="reference-title"
            className="field"
            maxLength={300}
            placeholder={t("library.titlePlaceholder")}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="reference-tags" className="label">
            {t("library.tags")}
          </label>
          <input
            id="reference-tags"
            className="field"
            maxLength={1000}
            placeholder={t("library.tagsPlaceholder")}
            value={tags}
            onChange={(e) => setTags(e.target.value)}
          />
        </div>
        <FormActions error={error} onCancel={onClose}>
          <button type="submit" className="btn-primary" disabled={busy}>
            {busy ? t("library.adding") : t("library.addSubmit")}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}
