/**
 * GET of one object and LIST of a collection
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/get.go: GetResource, ListResource).
 */
import { apiVersionOf, RESOURCE_TYPES } from "../../api/resources.ts";
import type { Cluster } from "../../cluster.ts";
import { buildTable } from "../table.ts";
import { fieldPredicate, labelPredicate, wantsTable, type RequestScope, type Result } from "./rest.ts";
import { serveWatch } from "./watch.ts";

export function getResource(s: RequestScope, name: string): Result {
  const obj = s.cluster.api.getOrThrow(s.r.kind, s.ns, name);
  if (wantsTable(s)) return { code: 200, body: buildTable(s.r, [obj], s.cluster.clock.now(), s.query.get("includeObject") ?? "Metadata") };
  return { code: 200, body: obj };
}

export function listResource(s: RequestScope): Result {
  const { r, ns, query: q, cluster } = s;
  const objs = cluster.api.list(r.kind, { namespace: ns, labelSelector: labelPredicate(q.get("labelSelector")), fieldSelector: fieldPredicate(r, q.get("fieldSelector")) });
  if (q.get("watch") === "true" || q.get("watch") === "1") {
    serveWatch(s);
    return undefined;
  }
  if (wantsTable(s)) return { code: 200, body: buildTable(r, objs, cluster.clock.now(), q.get("includeObject") ?? "Metadata") };
  return { code: 200, body: { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(resourceVersion(cluster)) }, items: objs } };
}

function resourceVersion(cluster: Cluster): number {
  let max = 0;
  for (const r of RESOURCE_TYPES) for (const o of cluster.api.list(r.kind)) max = Math.max(max, Number(o.metadata.resourceVersion ?? 0));
  return max;
}
