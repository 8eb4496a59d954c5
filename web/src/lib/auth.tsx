"use client";

// Who is signed in, and their credit balance (the header shows it; generation refreshes it).
// The account is a query (src/api/queries.ts): signing in or out writes it, a refresh reads it.
import { createContext, useCallback, useContext, useEffect, useMemo } from "react";
import { useRouter } from "next/navigation";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { loginUrl, type Me } from "@/api/client";
import { keys, meQuery } from "@/api/queries";
import { clearToken, writeToken } from "@/lib/token";

interface AuthState {
  /** undefined while the stored token is being checked; null when signed out. */
  me: Me | null | undefined;
  signIn: (token: string, me: Me, remember: boolean) => void;
  signOut: () => void;
  refresh: () => Promise<void>;
  /** Take a fresher copy of the account the API returned (after PATCH /auth/me). */
  replace: (me: Me) => void;
}

/** Queries whose answers are the same for everyone. */
const SHARED = new Set<string>([keys.me[0], keys.authConfig[0], keys.styles[0]]);

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: React.ReactNode }) {
  const qc = useQueryClient();
  // The token lives in browser storage, readable only after hydration (a static export has no
  // server to ask): the query runs in the browser only.
  const { data: me } = useQuery(meQuery);

  const refresh = useCallback(() => qc.invalidateQueries({ queryKey: keys.me }), [qc]);
  const replace = useCallback((user: Me) => qc.setQueryData(keys.me, user), [qc]);
  // Another account's data must not show from the cache: forgotten when someone else signs in
  // (not on signing out, while the page that held it may still read it once more).
  const forgetOthers = useCallback(
    () => qc.removeQueries({ predicate: (query) => !SHARED.has(query.queryKey[0] as string) }),
    [qc],
  );

  const value = useMemo<AuthState>(
    () => ({
      me,
      refresh,
      replace,
      signIn(token, user, remember) {
        writeToken(token, remember);
        if (me?.id !== user.id) forgetOthers();
        replace(user);
      },
      signOut() {
        clearToken();
        qc.setQueryData(keys.me, null);
      },
    }),
    [me, refresh, replace, forgetOthers, qc],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth outside AuthProvider");
  return state;
}

/** For pages that need an account: sends a signed-out visitor to the login page. */
export function useRequireAuth(): Me | null | undefined {
  const { me } = useAuth();
  const router = useRouter();
  useEffect(() => {
    if (me === null) router.replace(loginUrl());
  }, [me, router]);
  return me;
}
