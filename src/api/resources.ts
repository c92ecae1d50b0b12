/**
 * The resource registry: every group/version/resource the simulated kube-apiserver serves, with
 * the names kubectl resolves (plural, singular, short names, kind), scope, verbs, subresources and
 * categories, as `kubectl api-resources` and discovery show them on v1.32.
 *
 * The built-in resources are data: registry/discovery-v1.32.json (upstream's discovery documents,
 * see its `$comment` for provenance). Custom resources join at run time, one registry per API
 * server (a CustomResourceDefinition adds its resource when it becomes Established), so code that
 * may meet custom resources asks `api.registry`; the module-level functions answer for the
 * built-in resources alone.
 *
 * Ports: the REST mapping of k8s.io/apimachinery/pkg/api/meta (restmapper), the discovery of
 * k8s.io/apiserver/pkg/endpoints/discovery, and kubectl's resource resolution (cli-runtime).
 */
import { readFileSync } from "node:fs";

export interface SubresourceInfo {
  /** `status`, `scale`, `log`, `exec`, ... */
  name: string;
  /** The kind the subresource takes and returns (`Scale`, `Binding`, `Eviction`, the kind itself). */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ResourceType {
  kind: string;
  group: string;
  version: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** metadata.generation is tracked (bumped on changes outside metadata and status). */
  generation: boolean;
  verbs: string[];
  categories: string[];
  subresources: SubresourceInfo[];
  /**
   * The storage key: objects of every version of one resource share it (HPA autoscaling/v1 and
   * v2, core and events.k8s.io Events). For built-in resources it is the storage kind, which is
   * what `api.get(kind, ...)` takes; for custom resources `<plural>.<group>` (the CRD's name).
   */
  key: string;
  /** The apiVersion objects are stored in (the storage version). */
  storageVersion: string;
  storageVersionHash?: string;
  /** This version is the group's preferred version (what kubectl picks for a bare name). */
  preferred: boolean;
  /** The resource keeps objects (false for bindings, reviews, componentstatuses). */
  storable: boolean;
  /** The CustomResourceDefinition that defines it (custom resources only). */
  crd?: string;
  /** A custom resource version's openAPIV3Schema (served in the facade's OpenAPI). */
  schema?: unknown;
  /** A custom resource version's additionalPrinterColumns (`kubectl get` columns). */
  printerColumns?: PrinterColumn[];
}

/** A CRD version's additionalPrinterColumns entry (apiextensions.k8s.io/v1 CustomResourceColumnDefinition). */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

interface DiscoveryResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  group?: string;
  version?: string;
  storageVersionHash?: string;
}

interface DiscoveryData {
  groups: Array<{ name: string; versions: Array<{ groupVersion: string; version: string }>; preferredVersion: { groupVersion: string; version: string } }>;
  resourceLists: Array<{ groupVersion: string; resources: DiscoveryResource[] }>;
}

/** Kinds whose registry strategy sets metadata.generation (PrepareForCreate/PrepareForUpdate). */
const GENERATION_KINDS = new Set([
  "ReplicationController", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob", "PodDisruptionBudget",
  "Ingress", "IngressClass", "NetworkPolicy", "CustomResourceDefinition", "FlowSchema", "PriorityLevelConfiguration",
  "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
]);

/** Resources stored in another version's storage (etcd key and object shape of that version). */
const STORAGE: Record<string, { key: string; storageVersion: string }> = {
  "autoscaling/v1/horizontalpodautoscalers": { key: "HorizontalPodAutoscaler", storageVersion: "autoscaling/v2" },
  "events.k8s.io/v1/events": { key: "Event", storageVersion: "v1" },
};

export const DISCOVERY: DiscoveryData = JSON.parse(readFileSync(new URL("./registry/discovery-v1.32.json", import.meta.url), "utf8"));

