/**
 * StorageClass updates (pkg/apis/storage/validation/validation.go ValidateStorageClassUpdate,
 * v1.32): parameters, provisioner and reclaimPolicy may not change (Forbidden), nor may
 * volumeBindingMode (ValidateImmutableField). Creation keeps the generic metadata check.
 */
import { F, type Errs } from "./field.ts";
import type { KObject } from "../types.ts";

/** reflect.DeepEqual of two decoded JSON values (a nil map differs from an empty one, as in Go). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function validateStorageClassUpdate(sc: KObject, old: KObject): Errs {
  const errs: Errs = [];
  if (!deepEqual(sc.parameters, old.parameters)) errs.push(F.forbidden("parameters", "updates to parameters are forbidden."));
  if (sc.provisioner !== old.provisioner) errs.push(F.forbidden("provisioner", "updates to provisioner are forbidden."));
  if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(F.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
  if (sc.volumeBindingMode !== old.volumeBindingMode) errs.push(F.invalid("volumeBindingMode", sc.volumeBindingMode ?? null, "field is immutable"));
  return errs;
}
