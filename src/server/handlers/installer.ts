/**
 * The resource routes (staging/src/k8s.io/apiserver/pkg/endpoints/installer.go): which handler
 * serves which verb on which path, collections, objects and subresources.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../../api/errors.ts";
import { apiVersionOf } from "../../api/resources.ts";
import type { Cluster } from "../../cluster.ts";
import { checkExec, parseAttachRequest, parseExecRequest } from "../remotecommand.ts";
import { createBinding } from "../registry/binding.ts";
import { createEviction } from "../registry/eviction.ts";
import { createServiceAccountToken } from "../registry/token.ts";
import { getLog } from "../registry/podlog.ts";
import { scaleSubresource } from "../registry/scale.ts";
import { createResource } from "./create.ts";
import { deleteCollection, deleteResource } from "./delete.ts";
import { getResource, listResource } from "./get.ts";
import { patchResource } from "./patch.ts";
import type { RequestScope, Result, Route } from "./rest.ts";
import { send } from "./responsewriters.ts";
import { presentBody, SIMULATED_TIME_HEADER } from "../timeshift.ts";
import { updateResource } from "./update.ts";

export function parseRoute(cluster: Cluster, gv: string, rest: string): Route | undefined {
  let parts = rest.split("/").filter(Boolean);
  // The deprecated `/watch/` prefix (`/api/v1/watch/namespaces/ns/pods`) is a watch of the list.
  const watch = parts[0] === "watch";
  if (watch) parts = parts.slice(1);
  const find = (plural: string | undefined) => cluster.api.registry.resources().find((r) => r.plural === plural && apiVersionOf(r) === gv);
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

/** Serves one request on a resource path; the clock is settled before and after. */
export function serveResource(cluster: Cluster, route: Route, req: IncomingMessage, res: ServerResponse, url: URL, body: string, watchers: Set<() => void>): void {
  const s: RequestScope = {
    cluster,
    route,
    r: route.r,
    ns: route.r.namespaced ? route.namespace : undefined,
    method: req.method ?? "GET",
    query: url.searchParams,
    req,
    res,
    body,
    warnings: [],
    watchers,
    delta: req.headers[SIMULATED_TIME_HEADER] === "simulated" ? 0 : wallClockLead(cluster),
  };
  cluster.clock.settle();
  const result = dispatch(s);
  cluster.clock.settle();
  // Warnings go back as HTTP Warning headers (code 299), which kubectl prints as `Warning: ...`.
  if (s.warnings.length && !res.headersSent) res.setHeader("Warning", s.warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  if (result !== undefined) send(res, result.code, presentBody(result.body, s.delta, s.r.kind));
}

/** How far the wall clock is ahead of the simulated one, in whole seconds (ms). */
export function wallClockLead(cluster: Cluster): number {
  // The HTTP front is outside the simulation: it reads the wall clock to present simulated times.
  const wall = new Date().getTime();
  return Math.floor((wall - cluster.clock.now()) / 1000) * 1000;
}

const VERB_OF_METHOD: Record<string, string> = { GET: "get", PUT: "update", PATCH: "patch", POST: "create", DELETE: "delete" };

/** go-restful's answer to a known path with a method it has no route for (NewGenericServerResponse(405)). */
function methodNotAllowed(): ApiError {
  return new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource", { kind: "", name: "", causes: [] });
}

function dispatch(s: RequestScope): Result {
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
    if (sub === "exec" || sub === "attach") {
      // Reached only without an Upgrade header (WebSocket requests go through the upgrade handler).
      const attach = sub === "attach";
      checkExec(s.cluster, (attach ? parseAttachRequest : parseExecRequest)(s.ns ?? "default", name, s.query), attach, false);
    }
    if (sub === "log") return getLog(s, name);
    if (sub === "binding") return createBinding(s, name);
    if (sub === "eviction") return createEviction(s, name);
    if (sub === "token" && r.kind === "ServiceAccount") return createServiceAccountToken(s, name);
    if (sub === "scale" && !r.crd) return scaleSubresource(s, name);
    if (sub !== "status" && !(sub === "ephemeralcontainers" && r.kind === "Pod")) throw new ApiError("NotFound", "the server could not find the requested resource");
  }
  const subresource = sub === "status" || sub === "ephemeralcontainers" ? sub : "";
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
