"use client";

// Error messages a designer reads: chosen by the API's error code (`{"error", "detail"}`), so
// the English `detail` stays for developers and the sentence comes from the catalogue.
import { useCallback } from "react";
import { type MessageKeys, type Messages, type NestedKeyOf } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import { errorCode } from "@/api/client";
import { ApiError } from "@/api/queries";

export type MessageKey = MessageKeys<Messages, NestedKeyOf<Messages>>;

/** Every error code the API answers with that a screen may show. */
const BY_CODE: Record<string, MessageKey> = {
  AddressNotAllowed: "errors.AddressNotAllowed",
  AdminRequired: "errors.AdminRequired",
  ClipModelMissing: "errors.ClipModelMissing",
  Conflict: "errors.Conflict",
  EmailTaken: "errors.EmailTaken",
  HostNotFound: "errors.HostNotFound",
  ImageTooLarge: "errors.ImageTooLarge",
  InsufficientCredits: "errors.InsufficientCredits",
  InsufficientScope: "errors.InsufficientScope",
  InvalidCredentials: "errors.InvalidCredentials",
  InvalidImage: "errors.InvalidImage",
  InvalidMask: "errors.InvalidMask",
  InvalidRequest: "errors.InvalidRequest",
  InviteRequired: "errors.InviteRequired",
  LoginRequired: "errors.LoginRequired",
  NotAuthenticated: "errors.NotAuthenticated",
  NotFound: "errors.NotFound",
  RateLimited: "errors.RateLimited",
  ServiceUnavailable: "errors.ServiceUnavailable",
  SignupClosed: "errors.SignupClosed",
  ValidationError: "errors.ValidationError",
  WrongPassword: "errors.WrongPassword",
};

/**
 * `(error, fallback, overrides?, values?) => sentence`: an override for the code if this screen has a
 * better sentence, else the catalogue's sentence for the code, else this screen's fallback.
 */
export function useErrorText() {
  const t = useTranslations();
  return useCallback(
    (
      error: unknown,
      fallback: MessageKey = "errors.generic",
      overrides: Record<string, MessageKey> = {},
      values: Record<string, string | number> = {},
    ) => {
      // A failed query throws an ApiError; its body is the API's answer.
      const code = errorCode(error instanceof ApiError ? error.body : error);
      const key = code ? (overrides[code] ?? BY_CODE[code] ?? fallback) : fallback;
      return t(key, values);
    },
    [t],
  );
}
