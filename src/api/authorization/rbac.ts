/**
 * The RBAC authorizer as kube-apiserver runs it with `--authorization-mode=Node,RBAC`:
 *
 * - the rule matching of pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches,
 *   ResourceMatches with `*` and a star before a subresource, ResourceNameMatches, NonResourceURLMatches with a
 *   trailing `*`) and plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows, Authorize, RulesFor);
 * - the rule resolver of pkg/registry/rbac/validation/rule.go (VisitRulesFor: the
 *   ClusterRoleBindings, then the RoleBindings of the request's namespace; appliesToUser for users,
 *   groups and service accounts; GetRoleReferenceRules; the `RBAC: allowed by ...` sources);
 * - the privileged-group authorizer the server puts first (authorizerfactory.NewPrivilegedGroups):
 *   members of system:masters are allowed everything;
 * - the forbidden message of k8s.io/apiserver/pkg/endpoints/handlers/responsewriters
 *   (forbiddenMessage, ForbiddenStatusError);
 * - escalation prevention (pkg/registry/rbac/escalation_check.go, validation.ConfirmNoEscalation
 *   and component-helpers' Covers, policy_compact.go's CompactRules, PolicyRule.CompactString).
 *
 * The Node authorizer (kubelets' own access) is not simulated: no request of the simulation comes
 * from a node's credentials.
 */
import { ApiError, newForbidden, newNotFound } from "../errors.ts";
import type { ClusterRole, ClusterRoleBinding, PolicyRule, RbacV1Subject, Role, RoleBinding, RoleRef } from "../types.gen.ts";
import { matchesServiceAccountUsername, SYSTEM_PRIVILEGED_GROUP, type UserInfo } from "./user.ts";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

/** authorizer.Attributes. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  /** A resource request (else a non-resource path such as /healthz). */
  resourceRequest: boolean;
  namespace?: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** The path of a non-resource request. */
  path?: string;
}

export type Decision = "Allow" | "Deny" | "NoOpinion";

export interface AuthorizationResult {
  decision: Decision;
  reason: string;
}

/** What the resolver reads: the informers' listers of the four RBAC kinds. */
export interface RBACReader {
  getRole(namespace: string, name: string): Role | undefined;
  getClusterRole(name: string): ClusterRole | undefined;
  listRoleBindings(namespace: string): RoleBinding[];
  listClusterRoleBindings(): ClusterRoleBinding[];
}

/** The reader over an API server's store. */
export function storeReader(api: { get(kind: string, namespace: string | undefined, name: string): unknown; list(kind: string, opts?: { namespace?: string }): unknown[] }): RBACReader {
  return {
    getRole: (ns, name) => api.get("Role", ns, name) as Role | undefined,
    getClusterRole: (name) => api.get("ClusterRole", undefined, name) as ClusterRole | undefined,
    listRoleBindings: (ns) => api.list("RoleBinding", { namespace: ns }) as RoleBinding[],
    listClusterRoleBindings: () => api.list("ClusterRoleBinding") as ClusterRoleBinding[],
  };
}

// ---- evaluation_helpers.go ------------------------------------------------------------------

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return (rule.verbs ?? []).some((v) => v === "*" || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === "*" || g === group);
}

export function resourceMatches(rule: PolicyRule, combinedResource: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === "*" || r === combinedResource) return true;
    if (!subresource) continue;
    if (r.length === subresource.length + 2 && r.startsWith("*/") && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, url: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === "*" || u === url) return true;
    if (u.endsWith("*") && url.startsWith(u.replace(/\*+$/, ""))) return true;
  }
  return false;
}

/** rbac.RuleAllows. */
export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  if (a.resourceRequest) {
    const sub = a.subresource ?? "";
    const combined = sub ? `${a.resource ?? ""}/${sub}` : a.resource ?? "";
    return verbMatches(rule, a.verb) && apiGroupMatches(rule, a.apiGroup ?? "") && resourceMatches(rule, combined, sub) && resourceNameMatches(rule, a.name ?? "");
  }
  return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path ?? "");
}

