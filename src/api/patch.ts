/**
 * PATCH bodies as kube-apiserver accepts them (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
 * JSON merge patch (RFC 7386), JSON patch (RFC 6902, src/api/jsonpatch.ts) and strategic merge
 * patch (src/api/schema/strategicmerge.ts: merge keys and strategies of each field from the API
 * types, `$patch`, `$retainKeys`, `$setElementOrder`, `$deleteFromPrimitiveList`), with the
 * errors the API server returns. One implementation for the facade's PATCH handler and the
 * in-process `kubectl patch`.
 */
import { ApiError } from "./errors.ts";
import { applyJSONPatch, decodeJSONPatch, JSONPatchError } from "./jsonpatch.ts";
import { checkValid, jsonKind } from "./jsonscanner.ts";
import { loadSchema } from "./schema/fields.ts";
import { strategicMergePatch, StrategicPatchError } from "./schema/strategicmerge.ts";
import type { ResourceType } from "./resources.ts";
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
export function applyPatch(current: KObject, patch: unknown, type: PatchType): KObject {
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
    try {
      return applyJSONPatch(target, ops) as KObject;
    } catch (e) {
      if (e instanceof JSONPatchError) throw new ApiError("Invalid", "the server rejected our request due to an error in our request", { kind: "", name: "", causes: [] });
      throw e;
    }
  }
  if (patch !== null && !isObj(patch)) {
    const msg = `json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`;
    throw new ApiError("BadRequest", type === "merge" ? `error decoding patch: ${msg}` : msg);
  }
  if (type === "merge") return mergePatch(target, patch ?? {}) as KObject;
  try {
    return strategicMergePatch(target, patch ?? {}, loadSchema().roots[current.kind]) as KObject;
  } catch (e) {
    if (e instanceof StrategicPatchError) throw new ApiError("BadRequest", e.message);
    throw e;
  }
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
