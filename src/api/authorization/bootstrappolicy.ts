/**
 * The RBAC objects a v1.32 cluster has from its start (the API server's `rbac/bootstrap-roles`
 * post-start hook, plugin/pkg/auth/authorizer/rbac/bootstrappolicy, and kubeadm's
 * `kubeadm:cluster-admins` binding), read from the data files beside this module
 * (bootstrappolicy/*.yaml, each saying where it comes from; read as bootstrappolicy/policy.json,
 * generated from them):
 *
 * - the default ClusterRoles (cluster-roles.yaml) and ClusterRoleBindings (cluster-role-bindings.yaml),
 * - the Roles and RoleBindings of kube-system and kube-public (namespace-roles.yaml),
 * - kubeadm's ClusterRoleBinding `kubeadm:cluster-admins` (cmd/kubeadm/app/phases/kubeconfig,
 *   EnsureAdminClusterRoleBinding): the group of kind's `kubernetes-admin` bound to cluster-admin.
 *
 * `admin`, `edit` and `view` are stored with the rules the ClusterRole aggregation controller gives
 * them (aggregation.ts) rather than empty and filled a moment later (docs/divergences.md). The
 * system:controller:* roles of kube-controller-manager's service accounts are not among them.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { ClusterRole, ClusterRoleBinding, PolicyRule, RbacV1Subject, Role, RoleBinding } from "../types.gen.ts";
import type { KObject } from "../types.ts";
import { aggregatedRules, sameRules } from "./aggregation.ts";
import { RBAC_GROUP } from "./rbac.ts";

const API_VERSION = `${RBAC_GROUP}/v1`;
const BOOTSTRAP_LABELS = { "kubernetes.io/bootstrapping": "rbac-defaults" };
const AUTOUPDATE = { "rbac.authorization.kubernetes.io/autoupdate": "true" };

/** The data files, in YAML (with where each comes from). */
export const POLICY_FILES = ["cluster-roles.yaml", "cluster-role-bindings.yaml", "namespace-roles.yaml"];
const POLICY_JSON = "policy.json";

/** The YAML files parsed, by file name: what bootstrappolicy/policy.json holds. */
export function parsePolicyFiles(): Record<string, unknown> {
  return Object.fromEntries(POLICY_FILES.map((name) => [name, parse(readFileSync(new URL(`./bootstrappolicy/${name}`, import.meta.url), "utf8"))]));
}

/**
 * The text of bootstrappolicy/policy.json for the parsed YAML files: each object of a file on a line
 * of its own. Every process that starts a cluster reads the policy once; parsing its ~20 KB of YAML
 * took tens of milliseconds of CPU, the same data as JSON well under one (docs/performance.md,
 * "the cluster's start"). `node --import tsx scripts/gen-bootstrappolicy.ts` writes it;
 * bootstrappolicy.test.ts fails while it differs from the YAML files.
 */
export function policyJsonText(files: Record<string, unknown>): string {
  const parts = Object.entries(files).map(([name, v]) => {
    const body = Array.isArray(v) ? `[\n${v.map((x) => `  ${JSON.stringify(x)}`).join(",\n")}\n]` : `{\n${Object.entries(v as Record<string, unknown[]>).map(([k, list]) => `  ${JSON.stringify(k)}: [\n${list.map((x) => `    ${JSON.stringify(x)}`).join(",\n")}\n  ]`).join(",\n")}\n}`;
    return `${JSON.stringify(name)}: ${body}`;
  });
  return `{\n"//": "Generated from the YAML files beside it by scripts/gen-bootstrappolicy.ts: edit those, then run it.",\n${parts.join(",\n")}\n}\n`;
}

let files: Record<string, unknown> | undefined;
const read = (name: string): unknown => (files ??= JSON.parse(readFileSync(new URL(`./bootstrappolicy/${POLICY_JSON}`, import.meta.url), "utf8")) as Record<string, unknown>)[name];

interface RoleEntry {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  rules?: PolicyRule[];
  aggregationRule?: ClusterRole["aggregationRule"];
}
interface BindingEntry {
  name: string;
  namespace?: string;
  role?: string;
  subjects?: Array<{ kind: string; name: string; namespace?: string }>;
}

