// Where the bearer token lives: localStorage when the user asked to stay signed in, otherwise
// sessionStorage (gone when the tab closes). Only this module touches either.
const KEY = "layerminder.token";

export function readToken(): string | null {
  if (typeof window === "undefined") return null;
  return window.sessionStorage.getItem(KEY) ?? window.localStorage.getItem(KEY);
}

export function writeToken(token: string, remember: boolean): void {
  clearToken();
  (remember ? window.localStorage : window.sessionStorage).setItem(KEY, token);
}

export function clearToken(): void {
  if (typeof window === "undefined") return;
  window.localStorage.removeItem(KEY);
  window.sessionStorage.removeItem(KEY);
}

/** Whether the stored token outlives the tab (so a replacement token is kept the same way). */
export function isRemembered(): boolean {
  if (typeof window === "undefined") return false;
  return window.localStorage.getItem(KEY) !== null;
}
