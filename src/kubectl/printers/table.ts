/**
 * kubectl's human-readable printer (cli-runtime printers.HumanReadablePrinter over a server Table):
 * headers upper-cased, priority-1 columns only with -o wide, NAMESPACE first with -A, `kind/name`
 * when several kinds are printed, `-L` label columns and `--show-labels` at the end.
 */
import type { ResourceType } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import { formatLabels, tableHandlerFor } from "./tablegen.ts";
import { resourceName } from "./index.ts";

export interface TableOptions {
  wide?: boolean;
  noHeaders?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  /** Adds the NAMESPACE column (-A). */
  withNamespace?: boolean;
  /** Prefixes names with `kind[.group]/` (several resource types in one get). */
  withKind?: boolean;
}

/** The rows (header first, unless noHeaders) of one resource type's block. */
export function tableRows(r: ResourceType, objs: KObject[], nowMs: number, opts: TableOptions = {}): string[][] {
  const h = tableHandlerFor(r);
  const shown = h.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.priority === 0 || opts.wide);
  const nameIndex = h.columns.findIndex((c) => c.name === "Name" && c.priority === 0);
  const labelCols = (opts.labelColumns ?? []).flatMap((l) => l.split(",")).map((l) => l.trim()).filter(Boolean);
  const rows: string[][] = [];
  if (!opts.noHeaders) {
    const header = shown.map(({ c }) => c.name.toUpperCase());
    for (const l of labelCols) header.push(l.split("/").pop()!.toUpperCase());
    if (opts.showLabels) header.push("LABELS");
    if (opts.withNamespace && r.namespaced) header.unshift("NAMESPACE");
    rows.push(header);
  }
  for (const o of objs) {
    const cells = h.row(o, nowMs);
    const row = shown.map(({ i }) => (i === nameIndex && opts.withKind ? resourceName(r, cells[i]) : cells[i]));
    for (const l of labelCols) row.push(o.metadata.labels?.[l] ?? "");
    if (opts.showLabels) row.push(formatLabels(o.metadata.labels));
    if (opts.withNamespace && r.namespaced) row.unshift(o.metadata.namespace ?? "");
    rows.push(row);
  }
  return rows;
}
