// The one way the browser talks to the API: openapi-fetch typed by the schema that
// openapi-typescript generated from the server's OpenAPI spec (web/openapi.json).
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { clearToken, readToken } from "@/lib/token";

export type Schemas = components["schemas"];
export type Me = Schemas["MeOut"];
export type Room = Schemas["RoomOut"];
export type ImageOut = Schemas["ImageOut"];
export type Pin = Schemas["PinOut"];
export type PublicRoom = Schemas["PublicRoomOut"];
export type ApiPath = keyof paths;

export const API_BASE = process.env.NEXT_PUBLIC_API_BASE ?? "";

/** Paths whose 401 means "wrong password", not "session expired". */
const ANONYMOUS = ["/api/v1/auth/login", "/api/v1/auth/signup", "/api/v1/public/"];

export function loginUrl(): string {
  const here = window.location.pathname + window.location.search;
  const next = here.startsWith("/login") || here.startsWith("/signup") ? "/" : here;
  return `/login/?next=${encodeURIComponent(next)}`;
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = readToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    const path = new URL(request.url).pathname;
    if (response.status === 401 && !ANONYMOUS.some((p) => path.startsWith(p))) {
      // The token expired or was revoked: drop it and bring the login back.
      clearToken();
      window.location.assign(loginUrl());
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: API_BASE });
api.use(auth);

export function errorCode(error: unknown): string | undefined {
  if (error && typeof error === "object" && "error" in error) {
    const code = (error as { error?: unknown }).error;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

/** An absolute URL for an API path (EventSource needs one; <img> takes the relative url). */
export function apiUrl(path: string): string {
  return `${API_BASE}${path}`;
}

/** A multipart request body for openapi-fetch: the file as "file", plus the non-empty text fields. */
export function multipart<F extends Record<string, string>>(file: File, fields: F = {} as F) {
  return {
    body: { file: file as unknown as string, ...fields },
    bodySerializer: () => {
      const form = new FormData();
      form.append("file", file, file.name);
      for (const [name, value] of Object.entries(fields)) if (value) form.append(name, value);
      return form;
    },
  };
}