function subjects(list: BindingEntry["subjects"]): RbacV1Subject[] | undefined {
  if (!list) return undefined;
  return list.map((s) => (s.kind === "ServiceAccount" ? { kind: s.kind, name: s.name, namespace: s.namespace } : { apiGroup: RBAC_GROUP, kind: s.kind, name: s.name }));
}

const meta = (e: { name: string; namespace?: string; labels?: Record<string, string> }) => ({
  name: e.name,
  ...(e.namespace ? { namespace: e.namespace } : {}),
  labels: { ...BOOTSTRAP_LABELS, ...(e.labels ?? {}) },
  annotations: { ...AUTOUPDATE },
});

/** The default ClusterRoles, by name, with admin, edit and view aggregated. */
export function bootstrapClusterRoles(): ClusterRole[] {
  const roles: ClusterRole[] = (read("cluster-roles.yaml") as RoleEntry[]).map((e) => ({
    apiVersion: API_VERSION,
    kind: "ClusterRole",
    metadata: meta(e),
    ...(e.aggregationRule ? { aggregationRule: e.aggregationRule } : {}),
    ...(e.rules ? { rules: e.rules } : {}),
  }));
  // The aggregation controller's fixpoint: an aggregated role may select another (admin selects edit).
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of roles) {
      if (!r.aggregationRule) continue;
      const rules = aggregatedRules(r, roles);
      if (!sameRules(rules, r.rules)) {
        r.rules = rules;
        changed = true;
      }
    }
  }
  return roles;
}

export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return (read("cluster-role-bindings.yaml") as BindingEntry[]).map((e) => ({
    apiVersion: API_VERSION,
    kind: "ClusterRoleBinding",
    metadata: meta(e),
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: e.role ?? e.name },
    ...(e.subjects ? { subjects: subjects(e.subjects) } : {}),
  }));
}

export function bootstrapNamespaceRoles(): { roles: Role[]; roleBindings: RoleBinding[] } {
  const doc = read("namespace-roles.yaml") as { roles: RoleEntry[]; roleBindings: BindingEntry[] };
  return {
    roles: doc.roles.map((e) => ({ apiVersion: API_VERSION, kind: "Role", metadata: meta(e), rules: e.rules ?? [] })),
    roleBindings: doc.roleBindings.map((e) => ({
      apiVersion: API_VERSION,
      kind: "RoleBinding",
      metadata: meta(e),
      roleRef: { apiGroup: RBAC_GROUP, kind: "Role", name: e.role ?? e.name },
      subjects: subjects(e.subjects),
    })),
  };
}

/** kubeadm's binding of its admin group (no bootstrapping label: kubeadm's, not the API server's). */
export const KUBEADM_CLUSTER_ADMINS: ClusterRoleBinding = {
  apiVersion: API_VERSION,
  kind: "ClusterRoleBinding",
  metadata: { name: "kubeadm:cluster-admins" },
  roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: "cluster-admin" },
  subjects: [{ apiGroup: RBAC_GROUP, kind: "Group", name: "kubeadm:cluster-admins" }],
};

let objects: readonly KObject[] | undefined;

/**
 * Every object, in the order the cluster's start creates them: the ClusterRoles, the
 * ClusterRoleBindings, the namespaced Roles and RoleBindings (the hook's order), then kubeadm's
 * binding. Read once per process; callers get the same frozen objects (the store copies a create's input).
 */
export function bootstrapPolicyObjects(): readonly KObject[] {
  if (!objects) {
    const ns = bootstrapNamespaceRoles();
    const all = [...bootstrapClusterRoles(), ...bootstrapClusterRoleBindings(), ...ns.roles, ...ns.roleBindings, KUBEADM_CLUSTER_ADMINS] as unknown as KObject[];
    objects = Object.freeze(all.map((o) => deepFreeze(structuredClone(o))));
  }
  return objects;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === "object") {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Creates the bootstrap policy through the API (the system namespaces exist already). */
export function createBootstrapPolicy(api: { create(obj: KObject): KObject }): void {
  for (const obj of bootstrapPolicyObjects()) api.create(obj);
}
