/**
 * RBAC as kubectl prints it (staging/src/k8s.io/kubectl/pkg/util/rbac: BreakdownRule, CompactRules,
 * SortableRuleSlice; pkg/describe: CombineResourceGroup and the Role, ClusterRole, RoleBinding and
 * ClusterRoleBinding describers): what `kubectl auth can-i --list` and `kubectl describe` show.
 */
import type { KObject } from "../../api/types.ts";
import type { PolicyRule, RbacV1Subject, RoleRef } from "../../api/types.gen.ts";
import { annotationsMultiline, labelsMultiline, PrefixWriter } from "./describe.ts";

/** Go's %v of a []string. */
export const goList = (xs: readonly string[] | undefined) => `[${(xs ?? []).join(" ")}]`;

/** The generated PolicyRule.String(), what kubectl sorts the rules by. */
export function ruleString(r: PolicyRule): string {
  return `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;
}

/** kubectl's rbacutil.BreakdownRule: per group, resource and name, the verbs kept together; one rule per URL. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      if ((rule.resourceNames ?? []).length > 0) for (const n of rule.resourceNames!) out.push({ apiGroups: [group], resources: [resource], resourceNames: [n], verbs: rule.verbs });
      else out.push({ apiGroups: [group], resources: [resource], verbs: rule.verbs });
    }
  }
  for (const u of rule.nonResourceURLs ?? []) out.push({ nonResourceURLs: [u], verbs: rule.verbs });
  return out;
}

/** kubectl's rbacutil.CompactRules: simple rules of one resource (and at most one name) merge their verbs, without repeats. */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple = (r.resourceNames ?? []).length <= 1 && (r.nonResourceURLs ?? []).length === 0 && (r.apiGroups ?? []).length === 1 && (r.resources ?? []).length === 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.[0] ?? null]);
    const known = simple.get(key);
    if (!known) simple.set(key, { ...r, verbs: [...r.verbs] });
    else for (const v of r.verbs) if (!known.verbs.includes(v)) known.verbs.push(v);
  }
  return [...out, ...simple.values()];
}

/** describe.CombineResourceGroup: `deployments.apps`, `pods/log`, `*.*`. */
export function combineResourceGroup(resources: readonly string[] | undefined, groups: readonly string[] | undefined): string {
  if (!resources || resources.length === 0) return "";
  const slash = resources[0]!.indexOf("/");
  let combined = slash >= 0 ? resources[0]!.slice(0, slash) : resources[0]!;
  if (groups && groups.length > 0 && groups[0] !== "") combined += `.${groups[0]}`;
  if (slash >= 0) combined += resources[0]!.slice(slash);
  return combined;
}

/** sort.Stable(SortableRuleSlice): by the rules' String(). */
export function sortRules(rules: PolicyRule[]): PolicyRule[] {
  return rules
    .map((r, i) => ({ r, i, s: ruleString(r) }))
    .sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : a.i - b.i))
    .map((x) => x.r);
}

/** RoleDescriber and ClusterRoleDescriber. */
export function describeRole(role: KObject): string {
  const rules = sortRules(compactRules(((role.rules as PolicyRule[] | undefined) ?? []).flatMap(breakdownRule)));
  const w = new PrefixWriter();
  w.write(0, `Name:\t${role.metadata.name}\n`);
  labelsMultiline(w, "Labels", role.metadata.labels);
  annotationsMultiline(w, "Annotations", role.metadata.annotations);
  w.write(0, "PolicyRule:\n");
  w.write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
  for (const r of rules) w.write(1, `${combineResourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}\n`);
  return w.toString();
}

/** RoleBindingDescriber and ClusterRoleBindingDescriber. */
export function describeRoleBinding(binding: KObject): string {
  const ref = binding.roleRef as RoleRef;
  const w = new PrefixWriter();
  w.write(0, `Name:\t${binding.metadata.name}\n`);
  labelsMultiline(w, "Labels", binding.metadata.labels);
  annotationsMultiline(w, "Annotations", binding.metadata.annotations);
  w.write(0, "Role:\n");
  w.write(1, `Kind:\t${ref.kind}\n`);
  w.write(1, `Name:\t${ref.name}\n`);
  w.write(0, "Subjects:\n");
  w.write(1, "Kind\tName\tNamespace\n");
  for (const s of (binding.subjects as RbacV1Subject[] | undefined) ?? []) w.write(1, `${s.kind}\t${s.name}\t${s.namespace ?? ""}\n`);
  return w.toString();
}
