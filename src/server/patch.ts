/**
 * PATCH bodies as kube-apiserver accepts them: the API server's patch logic lives in
 * src/api/patch.ts (the in-process `kubectl patch` applies the same); the facade's handlers
 * import it from here.
 */
export { applyPatch, checkPatchType, mergePatch, parsePatch, type PatchType } from "../api/patch.ts";
