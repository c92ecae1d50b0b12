/**
 * The registries' validation (strategy Validate / ValidateUpdate), run after every mutating
 * step: the object's field errors become the API server's Invalid error.
 */
import { invalidError } from "../errors.ts";
import type { AdmissionPlugin } from "../store.ts";
import { validateCreate, validateUpdate } from "../validation/index.ts";
import { validatePodEphemeralContainersUpdate } from "../validation/pod.ts";

export const validation: AdmissionPlugin = {
  name: "Validation",
  // pods/ephemeralcontainers: podEphemeralContainersStrategy.ValidateUpdate.
  subresources: ["", "ephemeralcontainers"],
  validate(obj, op, old, api, attrs) {
    const errs =
      attrs.subresource === "ephemeralcontainers" && old ? validatePodEphemeralContainersUpdate(obj, old) : op === "UPDATE" && old ? validateUpdate(obj, old) : validateCreate(obj);
    if (errs.length) throw invalidError(obj.kind, obj.metadata.name ?? "", errs, api.resource(api.keyOf(obj)).group);
  },
};
