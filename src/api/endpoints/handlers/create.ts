/** POST of a new object (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go). */
import { convertFromStorage } from "../../conversion/index.ts";
import { bodyFieldValidation, checkNamespaceAndName, decodeObject, isDryRun, shiftFor, trackUpdate, type RequestScope, type Result } from "./rest.ts";

export function createResource(s: RequestScope): Result {
  const { r } = s;
  // kube-apiserver takes the kind from the URL when the body leaves it out (client-node's typed
  // calls do), and refuses a body of another kind.
  const obj = shiftFor(s, decodeObject(s), -s.delta);
  checkNamespaceAndName(s, obj);
  // Decoded (unknown fields dropped) before the field manager records what the write set.
  const fieldValidation = bodyFieldValidation(s, obj);
  trackUpdate(s, undefined, obj);
  const created = s.cluster.api.create(obj, { dryRun: isDryRun(s, "CreateOptions"), fieldValidation, warnings: s.warnings });
  return { code: 201, body: convertFromStorage(created, r) };
}
