// Signed image URLs are minted afresh in every API response (each carries its own expiry), so
// the same image arrives under a new URL with every SSE event and every list refresh. Keeping
// the first URL seen per image (well inside its 6-hour life) lets the browser cache hold and
// stops designs from flickering as the record streams in.
const MAX_AGE_MS = 60 * 60 * 1000;
const seen = new Map<string, { url: string; at: number }>();

export function stableUrl(imageId: string, url: string): string {
  const now = Date.now();
  const hit = seen.get(imageId);
  if (hit && now - hit.at < MAX_AGE_MS) return hit.url;
  seen.set(imageId, { url, at: now });
  return url;
}
