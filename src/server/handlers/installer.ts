/**
 * The resource routes (staging/src/k8s.io/apiserver/pkg/endpoints/installer.go): which handler
 * serves which verb on which path, collections, objects and subresources.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../../api/errors.ts";
import { apiVersionOf } from "../../api/resources.ts";
import type { Cluster } from "../../cluster.ts";
import { checkExec, parseExecRequest } from "../remotecommand.ts";
import { createBinding } from "../registry/binding.ts";
import { getLog } from "../registry/podlog.ts";
import { scaleSubresource } from "../registry/scale.ts";
import { createResource } from "./create.ts";
import { deleteCollection, deleteResource } from "./delete.ts";
import { getResource, listResource } from "./get.ts";
import { patchResource } from "./patch.ts";
import type { RequestScope, Result, Route } from "./rest.ts";
import { send } from "./responsewriters.ts";
import { updateResource } from "./update.ts";

export function parseRoute(cluster: Cluster, gv: string, rest: string): Route | undefined {
  const parts = rest.split("/").filter(Boolean);
  const find = (plural: string) => cluster.api.registry.resources().find((r) => r.plural === plural && apiVersionOf(r) === gv);
  if (parts[0] === "namespaces" && parts.length >= 3) {
    const r = find(parts[2]);
    if (!r) return undefined;
    return { r, namespace: parts[1], name: parts[3], sub: parts[4] };
  }
  const r = find(parts[0]);
  if (!r) return undefined;
  return { r, name: parts[1], sub: parts[2] };
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
  };
  cluster.clock.settle();
  const result = dispatch(s);
  cluster.clock.settle();
  // Warnings go back as HTTP Warning headers (code 299), which kubectl prints as `Warning: ...`.
  if (s.warnings.length && !res.headersSent) res.setHeader("Warning", s.warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  if (result !== undefined) send(res, result.code, result.body);
}

function dispatch(s: RequestScope): Result {
  const { r, method } = s;
  const { name, sub } = s.route;
  if (!r.storable) throw new ApiError("MethodNotAllowed", `the server does not allow this method on the requested resource`);
  if (!name) {
    if (method === "GET") return listResource(s);
    if (method === "POST") return createResource(s);
    if (method === "DELETE") return deleteCollection(s);
    throw new ApiError("MethodNotAllowed", `the server does not allow this method on the requested resource`);
  }
  if (sub === "exec" && r.kind === "Pod") {
    // Reached only without an Upgrade header (WebSocket requests go through the upgrade handler).
    checkExec(s.cluster, parseExecRequest(s.ns ?? "default", name, s.query));
    throw new ApiError("BadRequest", "Upgrade request required");
  }
  if (sub === "log" && r.kind === "Pod" && method === "GET") return getLog(s, name);
  if (sub === "binding" && r.kind === "Pod" && method === "POST") return createBinding(s, name);
  if (sub === "scale" && !r.crd && ["Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"].includes(r.kind)) return scaleSubresource(s, name);
  if (sub && sub !== "status") throw new ApiError("NotFound", `the server could not find the requested resource (${method} ${r.plural}/${sub})`);
  const subresource = sub === "status" ? "status" : "";
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
      throw new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource");
  }
}