function buildBuiltins(): ResourceType[] {
  const preferred = new Set(["v1", ...DISCOVERY.groups.map((g) => g.preferredVersion.groupVersion)]);
  const out: ResourceType[] = [];
  for (const list of DISCOVERY.resourceLists) {
    const [group, version] = list.groupVersion.includes("/") ? list.groupVersion.split("/") : ["", list.groupVersion];
    for (const d of list.resources) {
      if (d.name.includes("/")) continue;
      const subs = list.resources
        .filter((s) => s.name.startsWith(d.name + "/"))
        .map((s) => ({ name: s.name.slice(d.name.length + 1), kind: s.kind, verbs: s.verbs, ...(s.group !== undefined ? { group: s.group, version: s.version } : {}) }));
      const st = STORAGE[`${list.groupVersion}/${d.name}`];
      out.push({
        kind: d.kind,
        group,
        version,
        plural: d.name,
        singular: d.singularName,
        shortNames: d.shortNames ?? [],
        namespaced: d.namespaced,
        generation: GENERATION_KINDS.has(d.kind),
        verbs: d.verbs,
        categories: d.categories ?? [],
        subresources: subs,
        key: st?.key ?? d.kind,
        storageVersion: st?.storageVersion ?? list.groupVersion,
        ...(d.storageVersionHash ? { storageVersionHash: d.storageVersionHash } : {}),
        preferred: preferred.has(list.groupVersion),
        storable: d.verbs.includes("get") && d.verbs.includes("list"),
      });
    }
  }
  return out;
}

/**
 * Every built-in resource (every served version), in discovery order: the core group, then the
 * groups in /apis order (kube-apiserver's group priority) with the preferred version first, each
 * version's resources by name. Category expansion (`kubectl get all`) follows this order.
 */
export const BUILTIN_RESOURCES: readonly ResourceType[] = Object.freeze(sortByDiscovery(buildBuiltins()));

function sortByDiscovery(list: ResourceType[]): ResourceType[] {
  const rank = new Map<string, number>([["v1", 0]]);
  DISCOVERY.groups.forEach((g, i) => g.versions.forEach((v, j) => rank.set(v.groupVersion, (i + 1) * 100 + j)));
  return list
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (rank.get(apiVersionOf(a.r)) ?? 1e9) - (rank.get(apiVersionOf(b.r)) ?? 1e9) || a.i - b.i)
    .map((x) => x.r);
}

/** The built-in resources kubectl resolves bare names to: one per resource, its preferred version. */
export const RESOURCE_TYPES: ResourceType[] = BUILTIN_RESOURCES.filter((r) => r.preferred);

export function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `plural.group` (`deployments.apps`, `pods`): how API errors and kubectl name a resource. */
export function groupResource(r: ResourceType): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "");

/**
 * The resources one API server serves: the built-in ones and the custom resources of its
 * Established CustomResourceDefinitions.
 */
/** How many distinct names `ResourceRegistry.resolve` remembers. */
const RESOLVED_MAX = 512;

/**
 * The lookup tables of one set of served resources. Built once for the built-in resources and
 * shared by every API server until it serves a custom resource (a CRD established or removed
 * gives that server tables of its own): every scenario's cluster would otherwise build the same
 * ~200-entry maps at creation.
 */
class ResourceIndex {
  readonly byKey = new Map<string, ResourceType>();
  readonly byGVK = new Map<string, ResourceType>();
  /** The same as byGVK, by apiVersion then kind. */
  readonly byVersionAndKind = new Map<string, Map<string, ResourceType>>();
  /** `resolve`'s answers for these resources (kubectl resolves the same few names over and over). */
  readonly resolved = new Map<string, ResourceType | undefined>();
  /** The preferred versions, and each category's resources, once asked for (callers get copies). */
  preferred: readonly ResourceType[] | undefined;
  readonly categories = new Map<string, readonly ResourceType[]>();
  /** Every resource in discovery's order (the shortcut expander's priority), once asked for. */
  prioritized: readonly ResourceType[] | undefined;

  constructor(readonly all: readonly ResourceType[]) {
    for (const r of all) {
      // The key's resource is the one in the storage version.
      const had = this.byKey.get(r.key);
      if (!had || (apiVersionOf(r) === r.storageVersion && apiVersionOf(had) !== had.storageVersion)) this.byKey.set(r.key, r);
      const gvk = `${apiVersionOf(r)}/${r.kind}`;
      if (!this.byGVK.has(gvk)) {
        this.byGVK.set(gvk, r);
        let kinds = this.byVersionAndKind.get(apiVersionOf(r));
        if (!kinds) this.byVersionAndKind.set(apiVersionOf(r), (kinds = new Map()));
        kinds.set(r.kind, r);
      }
    }
  }
}

/** The built-in resources' tables, built on first use. */
let builtinIndex: ResourceIndex | undefined;

export class ResourceRegistry {
  private index: ResourceIndex = (builtinIndex ??= new ResourceIndex(BUILTIN_RESOURCES));
  /** Bumped on every change (discovery caches compare it). */
  generation = 1;

