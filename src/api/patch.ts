/**
 * PATCH bodies as kube-apiserver accepts them (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
 * JSON merge patch (RFC 7386), JSON patch (RFC 6902, src/api/jsonpatch.ts) and strategic merge
 * patch (src/api/schema/strategicmerge.ts: merge keys and strategies of each field from the API
 * types, `$patch`, `$retainKeys`, `$setElementOrder`, `$deleteFromPrimitiveList`), with the
 * errors the API server returns. One implementation for the facade's PATCH handler and the
 * in-process `kubectl patch`.
 */
import { ApiError, fieldErr, invalidError } from "./errors.ts";
import { applyJSONPatch, decodeJSONPatch, JSONPatchError } from "./jsonpatch.ts";
import { checkValid, jsonKind } from "./jsonscanner.ts";
import { loadSchema } from "./schema/fields.ts";
import { goValue, strategicMergeMapPatch, StrategicPatchError } from "./schema/strategicmerge.ts";
import { fromUnstructuredError, schemaRoot } from "./schema/unstructured.ts";
import { findUnknownFields } from "./schema/decoder.ts";
import { sortedKeys } from "./schema/fieldorder.ts";
import { resourceForGVK, type ResourceType } from "./resources.ts";
import { clone, type KObject } from "./types.ts";

export type PatchType = "merge" | "strategic" | "json";

/** The most operations a JSON patch may have (handlers/patch.go, maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * The patch types a resource takes (patch.go's PatchResource: custom resources have no Go type to
 * drive a strategic merge, so their PATCH refuses that content type with a 415).
 */
export function checkPatchType(r: ResourceType, type: PatchType): void {
  if (type === "strategic" && r.crd) {
    throw new ApiError(
      "UnsupportedMediaType",
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    );
  }
}

/**
 * The request body as JSON: a body that is not JSON fails as the API server's decoder fails
 * (Go's encoding/json texts; JSON and merge patches say `error decoding patch:` first, as
 * applyJSPatch's strict decode does).
 */
export function parsePatch(body: string, type: PatchType): unknown {
  const syntax = checkValid(body);
  if (syntax) throw new ApiError("BadRequest", type === "strategic" ? syntax : `error decoding patch: ${syntax}`);
  return JSON.parse(body);
}

/**
 * Applies a decoded patch to a copy of `current` and returns it. The patch's shape is checked as
 * the API server's decoding does (a map for merge and strategic patches, a list of operations
 * for a JSON patch); a JSON patch that does not apply fails with the generic 422 the API server
 * returns (NewGenericServerResponse: the library's reason is not passed on).
 */
