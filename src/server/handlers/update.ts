/** PUT of an object or its status (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/update.go). */
import { ApiError } from "../../api/errors.ts";
import { apiVersionOf } from "../../api/resources.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { shiftObject } from "../timeshift.ts";
import { fieldValidation, isDryRun, parseObject, trackUpdate, type RequestScope, type Result } from "./rest.ts";

export function updateResource(s: RequestScope, name: string, subresource: "" | "status"): Result {
  const { ns, cluster } = s;
  const obj = shiftObject(parseObject(s.body), -s.delta);
  if (obj.metadata?.name && obj.metadata.name !== name) throw new ApiError("BadRequest", `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  obj.metadata = { ...obj.metadata, name, ...(ns ? { namespace: ns } : {}) };
  obj.kind ??= s.r.kind;
  obj.apiVersion ??= apiVersionOf(s.r);
  const stored = cluster.api.get(s.r.key, ns, name);
  if (!subresource) trackUpdate(s, stored && convertFromStorage(stored, s.r), obj);
  const updated = cluster.api.update(obj, { subresource, dryRun: isDryRun(s), fieldValidation: fieldValidation(s.query), warnings: s.warnings });
  return { code: 200, body: convertFromStorage(updated, s.r) };
}
