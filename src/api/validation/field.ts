/**
 * field.Error constructors (k8s.io/apimachinery/pkg/util/validation/field) rendering values as
 * upstream does (see goValue), for the validators in this folder.
 */
import type { FieldError } from "../errors.ts";
import { goValue } from "./names.ts";

/** A pre-rendered Go value (for structs and typed nils, which goValue cannot guess). */
export class GoRepr {
  constructor(readonly text: string) {}
}

export const render = (v: unknown): string => (v instanceof GoRepr ? v.text : goValue(v));

export const F = {
  required: (field: string, detail = ""): FieldError => ({ field, detail: detail ? `Required value: ${detail}` : "Required value" }),
  invalid: (field: string, value: unknown, detail: string): FieldError => ({ field, detail: `Invalid value: ${render(value)}${detail ? `: ${detail}` : ""}` }),
  notSupported: (field: string, value: unknown, supported: string[]): FieldError => ({
    field,
    detail: `Unsupported value: ${render(value)}${supported.length ? `: supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}` : ""}`,
  }),
  duplicate: (field: string, value: unknown, detail = ""): FieldError => ({ field, detail: `Duplicate value: ${render(value)}${detail ? `: ${detail}` : ""}` }),
  notFound: (field: string, value: unknown): FieldError => ({ field, detail: `Not found: ${render(value)}` }),
  forbidden: (field: string, detail: string): FieldError => ({ field, detail: detail ? `Forbidden: ${detail}` : "Forbidden" }),
  tooLong: (field: string, max: number): FieldError => ({ field, detail: `Too long: may not be more than ${max} bytes` }),
};

export type Errs = FieldError[];

/** Keys in Go's map iteration order is random; upstream tests sort them, and so do we. */
export const sortedKeys = (m: Record<string, unknown> | undefined | null): string[] => Object.keys(m ?? {}).sort();

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A decoded JSON object of a shape not yet narrowed. */
export type Obj = Record<string, unknown>;
/** The elements of a list as objects: a non-object element reads as `{}` (the decoder has rejected those already). */
export const objs = (v: unknown): Obj[] => arr(v).map((x) => (isObj(x) ? x : {}));
/** A field of an object, or undefined when `v` is not one. */
export const field = (v: unknown, k: string): unknown => (isObj(v) ? v[k] : undefined);
/** `o[k]` made an object (`{}` when it is none) and returned. */
export const objField = (o: Obj, k: string): Obj => {
  const v = o[k];
  return isObj(v) ? v : (o[k] = {});
};
/** A string field's value ("" when absent or not a string: the decoder has rejected other types). */
export const str = (v: unknown): string => (typeof v === "string" ? v : "");
