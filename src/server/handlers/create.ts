/** POST of a new object (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go). */
import { ApiError } from "../../api/errors.ts";
import { apiVersionOf } from "../../api/resources.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { shiftObject } from "../timeshift.ts";
import { fieldValidation, isDryRun, parseObject, trackUpdate, type RequestScope, type Result } from "./rest.ts";

export function createResource(s: RequestScope): Result {
  const { r, ns, query: q } = s;
  const obj = shiftObject(parseObject(s.body), -s.delta);
  // kube-apiserver takes the kind from the URL when the body leaves it out (client-node's typed calls do).
  obj.kind ??= r.kind;
  obj.apiVersion ??= apiVersionOf(r);
  trackUpdate(s, undefined, obj);
  if (r.namespaced) {
    obj.metadata = obj.metadata ?? {};
    if (obj.metadata.namespace && obj.metadata.namespace !== ns) throw new ApiError("BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
    obj.metadata.namespace = ns;
  }
  const created = s.cluster.api.create(obj, { dryRun: isDryRun(s, "CreateOptions"), fieldValidation: fieldValidation(q), warnings: s.warnings });
  return { code: 201, body: convertFromStorage(created, r) };
}
