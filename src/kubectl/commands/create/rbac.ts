/**
 * `kubectl create role|clusterrole|rolebinding|clusterrolebinding NAME`
 * (staging/src/k8s.io/kubectl/pkg/cmd/create/create_role.go, create_clusterrole.go,
 * create_rolebinding.go, create_clusterrolebinding.go, v1.32): one rule per API group from
 * `--verb`, `--resource` (`resource.group/subresource`, names resolved as the RESTMapper resolves
 * them: `rs.apps` is replicasets), `--resource-name` and `--non-resource-url`; `--aggregation-rule`;
 * bindings from `--role`/`--clusterrole`, `--user`, `--group` and `--serviceaccount=<ns>:<name>`.
 * Objects are built in the Go structs' field order (`-o json` prints as kubectl does), with the
 * client-side checks and messages of each command.
 */
import type { KObject } from "../../../api/types.ts";
import { KubectlError, type Invocation } from "../../command.ts";
import { enforcedNamespace, nameFromArgs, type Generator } from "./generator.ts";
import { requireFlags } from "./workloads.ts";

const RBAC_GROUP = "rbac.authorization.k8s.io";
const API_VERSION = `${RBAC_GROUP}/v1`;

const VALID_RESOURCE_VERBS = ["*", "get", "delete", "list", "create", "update", "patch", "watch", "proxy", "deletecollection", "use", "bind", "escalate", "impersonate"];
const VALID_NON_RESOURCE_VERBS = ["*", "get", "post", "put", "delete", "patch", "head", "options"];

/** specialVerbs: verbs that apply only to these group/resources. */
const SPECIAL_VERBS: Record<string, Array<[string, string]>> = {
  use: [["policy", "podsecuritypolicies"], ["extensions", "podsecuritypolicies"]],
  bind: [[RBAC_GROUP, "roles"], [RBAC_GROUP, "clusterroles"]],
  escalate: [[RBAC_GROUP, "roles"], [RBAC_GROUP, "clusterroles"]],
  impersonate: [["", "users"], ["", "serviceaccounts"], ["", "groups"], ["authentication.k8s.io", "userextras"]],
};

interface ResourceOption {
  group: string;
  resource: string;
  subresource: string;
}

const unique = (xs: string[]) => [...new Set(xs)];

