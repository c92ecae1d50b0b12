/**
 * The resource types the simulated API server serves, with the names kubectl resolves
 * (plural, singular, short names), as `kubectl api-resources` lists them on v1.32.
 */
export interface ResourceType {
  kind: string;
  group: string;
  version: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** metadata.generation is tracked (bumped on spec changes). */
  generation: boolean;
}

const T = (
  kind: string,
  group: string,
  version: string,
  plural: string,
  shortNames: string[],
  namespaced: boolean,
  generation = false,
): ResourceType => ({ kind, group, version, plural, singular: kind.toLowerCase(), shortNames, namespaced, generation });

export const RESOURCE_TYPES: ResourceType[] = [
  T("Pod", "", "v1", "pods", ["po"], true),
  T("Node", "", "v1", "nodes", ["no"], false),
  T("Service", "", "v1", "services", ["svc"], true),
  T("Endpoints", "", "v1", "endpoints", ["ep"], true),
  T("Namespace", "", "v1", "namespaces", ["ns"], false),
  T("ConfigMap", "", "v1", "configmaps", ["cm"], true),
  T("Secret", "", "v1", "secrets", [], true),
  T("Event", "", "v1", "events", ["ev"], true),
  T("ServiceAccount", "", "v1", "serviceaccounts", ["sa"], true),
  T("ReplicaSet", "apps", "v1", "replicasets", ["rs"], true, true),
  T("Deployment", "apps", "v1", "deployments", ["deploy"], true, true),
  T("DaemonSet", "apps", "v1", "daemonsets", ["ds"], true, true),
  T("ControllerRevision", "apps", "v1", "controllerrevisions", [], true),
  T("Job", "batch", "v1", "jobs", [], true, true),
  T("CronJob", "batch", "v1", "cronjobs", ["cj"], true, true),
  T("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices", [], true),
  T("PriorityClass", "scheduling.k8s.io", "v1", "priorityclasses", ["pc"], false),
  T("Lease", "coordination.k8s.io", "v1", "leases", [], true),
  T("PodDisruptionBudget", "policy", "v1", "poddisruptionbudgets", ["pdb"], true, true),
];

const byKind = new Map(RESOURCE_TYPES.map((r) => [r.kind, r]));

export function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function resourceForKind(kind: string): ResourceType | undefined {
  return byKind.get(kind);
}

/** The resource for an apiVersion/kind pair as found in a manifest, or undefined when not served. */
export function resourceForGVK(apiVersion: string, kind: string): ResourceType | undefined {
  const r = byKind.get(kind);
  return r && apiVersionOf(r) === apiVersion ? r : undefined;
}

/**
 * Resolves a kubectl resource argument (`pods`, `pod`, `po`, `deployments.apps`, `Pod`) as kubectl's
 * RESTMapper does: case-insensitive plural, singular, short name or kind, optionally `.group`.
 */
export function resolveResourceArg(arg: string): ResourceType | undefined {
  const lower = arg.toLowerCase();
  const dot = lower.indexOf(".");
  const name = dot >= 0 ? lower.slice(0, dot) : lower;
  const group = dot >= 0 ? lower.slice(dot + 1) : undefined;
  for (const r of RESOURCE_TYPES) {
    if (group !== undefined) {
      const g = r.group;
      if (!(g === group || `${r.version}.${g}` === group || (g === "" && (group === "v1" || group === "")))) continue;
    }
    if (r.plural === name || r.singular === name || r.shortNames.includes(name) || r.kind.toLowerCase() === name) return r;
  }
  return undefined;
}