// ---- rule.go ------------------------------------------------------------------------------

function describeSubject(s: RbacV1Subject, bindingNamespace: string): string {
  if (s.kind === "ServiceAccount") return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

/** appliesToUser. */
export function appliesToUser(user: UserInfo, subject: RbacV1Subject, namespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return user.name === subject.name;
    case "Group":
      return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const ns = subject.namespace || namespace;
      return ns !== "" && matchesServiceAccountUsername(ns, subject.name, user.name);
    }
    default:
      return false;
  }
}

function appliesTo(user: UserInfo, subjects: RbacV1Subject[] | undefined, namespace: string): number {
  return (subjects ?? []).findIndex((s) => appliesToUser(user, s, namespace));
}

/** An error the resolver meets (a binding whose role does not exist), as the listers word it. */
export class ResolutionError extends Error {}

/** GetRoleReferenceRules. */
export function roleReferenceRules(reader: RBACReader, ref: RoleRef, bindingNamespace: string): PolicyRule[] {
  switch (ref.kind) {
    case "Role": {
      const role = reader.getRole(bindingNamespace, ref.name);
      if (!role) throw new ResolutionError(newNotFound({ plural: "role", group: RBAC_GROUP }, ref.name).message);
      return role.rules ?? [];
    }
    case "ClusterRole": {
      const role = reader.getClusterRole(ref.name);
      if (!role) throw new ResolutionError(newNotFound({ plural: "clusterrole", group: RBAC_GROUP }, ref.name).message);
      return role.rules ?? [];
    }
    default:
      throw new ResolutionError(`unsupported role reference kind: ${JSON.stringify(ref.kind)}`);
  }
}

/** A visitor's answer: false stops the visit. */
export type RuleVisitor = (source: string | undefined, rule: PolicyRule | undefined, err: string | undefined) => boolean;

/** VisitRulesFor: every rule that applies to the user in the namespace ("" for cluster scope only). */
export function visitRulesFor(reader: RBACReader, user: UserInfo, namespace: string, visitor: RuleVisitor): void {
  for (const b of reader.listClusterRoleBindings()) {
    const i = appliesTo(user, b.subjects, "");
    if (i < 0) continue;
    let rules: PolicyRule[];
    try {
      rules = roleReferenceRules(reader, b.roleRef, "");
    } catch (e) {
      if (!(e instanceof ResolutionError)) throw e;
      if (!visitor(undefined, undefined, e.message)) return;
      continue;
    }
    const source = `ClusterRoleBinding ${JSON.stringify(b.metadata.name)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(b.subjects![i]!, "")}`;
    for (const r of rules) if (!visitor(source, r, undefined)) return;
  }
  if (!namespace) return;
  for (const b of reader.listRoleBindings(namespace)) {
    const i = appliesTo(user, b.subjects, namespace);
    if (i < 0) continue;
    let rules: PolicyRule[];
    try {
      rules = roleReferenceRules(reader, b.roleRef, namespace);
    } catch (e) {
      if (!(e instanceof ResolutionError)) throw e;
      if (!visitor(undefined, undefined, e.message)) return;
      continue;
    }
    const source = `RoleBinding ${JSON.stringify(`${b.metadata.name}/${b.metadata.namespace}`)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(b.subjects![i]!, namespace)}`;
    for (const r of rules) if (!visitor(source, r, undefined)) return;
  }
}

