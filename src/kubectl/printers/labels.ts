/**
 * How kubectl prints labels and label selectors: labels.FormatLabels
 * (k8s.io/apimachinery/pkg/labels/labels.go) and metav1.FormatLabelSelector
 * (k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go). Shared by the table handlers (tablegen.ts,
 * kinds.ts) and describe, so neither imports the other for them.
 */
import type { LabelSelector } from "../../api/types.gen.ts";

/**
 * labels.FormatLabels (Set.String): the `k=v` strings sorted as strings, joined by commas, `<none>`
 * when empty. Sorting the pairs, not the keys, puts `a-b=x` and `a.b=x` before `a=x` ('-' and '.'
 * sort before '=').
 */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (pairs.length === 0) return "<none>";
  return pairs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(",");
}

/** metav1.FormatLabelSelector: requirements sorted by key, `<none>` when empty. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  if (!sel) return "<none>";
  const reqs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(",");
    switch (e.operator) {
      case "In":
        reqs.push([e.key, `${e.key} in (${values})`]);
        break;
      case "NotIn":
        reqs.push([e.key, `${e.key} notin (${values})`]);
        break;
      case "Exists":
        reqs.push([e.key, e.key]);
        break;
      case "DoesNotExist":
        reqs.push([e.key, `!${e.key}`]);
        break;
      default:
        return "<error>";
    }
  }
  if (reqs.length === 0) return "<none>";
  return reqs
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((r) => r[1])
    .join(",");
}
