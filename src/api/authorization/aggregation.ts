/**
 * The rules an aggregated ClusterRole gets (pkg/controller/clusterroleaggregation/
 * clusterroleaggregation_controller.go, syncClusterRole): for each of its aggregationRule's
 * clusterRoleSelectors, the ClusterRoles the selector selects, by name, but itself, each rule not
 * already there (semantic equality), in order. The controller writes them; the bootstrap policy uses
 * the same function to store admin, edit and view as the controller leaves them.
 */
import { labelSelectorAsSelector, type Selector } from "../labels.ts";
import type { ClusterRole, PolicyRule } from "../types.gen.ts";

function sameList(x: readonly string[] | undefined, y: readonly string[] | undefined): boolean {
  if (x === y) return true;
  const n = x?.length ?? 0;
  if (n !== (y?.length ?? 0)) return false;
  for (let i = 0; i < n; i++) if (x![i] !== y![i]) return false;
  return true;
}

/** equality.Semantic.DeepEqual of two rules: nil and empty lists are equal. */
export function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return a === b || (sameList(a.verbs, b.verbs) && sameList(a.apiGroups, b.apiGroups) && sameList(a.resources, b.resources) && sameList(a.resourceNames, b.resourceNames) && sameList(a.nonResourceURLs, b.nonResourceURLs));
}

function byName(a: ClusterRole, b: ClusterRole): number {
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
}

/** The aggregated rules of `role` over `all` (every ClusterRole, any order). */
export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (const selector of role.aggregationRule?.clusterRoleSelectors ?? []) {
    let matches: Selector;
    try {
      matches = labelSelectorAsSelector(selector);
    } catch {
      continue; // an invalid selector selects nothing
    }
    const selected: ClusterRole[] = [];
    for (const r of all) if (matches.matches(r.metadata.labels ?? {})) selected.push(r);
    selected.sort(byName);
    for (const r of selected) {
      if (r.metadata.name === role.metadata.name) continue;
      for (const rule of r.rules ?? []) {
        let known = false;
        for (const x of rules) if (sameRule(x, rule)) { known = true; break; }
        if (!known) rules.push(rule);
      }
    }
  }
  return rules;
}

/** Whether two rule lists are semantically equal (nil and empty alike). */
export function sameRules(a: readonly PolicyRule[] | undefined, b: readonly PolicyRule[] | undefined): boolean {
  const n = a?.length ?? 0;
  if (n !== (b?.length ?? 0)) return false;
  for (let i = 0; i < n; i++) if (!sameRule(a![i]!, b![i]!)) return false;
  return true;
}
