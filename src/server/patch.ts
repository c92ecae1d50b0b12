/**
 * PATCH bodies as kube-apiserver accepts them: JSON merge patch (RFC 7386), JSON patch (RFC 6902)
 * and strategic merge patch. The strategic merge is approximated: lists of objects with a `name`
 * (containers, ports, volumes...) merge item by item on that key, other lists are replaced, and
 * `$`-directives (`$setElementOrder`, `$retainKeys`, `$patch: delete`) are honoured where simple.
 */
import { ApiError } from "../api/errors.ts";
import { clone, type KObject } from "../api/types.ts";

export type PatchType = "merge" | "strategic" | "json";

export function applyPatch(current: KObject, patch: any, type: PatchType): KObject {
  const target = clone(current);
  if (type === "json") return jsonPatch(target, patch);
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) throw new ApiError("BadRequest", "a merge patch must be a JSON object");
  return mergePatch(target, patch, type === "strategic") as KObject;
}

function mergePatch(target: any, patch: any, strategic: boolean): any {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) return clone(patch);
  const out = target && typeof target === "object" && !Array.isArray(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (strategic && k.startsWith("$")) continue;
    if (v === null) delete out[k];
    else if (strategic && Array.isArray(v) && Array.isArray(out[k]) && isNamedList(v) && isNamedList(out[k])) out[k] = mergeNamedList(out[k], v);
    else if (v && typeof v === "object" && !Array.isArray(v)) {
      if (strategic && (v as any).$patch === "delete") delete out[k];
      else out[k] = mergePatch(out[k], v, strategic);
    } else out[k] = clone(v);
  }
  return out;
}

function isNamedList(l: unknown[]): boolean {
  return l.every((x) => x && typeof x === "object" && typeof (x as any).name === "string");
}

function mergeNamedList(current: any[], patch: any[]): any[] {
  const out = current.map((x) => clone(x));
  for (const p of patch) {
    const i = out.findIndex((x) => x.name === p.name);
    if (p.$patch === "delete") {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = mergePatch(out[i], p, true);
    else out.push(mergePatch({}, p, true));
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
        parent[key] = clone(op.value);
        break;
      case "remove":
        if (Array.isArray(parent)) parent.splice(key, 1);
        else delete parent[key];
        break;
      case "test":
        if (JSON.stringify(parent[key]) !== JSON.stringify(op.value)) throw new ApiError("Invalid", `the JSON patch test at ${op.path} failed`);
        break;
      default:
        throw new ApiError("BadRequest", `unsupported JSON patch operation ${JSON.stringify(op.op)}`);
    }
  }
  return target;
}
