/**
 * An HTTP facade over a simulated cluster that speaks enough of the Kubernetes API for the real
 * `kubectl` and `@kubernetes/client-node`: discovery, CRUD, status subresources, pods/binding,
 * pods/log, list with label and field selectors, watch streams, server-side Table output for
 * `kubectl get`, and Status errors. Simulated time moves only through the control endpoint
 * (`POST /kube-scenario/v1/advance?duration=30s`) or, when asked, at real speed.
 * It listens on loopback only. Every request passes the filters of handlerchain.ts first (Host and
 * Origin checks, the bearer token, the in-flight limit, Content-Type and body size), and no
 * handler error ends the process (each becomes an error Status).
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import { ApiError, type StatusReason } from "../api/errors.ts";
import { fieldSelectorFor, labelSelectorAsSelector, parseSelector } from "../api/labels.ts";
import { apiVersionOf, RESOURCE_TYPES, type ResourceType } from "../api/resources.ts";
import { clone, type KObject } from "../api/types.ts";
import type { Cluster } from "../cluster.ts";
import { parse as parseYAML } from "yaml";
import { apiGroupList, apiResourceList, apiVersions } from "./discovery.ts";
import { recordUpdate, serverSideApply } from "./fieldmanager.ts";
import { applyPatch, type PatchType } from "./patch.ts";
import { checkExec, KubeletStreamError, parseExecRequest, serveExec } from "./remotecommand.ts";
import { generateToken } from "./authentication.ts";
import { encodeBody } from "./cachingobject.ts";
import { CONTROL_PREFIX, ControlEndpoints } from "./control.ts";
import { buildHandlerChain, type FilterConfig } from "./handlerchain.ts";
import { kubeconfigFor } from "./kubeconfig.ts";
import { guarded } from "./panicrecovery.ts";
import { readLimitedBody } from "./requestbody.ts";
import { servingCertFor } from "./servingcert.ts";
import { WatchStream, watchEventParts } from "./watchstream.ts";
import { openAPIV3Document, openAPIV3Root } from "./openapi.ts";
import { buildTable } from "./table.ts";

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Advance the simulated clock with the wall clock (ms of simulated time per wall ms). */
  realTime?: boolean;
  /**
   * Enables `POST /kube-scenario/v1/reset`, which replaces the served cluster with a fresh one from
   * this factory (the parity runs start every scenario on a fresh simulated cluster).
   */
  reset?: () => Cluster;
  /**
   * The bearer token every request must carry (see authentication.ts): generated from the CSPRNG
   * when left out. The server then speaks HTTPS with a certificate made at start (servingcert.ts;
   * kubectl sends credentials only over TLS). false turns authentication off and serves plain HTTP
   * (`--insecure-no-auth`).
   */
  token?: string | false;
  /** Host names besides loopback ones that requests may be addressed to (`--allowed-host`). */
  allowedHosts?: string[];
  maxRequestsInFlight?: FilterConfig["maxRequestsInFlight"];
  maxMutatingRequestsInFlight?: FilterConfig["maxMutatingRequestsInFlight"];
}

/**
 * Every response carries this header, so clients (the live backend) can tell the simulated API
 * server from a real one and use its time control instead of waiting.
 */
export const FACADE_HEADER = "x-kube-scenario";

export interface RunningServer {
  server: Server;
  url: string;
  /** The bearer token clients must send (undefined when authentication is off). */
  token: string | undefined;
  /** PEM of the CA of the server's certificate (undefined when it serves plain HTTP). */
  caPEM: string | undefined;
  /** A kubeconfig for this server, with its token. */
  kubeconfig(namespace?: string): string;
  close(): Promise<void>;
}

interface Route {
  r: ResourceType;
  namespace?: string;
  name?: string;
  sub?: string;
}

