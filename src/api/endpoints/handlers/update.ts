/** PUT of an object or its status (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/update.go). */
import { convertFromStorage } from "../../conversion/index.ts";
import type { Subresource } from "../../store.ts";
import { bodyFieldValidation, checkNamespaceAndName, decodeObject, isDryRun, shiftFor, trackUpdate, type RequestScope, type Result } from "./rest.ts";

export function updateResource(s: RequestScope, name: string, subresource: Subresource): Result {
  const { ns, cluster } = s;
  const obj = shiftFor(s, decodeObject(s), -s.delta);
  checkNamespaceAndName(s, obj, name);
  // Decoded (unknown fields dropped, wrong types refused, the status too) before the field manager runs.
  const fieldValidation = bodyFieldValidation(s, obj);
  const stored = cluster.api.get(s.r.key, ns, name);
  if (subresource !== "status" && subresource !== "approval") trackUpdate(s, stored && convertFromStorage(stored, s.r), obj, subresource || undefined);
  const updated = cluster.api.update(obj, { subresource, dryRun: isDryRun(s), fieldValidation, warnings: s.warnings });
  return { code: 200, body: convertFromStorage(updated, s.r) };
}