/** utilerrors.NewAggregate(errs).Error(): one message alone, several in brackets. */
export function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`;
}

/** RulesFor: the rules that apply, and the resolution errors met (aggregated), if any. */
export function rulesFor(reader: RBACReader, user: UserInfo, namespace: string): { rules: PolicyRule[]; error?: string } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  visitRulesFor(reader, user, namespace, (_s, rule, err) => {
    if (rule) rules.push(rule);
    if (err) errors.push(err);
    return true;
  });
  return { rules, ...(errors.length ? { error: aggregate(errors) } : {}) };
}

/** RBACAuthorizer.Authorize. */
export function rbacAuthorize(reader: RBACReader, a: Attributes): AuthorizationResult {
  let reason = "";
  const errors: string[] = [];
  let allowed = false;
  visitRulesFor(reader, a.user, a.namespace ?? "", (source, rule, err) => {
    if (rule && ruleAllows(a, rule)) {
      allowed = true;
      reason = `RBAC: allowed by ${source}`;
      return false;
    }
    if (err) errors.push(err);
    return true;
  });
  if (allowed) return { decision: "Allow", reason };
  return { decision: "NoOpinion", reason: errors.length ? `RBAC: ${aggregate(errors)}` : "" };
}

/**
 * The server's authorizer chain (union): system:masters first (allowed, no reason), then RBAC. The
 * union denies what no authorizer allows.
 */
export function authorize(reader: RBACReader, a: Attributes): AuthorizationResult {
  if (a.user.groups.includes(SYSTEM_PRIVILEGED_GROUP)) return { decision: "Allow", reason: "" };
  return rbacAuthorize(reader, a);
}

/** What a SelfSubjectRulesReview reports (authorizer.RuleResolver of the union). */
export interface RuleInfo {
  resourceRules: Array<{ verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }>;
  nonResourceRules: Array<{ verbs: string[]; nonResourceURLs?: string[] }>;
  incomplete: boolean;
  evaluationError?: string;
}

/** The union's RulesFor: the privileged group's everything, then RBAC's rules split into resource and non-resource ones. */
export function rulesInfoFor(reader: RBACReader, user: UserInfo, namespace: string): RuleInfo {
  const out: RuleInfo = { resourceRules: [], nonResourceRules: [], incomplete: false };
  if (user.groups.includes(SYSTEM_PRIVILEGED_GROUP)) {
    out.resourceRules.push({ verbs: ["*"], apiGroups: ["*"], resources: ["*"] });
    out.nonResourceRules.push({ verbs: ["*"], nonResourceURLs: ["*"] });
  }
  const { rules, error } = rulesFor(reader, user, namespace);
  for (const r of rules) {
    if ((r.resources ?? []).length > 0) {
      out.resourceRules.push({ verbs: r.verbs, ...(r.apiGroups ? { apiGroups: r.apiGroups } : {}), resources: r.resources, ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) });
    }
    if ((r.nonResourceURLs ?? []).length > 0) out.nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
  }
  // The union reports an evaluation error as incomplete (SelfSubjectRulesReview's registry).
  if (error) {
    out.incomplete = true;
    out.evaluationError = error;
  }
  return out;
}

// ---- responsewriters.forbiddenMessage ---------------------------------------------------------

/** forbiddenMessage: `User "x" cannot list resource "pods" in API group "" in the namespace "default"`. */
export function forbiddenMessage(a: Attributes): string {
  const user = a.user.name;
  if (!a.resourceRequest) return `User ${JSON.stringify(user)} cannot ${a.verb} path ${JSON.stringify(a.path ?? "")}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource ?? "";
  if (a.namespace) return `User ${JSON.stringify(user)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup ?? "")} in the namespace ${JSON.stringify(a.namespace)}`;
  return `User ${JSON.stringify(user)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup ?? "")} at the cluster scope`;
}

/** ForbiddenStatusError: the 403 a denied request gets (`pods is forbidden: User ...`, `: <reason>` when the authorizer gave one). */
export function forbiddenError(a: Attributes, reason: string): ApiError {
  let msg = forbiddenMessage(a);
  if (reason) msg += `: ${reason}`;
  if (!a.resourceRequest) return new ApiError("Forbidden", `forbidden: ${msg}`, { kind: "", name: "", causes: [] });
  return newForbidden({ plural: a.resource ?? "", group: a.apiGroup ?? "" }, a.name ?? "", msg);
}

