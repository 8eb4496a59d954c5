"use client";

// Where a record came from and what was made from it (refines and region edits), as a compact
// tree; and how close each design is to each input (the attribution the record stores).
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, GitBranch, ImageOff, Loader2, Square } from "lucide-react";
import { useFormatter } from "use-intl";
import { useTranslations } from "@/i18n/useTranslations";
import type { ImageOut } from "@/api/client";
import { lineageQuery } from "@/api/queries";
import type { LineageNodeOut, RecordOut } from "@/api/records";
import type { MessageKey } from "@/i18n/errors";

const KIND: Record<LineageNodeOut["kind"], MessageKey> = {
  generate: "lineage.generate",
  refine: "lineage.refine",
  edit: "lineage.edit",
};

/** A node's state in words; a ready one needs none (its thumbnail says it). */
const STATE: Record<Exclude<LineageNodeOut["state"], "ready">, MessageKey> = {
  running: "lineage.stateRunning",
  failed: "lineage.stateFailed",
  cancelled: "lineage.stateCancelled",
};

/** What stands in for the thumbnail of a record with no design to show. */
function NoThumbnail({ state }: { state: LineageNodeOut["state"] }) {
  const Icon = state === "running" ? Loader2 : state === "cancelled" ? Square : state === "failed" ? AlertTriangle : ImageOff;
  return (
    <span className="grid h-10 w-10 shrink-0 place-items-center rounded-md border border-line bg-stone-100 text-muted" aria-hidden>
      <Icon className={`h-4 w-4 ${state === "running" ? "animate-spin" : ""}`} />
    </span>
  );
}

export function Lineage({ record }: { record: RecordOut }) {
  const t = useTranslations();
  // Read again when the record finishes (its end invalidates it): its title (and maybe new
  // children) arrive by then; a refine or an edit started from it invalidates it too.
  const { data: lineage } = useQuery(lineageQuery(record.id));

  if (!lineage || (lineage.ancestors.length === 0 && lineage.descendants.length === 0)) return null;
  const children = new Map<string, LineageNodeOut[]>();
  for (const node of lineage.descendants) {
    const parent = node.parent?.record_id ?? "";
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  const chain = [...lineage.ancestors, lineage.record];

  function branch(node: LineageNodeOut, depth: number): React.ReactNode {
    const below = children.get(node.record_id) ?? [];
    return (
      <li key={node.record_id}>
        <Node node={node} current={node.record_id === record.id} />
        {below.length > 0 && depth < 12 && (
          <ul className="ml-5 mt-1 space-y-1 border-l border-line pl-3">{below.map((n) => branch(n, depth + 1))}</ul>
        )}
      </li>
    );
  }

  return (
    <section className="mt-10" aria-labelledby="lineage-title" data-testid="lineage">
      <h2 id="lineage-title" className="label flex items-center gap-1.5">
        <GitBranch className="h-3.5 w-3.5" aria-hidden /> {t("lineage.title")}
      </h2>
      <ul className="space-y-1">{branchChain(chain, (last) => branch(last, 0))}</ul>
    </section>
  );

  function branchChain(nodes: LineageNodeOut[], tail: (last: LineageNodeOut) => React.ReactNode): React.ReactNode {
    // Ancestors nest one level each, so the page reads as one path down to this record.
    const [first, ...rest] = nodes;
    if (rest.length === 0) return tail(first);
    return (
      <li key={first.record_id}>
        <Node node={first} current={false} />
        <ul className="ml-5 mt-1 space-y-1 border-l border-line pl-3">{branchChain(rest, tail)}</ul>
      </li>
    );
  }
}

function Node({ node, current }: { node: LineageNodeOut; current: boolean }) {
  const t = useTranslations();
  const label = node.title || node.keyword || t("record.untitled");
  const body = (
    <>
      {node.first_design_url ? (
        // eslint-disable-next-line @next/next/no-img-element
        <img src={node.first_design_url} alt="" className="h-10 w-10 shrink-0 rounded-md border border-line object-cover" />
      ) : (
        <NoThumbnail state={node.state} />
      )}
      <span className="min-w-0">
        <span className="block truncate text-sm" data-content="generated">
          {label}
        </span>
        <span className="block text-xs text-muted">
          {t(KIND[node.kind])}
          {node.parent && ` · ${t("lineage.fromDesign", { n: node.parent.position + 1 })}`}
          {node.state !== "ready" && (
            <span data-testid="lineage-state"> · {t(STATE[node.state])}</span>
          )}
          {current && ` · ${t("lineage.thisRecord")}`}
        </span>
      </span>
    </>
  );
  return current ? (
    <div className="flex items-center gap-2 rounded-lg bg-clay-50 p-1.5" data-testid="lineage-node" data-state={node.state} aria-current="page">
      {body}
    </div>
  ) : (
    <Link
      href={`/record/?id=${node.record_id}`}
      className="flex items-center gap-2 rounded-lg p-1.5 hover:bg-black/5"
      data-testid="lineage-node"
      data-state={node.state}
    >
      {body}
    </Link>
  );
}

/** Each design's cosine similarity to each input, and the near-copy flag against the library. */
export function Attribution({ record, inputs }: { record: RecordOut; inputs: (ImageOut | undefined)[] }) {
  const t = useTranslations();
  const format = useFormatter();
  const analysis = record.analysis as {
    design_input_similarity?: number[][];
    near_copy?: boolean[];
    design_library_max_similarity?: number[];
  };
  const rows = analysis.design_input_similarity;
  if (!rows || rows.length === 0) return null;
  const score = (value: number) => format.number(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return (
    <section className="mt-10" aria-labelledby="attribution-title" data-testid="attribution">
      <h2 id="attribution-title" className="label">
        {t("lineage.attribution")}
      </h2>
      <p className="mb-2 text-xs text-muted">{t("lineage.attributionHint")}</p>
      <div className="overflow-x-auto">
        <table className="text-sm">
          <thead>
            <tr>
              <th scope="col" className="pr-4 text-left font-medium text-muted">
                <span className="sr-only">{t("lineage.design")}</span>
              </th>
              {rows[0].map((_, i) => (
                <th key={i} scope="col" className="px-2 pb-1 font-medium">
                  {inputs[i] ? (
                    // eslint-disable-next-line @next/next/no-img-element
                    <img src={inputs[i]!.url} alt="" className="mx-auto mb-1 h-8 w-8 rounded object-cover" />
                  ) : null}
                  <span className="block text-xs">{t("lineage.input", { n: i + 1 })}</span>
                </th>
              ))}
              <th scope="col" className="px-2 pb-1 text-xs font-medium">
                {t("lineage.nearCopy")}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, d) => (
              <tr key={d} data-testid="attribution-row">
                <th scope="row" className="pr-4 text-left font-normal">
                  {t("record.design", { n: d + 1 })}
                </th>
                {row.map((value, i) => (
                  <td key={i} className="px-2 py-1 text-center font-mono text-xs" title={String(value)}>
                    {score(value)}
                  </td>
                ))}
                <td className="px-2 py-1 text-center text-xs">
                  {analysis.near_copy?.[d] ? (
                    <span className="inline-flex items-center gap-1 text-amber-800" data-testid="near-copy">
                      <AlertTriangle className="h-3.5 w-3.5" aria-hidden />
                      {t("lineage.nearCopyYes", {
                        score: score(analysis.design_library_max_similarity?.[d] ?? 0),
                      })}
                    </span>
                  ) : (
                    <span className="text-muted">{t("lineage.nearCopyNo")}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
