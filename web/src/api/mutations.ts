// The studio's writes. Each resolves to openapi-fetch's `{data, error, response}` (callers word
// the error themselves, as before) and, once the server has answered, invalidates the queries
// whose data it changed (src/api/queries.ts), so every page showing them reads them again.
import { useCallback } from "react";
import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, errorCode, multipart, type Room } from "./client";
import { cancelRecord, retryRecord, startGeneration, type InputIn, type RecordOut } from "./records";
import { keys } from "./queries";
import type { Locale } from "@/i18n/locale";

type Answer = { data?: unknown; error?: unknown; response: Response };

/** A mutation whose `changed` runs after every answer (ok or not: some failures change data too). */
function useApiMutation<V, R extends Answer>(call: (vars: V) => Promise<R>, changed: (qc: QueryClient, vars: V, answer: R) => void) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: (answer, vars) => changed(qc, vars, answer) });
}

function invalidate(qc: QueryClient, ...queryKeys: readonly (readonly unknown[])[]) {
  for (const queryKey of queryKeys) void qc.invalidateQueries({ queryKey });
}

/** A new record started in `roomId` (a generation, a refine, an edit): a credit spent, the room's
 *  history has it first, the lineage of whatever it came from has a new child. */
export function recordStarted(qc: QueryClient, roomId: string) {
  invalidate(qc, keys.me, keys.history(roomId), keys.lineages, keys.studio);
}

/** A record's stages all ended (or a cancel or retry changed it): the balance may have changed
 *  (a refund), its room's history and the studio show its final state, its lineage its title. */
export function recordChanged(qc: QueryClient, record: Pick<RecordOut, "id" | "room_id">) {
  invalidate(qc, keys.me, keys.history(record.room_id), keys.lineage(record.id), keys.studio);
}

export function useRecordEnded() {
  const qc = useQueryClient();
  return useCallback((record: RecordOut) => recordChanged(qc, record), [qc]);
}

export function useRecordStarted() {
  const qc = useQueryClient();
  return useCallback((roomId: string) => recordStarted(qc, roomId), [qc]);
}

export function useStartGeneration(roomId: string) {
  return useApiMutation(
    (v: { inputs: InputIn[]; keyword: string; style: string | null; language: Locale; previews?: boolean | null }) =>
      startGeneration(roomId, v.inputs, v.keyword, v.style, v.language, crypto.randomUUID(), v.previews ?? null),
    (qc, _, answer) => {
      if (answer.data) recordStarted(qc, roomId);
      else invalidate(qc, keys.me); // refused for want of credits: show the balance as it is
    },
  );
}

export function useCancelRecord() {
  return useApiMutation(
    (record: RecordOut) => cancelRecord(record.id),
    (qc, record, answer) => answer.data && recordChanged(qc, record),
  );
}

export function useRetryRecord() {
  return useApiMutation(
    (v: { record: RecordOut; key: string }) => retryRecord(v.record.id, v.key),
    (qc, { record }, answer) => answer.data && recordChanged(qc, record),
  );
}

export function useUploadImage(roomId: string) {
  return useApiMutation(
    (file: File) =>
      api.POST("/api/v1/layerroom/{room_id}/images", {
        params: { path: { room_id: roomId } },
        ...multipart(file, { purpose: "reference" as const }),
      }),
    (qc, _, answer) => answer.data && invalidate(qc, keys.uploads(roomId)),
  );
}

// --- Pins ---

export function usePin() {
  return useApiMutation(
    (v: { roomId: string; imageId: string; note: string }) =>
      api.POST("/api/v1/layerroom/{room_id}/pins", {
        params: { path: { room_id: v.roomId } },
        body: { image_id: v.imageId, note: v.note },
      }),
    // "Already pinned" (409) is as good as pinned.
    (qc, { roomId }, answer) =>
      (answer.data || errorCode(answer.error) === "Conflict") && invalidate(qc, keys.pins(roomId), keys.publicRooms),
  );
}

export function useUnpin(roomId: string) {
  return useApiMutation(
    (imageId: string) =>
      api.DELETE("/api/v1/layerroom/{room_id}/pins", {
        params: { path: { room_id: roomId }, query: { image_id: imageId } },
      }),
    (qc, _, answer) => answer.response.ok && invalidate(qc, keys.pins(roomId), keys.publicRooms),
  );
}

// --- Rooms ---

export function useCreateRoom() {
  return useApiMutation(
    (body: { name: string; description: string }) => api.POST("/api/v1/layerroom", { body: { ...body, is_public: false } }),
    (qc, _, answer) => answer.data && invalidate(qc, keys.roomList),
  );
}

