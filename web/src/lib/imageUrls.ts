// Signed image URLs are stable within the server's signing window, but a record that streams
// across a window edge would get new URLs for the same images mid-view. Keeping the first URL
// seen per image (for an hour, well inside its validity of at least 6) keeps the browser cache
// and stops designs from reloading as the record streams in.
const MAX_AGE_MS = 60 * 60 * 1000;
const seen = new Map<string, { url: string; at: number }>();

export function stableUrl(imageId: string, url: string): string {
  const now = Date.now();
  const hit = seen.get(imageId);
  if (hit && now - hit.at < MAX_AGE_MS) return hit.url;
  seen.set(imageId, { url, at: now });
  return url;
}
