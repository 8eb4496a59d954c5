// Generation and records: start a generation, read records, follow a record's SSE stream.
import { api, apiUrl, type ApiPath, type Schemas } from "./client";
import { readToken } from "@/lib/token";
import type { Locale } from "@/i18n/locale";

export type RecordOut = Schemas["RecordOut"];
export type DesignOut = Schemas["DesignOut"];
export type RecommendationOut = Schemas["RecommendationOut"];
/** pending | processing | ready | error, as the server's StageStatus enum declares it. */
export type StageStatus = Schemas["StageStatus"];

export async function startGeneration(
  roomId: string,
  imageIds: string[],
  keyword: string,
  /** The story's language: the one the studio is showing, so a reader gets what they read. */
  language: Locale,
  idempotencyKey: string,
) {
  return api.POST("/api/v1/generate", {
    params: { header: { "idempotency-key": idempotencyKey } },
    body: { session_id: roomId, input_image_ids: imageIds, keyword: keyword.trim() || null, language },
  });
}

export function getRecord(id: string) {
  return api.GET("/api/v1/records/{record_id}", { params: { path: { record_id: id } } });
}

export function listRecords(roomId: string, limit: number, offset: number) {
  return api.GET("/api/v1/sessions/{room_id}/records", {
    params: { path: { room_id: roomId }, query: { limit, offset } },
  });
}

export const STREAM_EVENTS = ["state", "images", "story", "keywords", "recommendation"] as const;

// EventSource cannot go through openapi-fetch (nor send headers); the path is still checked
// against the generated schema, so a renamed route fails the type check.
const STREAM_PATH: ApiPath = "/api/v1/records/{record_id}/stream";

export function streamUrl(recordId: string): string {
  const token = readToken() ?? "";
  const path = STREAM_PATH.replace("{record_id}", encodeURIComponent(recordId));
  return apiUrl(`${path}?access_token=${encodeURIComponent(token)}`);
}
