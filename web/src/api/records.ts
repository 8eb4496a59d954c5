// Generation and records: start a generation, read records, follow a record's SSE stream.
import { api, apiUrl, type ApiPath, type Schemas } from "./client";
import type { Locale } from "@/i18n/locale";

export type RecordOut = Schemas["RecordOut"];
export type DesignOut = Schemas["DesignOut"];
/** A design that is made: its image is there (while the images stage runs, others are not). */
export type ReadyDesign = DesignOut & { image_id: string; url: string; width: number; height: number };

export function isReady(design: DesignOut | undefined): design is ReadyDesign {
  return !!design && design.status === "ready" && !!design.image_id && !!design.url;
}

/** The record's made designs in position order (all 4 once the images stage is ready). */
export function readyDesigns(record: RecordOut): ReadyDesign[] {
  return record.designs.filter(isReady).sort((a, b) => a.position - b.position);
}
export type RecommendationOut = Schemas["RecommendationOut"];
/** pending | processing | ready | error | cancelled, as the server's StageStatus enum declares it. */
export type StageStatus = Schemas["StageStatus"];

export type InputIn = Schemas["InputIn"];

export async function startGeneration(
  roomId: string,
  /** The brief's references in order, each with its role and strength. */
  inputs: InputIn[],
  keyword: string,
  /** A curated style id (GET /api/v1/styles), or none. */
  style: string | null,
  /** The story's language: the one the studio is showing, so a reader gets what they read. */
  language: Locale,
  idempotencyKey: string,
  /** Live previews: with OpenAI they cost more (GET /generate/estimate); null: the server's choice. */
  previews: boolean | null = null,
) {
  return api.POST("/api/v1/generate", {
    params: { header: { "idempotency-key": idempotencyKey } },
    body: { session_id: roomId, inputs, keyword: keyword.trim() || null, style, language, previews },
  });
}

export type CostEstimateOut = Schemas["CostEstimateOut"];

/** What a brief of `inputImages` references (or an edit) costs with the server's providers. */
export function getEstimate(inputImages: number, kind: "designs" | "edit") {
  return api.GET("/api/v1/generate/estimate", {
    params: { query: { input_images: inputImages, kind } },
  });
}

export type LineageOut = Schemas["LineageOut"];
export type LineageNodeOut = Schemas["LineageNodeOut"];

/** Refine one design: it becomes the first input of a new record in the same room. */
export async function startRefine(
  parent: { recordId: string; position: number },
  keyword: string,
  language: Locale,
  idempotencyKey: string,
) {
  return api.POST("/api/v1/generate", {
    params: { header: { "idempotency-key": idempotencyKey } },
    body: {
      parent: { record_id: parent.recordId, position: parent.position },
      keyword: keyword.trim() || null,
      language,
    },
  });
}

/** Repaint one image where a mask (purpose "mask": its transparent pixels) or a markup
 * (purpose "markup": a transparent PNG of strokes and notes, its size) says, both uploaded. */
export async function startEdit(
  edit: { imageId: string; prompt: string } & ({ maskImageId: string } | { markupImageId: string }),
  keyword: string | null,
  language: Locale,
  idempotencyKey: string,
) {
  const guide =
    "maskImageId" in edit
      ? { mask_image_id: edit.maskImageId }
      : { markup_image_id: edit.markupImageId };
  return api.POST("/api/v1/generate", {
    params: { header: { "idempotency-key": idempotencyKey } },
    body: { edit: { image_id: edit.imageId, prompt: edit.prompt, ...guide }, keyword, language },
  });
}

export function getLineage(id: string) {
  return api.GET("/api/v1/records/{record_id}/lineage", { params: { path: { record_id: id } } });
}

export function getRecord(id: string) {
  return api.GET("/api/v1/records/{record_id}", { params: { path: { record_id: id } } });
}

export function listRecords(roomId: string, limit: number, offset: number) {
  return api.GET("/api/v1/sessions/{room_id}/records", {
    params: { path: { room_id: roomId }, query: { limit, offset } },
  });
}

// `preview` events carry `{position, url, step, of}` and the full record (as `record`).
export const STREAM_EVENTS = ["state", "images", "story", "keywords", "recommendation", "preview"] as const;

// EventSource cannot send headers, and the login token must never go into a URL (access logs,
// proxies, history keep URLs): ask for a short-lived ticket valid for this record's stream only.
// The stream's path is still checked against the generated schema.
const STREAM_PATH: ApiPath = "/api/v1/records/{record_id}/stream";

export async function streamUrl(recordId: string): Promise<string | null> {
  const { data } = await api.POST("/api/v1/records/{record_id}/stream-ticket", {
    params: { path: { record_id: recordId } },
  });
  if (!data) return null;
  const path = STREAM_PATH.replace("{record_id}", encodeURIComponent(recordId));
  return apiUrl(`${path}?ticket=${encodeURIComponent(data.ticket)}`);
}

/** Stop a waiting or running record (its open stages become "cancelled"). */
export function cancelRecord(id: string) {
  return api.POST("/api/v1/records/{record_id}/cancel", { params: { path: { record_id: id } } });
}

/** Run a failed or cancelled record's unfinished stages again; costs `retry_cost` credits. */
export function retryRecord(id: string, idempotencyKey: string) {
  return api.POST("/api/v1/records/{record_id}/retry", {
    params: { path: { record_id: id }, header: { "idempotency-key": idempotencyKey } },
  });
}
