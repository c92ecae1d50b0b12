/**
 * Resources as kustomize's build carries them (api/resource/resource.go, kyaml/resid/{gvk,resid}.go):
 * the object, the ids it had before a transformer renamed it (kustomize keeps them in build
 * annotations; here they are fields), the name prefixes and suffixes each kustomization layer
 * added, and whether a generator asked for a content-hash suffix.
 */
import { resourceForKind } from "../../api/resources.ts";
import { isJSONObject, type JSONObject } from "../../api/types.ts";

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export interface ResId {
  gvk: Gvk;
  name: string;
  namespace: string;
}

/** Splits an apiVersion as resid.ParseGroupVersion does (`v1` → core, `apps/v1` → apps). */
export function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf("/");
  return i < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function gvkOf(obj: JSONObject): Gvk {
  const { group, version } = parseGroupVersion(typeof obj.apiVersion === "string" ? obj.apiVersion : "");
  return { group, version, kind: typeof obj.kind === "string" ? obj.kind : "" };
}

/** Gvk.String: `Kind.version.group` with kustomize's markers for empty parts. */
export function gvkString(g: Gvk): string {
  return [g.kind || "[noKind]", g.version || "[noVer]", g.group || "[noGrp]"].join(".");
}

export function gvkEquals(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/** Gvk.IsSelected: empty selector fields match anything. */
export function gvkSelected(x: Gvk, sel: Partial<Gvk> | undefined): boolean {
  if (!sel) return true;
  if (sel.group && x.group !== sel.group) return false;
  if (sel.version && x.version !== sel.version) return false;
  if (sel.kind && x.kind !== sel.kind) return false;
  return true;
}

/**
 * Whether a kind is certainly cluster-scoped. kustomize asks its bundled OpenAPI document; here the
 * simulated API server's built-in discovery answers. Unknown kinds (custom resources) are namespaced,
 * as in kustomize without a custom schema.
 */
export function isClusterScoped(g: Gvk): boolean {
  const r = resourceForKind(g.kind);
  return !!r && !r.namespaced && (r.group === g.group || g.group === "");
}

/** ResId.EffectiveNamespace: `default` for a namespaced object with none, a marker for cluster-scoped ones. */
export function effectiveNamespace(id: ResId): string {
  if (isClusterScoped(id.gvk)) return "_non_namespaceable_";
  return id.namespace === "" ? "default" : id.namespace;
}

export function idNsEquals(a: ResId, b: ResId): boolean {
  return effectiveNamespace(a) === effectiveNamespace(b);
}

export function idEquals(a: ResId, b: ResId): boolean {
  return idNsEquals(a, b) && gvkEquals(a.gvk, b.gvk) && a.name === b.name;
}

/** ResId.String as kustomize's messages print an id: `Deployment.v1.apps/web.[noNs]`. */
export function idString(id: ResId): string {
  return `${gvkString(id.gvk)}/${id.name || "[noName]"}.${id.namespace || "[noNs]"}`;
}

export type Behavior = "create" | "merge" | "replace";

export class Resource {
  /** Ids before each rename, oldest first (PrevIds); the current id is not among them. */
  prevIds: ResId[] = [];
  prefixes: string[] = [];
  suffixes: string[] = [];
  /** Set by the ConfigMap and Secret generators unless disableNameSuffixHash. */
  needsHashSuffix = false;
  behavior: Behavior = "create";

  constructor(public obj: JSONObject) {}

  get metadata(): JSONObject {
    if (!isJSONObject(this.obj.metadata)) this.obj.metadata = {};
    return this.obj.metadata as JSONObject;
  }

  get kind(): string {
    return typeof this.obj.kind === "string" ? this.obj.kind : "";
  }

  get name(): string {
    const n = isJSONObject(this.obj.metadata) ? this.obj.metadata.name : undefined;
    return typeof n === "string" ? n : "";
  }

  set name(v: string) {
    this.metadata.name = v;
  }

  get namespace(): string {
    const n = isJSONObject(this.obj.metadata) ? this.obj.metadata.namespace : undefined;
    return typeof n === "string" ? n : "";
  }

  gvk(): Gvk {
    return gvkOf(this.obj);
  }

  curId(): ResId {
    return { gvk: this.gvk(), name: this.name, namespace: this.namespace };
  }

  /** OrgId: the first id the resource had. */
  orgId(): ResId {
    return this.prevIds[0] ?? this.curId();
  }

  /** StorePreviousId: remembers the current id (with its effective namespace) before a rename. */
  storePreviousId(): void {
    const id = this.curId();
    const ns = isClusterScoped(id.gvk) ? "" : id.namespace === "" ? "default" : id.namespace;
    this.prevIds.push({ gvk: id.gvk, name: id.name, namespace: ns });
  }

  anyIds(): ResId[] {
    return [...this.prevIds, this.curId()];
  }

  labels(): Record<string, string> {
    const l = this.metadata.labels;
    return isJSONObject(l) ? (l as Record<string, string>) : {};
  }

  annotations(): Record<string, string> {
    const a = this.metadata.annotations;
    return isJSONObject(a) ? (a as Record<string, string>) : {};
  }

  /** PrefixesSuffixesEquals (resource.go): whether two resources came through the same layers' prefixes and suffixes. */
  prefixesSuffixesEqual(o: Resource, allowEmpty: boolean): boolean {
    if (allowEmpty) {
      const eitherPrefixEmpty = this.prefixes.length === 0 || o.prefixes.length === 0;
      const eitherSuffixEmpty = this.suffixes.length === 0 || o.suffixes.length === 0;
      return (eitherPrefixEmpty || sameEndingSubSlice(this.prefixes, o.prefixes)) && (eitherSuffixEmpty || sameEndingSubSlice(this.suffixes, o.suffixes));
    }
    return sameEndingSubSlice(this.prefixes, o.prefixes) && sameEndingSubSlice(this.suffixes, o.suffixes);
  }

  copy(): Resource {
    const r = new Resource(structuredClone(this.obj));
    r.prevIds = this.prevIds.map((id) => ({ ...id, gvk: { ...id.gvk } }));
    r.prefixes = [...this.prefixes];
    r.suffixes = [...this.suffixes];
    r.needsHashSuffix = this.needsHashSuffix;
    r.behavior = this.behavior;
    return r;
  }
}

/** utils.SameEndingSubSlice: whether the shorter slice is the end of the longer one (an empty one only of an empty one). */
function sameEndingSubSlice(a: string[], b: string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const off = long.length - short.length;
  if (short.length === 0) return off === 0;
  return short.every((s, i) => long[off + i] === s);
}

/** The legacy output order (api/internal/builtins/SortOrderTransformer.go legacyIDSorter, kyaml/resid/gvk.go's lists). */
const ORDER_FIRST = [
  "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy",
  "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service",
  "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet",
  "CronJob", "PodDisruptionBudget",
];
const ORDER_LAST = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];
const TYPE_ORDERS = new Map<string, number>([
  ...ORDER_FIRST.map((k, i) => [k, -ORDER_FIRST.length + i] as [string, number]),
  ...ORDER_LAST.map((k, i) => [k, 1 + i] as [string, number]),
]);

