/**
 * The facade's resource requests: a scope for the shared REST handlers
 * (src/api/endpoints/handlers/installer.ts, installer.go's routes), with what only
 * `kube-scenario serve` serves as hooks: watches, Tables, the time shift, and the subresources that
 * stream or need the kubelets (log, exec, attach).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../../api/errors.ts";
import type { KObject } from "../../api/types.ts";
import type { Cluster } from "../../cluster.ts";
import { dispatch, parseRoute as parseSharedRoute } from "../../api/endpoints/handlers/installer.ts";
import { presented } from "../../api/endpoints/handlers/responsewriters.ts";
import type { FrontEndHooks, RequestScope as SharedScope, Result, Route } from "../../api/endpoints/handlers/rest.ts";
import { checkExec, parseAttachRequest, parseExecRequest } from "../remotecommand.ts";
import { getLog } from "../registry/podlog.ts";
import { buildTable } from "../table.ts";
import type { RequestScope } from "./rest.ts";
import { send } from "./responsewriters.ts";
import { presentBody, shiftObject, SIMULATED_TIME_HEADER } from "../timeshift.ts";
import { serveWatch } from "./watch.ts";

export function parseRoute(cluster: Cluster, gv: string, rest: string): Route | undefined {
  return parseSharedRoute(cluster.api.registry, gv, rest);
}

/** The subresources only the facade serves, the streaming ones (the shared handlers serve status, ephemeralcontainers, binding, eviction, token and scale). */
function facadeSubresource(shared: SharedScope, name: string, sub: string): Result | false {
  const s = shared as RequestScope;
  if (sub === "exec" || sub === "attach") {
    // Reached only without an Upgrade header (WebSocket requests go through the upgrade handler).
    const attach = sub === "attach";
    checkExec(s.cluster, (attach ? parseAttachRequest : parseExecRequest)(s.ns ?? "default", name, s.query), attach, false);
  }
  if (sub === "log") return getLog(s, name);
  throw new ApiError("NotFound", "the server could not find the requested resource");
}

const FACADE_HOOKS: FrontEndHooks = {
  shift: shiftObject,
  watch: (s, opts) => {
    serveWatch(s as RequestScope, opts);
    return undefined;
  },
  table: (s, items: KObject[], metadata) => buildTable(s.r, items, s.cluster.clock.now(), s.query.get("includeObject") ?? "Metadata", metadata),
  subresource: facadeSubresource,
};

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
    hooks: FACADE_HOOKS,
  };
  cluster.clock.settle();
  const result = dispatch(s);
  cluster.clock.settle();
  // Warnings go back as HTTP Warning headers (code 299), which kubectl prints as `Warning: ...`.
  if (s.warnings.length && !res.headersSent) res.setHeader("Warning", s.warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  // Objects as Go writes them: fields in declaration order, `kind` first (src/api/schema/fieldorder.ts).
  if (result !== undefined) send(res, result.code, presentBody(presented(result.body, s.r), s.delta, s.r.kind));
}

/** The lead each served cluster presents its current simulated instant with. */
const leads = new WeakMap<Cluster, { at: number; lead: number }>();

/**
 * How far the wall clock is ahead of the simulated one, in whole seconds (ms), as read at the first
 * request of the current simulated instant: every answer at one instant presents the same times,
 * so a GET, a list and a watch event of one resourceVersion are the same bytes (reading the wall
 * clock per request moved them a second whenever a second boundary fell between two requests).
 * When the simulated clock follows the wall clock (`serve --real-time`) the lead is kept while it
 * is still within a second of the wall clock's, so it does not flip at a boundary either.
 */
export function wallClockLead(cluster: Cluster, wall = new Date().getTime()): number {
  // The HTTP front is outside the simulation: it reads the wall clock to present simulated times.
  const now = cluster.clock.now();
  const last = leads.get(cluster);
  if (last && last.at === now) return last.lead;
  const exact = wall - now;
  const lead = last && exact >= last.lead && exact < last.lead + 1100 ? last.lead : Math.floor(exact / 1000) * 1000;
  leads.set(cluster, { at: now, lead });
  return lead;
}
