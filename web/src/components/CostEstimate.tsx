"use client";

// Next to Generate when the OpenAI provider is on (issue 30): what the brief will cost, and the
// explicit choice of live previews, which with OpenAI cost a streamed call per design.
import { useQuery } from "@tanstack/react-query";
import { unwrap } from "@/api/queries";
import { getEstimate } from "@/api/records";
import { useMarkupWords, useUsd } from "@/i18n/content";

/** `previews`: null until the designer chooses (the server's default then applies). */
export function CostEstimate({
  inputImages,
  previews,
  onPreviews,
  disabled,
}: {
  inputImages: number;
  previews: boolean | null;
  onPreviews: (on: boolean) => void;
  disabled: boolean;
}) {
  const words = useMarkupWords();
  const usd = useUsd();
  const count = Math.min(4, Math.max(1, inputImages));
  const { data: estimate } = useQuery({
    queryKey: ["estimate", count],
    queryFn: () => unwrap(getEstimate(count, "designs")),
    staleTime: 5 * 60_000,
  });
  // Offline generation is free: nothing to weigh, so nothing is shown.
  if (!estimate || estimate.provider !== "openai") return null;
  const streamed = estimate.with_previews;
  const on = streamed !== null && streamed !== undefined && (previews ?? estimate.previews_default);
  const chosen = on ? streamed : estimate.without_previews;
  const extra =
    streamed?.usd != null && estimate.without_previews.usd != null
      ? usd(streamed.usd - estimate.without_previews.usd)
      : null;
  return (
    <div className="flex flex-col gap-1 text-xs text-muted" data-testid="cost-estimate">
      <span
        title={estimate.prices_checked ? words.estimateNote(estimate.prices_checked) : undefined}
        data-testid="cost-estimate-usd"
      >
        {chosen.usd != null ? words.estimate(usd(chosen.usd)) : words.estimateUnknown}
        {estimate.model ? ` · ${estimate.model}` : ""}
      </span>
      {streamed && (
        <label className="flex items-center gap-1.5">
          <input
            type="checkbox"
            checked={on}
            disabled={disabled}
            onChange={(e) => onPreviews(e.target.checked)}
            data-testid="previews-choice"
          />
          {extra ? words.previews(extra) : words.previewsFree}
        </label>
      )}
    </div>
  );
}
