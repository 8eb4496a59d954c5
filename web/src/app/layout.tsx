import type { Viewport } from "next";
import { AuthProvider } from "@/lib/auth";
import { I18nProvider } from "@/i18n/I18nProvider";
import { SkipLink } from "@/components/SkipLink";
import { ToastProvider } from "@/components/Toast";
import { QueryProvider } from "./providers";
// Pretendard (a Korean typeface, OFL) from npm: its subsets are bundled into the export and
// the browser loads only those a page's characters need; nothing comes from a font service.
import "pretendard/dist/web/variable/pretendardvariable-dynamic-subset.css";
import "./globals.css";

// No static <title>: the tab's title and <html lang> follow the reader's language, which only
// the client knows (I18nProvider, useDocumentTitle); Next would otherwise put its own back.
export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#f7f5f1",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen">
        <QueryProvider>
          <AuthProvider>
            <I18nProvider>
              <SkipLink />
              <ToastProvider>{children}</ToastProvider>
            </I18nProvider>
          </AuthProvider>
        </QueryProvider>
      </body>
    </html>
  );
}
