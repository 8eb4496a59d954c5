"use client";

// The reference library: browse it, search it by words (CLIP) or by an image, pin what you find
// into a room. Admins also add and remove references here.
import { useCallback, useEffect, useRef, useState } from "react";
import { ImagePlus, Library as LibraryIcon, Plus, Search, Trash2, X } from "lucide-react";
import { api, errorMessage, multipart, type Schemas } from "@/api/client";
import { useRequireAuth } from "@/lib/auth";
import { stableUrl } from "@/lib/imageUrls";
import { Alert, Dialog, EmptyState, FormActions, PageLoading, Shell, Spinner } from "@/components/ui";
import { PinButton } from "@/components/Pin";
import { ACCEPTED, checkFile } from "@/components/Uploader";
import { Score } from "@/components/RecordView";
import { useToast } from "@/components/Toast";

type Reference = Schemas["ReferenceOut"];
type SearchOut = Schemas["SearchOut"];
/** What the grid shows: the whole library page by page, or the hits of one search. */
type View =
  | { kind: "browse"; items: Reference[]; total: number }
  | { kind: "search"; query: string; hits: SearchOut["hits"]; embedder: string };

const PAGE = 24;
const TOP_K = 24;

export default function LibraryPage() {
  const me = useRequireAuth();
  if (!me) return <Shell><PageLoading /></Shell>;
  return <Library isAdmin={me.role === "admin"} />;
}

