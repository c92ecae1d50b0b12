/**
 * GET of one object and LIST of a collection
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/get.go: GetResource, ListResource).
 */
import { apiVersionOf } from "../../api/resources.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import type { Cluster } from "../../cluster.ts";
import { buildTable } from "../table.ts";
import { fieldPredicate, labelPredicate, wantsTable, type RequestScope, type Result } from "./rest.ts";
import { serveWatch } from "./watch.ts";

export function getResource(s: RequestScope, name: string): Result {
  const obj = convertFromStorage(s.cluster.api.getOrThrow(s.r.key, s.ns, name), s.r);
  if (wantsTable(s)) return { code: 200, body: buildTable(s.r, [obj], s.cluster.clock.now(), s.query.get("includeObject") ?? "Metadata") };
  return { code: 200, body: obj };
}

export function listResource(s: RequestScope): Result {
  const { r, ns, query: q, cluster } = s;
  const objs = cluster.api.list(r.key, { namespace: ns, labelSelector: labelPredicate(q.get("labelSelector")), fieldSelector: fieldPredicate(r, q.get("fieldSelector")) });
  if (q.get("watch") === "true" || q.get("watch") === "1") {
    serveWatch(s);
    return undefined;
  }
  // Objects as the requested version shows them (they are stored in the storage version).
  const items = objs.map((o) => convertFromStorage(o, r));
  if (wantsTable(s)) return { code: 200, body: buildTable(r, items, cluster.clock.now(), q.get("includeObject") ?? "Metadata") };
  return { code: 200, body: { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(resourceVersion(cluster)) }, items } };
}

function resourceVersion(cluster: Cluster): number {
  let max = 0;
  const keys = new Set(cluster.api.registry.resources().filter((r) => r.storable).map((r) => r.key));
  for (const k of keys) for (const o of cluster.api.list(k)) max = Math.max(max, Number(o.metadata.resourceVersion ?? 0));
  return max;
}
