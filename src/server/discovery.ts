/**
 * API discovery as kube-apiserver serves it (legacy, unaggregated form): /api, /apis, and the
 * resource list of each group version, from the same resource registry kubectl resolves names with.
 */
import { apiVersionOf, RESOURCE_TYPES, type ResourceType } from "../api/resources.ts";

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export function groupVersions(): Map<string, ResourceType[]> {
  const m = new Map<string, ResourceType[]>();
  for (const r of RESOURCE_TYPES) m.set(apiVersionOf(r), [...(m.get(apiVersionOf(r)) ?? []), r]);
  return m;
}

export function apiVersions(): unknown {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }] };
}

export function apiGroupList(): unknown {
  const groups = new Map<string, string[]>();
  for (const r of RESOURCE_TYPES) if (r.group) groups.set(r.group, [...new Set([...(groups.get(r.group) ?? []), r.version])]);
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

export function apiResourceList(groupVersion: string): unknown | undefined {
  const list = groupVersions().get(groupVersion);
  if (!list) return undefined;
  const resources: unknown[] = [];
  for (const r of list) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: VERBS,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.kind === "Pod" || r.kind === "Service" || r.kind === "Deployment" || r.kind === "ReplicaSet" || r.kind === "Job" ? { categories: ["all"] } : {}),
    });
    if (["Pod", "Node", "Service", "Deployment", "ReplicaSet", "Job", "CronJob", "Namespace"].includes(r.kind)) {
      resources.push({ name: `${r.plural}/status`, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: ["get", "patch", "update"] });
    }
    if (r.kind === "Deployment" || r.kind === "ReplicaSet") {
      resources.push({ name: `${r.plural}/scale`, singularName: "", namespaced: true, group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] });
    }
    if (r.kind === "Pod") {
      resources.push({ name: "pods/binding", singularName: "", namespaced: true, kind: "Binding", verbs: ["create"] });
      resources.push({ name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] });
      resources.push({ name: "pods/exec", singularName: "", namespaced: true, kind: "PodExecOptions", verbs: ["create", "get"] });
      resources.push({ name: "pods/eviction", singularName: "", namespaced: true, group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}
