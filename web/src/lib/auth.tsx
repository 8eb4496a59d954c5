"use client";

// Who is signed in, and their credit balance (the header shows it; generation refreshes it).
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { api, loginUrl, type Me } from "@/api/client";
import { clearToken, readToken, writeToken } from "@/lib/token";

interface AuthState {
  /** undefined while the stored token is being checked; null when signed out. */
  me: Me | null | undefined;
  signIn: (token: string, me: Me, remember: boolean) => void;
  signOut: () => void;
  refresh: () => Promise<void>;
  /** Take a fresher copy of the account the API returned (after PATCH /auth/me). */
  replace: (me: Me) => void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: React.ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    if (!readToken()) {
      setMe(null);
      return;
    }
    const { data } = await api.GET("/api/v1/auth/me");
    setMe(data ?? null);
  }, []);

  useEffect(() => {
    // The token lives in browser storage, readable only after hydration (a static export has no
    // server to ask), so "signed out" can only be learned here; the signed-in path sets state
    // after its fetch's await.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void refresh();
  }, [refresh]);

  const value = useMemo<AuthState>(
    () => ({
      me,
      refresh,
      replace: setMe,
      signIn(token, user, remember) {
        writeToken(token, remember);
        setMe(user);
      },
      signOut() {
        clearToken();
        setMe(null);
      },
    }),
    [me, refresh],
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