export async function serve(cluster: Cluster, opts: ServeOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? "127.0.0.1";
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) throw new Error(`the API facade listens on loopback only, not ${host}`);
  const watchers = new Set<() => void>();
  let current = cluster;
  const token = opts.token === false ? undefined : opts.token ?? generateToken();
  const tls = token !== undefined ? await servingCertFor(opts.allowedHosts) : undefined;
  const control = new ControlEndpoints({
    current: () => current,
    reset: opts.reset
      ? () => {
          for (const stop of [...watchers]) stop();
          watchers.clear();
          const old = current;
          current = opts.reset!();
          void old.close();
          return current;
        }
      : undefined,
  });
  // Streams (pods/exec) leave the HTTP server once upgraded: closed here on close().
  const streams = new Set<Duplex>();
  const chain = buildHandlerChain(
    (req, res) => {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (path.startsWith(CONTROL_PREFIX)) return control.serve(req, path, new URL(req.url ?? "/", "http://localhost").searchParams).then(({ code, body }) => send(res, code, body));
      return handle(current, req, res, watchers);
    },
    (req, socket, head) => {
      streams.add(socket);
      socket.on("close", () => streams.delete(socket));
      upgrade(current, req, socket, head);
    },
    sendError,
    (socket, e) => {
      const plain = e instanceof KubeletStreamError;
      const { code, body } = plain ? { code: 500, body: e.message } : errorStatus(e);
      const text = plain ? String(body) : JSON.stringify(body);
      const type = plain ? "text/plain; charset=utf-8" : "application/json";
      socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ""}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    },
    { token, allowedHosts: opts.allowedHosts, maxRequestsInFlight: opts.maxRequestsInFlight, maxMutatingRequestsInFlight: opts.maxMutatingRequestsInFlight },
  );
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader(FACADE_HEADER, "simulated");
    chain.onRequest(req, res);
  };
  const server: Server = tls ? createHttpsServer({ key: tls.keyPEM, cert: tls.certPEM }, listener) : createServer(listener);
  server.on("upgrade", chain.onUpgrade);
  server.on("connect", chain.onConnect);
  let timer: NodeJS.Timeout | undefined;
  return new Promise((resolve) => {
    server.listen(opts.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      if (opts.realTime) {
        let last = performance.now();
        timer = globalThis.setInterval(
          guarded("advancing simulated time with the wall clock", () => {
            const now = performance.now();
            const ms = Math.floor(now - last);
            last += ms;
            current.advanceSync(ms);
          }),
          100,
        );
      }
      const url = `${tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`;
      resolve({
        server,
        url,
        token,
        caPEM: tls?.caPEM,
        kubeconfig: (namespace?: string) => kubeconfigFor(url, { namespace, token, caPEM: tls?.caPEM }),
        close: () =>
          new Promise<void>((done) => {
            if (timer) globalThis.clearInterval(timer);
            for (const stop of watchers) stop();
            for (const s of streams) s.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** An Upgrade request: pods/exec over WebSocket (kubectl exec); nothing else streams. */
function upgrade(cluster: Cluster, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec\/?$/.exec(url.pathname);
  if (!m) throw new ApiError("NotFound", "the server could not find the requested resource");
  cluster.clock.settle();
  const r = parseExecRequest(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), url.searchParams);
  const { container } = checkExec(cluster, r);
  serveExec(cluster, r, container, req, socket, head);
}

async function handle(cluster: Cluster, req: IncomingMessage, res: ServerResponse, watchers: Set<() => void>): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";
  const body = await readLimitedBody(req);
  // `kubectl auth can-i`: the simulated cluster authorizes everything (no RBAC); the review's
  // body (protobuf from kubectl) need not be read to answer.
  if (method === "POST" && path === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") {
    return send(res, 201, { kind: "SelfSubjectAccessReview", apiVersion: "authorization.k8s.io/v1", metadata: {}, spec: {}, status: { allowed: true, reason: "the simulated API server authorizes every request" } });
  }
  if (method === "POST" && path === "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews") {
    const rules = { resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }], nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }], incomplete: false };
    return send(res, 201, { kind: "SelfSubjectRulesReview", apiVersion: "authorization.k8s.io/v1", metadata: {}, spec: {}, status: rules });
  }
  // kubectl's typed clients (`kubectl create deployment|configmap|secret|...`) send protobuf.
  if (String(req.headers["content-type"] ?? "").startsWith("application/vnd.kubernetes.protobuf")) {
    return sendStatus(res, 415, "UnsupportedMediaType" as StatusReason, "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (the simulated API server does not decode protobuf; use a manifest with kubectl create -f or apply -f)");
  }

  if (path === "/version") {
    return send(res, 200, { major: "1", minor: "32", gitVersion: "v1.32.0", gitCommit: "kube-scenario", gitTreeState: "clean", buildDate: "2024-12-11T00:00:00Z", goVersion: "go1.23.3", compiler: "gc", platform: "linux/amd64" });
  }
  if (path === "/healthz" || path === "/readyz" || path === "/livez") return sendText(res, 200, "ok");
  if (path === "/api") return send(res, 200, apiVersions());
  if (path === "/apis") return send(res, 200, apiGroupList());
  if (path === "/openapi/v3") return send(res, 200, openAPIV3Root());
  if (path.startsWith("/openapi/v3/")) {
    const doc = openAPIV3Document(path.slice("/openapi/v3/".length));
    if (!doc) return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(doc.text), Etag: `"${doc.hash}"`, "Cache-Control": url.searchParams.get("hash") === doc.hash ? "public, immutable" : "no-cache, private" });
    res.end(doc.text);
    return;
  }
  if (path.startsWith("/openapi") || path.startsWith("/swagger")) return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");

  const gvMatch = /^\/api\/v1(\/.*)?$/.exec(path) ?? /^\/apis\/([^/]+\/[^/]+)(\/.*)?$/.exec(path);
  if (!gvMatch) return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
  const gv = path.startsWith("/api/") || path === "/api/v1" ? "v1" : gvMatch[1];
  const rest = path.startsWith("/api/") || path === "/api/v1" ? gvMatch[1] ?? "" : gvMatch[2] ?? "";
  if (rest === "") {
    const list = apiResourceList(gv);
    return list ? send(res, 200, list) : sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
  }
  const route = parseRoute(gv, rest);
  if (!route) return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
  cluster.clock.settle();
  const warnings: string[] = [];
  const result = dispatch(cluster, route, method, url, req, res, body, watchers, warnings);
  cluster.clock.settle();
  // Warnings go back as HTTP Warning headers (code 299), which kubectl prints as `Warning: ...`.
  if (warnings.length && !res.headersSent) res.setHeader("Warning", warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  if (result !== undefined) send(res, result.code, result.body);
}

