"use client";

// Dates and times in the reader's language through Intl (use-intl's formatter).
import { useFormatter, useNow } from "use-intl";

export function useDates() {
  const format = useFormatter();
  // Relative times ("3 minutes ago", "3분 전") move on by themselves while a page stays open.
  const now = useNow({ updateInterval: 60_000 });
  return {
    /** "29 Nov 2026, 14:05" / "2026. 11. 29. 오후 2:05" */
    date: (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" }),
    /** "3 minutes ago" / "3분 전" */
    relative: (iso: string) => format.relativeTime(new Date(iso), now),
  };
}
