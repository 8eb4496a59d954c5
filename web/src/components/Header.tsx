"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Coins, Layers, LibraryBig, LogOut } from "lucide-react";
import { useAuth } from "@/lib/auth";

export function Header() {
  const { me, signOut } = useAuth();
  const router = useRouter();
  return (
    <header className="sticky top-0 z-30 border-b border-line bg-paper/90 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-serif text-lg tracking-tight">
          <span className="grid h-8 w-8 place-items-center rounded-lg bg-ink text-paper">
            <Layers className="h-4 w-4" aria-hidden />
          </span>
          <span>LayerMinder</span>
        </Link>
        <nav aria-label="Main" className="ml-1 sm:ml-4">
          {me && (
            <div className="flex items-center gap-4">
              {/* On a phone the logo leads to the rooms; the library keeps an icon. */}
              <Link href="/" className="hidden text-sm text-muted hover:text-ink sm:inline">
                Rooms
              </Link>
              <Link
                href="/library/"
                className="inline-flex items-center gap-1.5 rounded-lg p-1.5 text-sm text-muted hover:text-ink sm:p-0"
              >
                <LibraryBig className="h-4 w-4 sm:hidden" aria-hidden />
                <span className="sr-only sm:not-sr-only">Library</span>
              </Link>
            </div>
          )}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          {me ? (
            <>
              <CreditBadge credits={me.credits} cost={me.generation_cost} />
              <span className="hidden max-w-48 truncate text-sm text-muted md:inline" title={me.email}>
                {me.email}
              </span>
              <button
                type="button"
                className="btn-ghost px-2"
                onClick={() => {
                  signOut();
                  router.push("/login/");
                }}
              >
                <LogOut className="h-4 w-4" aria-hidden />
                <span className="sr-only sm:not-sr-only">Sign out</span>
              </button>
            </>
          ) : me === null ? (
            <>
              <Link href="/login/" className="btn-ghost">
                Sign in
              </Link>
              <Link href="/signup/" className="btn-primary">
                Create account
              </Link>
            </>
          ) : null}
        </div>
      </div>
    </header>
  );
}

export function CreditBadge({ credits, cost = 1 }: { credits: number; cost?: number }) {
  const empty = credits < cost;
  return (
    <span
      data-testid="credit-balance"
      data-credits={credits}
      title={empty ? "No credits left" : `Each generation costs ${cost} credit${cost === 1 ? "" : "s"}`}
      className={`inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-sm font-medium tabular-nums ${
        empty ? "border-red-200 bg-red-50 text-red-700" : "border-line bg-white text-ink"
      }`}
    >
      <Coins className="h-4 w-4" aria-hidden />
      <span>
        {credits} <span className="sr-only sm:not-sr-only">{credits === 1 ? "credit" : "credits"}</span>
      </span>
    </span>
  );
}
