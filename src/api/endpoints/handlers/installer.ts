/**
 * The resource routes (staging/src/k8s.io/apiserver/pkg/endpoints/installer.go): which handler
 * serves which verb on which path, collections, objects and subresources. Every front end of the
 * API (the facade, kubectl proxy, the in-pod API server) dispatches its resource requests here.
 */
import { ApiError } from "../../errors.ts";
import { apiVersionOf, type ResourceRegistry } from "../../resources.ts";
import { createResource } from "./create.ts";
import { deleteCollection, deleteResource } from "./delete.ts";
import { getResource, listResource } from "./get.ts";
import { patchResource } from "./patch.ts";
import { updateResource } from "./update.ts";
import type { RequestScope, Result, Route } from "./rest.ts";
import { registrySubresource } from "./subresources.ts";

/**
 * The resource a path below a group version names (`rest`: what follows `/api/v1` or
 * `/apis/<group>/<version>`), or undefined: `namespaces/<ns>/<plural>[/<name>[/<sub>]]`,
 * `<plural>[/<name>[/<sub>]]`, and the deprecated `watch/` prefix.
 */
export function parseRoute(registry: ResourceRegistry, gv: string, rest: string): Route | undefined {
  let parts = rest.split("/").filter(Boolean);
  // The deprecated `/watch/` prefix (`/api/v1/watch/namespaces/ns/pods`) is a watch of the list.
  const watch = parts[0] === "watch";
  if (watch) parts = parts.slice(1);
  const find = (plural: string | undefined) => registry.resources().find((r) => r.plural === plural && apiVersionOf(r) === gv);
  if (parts[0] === "namespaces" && parts.length >= 3) {
    const r = find(parts[2]);
    if (r?.namespaced) {
      if (parts.length > 5 || (watch && parts.length > 4)) return undefined;
      return { r, namespace: parts[1], name: parts[3], sub: parts[4], ...(watch ? { watch } : {}) };
    }
  }
  const r = find(parts[0]);
  if (!r || parts.length > 3 || (watch && parts.length > 2)) return undefined;
  return { r, name: parts[1], sub: parts[2], ...(watch ? { watch } : {}) };
}

const VERB_OF_METHOD: Record<string, string> = { GET: "get", PUT: "update", PATCH: "patch", POST: "create", DELETE: "delete" };

/** go-restful's answer to a known path with a method it has no route for (NewGenericServerResponse(405)). */
export function methodNotAllowed(): ApiError {
  return new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource", { kind: "", name: "", causes: [] });
}

/** Serves a resource request: the verb's handler for the route, or the front end's hook for a streaming or registry subresource. */
export function dispatch(s: RequestScope): Result {
  const { r, method } = s;
  const { name, sub } = s.route;
  if (!r.storable) throw methodNotAllowed();
  if (s.route.watch) {
    if (method !== "GET" || sub) throw methodNotAllowed();
    return listResource(s, name);
  }
  if (!name) {
    if (method === "GET") return listResource(s);
    if (method === "POST") return createResource(s);
    if (method === "DELETE") return deleteCollection(s);
    throw methodNotAllowed();
  }
  if (sub) {
    // Only the subresources the registry (discovery) lists exist (404 otherwise), each with its own verbs (405 otherwise).
    const verbs = r.subresources.find((x) => x.name === sub)?.verbs;
    if (!verbs) throw new ApiError("NotFound", "the server could not find the requested resource");
    if (!verbs.includes(VERB_OF_METHOD[method] ?? "")) throw methodNotAllowed();
    if (sub !== "status" && !(sub === "ephemeralcontainers" && r.kind === "Pod") && !(sub === "approval" && r.kind === "CertificateSigningRequest")) {
      const registry = registrySubresource(s, name, sub);
      if (registry !== false) return registry;
      const served = s.hooks?.subresource?.(s, name, sub);
      if (served === false || (served === undefined && !s.hooks?.subresource)) {
        throw new ApiError("NotFound", `the server could not find the requested resource (the in-process API server serves ${method} of ${sub} only through kube-scenario serve)`);
      }
      return served;
    }
  }
  // certificatesigningrequests/approval: the store's approval write (csrApprovalStrategy, src/api/registry/certificates/csr.ts).
  const subresource = sub === "status" || sub === "ephemeralcontainers" || sub === "approval" ? sub : "";
  switch (method) {
    case "GET":
      return getResource(s, name);
    case "PUT":
      return updateResource(s, name, subresource);
    case "PATCH":
      return patchResource(s, name, subresource);
    case "DELETE":
      return deleteResource(s, name);
    default:
      throw methodNotAllowed();
  }
}
