/** DELETE of an object or a collection (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/delete.go). */
import { apiVersionOf } from "../../api/resources.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { deleteOptions, labelPredicate, type RequestScope, type Result } from "./rest.ts";

export function deleteResource(s: RequestScope, name: string): Result {
  return { code: 200, body: convertFromStorage(s.cluster.api.delete(s.r.key, s.ns, name, deleteOptions(s.query, s.body)), s.r) };
}

export function deleteCollection(s: RequestScope): Result {
  const { r, ns, query: q, cluster } = s;
  const objs = cluster.api.list(r.key, { namespace: ns, labelSelector: labelPredicate(q.get("labelSelector")) });
  for (const o of objs) cluster.api.delete(r.key, o.metadata.namespace, o.metadata.name!, deleteOptions(q, s.body));
  return { code: 200, body: { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: {}, items: objs.map((o) => convertFromStorage(o, r)) } };
}