  /** Every served resource, every version. */
  resources(): readonly ResourceType[] {
    return this.index.all;
  }

  /** One per resource: the preferred version (as kubectl's RESTMapper prefers). */
  preferredResources(): ResourceType[] {
    return (this.index.preferred ??= this.index.all.filter((r) => r.preferred)).slice();
  }

  /** The resource (preferred version) of a storage key: `Pod`, `Deployment`, `crontabs.stable.example.com`. */
  byStorageKey(key: string): ResourceType | undefined {
    return this.index.byKey.get(key);
  }

  /** The resource serving an apiVersion/kind pair as found in a manifest, or undefined when not served. */
  forGVK(apiVersion: string, kind: string): ResourceType | undefined {
    // By apiVersion, then kind: no key string is built per call (the store asks for every write and watch event).
    return this.index.byVersionAndKind.get(apiVersion)?.get(kind);
  }

  /** The resources serving a kind in any group (kubectl's "no matches for kind" hints). */
  forKind(kind: string): ResourceType[] {
    return this.index.all.filter((r) => r.kind === kind);
  }

  /** Adds (or replaces) the versions of a custom resource. */
  addCustom(crdName: string, versions: ResourceType[]): void {
    this.reindex(this.index.all.filter((r) => r.crd !== crdName).concat(versions));
  }

  removeCustom(crdName: string): void {
    if (!this.index.all.some((r) => r.crd === crdName)) return;
    this.reindex(this.index.all.filter((r) => r.crd !== crdName));
  }

  /** The served version of the resource `r` in `apiVersion`, if served. */
  version(r: ResourceType, apiVersion: string): ResourceType | undefined {
    return this.index.all.find((x) => x.key === r.key && apiVersionOf(x) === apiVersion);
  }

  /**
   * Resolves a kubectl resource argument (`pods`, `pod`, `po`, `deployments.apps`,
   * `deployments.v1.apps`, `Pod`, `crontabs.stable.example.com`) as kubectl's RESTMapper does:
   * case-insensitive plural, singular, short name or kind, optionally `.group` or `.version.group`.
   */
  resolve(arg: string): ResourceType | undefined {
    const resolved = this.index.resolved;
    if (resolved.has(arg)) return resolved.get(arg);
    const r = this.resolveUncached(arg);
    // Bounded: a long-lived API server (`kube-scenario serve`) may be asked any name.
    if (resolved.size < RESOLVED_MAX) resolved.set(arg, r);
    return r;
  }

  private resolveUncached(arg: string): ResourceType | undefined {
    // schema.ParseResourceArg: `name`, `name.group`, `name.version.group`. The name keeps its case
    // for the shortcut expander (`PO` is no short name); the RESTMapper lowercases it (`Pods`).
    const dot = arg.indexOf(".");
    const name = dot >= 0 ? arg.slice(0, dot) : arg;
    const qualifier = dot >= 0 ? arg.slice(dot + 1).toLowerCase() : undefined;
    if (qualifier !== undefined) {
      // `.version.group` first (mappingFor: a fully specified resource), then `.group`.
      const vdot = qualifier.indexOf(".");
      if (vdot > 0) {
        const hit = this.lookup(name, qualifier.slice(vdot + 1), qualifier.slice(0, vdot));
        if (hit) return hit;
      }
      return this.lookup(name, qualifier) ?? (qualifier === "v1" ? this.lookup(name, "") : undefined);
    }
    return this.lookup(name, undefined);
  }

  /**
   * KindFor behind kubectl's builder: the shortcut expander, then the priority RESTMapper (the
   * lowercased name as a plural, singular or kind; the first group in discovery's order, its
   * preferred version unless a version is given).
   */
  private lookup(name: string, group: string | undefined, version?: string): ResourceType | undefined {
    const expanded = this.expandShortcut(name, group);
    const resource = expanded ? expanded.plural : name.toLowerCase();
    const g = expanded ? expanded.group : group;
    const hits = this.prioritized().filter(
      (r) =>
        (g === undefined || r.group === g) &&
        (version === undefined || r.version === version) &&
        (r.plural === resource || r.singular === resource || (!expanded && r.kind.toLowerCase() === resource)),
    );
    if (hits.length === 0) return undefined;
    const inGroup = hits.filter((r) => r.group === hits[0]!.group);
    return inGroup.find((r) => r.preferred) ?? inGroup[0];
  }

  /** Every served resource in discovery's order (see prioritize). */
  prioritized(): readonly ResourceType[] {
    return (this.index.prioritized ??= prioritize(this.index.all));
  }