function Library({ isAdmin }: { isAdmin: boolean }) {
  const toast = useToast();
  const [view, setView] = useState<View | null>(null);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Reference | null>(null);
  // Pinned from this page (the button shows it); any room's pins stay on the room itself.
  const [pinned, setPinned] = useState<Set<string>>(new Set());
  const fileInput = useRef<HTMLInputElement>(null);

  const browse = useCallback(async (offset = 0) => {
    const { data, error: err } = await api.GET("/api/v1/library/references", {
      params: { query: { limit: PAGE, offset } },
    });
    if (!data) return setError(errorMessage(err, "Could not load the library."));
    setError(null);
    setView((prev) => ({
      kind: "browse",
      total: data.total,
      items: offset > 0 && prev?.kind === "browse" ? [...prev.items, ...data.items] : data.items,
    }));
  }, []);

  useEffect(() => {
    // The loader sets state only after its fetch's await, which this rule cannot see yet
    // (react/react#34905).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void browse();
  }, [browse]);

  async function searchText(e: React.FormEvent) {
    e.preventDefault();
    const q = text.trim();
    if (!q) return void browse();
    setBusy(true);
    const { data, error: err } = await api.GET("/api/v1/library/search", { params: { query: { q, k: TOP_K } } });
    setBusy(false);
    // Without a CLIP model the server says why text search is off (422): show its words.
    if (!data) return setError(errorMessage(err, "The search failed."));
    setError(null);
    setView({ kind: "search", query: `“${q}”`, hits: data.hits, embedder: data.embedder });
  }

  async function searchImage(file: File) {
    const problem = checkFile(file);
    if (problem) return setError(problem);
    setBusy(true);
    const { data, error: err } = await api.POST("/api/v1/library/search", {
      params: { query: { k: TOP_K } },
      ...multipart(file),
    });
    setBusy(false);
    if (!data) return setError(errorMessage(err, "The search failed."));
    setError(null);
    setText("");
    setView({ kind: "search", query: `images like ${file.name}`, hits: data.hits, embedder: data.embedder });
  }

  function clear() {
    setText("");
    void browse();
  }

  const cards: { reference: Reference; score: number | null }[] =
    view?.kind === "search"
      ? view.hits.map((h) => ({ reference: h.reference, score: h.score }))
      : (view?.items ?? []).map((reference) => ({ reference, score: null }));

  return (
    <Shell wide>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="font-serif text-3xl sm:text-4xl">Reference library</h1>
          <p className="mt-1 text-sm text-muted">
            The curated images every generation is compared with. Search by words or by an image, and pin what
            you find into a room.
          </p>
        </div>
        {isAdmin && (
          <button type="button" className="btn-primary" onClick={() => setAdding(true)}>
            <Plus className="h-4 w-4" aria-hidden /> Add reference
          </button>
        )}
      </div>

      <div className="mb-6 flex flex-wrap items-center gap-2">
        <form role="search" onSubmit={searchText} className="flex min-w-0 flex-1 gap-2">
          <label htmlFor="library-query" className="sr-only">
            Search the library
          </label>
          <input
            id="library-query"
            type="search"
            className="field min-w-0 flex-1"
            placeholder="walnut lounge chair, low boucle stool…"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="btn-primary" disabled={busy}>
            <Search className="h-4 w-4" aria-hidden /> Search
          </button>
        </form>
        <button type="button" className="btn-outline" disabled={busy} onClick={() => fileInput.current?.click()}>
          <ImagePlus className="h-4 w-4" aria-hidden /> Search by image
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
      {busy && <Spinner label="Searching" className="mb-4" />}
      {view === null && !error && <PageLoading />}

      {view?.kind === "search" && (
        <div className="mb-4 flex flex-wrap items-center gap-2 text-sm text-muted" data-testid="search-summary">
          <span>
            {view.hits.length} {view.hits.length === 1 ? "match" : "matches"} for {view.query}, best first
          </span>
          <span className="chip" title="The embedder that scored them">
            {view.embedder}
          </span>
          <button type="button" className="btn-ghost px-2 py-1" onClick={clear}>
            <X className="h-4 w-4" aria-hidden /> Clear search
          </button>
        </div>
      )}
      {view?.kind === "browse" && view.total > 0 && (
        <p className="mb-4 text-sm text-muted" data-testid="library-count">
          {view.total} {view.total === 1 ? "reference" : "references"}, newest first
        </p>
      )}

      {view?.kind === "browse" && view.total === 0 && (
        <EmptyState icon={<LibraryIcon className="h-5 w-5" aria-hidden />} title="The library is empty">
          {isAdmin ? (
            <>Add references here, or import a whole folder with <code>layerminder library import DIR</code>.</>
          ) : (
            <>An admin fills it with references; recommendations appear once it holds some.</>
          )}
        </EmptyState>
      )}
      {view?.kind === "search" && view.hits.length === 0 && (
        <EmptyState icon={<Search className="h-5 w-5" aria-hidden />} title="Nothing close enough">
          No reference scored above the library&apos;s minimum similarity. Try other words or another image.
        </EmptyState>
      )}

      {cards.length > 0 && (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" aria-label="References">
          {cards.map(({ reference, score }) => (
            <li key={reference.id} className="card flex flex-col overflow-hidden" data-testid="library-reference">
              <div className="aspect-square bg-stone-100">
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img
                  src={stableUrl(reference.image_id, reference.url)}
                  alt={reference.title}
                  loading="lazy"
                  className="h-full w-full object-cover"
                />
              </div>
              <div className="flex flex-1 flex-col gap-1 p-3">
                <p className="truncate text-sm font-medium" title={reference.title}>
                  {reference.title || "Untitled"}
                </p>
                {reference.tags.length > 0 && (
                  <p className="truncate text-xs text-muted">{reference.tags.join(" · ")}</p>
                )}
                {score !== null && <Score value={score} title="Cosine similarity to your search" />}
                <div className="mt-auto flex items-center gap-2 pt-2">
                  <PinButton
                    imageId={reference.image_id}
                    label={`reference ${reference.title}`}
                    pinned={pinned.has(reference.image_id)}
                    onPinned={() => setPinned((ids) => new Set(ids).add(reference.image_id))}
                  />
                  {isAdmin && (
                    <button
                      type="button"
                      className="btn-ghost ml-auto px-2 py-1 text-red-700"
                      aria-label={`Remove ${reference.title} from the library`}
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
          <button type="button" className="btn-outline" onClick={() => browse(view.items.length)}>
            Show more references
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
        <Dialog open onClose={() => setRemoving(null)} title="Remove this reference?">
          <p className="text-sm text-muted">
            “{removing.title || "Untitled"}” leaves the library and its search index, and with it the past
            recommendations and room pins that show it.
          </p>
          <div className="mt-5 flex justify-end gap-2">
            <button type="button" className="btn-ghost" onClick={() => setRemoving(null)}>
              Keep it
            </button>
            <button
              type="button"
              className="btn-danger"
              onClick={async () => {
                const { error: err } = await api.DELETE("/api/v1/library/references/{reference_id}", {
                  params: { path: { reference_id: removing.id } },
                });
                setRemoving(null);
                if (err) return setError(errorMessage(err, "Could not remove the reference."));
                toast("Reference removed");
                clear();
              }}
            >
              Remove
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
  const [busy, setBusy] = useState(false);

  async function add(e: React.FormEvent) {
    e.preventDefault();
    if (!file) return setError("Choose an image first.");
    setBusy(true);
    setError(null);
    const { data, error: err } = await api.POST(
      "/api/v1/library/references",
      multipart(file, { title: title.trim(), source: "", tags }),
    );
    setBusy(false);
    if (!data) return setError(errorMessage(err, "Could not add the reference."));
    setFile(null);
    setTitle("");
    setTags("");
    onAdded(data.added ? "Reference added" : "That image is already in the library");
  }

  return (
    <Dialog open={open} onClose={onClose} title="Add a reference">
      <form onSubmit={add} className="space-y-4">
        <div>
          <label htmlFor="reference-file" className="label">
            Image
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
            Title
          </label>
          <input
            id="reference-title"
            className="field"
            maxLength={300}
            placeholder="Eames lounge, 1956"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="reference-tags" className="label">
            Tags
          </label>
          <input
            id="reference-tags"
            className="field"
            maxLength={1000}
            placeholder="lounge, walnut, leather"
            value={tags}
            onChange={(e) => setTags(e.target.value)}
          />
        </div>
        <FormActions error={error} onCancel={onClose}>
          <button type="submit" className="btn-primary" disabled={busy}>
            {busy ? "Adding…" : "Add to library"}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}