/** The authorization filter (WithAuthorization): nothing when allowed, else the 403. */
export function checkAuthorized(reader: RBACReader, a: Attributes): void {
  const r = authorize(reader, a);
  if (r.decision !== "Allow") throw forbiddenError(a, r.reason);
}

// ---- escalation (escalation_check.go, policy_comparator.go, policy_compact.go) -----------------

/** EscalationAllowed: system:masters may grant anything. */
export function escalationAllowed(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_PRIVILEGED_GROUP);
}

const has = (set: readonly string[] | undefined, e: string) => (set ?? []).includes(e);
const hasAll = (set: readonly string[] | undefined, contains: readonly string[] | undefined) => (contains ?? []).every((e) => has(set, e));

function resourceCoversAll(owner: readonly string[] | undefined, requested: readonly string[] | undefined): boolean {
  if (has(owner, "*")) return true;
  for (const r of requested ?? []) {
    if (has(owner, r)) continue;
    const slash = r.indexOf("/");
    if (slash >= 0 && has(owner, `*/${r.slice(slash + 1)}`)) continue;
    return false;
  }
  return true;
}

function nonResourceURLCovers(owner: string, requested: string): boolean {
  if (owner === requested) return true;
  return owner.endsWith("*") && requested.startsWith(owner.replace(/\*+$/, ""));
}

function nonResourceURLsCoversAll(owner: readonly string[] | undefined, requested: readonly string[] | undefined): boolean {
  return (requested ?? []).every((r) => (owner ?? []).some((o) => nonResourceURLCovers(o, r)));
}

function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, "*") || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, "*") || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = nonResourceURLsCoversAll(owner.nonResourceURLs, sub.nonResourceURLs);
  const names = (sub.resourceNames ?? []).length === 0 ? (owner.resourceNames ?? []).length === 0 : (owner.resourceNames ?? []).length === 0 || hasAll(owner.resourceNames, sub.resourceNames);
  return verbs && groups && resources && names && urls;
}

/** BreakdownRule (component-helpers): one rule per group, resource, verb and name; one per URL and verb. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if ((rule.resourceNames ?? []).length > 0) {
          for (const name of rule.resourceNames!) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        } else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

/** validation.Covers: whether the owner's rules cover every servant rule, and the pieces they miss. */
export function covers(ownerRules: PolicyRule[], servantRules: PolicyRule[]): { covers: boolean; missing: PolicyRule[] } {
  const missing: PolicyRule[] = [];
  for (const servant of servantRules) {
    for (const sub of breakdownRule(servant)) if (!ownerRules.some((o) => ruleCovers(o, sub))) missing.push(sub);
  }
  return { covers: missing.length === 0, missing };
}

/** policy_compact.go CompactRules: simple rules of one group, one resource and at most one name merge their verbs. */
export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const key = simpleResourceKey(rule);
    if (key === undefined) {
      compacted.push(rule);
      continue;
    }
    const existing = simple.get(key);
    if (existing) existing.verbs = [...existing.verbs, ...rule.verbs];
    else simple.set(key, structuredClone(rule));
  }
  return [...compacted, ...simple.values()];
}

function simpleResourceKey(rule: PolicyRule): string | undefined {
  if ((rule.resourceNames ?? []).length > 1 || (rule.nonResourceURLs ?? []).length > 0) return undefined;
  if ((rule.apiGroups ?? []).length !== 1 || (rule.resources ?? []).length !== 1) return undefined;
  if (Object.keys(rule).some((k) => !["apiGroups", "resources", "verbs", "resourceNames"].includes(k))) return undefined;
  return JSON.stringify([rule.apiGroups![0], rule.resources![0], rule.resourceNames?.[0] ?? null]);
}

