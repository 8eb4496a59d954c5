// The studio's reads, through TanStack Query over the typed openapi-fetch client: one place for
// every query key and how each is fetched. Mutations (src/api/mutations.ts) invalidate by these
// keys; a read answered with an error body throws an ApiError, whose body useErrorText words.
import { infiniteQueryOptions, queryOptions, replaceEqualDeep, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { getLineage, getRecord, listRecords, type RecordOut } from "./records";
import { readToken } from "@/lib/token";

/** An API answer that was not a success: its status and its error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`API error ${status}`);
  }
}

/** openapi-fetch's `{data, error}` as a value or an ApiError: the shape a query function needs. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (data === undefined) throw new ApiError(response.status, error);
  return data;
}

export const RECORDS_PAGE = 6;
export const ROOMS_PAGE = 24;
export const LIBRARY_PAGE = 24;
export const STUDIO_PAGE = 24;

export type StudioFilters = { q: string; status: "" | "ready" | "error" | "processing"; favourite: boolean };

/** Every query key. A prefix invalidates all below it (a room's pages, every lineage…). */
export const keys = {
  me: ["me"] as const,
  authConfig: ["auth-config"] as const,
  styles: ["styles"] as const,
  roomList: ["room-list"] as const,
  /** The rooms a pin may go to (the first 100). */
  pinRooms: ["room-list", "pin"] as const,
  room: (roomId: string) => ["rooms", roomId] as const,
  history: (roomId: string) => ["rooms", roomId, "records"] as const,
  historyPage: (roomId: string, offset: number) => ["rooms", roomId, "records", offset] as const,
  pins: (roomId: string) => ["rooms", roomId, "pins"] as const,
  uploads: (roomId: string) => ["rooms", roomId, "images"] as const,
  uploadsPage: (roomId: string, limit: number) => ["rooms", roomId, "images", limit] as const,
  /** The record a room page follows when it opens while one is running (read once a visit). */
  resume: (roomId: string) => ["resume", roomId] as const,
  record: (recordId: string) => ["records", recordId] as const,
  lineages: ["lineage"] as const,
  lineage: (recordId: string) => ["lineage", recordId] as const,
  image: (imageId: string) => ["images", imageId] as const,
  studio: ["studio"] as const,
  studioPage: (filters: StudioFilters) => ["studio", filters] as const,
  similar: (imageId: string) => ["similar", imageId] as const,
  library: ["library"] as const,
  libraryBrowse: ["library", "browse"] as const,
  librarySearch: (q: string) => ["library", "search", q] as const,
  publicRooms: ["public"] as const,
  publicRoom: (slug: string) => ["public", slug] as const,
  apiKeys: ["api-keys"] as const,
  webhooks: ["webhooks"] as const,
  deliveries: (webhookId: string) => ["webhooks", webhookId, "deliveries"] as const,
};

// --- The account ---

/** Who is signed in: null without a stored token (or when it is refused). */
export const meQuery = queryOptions({
  queryKey: keys.me,
  queryFn: async (): Promise<Schemas["MeOut"] | null> => {
    if (!readToken()) return null;
    const { data } = await api.GET("/api/v1/auth/me");
    return data ?? null;
  },
  // Read once; generation, cancels and retries refetch it (the balance changes), sign-in sets it.
  staleTime: Infinity,
});

export const authConfigQuery = queryOptions({
  queryKey: keys.authConfig,
  queryFn: () => unwrap(api.GET("/api/v1/auth/config")),
  staleTime: Infinity,
});

export const stylesQuery = queryOptions({
  queryKey: keys.styles,
  queryFn: async () => (await unwrap(api.GET("/api/v1/styles"))).items,
  staleTime: Infinity,
});

// --- Rooms ---

export const roomListQuery = infiniteQueryOptions({
  queryKey: keys.roomList,
  queryFn: ({ pageParam }) =>
    unwrap(api.GET("/api/v1/layerroom", { params: { query: { limit: ROOMS_PAGE, offset: pageParam } } })),
  initialPageParam: 0,
  getNextPageParam: (last, pages) => {
    const loaded = pages.reduce((n, page) => n + page.items.length, 0);
    return loaded < last.total ? loaded : undefined;
  },
});

export const pinRoomsQuery = queryOptions({
  queryKey: keys.pinRooms,
  queryFn: async () =>
    (await unwrap(api.GET("/api/v1/layerroom", { params: { query: { limit: 100 } } }))).items,
});

export function roomQuery(roomId: string) {
  return queryOptions({
    queryKey: keys.room(roomId),
    queryFn: () => unwrap(api.GET("/api/v1/layerroom/{room_id}", { params: { path: { room_id: roomId } } })),
  });
}

export function historyQuery(roomId: string, offset: number) {
  return queryOptions({
    queryKey: keys.historyPage(roomId, offset),
    queryFn: () => unwrap(listRecords(roomId, RECORDS_PAGE, offset)),
  });
}

export function pinsQuery(roomId: string) {
  return queryOptions({
    queryKey: keys.pins(roomId),
    queryFn: () => unwrap(api.GET("/api/v1/layerroom/{room_id}/pins", { params: { path: { room_id: roomId } } })),
  });
}

export function uploadsQuery(roomId: string, limit: number) {
  return queryOptions({
    queryKey: keys.uploadsPage(roomId, limit),
    queryFn: async () =>
      (
        await unwrap(
          api.GET("/api/v1/layerroom/{room_id}/images", { params: { path: { room_id: roomId }, query: { limit } } }),
        )
      ).items,
  });
}

/** The image ids a room page's pins cover (its pin buttons show them pinned). */
export function usePinnedIds(roomId: string | undefined): Set<string> {
  const { data } = useQuery({ ...pinsQuery(roomId ?? ""), enabled: Boolean(roomId), select: pinnedIdsOf });
  return data ?? NO_IDS;
}
const NO_IDS = new Set<string>();
function pinnedIdsOf(pins: Schemas["PinOut"][]): Set<string> {
  return new Set(pins.map((p) => p.image.id));
}

export function publicRoomQuery(slug: string) {
  return queryOptions({
    queryKey: keys.publicRoom(slug),
    queryFn: () => unwrap(api.GET("/api/v1/public/rooms/{slug}", { params: { path: { slug } } })),
  });
}

// --- Records ---

/** One record. The SSE stream (src/lib/useRecord.ts) writes newer versions into the same entry;
 *  a read that answers with an older version than the one held (a stream ran ahead) is dropped. */
export function recordQuery(recordId: string) {
  return queryOptions({
    queryKey: keys.record(recordId),
    queryFn: () => unwrap(getRecord(recordId)),
    structuralSharing: (old: unknown, next: unknown) => {
      const held = old as RecordOut | undefined;
      const fresh = next as RecordOut;
      return held && held.version > fresh.version ? held : replaceEqualDeep(held, fresh);
    },
  });
}

export function lineageQuery(recordId: string) {
  return queryOptions({
    queryKey: keys.lineage(recordId),
    queryFn: () => unwrap(getLineage(recordId)),
  });
}

export function imageQuery(imageId: string) {
  return queryOptions({
    queryKey: keys.image(imageId),
    queryFn: () =>
      unwrap(api.GET("/api/v1/images/{image_id}/metadata", { params: { path: { image_id: imageId } } })),
    staleTime: Infinity,
  });
}

export function studioQuery(filters: StudioFilters) {
  return infiniteQueryOptions({
    queryKey: keys.studioPage(filters),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/records", {
          params: {
            query: {
              q: filters.q || undefined,
              status: filters.status || undefined,
              favourite: filters.favourite ? true : undefined,
              cursor: pageParam ?? undefined,
              limit: STUDIO_PAGE,
            },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function similarQuery(imageId: string) {
  return queryOptions({
    queryKey: keys.similar(imageId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/images/{image_id}/similar", {
          params: { path: { image_id: imageId }, query: { scope: "all", k: 12 } },
        }),
      ),
  });
}

// --- The library ---

export const libraryBrowseQuery = infiniteQueryOptions({
  queryKey: keys.libraryBrowse,
  queryFn: ({ pageParam }) =>
    unwrap(api.GET("/api/v1/library/references", { params: { query: { limit: LIBRARY_PAGE, offset: pageParam } } })),
  initialPageParam: 0,
  getNextPageParam: (last, pages) => {
    const loaded = pages.reduce((n, page) => n + page.items.length, 0);
    return loaded < last.total ? loaded : undefined;
  },
});

export function librarySearchQuery(q: string, k: number) {
  return queryOptions({
    queryKey: keys.librarySearch(q),
    queryFn: () => unwrap(api.GET("/api/v1/library/search", { params: { query: { q, k } } })),
  });
}

// --- Settings ---

export const apiKeysQuery = queryOptions({
  queryKey: keys.apiKeys,
  queryFn: () => unwrap(api.GET("/api/v1/api-keys")),
});

export const webhooksQuery = queryOptions({
  queryKey: keys.webhooks,
  queryFn: () => unwrap(api.GET("/api/v1/webhooks")),
});

export function deliveriesQuery(webhookId: string) {
  return queryOptions({
    queryKey: keys.deliveries(webhookId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/webhooks/{webhook_id}/deliveries", {
          params: { path: { webhook_id: webhookId }, query: { limit: 10 } },
        }),
      ),
  });
}
