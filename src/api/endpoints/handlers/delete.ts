/**
 * DELETE of an object or a collection (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/delete.go,
 * and the generic registry's Delete/DeleteCollection in apiserver/pkg/registry/generic/registry/store.go).
 */
import { apiVersionOf, type ResourceType } from "../../resources.ts";
import { convertFromStorage } from "../../conversion/index.ts";
import type { KObject } from "../../types.ts";
import { deleteOptions } from "../../options.ts";
import { fieldPredicate, headerOf, labelPredicate, mediaTypeOf, type RequestScope, type Result } from "./rest.ts";

/**
 * Registries that answer a delete with the deleted object (ReturnDeletedObject: pods, services;
 * namespaces answer theirs, Terminating); the others answer a Success Status naming it.
 */
const RETURNS_DELETED_OBJECT = new Set(["Pod", "Service", "Namespace"]);

/** The media type a DELETE's DeleteOptions body is decoded as (JSON when the request names none). */
const deleteBodyType = (s: RequestScope): string => mediaTypeOf(headerOf(s, "content-type")) || "application/json";

export function deleteResource(s: RequestScope, name: string): Result {
  const opts = deleteOptions(s.query, s.body, deleteBodyType(s));
  const obj = convertFromStorage(s.cluster.api.delete(s.r.key, s.ns, name, opts), s.r);
  return { code: 200, body: deleted(s.r, obj) };
}

/** finalizeDelete: the object when it stays (graceful deletion, finalizers) or its registry returns it, else a Status. */
function deleted(r: ResourceType, obj: KObject): unknown {
  if (RETURNS_DELETED_OBJECT.has(r.kind) || obj.metadata.deletionTimestamp) return obj;
  const details: Record<string, unknown> = { name: obj.metadata.name };
  if (r.group) details.group = r.group;
  details.kind = r.plural;
  details.uid = obj.metadata.uid;
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details };
}

export function deleteCollection(s: RequestScope): Result {
  const { r, ns, query: q, cluster } = s;
  const opts = deleteOptions(q, s.body, deleteBodyType(s));
  const objs = cluster.api.list(r.key, { namespace: ns, labelSelector: labelPredicate(q.get("labelSelector")), fieldSelector: fieldPredicate(r, q.get("fieldSelector")) });
  const items = objs.map((o) => convertFromStorage(cluster.api.delete(r.key, o.metadata.namespace, o.metadata.name!, opts), r));
  return { code: 200, body: { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: {}, items } };
}