/** Go's %q of a []string: `["a" "b"]`. */
const goQuoteList = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(" ")}]`;

/** PolicyRule.CompactString: `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if ((r.apiGroups ?? []).length) parts.push(`APIGroups:${goQuoteList(r.apiGroups!)}`);
  if ((r.resources ?? []).length) parts.push(`Resources:${goQuoteList(r.resources!)}`);
  if ((r.nonResourceURLs ?? []).length) parts.push(`NonResourceURLs:${goQuoteList(r.nonResourceURLs!)}`);
  if ((r.resourceNames ?? []).length) parts.push(`ResourceNames:${goQuoteList(r.resourceNames!)}`);
  if ((r.verbs ?? []).length) parts.push(`Verbs:${goQuoteList(r.verbs)}`);
  return `{${parts.join(", ")}}`;
}

/**
 * ConfirmNoEscalation: the user's rules in the namespace must cover `rules`; else the message the
 * registry wraps in a Forbidden error.
 */
export function confirmNoEscalation(reader: RBACReader, user: UserInfo, namespace: string, rules: PolicyRule[]): string | undefined {
  const owner = rulesFor(reader, user, namespace);
  const { covers: ok, missing } = covers(owner.rules, rules);
  if (ok) return undefined;
  const descriptions = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user ${JSON.stringify(user.name)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${descriptions.join("\n")}`;
  if (owner.error) msg += `; resolution errors: [${owner.error}]`;
  return msg;
}

/**
 * The policy-based storage of the four RBAC kinds (pkg/registry/rbac/<kind>/policybased): a create
 * or update by a user who is not in system:masters must not grant more than the user holds, unless
 * the user may `escalate` roles (Role, ClusterRole) or `bind` the referenced role (bindings). Throws
 * the Forbidden error upstream's storage returns.
 */
export function checkRBACWrite(reader: RBACReader, user: UserInfo, obj: { kind: string; metadata: { name?: string; namespace?: string }; rules?: PolicyRule[]; roleRef?: RoleRef; aggregationRule?: unknown }): void {
  if (escalationAllowed(user)) return;
  const name = obj.metadata.name ?? "";
  switch (obj.kind) {
    case "Role":
    case "ClusterRole": {
      const plural = obj.kind === "Role" ? "roles" : "clusterroles";
      const namespace = obj.kind === "Role" ? obj.metadata.namespace ?? "" : "";
      if (authorize(reader, { user, verb: "escalate", resourceRequest: true, apiGroup: RBAC_GROUP, resource: plural, name, namespace }).decision === "Allow") return;
      if (obj.kind === "ClusterRole" && obj.aggregationRule) {
        throw newForbidden({ plural, group: RBAC_GROUP }, name, "must have cluster-admin privileges to use the aggregationRule");
      }
      const msg = confirmNoEscalation(reader, user, namespace, obj.rules ?? []);
      if (msg) throw newForbidden({ plural, group: RBAC_GROUP }, name, msg);
      return;
    }
    case "RoleBinding":
    case "ClusterRoleBinding": {
      const plural = obj.kind === "RoleBinding" ? "rolebindings" : "clusterrolebindings";
      const namespace = obj.kind === "RoleBinding" ? obj.metadata.namespace ?? "" : "";
      const ref = obj.roleRef!;
      // BindingAuthorized: `bind` on the referenced role, named, in the binding's namespace.
      const refPlural = ref.kind === "Role" ? "roles" : "clusterroles";
      if (authorize(reader, { user, verb: "bind", resourceRequest: true, apiGroup: ref.apiGroup ?? RBAC_GROUP, resource: refPlural, name: ref.name, namespace }).decision === "Allow") return;
      // The registry's own getters: a missing role is the storage's NotFound.
      const role = ref.kind === "Role" ? reader.getRole(namespace, ref.name) : ref.kind === "ClusterRole" ? reader.getClusterRole(ref.name) : undefined;
      if (!role) throw newNotFound({ plural: refPlural, group: RBAC_GROUP }, ref.name);
      const rules = role.rules ?? [];
      const msg = confirmNoEscalation(reader, user, namespace, rules);
      if (msg) throw newForbidden({ plural, group: RBAC_GROUP }, name, msg);
      return;
    }
  }
}
