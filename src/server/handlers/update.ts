/** PUT of an object or its status (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/update.go). */
import { ApiError } from "../../api/errors.ts";
import { shiftObject } from "../timeshift.ts";
import { fieldValidation, isDryRun, parseObject, trackUpdate, type RequestScope, type Result } from "./rest.ts";

export function updateResource(s: RequestScope, name: string, subresource: "" | "status"): Result {
  const { ns, cluster } = s;
  const obj = shiftObject(parseObject(s.body), -s.delta);
  if (obj.metadata?.name && obj.metadata.name !== name) throw new ApiError("BadRequest", `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  obj.metadata = { ...obj.metadata, name, ...(ns ? { namespace: ns } : {}) };
  if (!subresource) trackUpdate(s, cluster.api.get(s.r.kind, ns, name), obj);
  return { code: 200, body: cluster.api.update(obj, { subresource, dryRun: isDryRun(s), fieldValidation: fieldValidation(s.query), warnings: s.warnings }) };
}
