"use client";

// The one QueryClient of the studio (src/api/queries.ts has its keys), around everything else.
import { useState } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";

export function QueryProvider({ children }: { children: React.ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            // As the hand-written loaders did: read on opening a page, again when a mutation
            // says so; no retries (a 404 is an answer) and no reads on focus or reconnect.
            retry: false,
            refetchOnWindowFocus: false,
            refetchOnReconnect: false,
          },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