  /**
   * client-go's shortcut expander (restmapper/shortcut.go expandResourceShortcut), case-sensitive
   * as upstream: a name that is some resource's plural or singular (in `group` when given) is not
   * expanded; else the first resource in discovery's order having it as a short name (in `group`
   * when given; else a group starting with `group`) gives its plural and group, and `others` lists
   * the lower-priority resources having it too (`plural.group`, once each: kubectl warns `short name
   * "ev" could also match lower priority resource events.events.k8s.io`). Undefined when not
   * expanded.
   */
  expandShortcut(name: string, group?: string): { plural: string; group: string; others: string[] } | undefined {
    const all = this.prioritized();
    if (all.some((r) => (group === undefined || r.group === group) && (r.plural === name || r.singular === name))) return undefined;
    let found: { plural: string; group: string; others: string[] } | undefined;
    for (const r of all) {
      if ((group !== undefined && r.group !== group) || !r.shortNames.includes(name)) continue;
      if (!found) {
        found = { plural: r.plural, group: r.group, others: [] };
        continue;
      }
      const gr = groupResource(r);
      if ((r.plural === found.plural && r.group === found.group) || found.others.includes(gr)) continue;
      found.others.push(gr);
    }
    if (found || group === undefined) return found;
    // "match on group prefixing. This allows autoscal to match autoscaling"
    const byPrefix = all.find((r) => r.group.startsWith(group) && r.shortNames.includes(name));
    return byPrefix && { plural: byPrefix.plural, group: byPrefix.group, others: [] };
  }

  /** Every resource of a category (`all`, `api-extensions`, a CRD's own), preferred versions. */
  category(name: string): ResourceType[] {
    const index = this.index;
    let members = index.categories.get(name);
    if (!members) {
      members = this.preferredResources().filter((r) => r.categories.includes(name));
      // Bounded as `resolve`'s answers: a long-lived API server may be asked any name.
      if (index.categories.size < RESOLVED_MAX) index.categories.set(name, members);
    }
    return members.slice();
  }

  /** New tables for a changed set of resources (never the shared built-in ones). */
  private reindex(all: readonly ResourceType[]): void {
    this.index = new ResourceIndex(all);
    this.generation++;
  }
}

/**
 * Discovery's order, as `kube-scenario serve` serves it (src/server/discovery.ts) and kubectl's
 * shortcut expander and priority RESTMapper rank resources: the core group, the built-in groups in
 * /apis order, then the custom resources' groups by name; in a group the preferred version first,
 * then the others in the order served; in a version the resources by name.
 */
function prioritize(all: readonly ResourceType[]): ResourceType[] {
  const builtinRank = new Map<string, number>([["", 0]]);
  DISCOVERY.groups.forEach((g, i) => builtinRank.set(g.name, i + 1));
  const versionRank = new Map<string, number>();
  all.forEach((r, i) => {
    const gv = apiVersionOf(r);
    if (!versionRank.has(gv)) versionRank.set(gv, i);
  });
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return all
    .map((r, i) => ({ r, i }))
    .sort((x, y) => {
      const a = x.r;
      const b = y.r;
      const ga = builtinRank.get(a.group) ?? Infinity;
      const gb = builtinRank.get(b.group) ?? Infinity;
      if (ga !== gb) return ga - gb;
      if (a.group !== b.group) return cmp(a.group, b.group);
      if (a.version !== b.version) {
        if (a.preferred !== b.preferred) return a.preferred ? -1 : 1;
        return versionRank.get(apiVersionOf(a))! - versionRank.get(apiVersionOf(b))!;
      }
      return cmp(a.plural, b.plural) || x.i - y.i;
    })
    .map((x) => x.r);
}

const BUILTIN = new ResourceRegistry();

/** The built-in resource (preferred version) stored under a kind. */
export function resourceForKind(kind: string): ResourceType | undefined {
  return BUILTIN.byStorageKey(kind);
}

/** The built-in resource for an apiVersion/kind pair, or undefined when not served. */
export function resourceForGVK(apiVersion: string, kind: string): ResourceType | undefined {
  return BUILTIN.forGVK(apiVersion, kind);
}

/** Resolves a kubectl resource argument against the built-in resources (see ResourceRegistry.resolve). */
export function resolveResourceArg(arg: string): ResourceType | undefined {
  return BUILTIN.resolve(arg);
}

export { groupOf };
