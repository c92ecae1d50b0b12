/**
 * RBAC validation (pkg/apis/rbac/validation/validation.go): names as path segments, policy rules,
 * role references and subjects, and the immutable roleRef of a binding.
 */
import { F, GoRepr, arr, isObj, type Errs } from "./field.ts";
import { NameIsDNSSubdomain, validateObjectMeta, type NameFn } from "./meta.ts";
import { goQuote } from "../errors.ts";
import type { KObject } from "../types.ts";

const RBAC_GROUP = "rbac.authorization.k8s.io";

/** path.IsValidPathSegmentName */
export function IsValidPathSegmentName(name: string): string[] {
  if (name === "." || name === "..") return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const illegal of ["/", "%"]) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
}

/** ValidateRBACName: a path segment (generateName: its prefix too). */
export const ValidateRBACName: NameFn = (name) => IsValidPathSegmentName(name);

export function validatePolicyRule(rule: unknown, namespaced: boolean, path: string): Errs {
  const errs: Errs = [];
  const r = isObj(rule) ? rule : {};
  if (arr(r.verbs).length === 0) errs.push(F.required(`${path}.verbs`, "verbs must contain at least one value"));
  if (arr(r.nonResourceURLs).length > 0) {
    if (namespaced) errs.push(F.invalid(`${path}.nonResourceURLs`, r.nonResourceURLs, "namespaced rules cannot apply to non-resource URLs"));
    if (arr(r.apiGroups).length > 0 || arr(r.resources).length > 0 || arr(r.resourceNames).length > 0) {
      errs.push(F.invalid(`${path}.nonResourceURLs`, r.nonResourceURLs, "rules cannot apply to both regular resources and non-resource URLs"));
    }
    return errs;
  }
  if (arr(r.apiGroups).length === 0) errs.push(F.required(`${path}.apiGroups`, "resource rules must supply at least one api group"));
  if (arr(r.resources).length === 0) errs.push(F.required(`${path}.resources`, "resource rules must supply at least one resource"));
  return errs;
}

export function validateRole(role: KObject): Errs {
  const errs = validateObjectMeta(role.metadata, true, ValidateRBACName);
  arr(role.rules).forEach((rule, i) => errs.push(...validatePolicyRule(rule, true, `rules[${i}]`)));
  return errs;
}

export function validateClusterRole(role: KObject): Errs {
  const errs = validateObjectMeta(role.metadata, false, ValidateRBACName);
  arr(role.rules).forEach((rule, i) => errs.push(...validatePolicyRule(rule, false, `rules[${i}]`)));
  if (isObj(role.aggregationRule) && arr(role.aggregationRule.clusterRoleSelectors).length === 0) {
    errs.push(F.required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil"));
  }
  return errs;
}

function validateSubject(s: unknown, namespaced: boolean, path: string): Errs {
  const errs: Errs = [];
  const subject = isObj(s) ? s : {};
  const name = String(subject.name ?? "");
  const group = String(subject.apiGroup ?? "");
  if (!name) errs.push(F.required(`${path}.name`));
  switch (subject.kind) {
    case "ServiceAccount":
      if (name) for (const msg of NameIsDNSSubdomain(name, false)) errs.push(F.invalid(`${path}.name`, name, msg));
      if (group) errs.push(F.notSupported(`${path}.apiGroup`, group, [""]));
      if (!namespaced && !subject.namespace) errs.push(F.required(`${path}.namespace`));
      break;
    case "User":
    case "Group":
      if (group !== RBAC_GROUP) errs.push(F.notSupported(`${path}.apiGroup`, group, [RBAC_GROUP]));
      break;
    default:
      errs.push(F.notSupported(`${path}.kind`, String(subject.kind ?? ""), ["ServiceAccount", "User", "Group"]));
  }
  return errs;
}

function validateBinding(b: KObject, namespaced: boolean): Errs {
  const errs = validateObjectMeta(b.metadata, namespaced, ValidateRBACName);
  const ref = isObj(b.roleRef) ? b.roleRef : {};
  if (ref.apiGroup !== RBAC_GROUP) errs.push(F.notSupported("roleRef.apiGroup", String(ref.apiGroup ?? ""), [RBAC_GROUP]));
  const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
  if (!kinds.includes(String(ref.kind))) errs.push(F.notSupported("roleRef.kind", String(ref.kind ?? ""), kinds));
  if (!ref.name) errs.push(F.required("roleRef.name"));
  else for (const msg of IsValidPathSegmentName(String(ref.name))) errs.push(F.invalid("roleRef.name", ref.name, msg));
  arr(b.subjects).forEach((s, i) => errs.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  return errs;
}

export const validateRoleBinding = (b: KObject): Errs => validateBinding(b, true);
export const validateClusterRoleBinding = (b: KObject): Errs => validateBinding(b, false);

/** ValidateRoleBindingUpdate / ValidateClusterRoleBindingUpdate: the roleRef cannot change. */
export function validateBindingUpdate(b: KObject, old: KObject): Errs {
  const errs = b.kind === "RoleBinding" ? validateRoleBinding(b) : validateClusterRoleBinding(b);
  const a = b.roleRef ?? {};
  const o = old.roleRef ?? {};
  if (a.apiGroup !== o.apiGroup || a.kind !== o.kind || a.name !== o.name) {
    const repr = new GoRepr(`rbac.RoleRef{APIGroup:${goQuote(String(a.apiGroup ?? ""))}, Kind:${goQuote(String(a.kind ?? ""))}, Name:${goQuote(String(a.name ?? ""))}}`);
    errs.push(F.invalid("roleRef", repr, "cannot change roleRef"));
  }
  return errs;
}