/** Complete's verbs: duplicates removed, `*` alone. */
function verbsOf(inv: Invocation): string[] {
  const out: string[] = [];
  for (const v of (inv.flags.verb as string[]) ?? []) {
    if (v === "*") return ["*"];
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** Complete's resources: `resource.group/subresource`; a bare `*` stands alone. */
function resourcesOf(inv: Invocation): ResourceOption[] {
  const out: ResourceOption[] = [];
  for (const r of (inv.flags.resource as string[]) ?? []) {
    const slash = r.indexOf("/");
    const head = slash >= 0 ? r.slice(0, slash) : r;
    const subresource = slash >= 0 ? r.slice(slash + 1) : "";
    const dot = head.indexOf(".");
    const opt = { resource: dot >= 0 ? head.slice(0, dot) : head, group: dot >= 0 ? head.slice(dot + 1) : "", subresource };
    if (opt.resource === "*" && dot < 0 && slash < 0) return [opt];
    out.push(opt);
  }
  return out;
}

/** mapper.ResourceFor({Resource, Group}): the plural and group the server knows, or undefined. */
function resourceFor(inv: Invocation, r: ResourceOption): { group: string; resource: string } | undefined {
  const hit = inv.ctx.api.registry.resolve(r.group ? `${r.resource}.${r.group}` : r.resource);
  return hit ? { group: hit.group, resource: hit.plural } : undefined;
}

/** validateResource. */
function validateResources(inv: Invocation, verbs: string[], resources: ResourceOption[]): void {
  for (const r of resources) {
    if (!r.resource) throw new KubectlError("resource must be specified if apiGroup/subresource specified");
    if (r.resource === "*") return;
    const found = resourceFor(inv, r);
    const resource = found ?? { group: r.group, resource: r.resource };
    let missing = !found;
    for (const v of verbs) {
      const allowed = SPECIAL_VERBS[v];
      if (!allowed) continue;
      if (!allowed.some(([g, res]) => g === resource.group && res === resource.resource)) throw new KubectlError(`can not perform '${v}' on '${resource.resource}' in group '${resource.group}'`);
      missing = false;
    }
    // NoResourceMatchError of the RESTMapper.
    // NoResourceMatchError of the RESTMapper, which kubectl prints without `error: `.
    if (missing) throw new KubectlError(`the server doesn't have a resource type "${r.resource}"`, 1, true);
  }
}

/** generateResourcePolicyRules: one rule per API group (sorted), then one for the non-resource URLs. */
function policyRules(inv: Invocation, verbs: string[], resources: ResourceOption[], names: string[], urls: string[]): Array<Record<string, unknown>> {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const found = resourceFor(inv, r) ?? { group: r.group, resource: r.resource };
    const resource = r.subresource ? `${found.resource}/${r.subresource}` : found.resource;
    const list = byGroup.get(found.group) ?? [];
    if (!list.includes(resource)) list.push(resource);
    byGroup.set(found.group, list);
  }
  const rules: Array<Record<string, unknown>> = [...byGroup.keys()].sort().map((g) => ({
    verbs,
    apiGroups: [g],
    resources: byGroup.get(g),
    ...(names.length ? { resourceNames: names } : {}),
  }));
  if (urls.length) rules.push({ verbs, nonResourceURLs: urls });
  return rules;
}

function warnVerbs(inv: Invocation, verbs: string[]): void {
  for (const v of verbs) if (!VALID_RESOURCE_VERBS.includes(v)) inv.err(`Warning: '${v}' is not a standard resource verb`);
}

const ROLE_FLAGS = [
  { long: "verb", type: "stringSlice" as const },
  { long: "resource", type: "stringSlice" as const },
  { long: "resource-name", type: "stringArray" as const },
];

export const roleGenerator: Generator = {
  path: ["create", "role"],
  flags: ROLE_FLAGS,
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const verbs = verbsOf(inv);
    const resources = resourcesOf(inv);
    const names = unique((inv.flags["resource-name"] as string[]) ?? []);
    if (verbs.length === 0) throw new KubectlError("at least one verb must be specified");
    warnVerbs(inv, verbs);
    if (resources.length === 0) throw new KubectlError("at least one resource must be specified");
    validateResources(inv, verbs, resources);
    const ns = enforcedNamespace(inv);
    return { kind: "Role", apiVersion: API_VERSION, metadata: { name, ...(ns ? { namespace: ns } : {}) }, rules: policyRules(inv, verbs, resources, names, []) } as KObject;
  },
};

