/**
 * The registries' validation (strategy Validate / ValidateUpdate), run after every mutating
 * step: the object's field errors become the API server's Invalid error.
 */
import { invalidError } from "../errors.ts";
import type { AdmissionPlugin } from "../store.ts";
import { validateCreate, validateUpdate } from "../validation/index.ts";

export const validation: AdmissionPlugin = {
  name: "Validation",
  validate(obj, op, old, api) {
    const errs = op === "UPDATE" && old ? validateUpdate(obj, old) : validateCreate(obj);
    if (errs.length) throw invalidError(obj.kind, obj.metadata.name ?? "", errs, api.resource(api.keyOf(obj)).group);
  },
};
