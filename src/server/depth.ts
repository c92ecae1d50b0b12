/**
 * How deep a request's body may nest: the limit lives in src/api/depth.ts (the REST handlers that
 * kubectl proxy and the in-pod API server share apply it too); the facade imports it from here.
 */
export { checkBodyDepth, jsonDepth, MAX_BODY_DEPTH, tooDeep, valueDepth, yamlDepth } from "../api/depth.ts";