/** cliflag.MapStringString: `k=v` pairs, comma-separated, repeatable. */
function aggregationRule(inv: Invocation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of (inv.flags["aggregation-rule"] as string[]) ?? []) {
    for (const pair of value.split(",")) {
      if (pair.trim() === "") continue;
      const eq = pair.indexOf("=");
      if (eq < 0) throw new KubectlError(`Error: invalid argument ${JSON.stringify(value)} for "--aggregation-rule" flag: malformed pair, expect string=string\nSee 'kubectl create clusterrole --help' for usage.`, 1, true);
      out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  return out;
}

export const clusterRoleGenerator: Generator = {
  path: ["create", "clusterrole"],
  flags: [...ROLE_FLAGS, { long: "non-resource-url", type: "stringSlice" }, { long: "aggregation-rule", type: "stringArray" }],
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const urls = unique((inv.flags["non-resource-url"] as string[]) ?? []);
    const verbs = verbsOf(inv);
    const resources = resourcesOf(inv);
    const names = unique((inv.flags["resource-name"] as string[]) ?? []);
    const agg = aggregationRule(inv);
    const meta = { name };
    if (Object.keys(agg).length > 0) {
      if (urls.length || verbs.length || resources.length || names.length) throw new KubectlError("aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames");
      return { kind: "ClusterRole", apiVersion: API_VERSION, metadata: meta, aggregationRule: { clusterRoleSelectors: [{ matchLabels: agg }] } } as KObject;
    }
    if (verbs.length === 0) throw new KubectlError("at least one verb must be specified");
    if (resources.length === 0 && urls.length === 0) throw new KubectlError("one of resource or nonResourceURL must be specified");
    if (resources.length) {
      warnVerbs(inv, verbs);
      validateResources(inv, verbs, resources);
    }
    if (urls.length) {
      for (const v of verbs) if (!VALID_NON_RESOURCE_VERBS.includes(v)) throw new KubectlError(`invalid verb: '${v}' for nonResourceURL`);
      for (const u of urls) {
        if (u === "*") continue;
        if (!u.startsWith("/")) throw new KubectlError("nonResourceURL should start with /");
        if (u.slice(0, -1).includes("*")) throw new KubectlError("nonResourceURL only supports wildcard matches when '*' is at the end");
      }
    }
    return { kind: "ClusterRole", apiVersion: API_VERSION, metadata: meta, rules: policyRules(inv, verbs, resources, names, urls) } as KObject;
  },
};

/** The subjects of a binding: users, groups, then service accounts (`<namespace>:<name>`). */
function subjects(inv: Invocation): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const u of (inv.flags.user as string[]) ?? []) out.push({ kind: "User", apiGroup: RBAC_GROUP, name: u });
  for (const g of (inv.flags.group as string[]) ?? []) out.push({ kind: "Group", apiGroup: RBAC_GROUP, name: g });
  for (const sa of (inv.flags.serviceaccount as string[]) ?? []) {
    const t = sa.split(":");
    if (t.length !== 2 || !t[0] || !t[1]) throw new KubectlError("serviceaccount must be <namespace>:<name>");
    out.push({ kind: "ServiceAccount", name: t[1], namespace: t[0] });
  }
  return out;
}

const SUBJECT_FLAGS = [
  { long: "user", type: "stringArray" as const },
  { long: "group", type: "stringArray" as const },
  { long: "serviceaccount", type: "stringArray" as const },
];

export const roleBindingGenerator: Generator = {
  path: ["create", "rolebinding"],
  flags: [{ long: "clusterrole", type: "string" }, { long: "role", type: "string" }, ...SUBJECT_FLAGS],
  wrapError: "failed to create rolebinding",
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const clusterRole = String(inv.flags.clusterrole ?? "");
    const role = String(inv.flags.role ?? "");
    if (!clusterRole === !role) throw new KubectlError("exactly one of clusterrole or role must be specified");
    const ns = enforcedNamespace(inv);
    const subs = subjects(inv);
    return {
      kind: "RoleBinding",
      apiVersion: API_VERSION,
      metadata: { name, ...(ns ? { namespace: ns } : {}) },
      ...(subs.length ? { subjects: subs } : {}),
      roleRef: { apiGroup: RBAC_GROUP, kind: role ? "Role" : "ClusterRole", name: role || clusterRole },
    } as KObject;
  },
};

export const clusterRoleBindingGenerator: Generator = {
  path: ["create", "clusterrolebinding"],
  flags: [{ long: "clusterrole", type: "string" }, ...SUBJECT_FLAGS],
  wrapError: "failed to create clusterrolebinding",
  build(inv, path) {
    requireFlags(inv, "clusterrole");
    const name = nameFromArgs(inv, path);
    const subs = subjects(inv);
    return {
      kind: "ClusterRoleBinding",
      apiVersion: API_VERSION,
      metadata: { name },
      ...(subs.length ? { subjects: subs } : {}),
      roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: String(inv.flags.clusterrole) },
    } as KObject;
  },
};
