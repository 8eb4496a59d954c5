// Keys of t(key) are checked against the English catalogue at build time (tsc): a key that is
// missing there fails `next build`; tests/web/test_messages.py keeps ko.json in step with it.
import type en from "./messages/en.json";
import type { Locale } from "./locale";

declare module "use-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof en;
  }
}
