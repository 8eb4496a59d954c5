"use client";

// A curated furniture style beside the free keyword (GET /api/v1/styles): the two combine.
import { useQuery } from "@tanstack/react-query";
import { useLocale } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import type { Schemas } from "@/api/client";
import { stylesQuery } from "@/api/queries";

type StyleOut = Schemas["StyleOut"];

/** The curated styles (read once; none until they have come). */
export function useStyles(): StyleOut[] {
  return useQuery(stylesQuery).data ?? NO_STYLES;
}
const NO_STYLES: StyleOut[] = [];

/** A style's name in the page's language. */
export function useStyleName() {
  const locale = useLocale();
  return (style: StyleOut) => (locale === "ko" ? style.name_ko : style.name);
}

export function StylePicker({
  value,
  onChange,
  disabled,
}: {
  value: string | null;
  onChange: (style: string | null) => void;
  disabled?: boolean;
}) {
  const t = useTranslations();
  const locale = useLocale();
  const styles = useStyles();
  const name = useStyleName();
  const chosen = styles.find((s) => s.id === value);
  return (
    <div className="sm:w-60">
      <label htmlFor="style" className="label">
        {t("brief.style")} <span className="normal-case tracking-normal">{t("common.optional")}</span>
      </label>
      <div className="flex items-center gap-2">
        {chosen && (
          // eslint-disable-next-line @next/next/no-img-element
          <img src={chosen.preview_url} alt="" className="h-9 w-9 shrink-0 rounded-md border border-line object-cover" />
        )}
        <select
          id="style"
          className="field select-field"
          value={value ?? ""}
          disabled={disabled || styles.length === 0}
          onChange={(e) => onChange(e.target.value || null)}
          aria-describedby={chosen ? "style-description" : undefined}
        >
          <option value="">{t("brief.noStyle")}</option>
          {styles.map((s) => (
            <option key={s.id} value={s.id}>
              {name(s)}
            </option>
          ))}
        </select>
      </div>
      {chosen && (
        <p id="style-description" className="mt-1 text-xs text-muted" data-testid="style-description">
          {locale === "ko" ? chosen.description_ko : chosen.description}
        </p>
      )}
    </div>
  );
}