export function applyPatch(current: KObject, patch: unknown, type: PatchType, seen?: { patchMap?: Record<string, unknown> }): KObject {
  const target = clone(current);
  if (type === "json") {
    let ops: Record<string, unknown>[];
    try {
      ops = decodeJSONPatch(patch);
    } catch (e) {
      if (e instanceof JSONPatchError) throw new ApiError("BadRequest", `error decoding patch: ${e.message}`);
      throw e;
    }
    // handlers/patch.go's maxJSONPatchOperations, checked once the operations are decoded.
    if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
      throw new ApiError("RequestEntityTooLarge", `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
    }
    let out: KObject;
    try {
      out = applyJSONPatch(target, ops) as KObject;
    } catch (e) {
      if (e instanceof JSONPatchError) throw new ApiError("Invalid", "the server rejected our request due to an error in our request", { kind: "", name: "", causes: [] });
      throw e;
    }
    return decodesAs(out, current);
  }
  if (patch !== null && !isObj(patch)) {
    const msg = `json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`;
    throw new ApiError("BadRequest", type === "merge" ? `error decoding patch: ${msg}` : msg);
  }
  if (type === "merge") return decodesAs(mergePatch(target, patch ?? {}) as KObject, current);
  let merged: KObject;
  let patchMap: Record<string, unknown>;
  try {
    const out = strategicMergeMapPatch(target, (patch ?? {}) as Record<string, unknown>, loadSchema().roots[current.kind]);
    merged = out.merged as KObject;
    patchMap = out.patch;
    if (seen) seen.patchMap = patchMap;
  } catch (e) {
    if (e instanceof StrategicPatchError) throw interpretStrategicMergePatchError(e);
    throw e;
  }
  // applyPatchToObject: the merged map is converted into the Go type (FromUnstructured); a value of
  // the wrong type fails the patch with NewInvalid(GroupKind{}, "", patch: Invalid value: <the
  // patch map as %+v>: <the converter's error>).
  const root = schemaRoot(current.apiVersion, current.kind);
  const wrong = root ? fromUnstructuredError(merged, root) : undefined;
  if (wrong) throw invalidError("", "", [fieldErr.invalid("patch", goValue(patchMap), wrong)]);
  return merged;
}

/**
 * The JSON a merge or JSON patch made, as evanphx/json-patch v4 writes it (json.Marshal of a map:
 * keys sorted at every depth; `<`, `>`, `&`, U+2028 and U+2029 escaped), which the API server's
 * 422 for a patched object that does not decode quotes.
 */
export function patchedJSON(patched: unknown): string {
  return JSON.stringify(sortedKeys(patched)).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/**
 * jsonPatcher's runtime.DecodeInto (handlers/patch.go): the JSON a merge or JSON patch made is
 * decoded into the resource's type, and a value of the wrong type fails the patch with the
 * decoder's text in NewInvalid(GroupKind{}, "", patch: Invalid value: <the patched JSON>: …), not
 * the 400 a create or update of the same object gets. The JSON is evanphx/json-patch v4's output
 * (json.Marshal of a map: keys sorted at every depth). A result that is no object, or whose kind
 * or metadata does not decode, is left to the handler (decodePatched); custom resources have no
 * Go type.
 */
function decodesAs(patched: KObject, current: KObject): KObject {
  if (!isObj(patched) || (patched.metadata != null && !isObj(patched.metadata))) return patched;
  // A kind or apiVersion the patch removed is the path's; one it changed is the handler's refusal.
  if ((patched.kind ?? current.kind) !== current.kind || (patched.apiVersion ?? current.apiVersion) !== current.apiVersion) return patched;
  const served = resourceForGVK(current.apiVersion, current.kind);
  if (!served || served.crd) return patched;
  try {
    findUnknownFields(patched, served, false, false, true);
  } catch (e) {
    if (e instanceof ApiError && e.reason === "BadRequest") {
      throw invalidError("", "", [fieldErr.invalid("patch", patchedJSON(patched), e.message.replace(/^.* cannot be handled as a \S+: /, ""))]);
    }
    throw e;
  }
  return patched;
}

/**
 * The patched object's unknown fields, as the API server's conversion into the Go type drops them
 * (FromUnstructuredWithValidation for a strategic merge patch, the strict JSON decoder for the
 * others): dropped before anything else looks at the object, so a patch that adds only an unknown
 * field (`kubectl patch -p '{"spec":{"containers":[{"name":"c","$pach":"delete"}]}}'`, a misspelt
 * directive) changes nothing — no managedFields entry, no new resourceVersion, `patched (no
 * change)` — and is reported as the field validation says: Warn (the default, what kubectl patch
 * gets) as `unknown field "…"` warnings, Strict as upstream's 422 (`patch: Invalid value: <the patch
 * map, or the patched JSON>: strict decoding error: unknown field "…"`; the converter sorts them).
 * Returns the warnings. (`patchMap`: the strategic merge patch's map, undefined for the others;
 * `duplicates`: the paths of the keys a strategic or merge patch's body repeats, which
 * strategicPatchObject and applyJSPatch find with kjson.UnmarshalStrict under Warn and Strict.)
 */
export function dropUnknownFields(applied: KObject, r: ResourceType, mode: "Strict" | "Warn" | "Ignore", patchMap: Record<string, unknown> | undefined, duplicates: string[] = []): string[] {
  const unknown = findUnknownFields(applied, r, true);
  if ((unknown.length === 0 && duplicates.length === 0) || mode === "Ignore") return [];
  // The patch body's own strict errors (kjson.UnmarshalStrict into a map: its duplicate keys, in
  // order) come first, then the decoder's.
  const errors = [...duplicates.map((f) => `duplicate field ${JSON.stringify(f)}`), ...(patchMap ? [...unknown].sort() : unknown).map((f) => `unknown field ${JSON.stringify(f)}`)];
  if (mode === "Warn") return errors;
  throw invalidError("", "", [fieldErr.invalid("patch", patchMap ? goValue(patchMap) : patchedJSON(applied), `strict decoding error: ${errors.join(", ")}`)]);
}

/** mergepatch's errors that handlers/patch.go's interpretStrategicMergePatchError answers as 400 BadRequest. */
const SMP_BAD_REQUEST = new Set([
  "invalid JSON document",
  "invalid patch format of primitive list",
  "invalid patch format of retainKeys",
  "invalid patch format of setElementOrder list",
  "strategic merge patch format is not supported",
]);
/** ... and as the generic 422 (NewGenericServerResponse: the library's text is not passed on). */
const SMP_UNPROCESSABLE = new Set(["lists of lists are not supported", "patch content doesn't match retainKeys list"]);

/**
 * interpretStrategicMergePatchError (handlers/patch.go): mergepatch's sentinel errors are 400 or a
 * generic 422; every other error of the merge (`unknown patch type: …`, `map: … does not contain
 * declared merge key: name`, `merging lists cannot yet be specified in the patch`…) is returned
 * as it is, which the handler answers as a 500 Status without reason carrying its text
 * (ErrorToAPIStatus; kubectl prints `Error from server: …`).
 */
export function interpretStrategicMergePatchError(e: StrategicPatchError): ApiError {
  if (SMP_BAD_REQUEST.has(e.message)) return new ApiError("BadRequest", e.message);
  if (SMP_UNPROCESSABLE.has(e.message)) return new ApiError("Invalid", "the server rejected our request due to an error in our request", { kind: "", name: "", causes: [] });
  return new ApiError("", e.message);
}

/** RFC 7386: objects merge key by key, null deletes, anything else (lists included) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Record<string, unknown> = isObj(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