export function useSaveRoom(roomId: string) {
  return useApiMutation(
    (body: { name: string; description: string; is_public: boolean }) =>
      api.PATCH("/api/v1/layerroom/{room_id}", { params: { path: { room_id: roomId } }, body }),
    (qc, _, answer) => {
      if (!answer.data) return;
      qc.setQueryData<Room>(keys.room(roomId), answer.data);
      invalidate(qc, keys.roomList, keys.publicRooms);
    },
  );
}

export function useDeleteRoom(roomId: string) {
  return useApiMutation(
    () => api.DELETE("/api/v1/layerroom/{room_id}", { params: { path: { room_id: roomId } } }),
    (qc, _, answer) => {
      // Not the room itself: its page is left at once, and a read now would say "not found".
      if (answer.response.ok) invalidate(qc, keys.roomList, keys.publicRooms, keys.studio);
    },
  );
}

// --- The studio page ---

/** Mark or unmark a favourite; every loaded studio page takes the change at once. */
export function useToggleFavourite() {
  return useApiMutation(
    (v: { imageId: string; on: boolean }) => {
      const path = { params: { path: { image_id: v.imageId } } };
      return v.on
        ? api.PUT("/api/v1/images/{image_id}/favourite", path)
        : api.DELETE("/api/v1/images/{image_id}/favourite", path);
    },
    (qc, { imageId, on }, answer) => {
      if (answer.error) return;
      type Pages = { pages: { favourite_image_ids: string[] }[] };
      qc.setQueriesData<Pages>({ queryKey: keys.studio }, (data) =>
        data && {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            favourite_image_ids: on
              ? [...page.favourite_image_ids.filter((id) => id !== imageId), imageId]
              : page.favourite_image_ids.filter((id) => id !== imageId),
          })),
        },
      );
      // Other filters' pages (favourites only) are read again when next shown.
      void qc.invalidateQueries({ queryKey: keys.studio, refetchType: "none" });
    },
  );
}

// --- The library ---

export function useSearchLibraryByImage(k: number) {
  return useMutation({
    mutationFn: (file: File) => api.POST("/api/v1/library/search", { params: { query: { k } }, ...multipart(file) }),
  });
}

export function useAddReference() {
  return useApiMutation(
    (v: { file: File; title: string; tags: string }) =>
      api.POST("/api/v1/library/references", multipart(v.file, { title: v.title, source: "", tags: v.tags })),
    (qc, _, answer) => answer.data && invalidate(qc, keys.library),
  );
}

export function useRemoveReference() {
  return useApiMutation(
    (referenceId: string) =>
      api.DELETE("/api/v1/library/references/{reference_id}", { params: { path: { reference_id: referenceId } } }),
    (qc, _, answer) => answer.response.ok && invalidate(qc, keys.library),
  );
}

// --- Settings ---

export function useCreateApiKey() {
  return useApiMutation(
    (body: { name: string; scopes: ("read" | "generate")[] }) => api.POST("/api/v1/api-keys", { body }),
    (qc, _, answer) => answer.data && invalidate(qc, keys.apiKeys),
  );
}

export function useRevokeApiKey() {
  return useApiMutation(
    (keyId: string) => api.DELETE("/api/v1/api-keys/{key_id}", { params: { path: { key_id: keyId } } }),
    (qc, _, answer) => answer.response.ok && invalidate(qc, keys.apiKeys),
  );
}

export function useAddWebhook() {
  return useApiMutation(
    (body: { url: string; events: ("record.finished" | "record.failed" | "record.cancelled")[] }) =>
      api.POST("/api/v1/webhooks", { body: { ...body, description: "" } }),
    (qc, _, answer) => answer.data && invalidate(qc, keys.webhooks),
  );
}

export function useDeleteWebhook(webhookId: string) {
  return useApiMutation(
    () => api.DELETE("/api/v1/webhooks/{webhook_id}", { params: { path: { webhook_id: webhookId } } }),
    (qc, _, answer) => {
      if (!answer.response.ok) return;
      invalidate(qc, keys.webhooks);
      qc.removeQueries({ queryKey: keys.deliveries(webhookId) });
    },
  );
}

export function useTestWebhook(webhookId: string) {
  return useApiMutation(
    () => api.POST("/api/v1/webhooks/{webhook_id}/test", { params: { path: { webhook_id: webhookId } } }),
    (qc, _, answer) => {
      if (!answer.data) return;
      invalidate(qc, keys.deliveries(webhookId));
      // The delivery goes out in the background: look again once it has had time to.
      window.setTimeout(() => invalidate(qc, keys.deliveries(webhookId)), 1500);
    },
  );
}
