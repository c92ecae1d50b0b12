/**
 * match.CheckSelector (github.com/kyverno/kyverno at v1.14.5, pkg/utils/match): a label selector
 * whose matchLabels may hold wildcards (`app: "web-*"`, `"team*": "*"`): wildcards.ReplaceInSelector
 * puts the resource's matching key and value in their place (a wildcard that matches nothing
 * becomes its text with `*` and `?` as `0`), then the selector is metav1.LabelSelectorAsSelector's.
 */
import { labelSelectorAsSelector, type LabelSelector } from "../../../api/labels.ts";
import { containsWildcard, wildcardMatch } from "./pattern.ts";

export type LabelSelectorLike = LabelSelector;

/** A predicate over labels, or the selector's parse error. */
export function parseSelector(sel: LabelSelectorLike, resourceLabels: Record<string, string>): ((labels: Record<string, string>) => boolean) | Error {
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (!containsWildcard(k) && !containsWildcard(v)) {
      matchLabels[k] = v;
      continue;
    }
    // expandWildcards: the first resource label (in key order) matching both.
    const hit = Object.keys(resourceLabels)
      .sort()
      .find((k1) => wildcardMatch(k, k1) && wildcardMatch(v, resourceLabels[k1]!));
    if (hit !== undefined) matchLabels[hit] = resourceLabels[hit]!;
    else matchLabels[k.replace(/[*?]/g, "0")] = v.replace(/[*?]/g, "0");
  }
  try {
    const s = labelSelectorAsSelector({ ...sel, matchLabels });
    return (labels) => s.matches(labels);
  } catch (e) {
    return e as Error;
  }
}