function legacyGvkSortString(g: Gvk): string {
  return [g.group || "~G", g.version || "~V", g.kind || "~K"].join("_");
}

function gvkLessThan(a: Gvk, b: Gvk): boolean {
  const ia = TYPE_ORDERS.get(a.kind) ?? 0;
  const ib = TYPE_ORDERS.get(b.kind) ?? 0;
  if (ia !== ib) return ia < ib;
  if (a.kind === "Namespace" && b.kind === "Namespace" && (a.group === "" || b.group === "")) {
    return legacyGvkSortString(a) > legacyGvkSortString(b);
  }
  return legacyGvkSortString(a) < legacyGvkSortString(b);
}

function legacyResIdSortString(id: ResId): string {
  return [gvkString(id.gvk), id.namespace || "~X", id.name || "~N"].join("|");
}

/** Sorts as kubectl's `-k` and `kubectl kustomize` do (ReorderOptionLegacy); stable for equal ids. */
export function legacySort(resources: Resource[]): Resource[] {
  const keyed = resources.map((r, i) => ({ r, i, id: r.curId() }));
  keyed.sort((x, y) => {
    if (!gvkEquals(x.id.gvk, y.id.gvk)) return gvkLessThan(x.id.gvk, y.id.gvk) ? -1 : 1;
    const a = legacyResIdSortString(x.id);
    const b = legacyResIdSortString(y.id);
    return a < b ? -1 : a > b ? 1 : x.i - y.i;
  });
  return keyed.map((k) => k.r);
}
