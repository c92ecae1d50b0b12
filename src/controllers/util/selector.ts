/** LabelSelector helpers for the controllers, over src/api/labels.ts. */
import { labelSelectorAsSelector, labelSelectorMatches, type LabelSelector, type Selector } from "../../api/labels.ts";

export type { LabelSelector };

/** Parsed selectors of stored (frozen, so unchanging) objects. */
const parsed = new WeakMap<object, Selector | null>();

/** Whether labels match a LabelSelector (nil matches nothing, empty everything; invalid nothing). */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!selector || !Object.isFrozen(selector)) return labelSelectorMatches(selector, labels);
  let sel = parsed.get(selector);
  if (sel === undefined) {
    try {
      sel = labelSelectorAsSelector(selector);
    } catch {
      sel = null;
    }
    parsed.set(selector, sel);
  }
  return sel ? sel.matches(labels) : false;
}

/** The selector in kubectl's text form (`app=web,tier in (a,b)`), as `kubectl describe` prints it. */
export function selectorString(selector: LabelSelector | undefined | null): string {
  if (!selector) return "<none>";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const r of selector.matchExpressions ?? []) {
    const vals = [...(r.values ?? [])].sort().join(",");
    if (r.operator === "In") parts.push(`${r.key} in (${vals})`);
    else if (r.operator === "NotIn") parts.push(`${r.key} notin (${vals})`);
    else if (r.operator === "Exists") parts.push(r.key);
    else parts.push(`!${r.key}`);
  }
  return parts.length ? parts.sort().join(",") : "<none>";
}