function parseRoute(gv: string, rest: string): Route | undefined {
  const parts = rest.split("/").filter(Boolean);
  const find = (plural: string) => RESOURCE_TYPES.find((r) => r.plural === plural && apiVersionOf(r) === gv);
  if (parts[0] === "namespaces" && parts.length >= 3) {
    const r = find(parts[2]);
    if (!r) return undefined;
    return { r, namespace: parts[1], name: parts[3], sub: parts[4] };
  }
  const r = find(parts[0]);
  if (!r) return undefined;
  return { r, name: parts[1], sub: parts[2] };
}

function dispatch(
  cluster: Cluster,
  route: Route,
  method: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  watchers: Set<() => void>,
  warnings: string[],
): { code: number; body: unknown } | undefined {
  const { api } = cluster;
  const { r, name, sub } = route;
  const ns = r.namespaced ? route.namespace : undefined;
  const wantsTable = /as=Table/.test(String(req.headers.accept ?? ""));
  const q = url.searchParams;
  const dryRun = q.get("dryRun") === "All";

  if (!name) {
    if (method === "GET") {
      const objs = api.list(r.kind, { namespace: ns, labelSelector: labelPredicate(q.get("labelSelector")), fieldSelector: q.get("fieldSelector") ? fieldSelectorFor(r.kind, q.get("fieldSelector")!) : undefined });
      if (q.get("watch") === "true" || q.get("watch") === "1") {
        startWatch(cluster, route, q, res, watchers);
        return undefined;
      }
      if (wantsTable) return { code: 200, body: buildTable(r, objs, cluster.clock.now(), q.get("includeObject") ?? "Metadata") };
      return { code: 200, body: { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: { resourceVersion: resourceVersion(cluster) }, items: objs } };
    }
    if (method === "POST") {
      const obj = parseObject(body);
      // kube-apiserver takes the kind from the URL when the body leaves it out (client-node's typed calls do).
      obj.kind ??= r.kind;
      obj.apiVersion ??= apiVersionOf(r);
      trackUpdate(cluster, undefined, obj, req, q);
      if (r.namespaced) {
        obj.metadata = obj.metadata ?? {};
        if (obj.metadata.namespace && obj.metadata.namespace !== ns) throw new ApiError("BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        obj.metadata.namespace = ns;
      }
      const created = api.create(obj, { dryRun, fieldValidation: fieldValidation(q), warnings });
      return { code: 201, body: created };
    }
    if (method === "DELETE") {
      const objs = api.list(r.kind, { namespace: ns, labelSelector: labelPredicate(q.get("labelSelector")) });
      for (const o of objs) api.delete(r.kind, o.metadata.namespace, o.metadata.name!, deleteOptions(q, body));
      return { code: 200, body: { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: {}, items: objs } };
    }
    throw new ApiError("MethodNotAllowed", `the server does not allow this method on the requested resource`);
  }

  if (sub === "exec" && r.kind === "Pod") {
    // Reached only without an Upgrade header (WebSocket requests go through upgrade()).
    checkExec(cluster, parseExecRequest(ns ?? "default", name, q));
    throw new ApiError("BadRequest", "Upgrade request required");
  }
  if (sub === "log" && r.kind === "Pod" && method === "GET") {
    const args = ["logs", name, "-n", ns ?? "default"];
    if (q.get("container")) args.push("-c", q.get("container")!);
    if (q.get("previous") === "true") args.push("--previous");
    const out = cluster.kubectlSync(args);
    if (out.exitCode !== 0) throw new ApiError("BadRequest", out.stderr.replace(/^error: /, "").trim());
    sendText(res, 200, out.stdout);
    return undefined;
  }
  if (sub === "binding" && r.kind === "Pod" && method === "POST") {
    const binding = parseObject(body);
    api.bind(ns ?? "default", name, String(binding.target?.name ?? ""));
    return { code: 201, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 } };
  }
  if (sub === "scale" && (r.kind === "Deployment" || r.kind === "ReplicaSet")) return scaleSubresource(cluster, r, ns!, name, method, req, body, dryRun, q);
  if (sub && sub !== "status") throw new ApiError("NotFound", `the server could not find the requested resource (${method} ${r.plural}/${sub})`);
  const subresource = sub === "status" ? "status" : "";

  switch (method) {
    case "GET": {
      const obj = api.getOrThrow(r.kind, ns, name);
      if (wantsTable) return { code: 200, body: buildTable(r, [obj], cluster.clock.now(), q.get("includeObject") ?? "Metadata") };
      return { code: 200, body: obj };
    }
    case "PUT": {
      const obj = parseObject(body);
      if (obj.metadata?.name && obj.metadata.name !== name) throw new ApiError("BadRequest", `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
      obj.metadata = { ...obj.metadata, name, ...(ns ? { namespace: ns } : {}) };
      if (!subresource) trackUpdate(cluster, api.get(r.kind, ns, name), obj, req, q);
      return { code: 200, body: api.update(obj, { subresource, dryRun, fieldValidation: fieldValidation(q), warnings }) };
    }
    case "PATCH": {
      const contentType = String(req.headers["content-type"] ?? "");
      if (contentType.startsWith("application/apply-patch")) return applyServerSide(cluster, r, ns, name, body, q, dryRun, warnings);
      const type = patchType(contentType);
      const current = api.getOrThrow(r.kind, ns, name);
      const patched = applyPatch(current, parseJSON(body), type);
      patched.metadata.resourceVersion = current.metadata.resourceVersion;
      if (!subresource) trackUpdate(cluster, current, patched, req, q);
      return { code: 200, body: api.update(patched, { subresource, dryRun, fieldValidation: fieldValidation(q), warnings }) };
    }
    case "DELETE": {
      const obj = api.delete(r.kind, ns, name, deleteOptions(q, body));
      return { code: 200, body: obj };
    }
    default:
      throw new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource");
  }
}

/** The manager of a write: `?fieldManager=`, else the client's User-Agent up to its first `/`. */
function managerOf(req: IncomingMessage, q: URLSearchParams): string {
  return q.get("fieldManager") || String(req.headers["user-agent"] ?? "unknown").split("/")[0]!;
}

/** Records the managedFields of a create, update or patch made through the facade. */
function trackUpdate(cluster: Cluster, old: KObject | undefined, obj: KObject, req: IncomingMessage, q: URLSearchParams, subresource?: string): void {
  obj.metadata = obj.metadata ?? {};
  if (old && obj.metadata.managedFields === undefined) obj.metadata.managedFields = old.metadata.managedFields;
  const entries = recordUpdate(old, { ...obj, kind: obj.kind ?? old?.kind } as KObject, managerOf(req, q), cluster.clock.nowRFC3339(), subresource);
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/** PATCH with application/apply-patch+yaml: server-side apply (creates the object when missing). */
function applyServerSide(cluster: Cluster, r: ResourceType, ns: string | undefined, name: string, body: string, q: URLSearchParams, dryRun: boolean, warnings: string[]): { code: number; body: unknown } {
  const manager = q.get("fieldManager");
  if (!manager) throw new ApiError("BadRequest", "PATCH /" + r.plural + ": fieldManager is required for apply requests");
  let config: KObject;
  try {
    config = parseYAML(body) as KObject;
  } catch (e) {
    throw new ApiError("BadRequest", `error decoding YAML: ${(e as Error).message}`);
  }
  if (!config || typeof config !== "object" || Array.isArray(config)) throw new ApiError("BadRequest", "error decoding YAML: the apply configuration is not an object");
  if (config.kind !== r.kind || config.apiVersion !== apiVersionOf(r)) {
    throw new ApiError("BadRequest", `the apply configuration's apiVersion and kind (${config.apiVersion}, ${config.kind}) do not match the resource (${apiVersionOf(r)}, ${r.kind})`);
  }
  config.metadata = config.metadata ?? {};
  if (config.metadata.name && config.metadata.name !== name) throw new ApiError("BadRequest", `the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
  config.metadata.name = name;
  if (ns) config.metadata.namespace = ns;
  const live = cluster.api.get(r.kind, ns, name);
  const force = q.get("force") === "true";
  const obj = serverSideApply(live, config, manager, force, cluster.clock.nowRFC3339());
  const opts = { dryRun, fieldValidation: fieldValidation(q, "Strict"), warnings };
  if (!live) return { code: 201, body: cluster.api.create(obj, opts) };
  obj.metadata.resourceVersion = live.metadata.resourceVersion;
  return { code: 200, body: cluster.api.update(obj, opts) };
}

/** The autoscaling/v1 Scale of a Deployment or ReplicaSet (kubectl scale reads and patches it). */
function scaleOf(obj: KObject): KObject {
  const m = obj.metadata;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 1 },
    status: { replicas: obj.status?.replicas ?? 0, selector: labelSelectorAsSelector(obj.spec?.selector).toString() },
  } as KObject;
}

function scaleSubresource(cluster: Cluster, r: ResourceType, ns: string, name: string, method: string, req: IncomingMessage, body: string, dryRun: boolean, q: URLSearchParams): { code: number; body: unknown } {
  const current = cluster.api.getOrThrow(r.kind, ns, name);
  if (method === "GET") return { code: 200, body: scaleOf(current) };
  let scale: KObject;
  if (method === "PUT") scale = parseObject(body);
  else if (method === "PATCH") scale = applyPatch(scaleOf(current), parseJSON(body), patchType(String(req.headers["content-type"] ?? "")));
  else throw new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource");
  const rv = scale.metadata?.resourceVersion;
  if (method === "PUT" && rv && rv !== current.metadata.resourceVersion) {
    throw new ApiError("Conflict", `Operation cannot be fulfilled on ${r.plural}.${r.group} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
  }
  const replicas = scale.spec?.replicas;
  if (typeof replicas !== "number" || !Number.isInteger(replicas)) throw new ApiError("BadRequest", `Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
  const updated = clone(current);
  updated.spec = { ...updated.spec, replicas };
  trackUpdate(cluster, current, updated, req, q, "scale");
  return { code: 200, body: scaleOf(cluster.api.update(updated, { dryRun })) };
}

function startWatch(cluster: Cluster, route: Route, q: URLSearchParams, res: ServerResponse, watchers: Set<() => void>): void {
  const { r } = route;
  const ns = r.namespaced ? route.namespace : undefined;
  const labels = labelPredicate(q.get("labelSelector"));
  const fields = q.get("fieldSelector") ? fieldSelectorFor(r.kind, q.get("fieldSelector")!) : undefined;
  const matches = (o: KObject) => (!ns || o.metadata.namespace === ns) && (!labels || labels(o.metadata.labels ?? {})) && (!fields || fields(o));
  res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  // Written as fast as the client reads; a client that cannot keep up is closed (watchstream.ts).
  const stream = new WatchStream(res, () => stop());
  const rv = q.get("resourceVersion");
  if (!rv || rv === "0") {
    const initial = cluster.api.list(r.kind, { namespace: ns });
    stream.sendSnapshot((function* () {
      for (const o of initial) if (matches(o)) yield watchEventParts("ADDED", o);
    })());
  }
  // Called by the simulation: an error here closes this watch, never the simulation's dispatch.
  const unwatch = cluster.api.watch(r.kind, guarded("watch", (ev) => {
    if (matches(ev.object)) stream.send(watchEventParts(ev.type, ev.object));
  }, () => stream.end()));
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unwatch();
    watchers.delete(stop);
    stream.end();
  };
  watchers.add(stop);
  const timeout = Number(q.get("timeoutSeconds") ?? 0);
  if (timeout > 0) globalThis.setTimeout(stop, timeout * 1000).unref();
}

function labelPredicate(text: string | null): ((labels: Record<string, string>) => boolean) | undefined {
  if (!text) return undefined;
  try {
    const s = parseSelector(text);
    return (l) => s.matches(l);
  } catch (e) {
    throw new ApiError("BadRequest", `unable to parse requirement: ${(e as Error).message}`);
  }
}

function fieldValidation(q: URLSearchParams, byDefault: "Strict" | "Warn" = "Warn"): "Strict" | "Warn" | "Ignore" {
  const v = q.get("fieldValidation");
  return v === "Strict" || v === "Ignore" || v === "Warn" ? v : byDefault;
}

function deleteOptions(q: URLSearchParams, body: string): { gracePeriodSeconds?: number; propagationPolicy?: "Orphan" | "Background" | "Foreground" } {
  const b = body ? parseJSON(body) : {};
  const g = q.get("gracePeriodSeconds") ?? b.gracePeriodSeconds;
  return { gracePeriodSeconds: g === undefined || g === null ? undefined : Number(g), propagationPolicy: q.get("propagationPolicy") ?? b.propagationPolicy };
}

function patchType(contentType: string): PatchType {
  const t = contentType.split(";")[0]!.trim();
  if (t === "application/json-patch+json") return "json";
  if (t === "application/merge-patch+json") return "merge";
  if (t === "application/strategic-merge-patch+json") return "strategic";
  throw new ApiError("BadRequest", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
}

function resourceVersion(cluster: Cluster): string {
  return cluster.api.latestResourceVersion();
}

function parseJSON(body: string): any {
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new ApiError("BadRequest", `the body of the request was in an unknown format: ${(e as Error).message}`);
  }
}

function parseObject(body: string): KObject {
  const o = parseJSON(body);
  if (!o || typeof o !== "object" || Array.isArray(o)) throw new ApiError("BadRequest", "the body of the request is not an object");
  return o as KObject;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  // A list's items come as their cached encodings (cachingobject.ts), written without joining.
  const parts = encodeBody(body);
  let length = 0;
  for (const p of parts) length += p.length;
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": length });
  if (parts.length === 1) return void res.end(parts[0]);
  res.cork();
  for (const p of parts) res.write(p);
  res.uncork();
  res.end();
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function sendStatus(res: ServerResponse, code: number, reason: StatusReason, message: string, details?: unknown): void {
  send(res, code, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code });
}

function errorStatus(e: unknown): { code: number; body: unknown } {
  const status = (code: number, reason: StatusReason, message: string, details?: unknown) => ({
    code,
    body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code },
  });
  if (e instanceof ApiError) {
    const details = e.details ? { name: e.details.name, kind: e.details.kind, causes: e.details.causes.map((c) => ({ reason: "FieldValueInvalid", message: c.detail, field: c.field })) } : undefined;
    return status(e.code, e.reason, e.message, details);
  }
  return status(500, "InternalError", `internal error in the simulated API server: ${(e as Error).message}`);
}

function sendError(res: ServerResponse, e: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const { code, body } = errorStatus(e);
  send(res, code, body);
}
