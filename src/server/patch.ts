/**
 * PATCH bodies as kube-apiserver accepts them: JSON merge patch (RFC 7386), JSON patch (RFC 6902)
 * and strategic merge patch, the latter by src/api/schema/strategicmerge.ts (merge keys and
 * strategies of each field from the API types, `$patch`, `$retainKeys`, `$setElementOrder`,
 * `$deleteFromPrimitiveList`).
 */
import { ApiError } from "../api/errors.ts";
import { loadSchema } from "../api/schema/fields.ts";
import { strategicMergePatch, StrategicPatchError } from "../api/schema/strategicmerge.ts";
import { clone, type KObject } from "../api/types.ts";

export type PatchType = "merge" | "strategic" | "json";

export function applyPatch(current: KObject, patch: any, type: PatchType): KObject {
  const target = clone(current);
  if (type === "json") return jsonPatch(target, patch);
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) throw new ApiError("BadRequest", "json: cannot unmarshal array into Go value of type map[string]interface {}");
  if (type === "merge") return mergePatch(target, patch) as KObject;
  try {
    return strategicMergePatch(target, patch, loadSchema().roots[current.kind]) as KObject;
  } catch (e) {
    if (e instanceof StrategicPatchError) throw new ApiError("BadRequest", e.message);
    throw e;
  }
}

/** RFC 7386: objects merge key by key, null deletes, anything else (lists included) replaces. */
export function mergePatch(target: any, patch: any): any {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) return clone(patch);
  const out = target && typeof target === "object" && !Array.isArray(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function jsonPatch(target: any, ops: any): KObject {
  if (!Array.isArray(ops)) throw new ApiError("BadRequest", "a JSON patch must be an array of operations");
  for (const op of ops) {
    const path = String(op.path ?? "").split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = path.pop();
    if (last === undefined) throw new ApiError("BadRequest", `invalid JSON patch path ${JSON.stringify(op.path)}`);
    let parent = target;
    for (const p of path) {
      parent = parent?.[Array.isArray(parent) ? Number(p) : p];
      if (parent === undefined) throw new ApiError("BadRequest", `the JSON patch path ${op.path} does not exist`);
    }
    const key: any = Array.isArray(parent) ? (last === "-" ? parent.length : Number(last)) : last;
    switch (op.op) {
      case "add":
        if (Array.isArray(parent)) parent.splice(key, 0, clone(op.value));
        else parent[key] = clone(op.value);
        break;
      case "replace":
        if (Array.isArray(parent) ? key >= parent.length : !(key in parent)) throw new ApiError("BadRequest", `the server rejected our request due to an error in our request: doc is missing key: ${op.path}: missing value`);
        parent[key] = clone(op.value);
        break;
      case "remove":
        if (Array.isArray(parent) ? key >= parent.length : !(key in parent)) throw new ApiError("BadRequest", `the server rejected our request due to an error in our request: doc is missing key: ${op.path}: missing value`);
        if (Array.isArray(parent)) parent.splice(key, 1);
        else delete parent[key];
        break;
      case "move":
      case "copy": {
        const from = String(op.from ?? "").split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
        const fromLast = from.pop();
        let fp = target;
        for (const p of from) fp = fp?.[Array.isArray(fp) ? Number(p) : p];
        if (fp === undefined || fromLast === undefined || !(Array.isArray(fp) ? Number(fromLast) < fp.length : fromLast in fp)) {
          throw new ApiError("BadRequest", `the server rejected our request due to an error in our request: doc is missing from path: ${JSON.stringify(op.from)}`);
        }
        const fk: any = Array.isArray(fp) ? Number(fromLast) : fromLast;
        const value = clone(fp[fk]);
        if (op.op === "move") {
          if (Array.isArray(fp)) fp.splice(fk, 1);
          else delete fp[fk];
        }
        if (Array.isArray(parent)) parent.splice(key, 0, value);
        else parent[key] = value;
        break;
      }
      case "test":
        if (JSON.stringify(parent[key]) !== JSON.stringify(op.value)) throw new ApiError("Invalid", `the JSON patch test at ${op.path} failed`);
        break;
      default:
        throw new ApiError("BadRequest", `unsupported JSON patch operation ${JSON.stringify(op.op)}`);
    }
  }
  return target;
}
