// Spec sheet downloads: a record as PDF, JSON-LD or zip, a room as one zip. They need the login
// header, so they go through the typed client as blobs rather than plain links.
import { api } from "./client";

export type ExportFormat = "pdf" | "zip" | "json";

function filename(response: Response, fallback: string): string {
  const header = response.headers.get("content-disposition") ?? "";
  const exact = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (exact) return decodeURIComponent(exact[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain ? plain[1] : fallback;
}

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads the record's export; resolves to the error body when the API refuses. */
export async function downloadRecord(recordId: string, format: ExportFormat): Promise<unknown> {
  const { data, error, response } = await api.GET("/api/v1/records/{record_id}/export", {
    params: { path: { record_id: recordId }, query: { format } },
    parseAs: "blob",
  });
  if (error || !data) return error ?? {};
  save(data as Blob, filename(response, `record.${format === "json" ? "jsonld" : format}`));
  return null;
}

export async function downloadRoom(roomId: string): Promise<unknown> {
  const { data, error, response } = await api.GET("/api/v1/layerroom/{room_id}/export", {
    params: { path: { room_id: roomId } },
    parseAs: "blob",
  });
  if (error || !data) return error ?? {};
  save(data as Blob, filename(response, "room.zip"));
  return null;
}
