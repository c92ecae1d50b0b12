/**
 * Label selectors as apimachinery evaluates them (private until src/api/labels.ts lands):
 * metav1.LabelSelector (matchLabels + matchExpressions In/NotIn/Exists/DoesNotExist) and
 * NodeSelectorRequirement (adds Gt/Lt on integer label values).
 */
import type { LabelSelector, NodeSelectorTerm } from "../../api/types.gen.ts";
export type Labels = Readonly<Record<string, string>>;
export type Matcher = (labels: Labels) => boolean;

export interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

const NOTHING: Matcher = () => false;
const EVERYTHING: Matcher = () => true;

function parseInt64(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** One requirement; unknown operators throw (callers treat that as "does not match"). */
export function requirementMatcher(r: Requirement, allowGtLt: boolean): Matcher {
  const key = r.key;
  const values = r.values ?? [];
  switch (r.operator) {
    case "In": {
      if (values.length === 1) {
        const v = values[0];
        return (l) => l[key] === v;
      }
      const set = new Set(values);
      return (l) => key in l && set.has(l[key]);
    }
    case "NotIn": {
      const set = new Set(values);
      return (l) => !(key in l) || !set.has(l[key]);
    }
    case "Exists":
      return (l) => key in l;
    case "DoesNotExist":
      return (l) => !(key in l);
    case "Gt":
    case "Lt": {
      if (!allowGtLt) throw new Error(`${JSON.stringify(r.operator)} is not a valid label selector operator`);
      if (values.length !== 1) throw new Error(`for 'Gt', 'Lt' operators, exactly one value is required`);
      const bound = parseInt64(values[0]);
      if (bound === undefined) throw new Error(`for 'Gt', 'Lt' operators, the value must be an integer`);
      const gt = r.operator === "Gt";
      return (l) => {
        if (!(key in l)) return false;
        const n = parseInt64(l[key]);
        if (n === undefined) return false;
        return gt ? n > bound : n < bound;
      };
    }
    default:
      throw new Error(`${JSON.stringify(r.operator)} is not a valid pod selector operator`);
  }
}

function and(ms: Matcher[]): Matcher {
  if (ms.length === 0) return EVERYTHING;
  if (ms.length === 1) return ms[0];
  return (l) => {
    for (const m of ms) if (!m(l)) return false;
    return true;
  };
}

/**
 * metav1.LabelSelectorAsSelector: nil → matches nothing; {} → everything; otherwise matchLabels
 * and matchExpressions ANDed.
 */
export function labelSelectorMatcher(sel: LabelSelector | null | undefined): Matcher {
  if (sel === undefined || sel === null) return NOTHING;
  const parts: Matcher[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push((l) => l[k] === v);
  for (const e of sel.matchExpressions ?? []) parts.push(requirementMatcher(e, false));
  return and(parts);
}

/** A map selector (nodeSelector, Service selector): every key must be present with that value. */
export function mapSelectorMatcher(sel: Record<string, string> | undefined): Matcher {
  const entries = Object.entries(sel ?? {});
  if (entries.length === 0) return EVERYTHING;
  return (l) => {
    for (const [k, v] of entries) if (l[k] !== v) return false;
    return true;
  };
}

/** A node's view for NodeSelectorTerms: labels and the fields matchFields may use. */
export interface NodeView {
  name: string;
  labels: Labels;
}

/**
 * NodeSelector (component-helpers nodeaffinity.NewNodeSelector): terms ORed; a term ANDs its
 * matchExpressions and matchFields; an empty term matches nothing; a term that fails to parse
 * matches nothing (lazy errors).
 */
export function nodeSelectorTermsMatcher(terms: NodeSelectorTerm[] | undefined): (n: NodeView) => boolean {
  const compiled: Array<(n: NodeView) => boolean> = [];
  for (const t of terms ?? []) {
    const c = nodeSelectorTermMatcher(t);
    if (c) compiled.push(c);
  }
  if (compiled.length === 0) return () => false;
  if (compiled.length === 1) return compiled[0];
  return (n) => {
    for (const c of compiled) if (c(n)) return true;
    return false;
  };
}

/** One term, or undefined when it is empty or cannot be parsed (it then matches nothing). */
export function nodeSelectorTermMatcher(term: NodeSelectorTerm | undefined): ((n: NodeView) => boolean) | undefined {
  const exprs = term?.matchExpressions ?? [];
  const fields = term?.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return undefined;
  try {
    const labelM = and(exprs.map((e: Requirement) => requirementMatcher(e, true)));
    const fieldMs = fields.map((f: Requirement) => {
      if (f.key !== "metadata.name") throw new Error(`${f.key} is not a valid field selector key`);
      if (f.operator !== "In" && f.operator !== "NotIn") throw new Error(`${f.operator} is not a valid field selector operator`);
      if ((f.values ?? []).length !== 1) throw new Error("must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
      const m = requirementMatcher(f, false);
      return (n: NodeView) => m({ "metadata.name": n.name });
    });
    return (n) => {
      if (!labelM(n.labels)) return false;
      for (const f of fieldMs) if (!f(n)) return false;
      return true;
    };
  } catch {
    return undefined;
  }
}
