/**
 * JSON to CEL values, as kube-apiserver hands unstructured objects to CEL
 * (k8s.io/apiserver/pkg/cel/types.go UnstructuredToVal without a schema: a dynamic object):
 * objects become maps, arrays lists, integral numbers int (int64) and other numbers double.
 * JSON cannot tell `1` from `1.0`: a whole number is an int (what a decoded manifest holds).
 * Lists and maps are built as @bufbuild/cel's own (celList, celMap) once, rather than wrapped at
 * every access: a comprehension over them runs about three times faster.
 */
import type { CelInput } from "@bufbuild/cel";
import { celRuntime } from "./runtime.ts";

export function toCel(v: unknown): CelInput {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      return Number.isInteger(v) ? BigInt(v) : v;
    case "bigint":
      return v;
    case "object": {
      if (Array.isArray(v)) return celRuntime().celList(v.map(toCel));
      const m = new Map<string, CelInput>();
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) m.set(k, toCel(x));
      return celRuntime().celMap(m);
    }
    default:
      return null;
  }
}
