/**
 * API discovery as kube-apiserver serves it (legacy, unaggregated form): /api, /apis, and the
 * resource list of each group version, from the API server's resource registry (the built-in
 * resources of src/api/registry/discovery-v1.32.json and the custom resources of its CRDs).
 * Ports k8s.io/apiserver/pkg/endpoints/discovery (group.go, version.go) and the CRD handler's
 * discovery (apiextensions-apiserver pkg/apiserver/customresource_discovery_controller.go).
 */
import { apiVersionOf, DISCOVERY, type ResourceRegistry, type ResourceType } from "../api/resources.ts";
import { APISERVER_ADDRESS, APISERVER_PORT } from "../network/apiserverhost.ts";

export function groupVersions(registry: ResourceRegistry): Map<string, ResourceType[]> {
  const m = new Map<string, ResourceType[]>();
  for (const r of registry.resources()) m.set(apiVersionOf(r), [...(m.get(apiVersionOf(r)) ?? []), r]);
  return m;
}

/**
 * /api: the advertise address and secure port for every client (genericapiserver's DefaultAddresses),
 * the control-plane node's 172.18.0.2:6443 as on kind, whatever address the client reached the
 * facade by; the same answer as the in-process API (src/api/resthandler.ts, kubectl proxy).
 */
export function apiVersions(): unknown {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: `${APISERVER_ADDRESS}:${APISERVER_PORT}` }] };
}

/** /apis: the built-in groups in kube-apiserver's order, then the custom resources' groups. */
export function apiGroupList(registry: ResourceRegistry): unknown {
  const groups: Array<{ name: string; versions: Array<{ groupVersion: string; version: string }>; preferredVersion: { groupVersion: string; version: string } }> = [];
  for (const g of DISCOVERY.groups) groups.push(g);
  const custom = new Map<string, ResourceType[]>();
  for (const r of registry.resources()) if (r.crd && !DISCOVERY.groups.some((g) => g.name === r.group)) custom.set(r.group, [...(custom.get(r.group) ?? []), r]);
  for (const [name, list] of [...custom].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const versions = [...new Set(list.map((r) => r.version))];
    const preferred = list.find((r) => r.preferred)?.version ?? versions[0];
    versions.sort((a, b) => (a === preferred ? -1 : b === preferred ? 1 : 0));
    groups.push({
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${preferred}`, version: preferred },
    });
  }
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

/** /api/v1, /apis/<group>/<version>: the resources and their subresources, or undefined when not served. */
export function apiResourceList(registry: ResourceRegistry, groupVersion: string): unknown | undefined {
  const list = groupVersions(registry).get(groupVersion);
  if (!list) return undefined;
  const resources: unknown[] = [];
  for (const r of [...list].sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0))) {
    resources.push({
      ...(r.categories.length ? { categories: r.categories } : {}),
      kind: r.kind,
      name: r.plural,
      namespaced: r.namespaced,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      singularName: r.singular,
      ...(r.storageVersionHash ? { storageVersionHash: r.storageVersionHash } : {}),
      verbs: r.verbs,
    });
    for (const s of r.subresources) {
      resources.push({
        ...(s.group !== undefined ? { group: s.group } : {}),
        kind: s.kind,
        name: `${r.plural}/${s.name}`,
        namespaced: r.namespaced,
        singularName: "",
        verbs: s.verbs,
        ...(s.version !== undefined ? { version: s.version } : {}),
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}
