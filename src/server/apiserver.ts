/**
 * An HTTP facade over a simulated cluster that speaks enough of the Kubernetes API for the real
 * `kubectl` and `@kubernetes/client-node`: discovery, CRUD, status subresources, pods/binding,
 * pods/log, list with label and field selectors, watch streams, server-side Table output for
 * `kubectl get`, and Status errors. Simulated time moves only through the control endpoint
 * (`POST /kube-scenario/v1/advance?duration=30s`) or, when asked, at real speed.
 * It listens on loopback only. Every request passes the filters of handlerchain.ts first (Host and
 * Origin checks, the bearer token, the in-flight limit, Content-Type and body size), and no
 * handler error ends the process (each becomes an error Status).
 *
 * This file is the HTTP front (the server, its control endpoints, discovery and OpenAPI, and where
 * requests enter); the REST handlers are in handlers/ (as upstream's endpoints/handlers) and the
 * subresources' storage in registry/ (as upstream's pkg/registry).
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import { ApiError } from "../api/errors.ts";
import type { Cluster } from "../cluster.ts";
import { apiResourceList, apiVersions, apiGroupList } from "./discovery.ts";
import { parseRoute, serveResource } from "./handlers/installer.ts";
import { checkAuthorized, storeReader, type Attributes } from "../api/authorization/rbac.ts";
import { impersonatedUser, KUBERNETES_ADMIN, splitServiceAccountUsername, type UserInfo } from "../api/authorization/user.ts";
import { authenticateServiceAccountToken } from "../api/serviceaccount/authenticator.ts";
import { escalationCheckedApi } from "../api/authorization/filter.ts";
import {
  createLocalSubjectAccessReview,
  createSelfSubjectAccessReview,
  createSelfSubjectReview,
  createSelfSubjectRulesReview,
  createSubjectAccessReview,
} from "../api/registry/authorization/reviews.ts";
import type { JSONObject } from "../api/types.ts";
import { authorizerAttributes } from "./requestinfo.ts";
import { errorStatus, send, sendError, sendStatus, sendText } from "./handlers/responsewriters.ts";
import { checkExec, KubeletStreamError, parseAttachRequest, parseExecRequest, serveAttach, serveExec } from "./remotecommand.ts";
import { openAPIV3Document, openAPIV3Root } from "./openapi.ts";
import { servePortForward } from "./portforward.ts";
import { decodeProtobuf } from "./protobuf/decode.ts";
import { generateToken, klogError, X509Authenticator } from "./authentication.ts";
import { CONTROL_PREFIX, ControlEndpoints } from "./control.ts";
import { buildHandlerChain, type FilterConfig } from "./handlerchain.ts";
import { kubeconfigFor } from "./kubeconfig.ts";
import { answerClientErrorsAsGo, MAX_HEADER_BYTES, refuse, refusalOf, refusedAsGo } from "./clienterror.ts";
import { guarded } from "./panicrecovery.ts";
import { mediaTypeOf, readLimitedBody } from "./requestbody.ts";
import { checkBodyDepth } from "./depth.ts";
import { canonicalAccept, isPrettyPrint, negotiate, setNegotiated } from "./negotiation.ts";
import { servingCertFor } from "./servingcert.ts";
import { setClusterSigningCA } from "../controllers/certificates/signer.ts";
import { metricsAPIGroup, serveMetricsAPI } from "./metrics.ts";
import { versionBody } from "../api/version.ts";
import { apiserverMetrics, METRICS_PATH } from "../api/componentbase/apiserver.ts";
import { parseNodeProxyPath, serveNodeProxy } from "../api/registry/core/node/proxy.ts";
import { kubeletClient } from "../api/kubeletclient.ts";
import { wallClockLead } from "./handlers/installer.ts";
import { SIMULATED_TIME_HEADER } from "./timeshift.ts";
import { checkValid, jsonKind } from "../api/jsonscanner.ts";
import { summarizeData } from "./handlers/rest.ts";

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
  /**
   * The server's log of what clients are not told (a failed authentication's error, as
   * kube-apiserver logs it): a klog line each, to stderr by default.
   */
  log?: (line: string) => void;
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
  /** A kubeconfig for this server, with its token and CA. */
  kubeconfig(namespace?: string): string;
  /** Watches being served now (a watch closed for any reason, a stalled client's included, is gone). */
  readonly openWatches: number;
  /** Upgrade requests open now (exec, attach, port-forward), from their upgrade (handled at once) to their close. */
  readonly openStreams: number;
  close(): Promise<void>;
}

export async function serve(cluster: Cluster, opts: ServeOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? "127.0.0.1";
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) throw new Error(`the API facade listens on loopback only, not ${host}`);
  const watchers = new Set<() => void>();
  // The served store keeps its recent events, so clients can watch from the resourceVersion they listed at.
  cluster.api.keepWatchHistory();
  let current = cluster;
  const token = opts.token === false ? undefined : opts.token ?? generateToken();
  const tls = token !== undefined ? await servingCertFor(opts.allowedHosts) : undefined;
  // The facade's CA is the served cluster's (servingcert.ts): kube-controller-manager's CSR signer
  // signs with it, so a certificate a CertificateSigningRequest gets authenticates its user here.
  // It is also what the cluster publishes as its CA (the `kube-root-ca.crt` ConfigMaps, token
  // Secrets' ca.crt), kube-apiserver's serving CA on a kubeadm cluster: a cluster made without it
  // (ClusterOptions.signingCA) republishes it here, as a kube-controller-manager given a new
  // --root-ca-file would, before the first request is served.
  const withSigningCA = (c: Cluster): Cluster => {
    if (!tls) return c;
    setClusterSigningCA(c.ctx, { certPEM: tls.caPEM, keyPEM: tls.caKeyPEM });
    c.ctx.clock.settle();
    return c;
  };
  withSigningCA(cluster);
  const log = opts.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const control = new ControlEndpoints({
    current: () => current,
    reset: opts.reset
      ? () => {
          for (const stop of [...watchers]) stop();
          watchers.clear();
          const old = current;
          current = withSigningCA(opts.reset!());
          current.api.keepWatchHistory();
          void old.close();
          return current;
        }
      : undefined,
  });
  // Streams (pods/exec) leave the HTTP server once upgraded: closed here on close().
  const streams = new Set<Duplex>();
  const chain = buildHandlerChain(
    (req, res, info) => {
      if (info.path.startsWith(CONTROL_PREFIX)) return control.serve(req, info.path, new URL(req.url ?? "/", "http://localhost").searchParams).then(({ code, body }) => send(res, code, body));
      return handle(current, req, res, watchers, info.user);
    },
    (req, socket, head) => {
      streams.add(socket);
      socket.on("close", () => streams.delete(socket));
      upgrade(current, req, socket, head);
    },
    sendError,
    (socket, e) => {
      const plain = e instanceof KubeletStreamError;
      const { code, body } = plain ? { code: e.code, body: e.message } : errorStatus(e);
      const text = plain ? String(body) : JSON.stringify(body);
      const type = plain ? "text/plain; charset=utf-8" : "application/json";
      socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ""}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    },
    {
      token,
      allowedHosts: opts.allowedHosts,
      maxRequestsInFlight: opts.maxRequestsInFlight,
      maxMutatingRequestsInFlight: opts.maxMutatingRequestsInFlight,
      // A service account's token authenticates as the account, whose requests RBAC authorizes.
      authenticateToken: (t) => authenticateServiceAccountToken(current.api, t),
      // A client certificate is verified at the simulated time, the clock the CSR signer signs with.
      x509: tls ? new X509Authenticator(tls.caPEM, () => current.clock.now()) : undefined,
      onAuthenticationError: (err) => log(klogError("authentication.go:73", "Unable to authenticate the request", err)),
      authorize: (user, info) => checkAuthorized(storeReader(current.api), authorizerAttributes(user, info)),
      impersonate: (req, user) => impersonation(current, req, user),
    },
  );
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    // A request Go would not have read (no Host in HTTP/1.1...) was answered as Go answers it (clienterror.ts).
    if (refusedAsGo(req)) return;
    res.setHeader(FACADE_HEADER, "simulated");
    chain.onRequest(req, res);
  };
  // TLS asks for a client certificate and neither requires nor verifies it (secure_serving.go: with a
  // client CA, tls.RequestClientCert): the handshake takes any, the x509 authenticator judges it per request.
  // No `ca` here: OpenSSL would verify the certificate during the handshake, and a failed signature
  // check (a certificate naming the cluster CA as issuer, signed by another key) left its error on
  // the thread's queue, where the next TLS read found it: that request got a 400 (ERR_SSL_INVALID_PADDING).
  const server: Server = tls
    ? createHttpsServer({ key: tls.keyPEM, cert: tls.certPEM, requestCert: true, rejectUnauthorized: false, maxHeaderSize: MAX_HEADER_BYTES, requireHostHeader: false }, listener) : createServer({ maxHeaderSize: MAX_HEADER_BYTES, requireHostHeader: false }, listener);
  // Bytes that are no request get Go's refusal, after the answers of the requests before them (clienterror.ts).
  answerClientErrorsAsGo(server);
  // As kube-apiserver's http.Server (apiserver/pkg/server/secure_serving.go): an idle keep-alive
  // connection is kept 90 s ("matches http.DefaultTransport keep-alive timeout"; Node's default of
  // 5 s closed connections that clients were about to reuse, and their next request failed with
  // ECONNRESET), and a request's headers must arrive within 32 s.
  server.keepAliveTimeout = 90_000;
  server.headersTimeout = 32_000;
  // Node's own check of Host wrote an empty 400; Go's checks of the target and Host (clienterror.ts), upgrades included.
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const reply = refusalOf(req);
    if (reply === undefined) return chain.onUpgrade(req, socket, head);
    socket.on("error", () => socket.destroy());
    refuse(socket, reply);
  });
  server.on("connect", chain.onConnect);
  let timer: NodeJS.Timeout | undefined;
  return new Promise((resolve) => {
    // The accept queue of Go's listener: net.Listen asks for /proc/sys/net/core/somaxconn
    // (maxListenerBacklog, at most 65535), which the kernel also caps it at. Node's default of 511
    // overflowed when a burst of clients connected at once (2000 watches): the kernel dropped
    // completed handshakes, and clients that believed themselves connected waited on TCP
    // retransmission for tens of seconds, or for ever once the server's SYN-ACK retries ran out.
    server.listen({ port: opts.port ?? 0, host, backlog: 65535 }, () => {
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
        get openWatches() {
          return watchers.size;
        },
        get openStreams() {
          return streams.size;
        },
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

/** An Upgrade request: pods/exec and pods/attach over WebSocket (kubectl exec, attach, run -i), pods/portforward over SPDY (./portforward.ts); nothing else streams. */
function upgrade(cluster: Cluster, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  checkPathSegments(req.url ?? "/");
  const url = new URL(req.url ?? "/", "http://localhost");
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)\/?$/.exec(url.pathname);
  if (!m) throw new ApiError("NotFound", "the server could not find the requested resource");
  if (m[3] === "portforward") return servePortForward(cluster, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), req, socket, head);
  cluster.clock.settle();
  const attach = m[3] === "attach";
  const ns = decodeURIComponent(m[1]!);
  const pod = decodeURIComponent(m[2]!);
  const r = attach ? parseAttachRequest(ns, pod, url.searchParams) : parseExecRequest(ns, pod, url.searchParams);
  const { container } = checkExec(cluster, r, attach);
  if (attach) serveAttach(cluster, r, container, req, socket, head);
  else serveExec(cluster, r, container, req, socket, head);
}

/**
 * A path segment `.` or `..` (`%2e%2e` too) is refused before the path is read: the URL parser
 * resolves dot segments, so `DELETE /api/v1/namespaces/default/pods/..` would have deleted the
 * namespace `default`. The API server does not resolve them: the segment is the object's name,
 * which NamespaceKeyFunc refuses (path.IsValidPathSegmentName: `Name parameter invalid: "..":
 * may not be '..'`).
 */
export function checkPathSegments(rawUrl: string): void {
  const path = rawUrl.split(/[?#]/, 1)[0]!;
  for (const raw of path.split("/")) {
    let seg = raw;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      // (not percent-encoding: taken as it is)
    }
    if (seg === "." || seg === "..") throw new ApiError("BadRequest", `Name parameter invalid: ${JSON.stringify(seg)}: may not be '${seg}'`);
  }
}

async function handle(cluster: Cluster, req: IncomingMessage, res: ServerResponse, watchers: Set<() => void>, user: UserInfo | undefined): Promise<void> {
  checkPathSegments(req.url ?? "/");
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";
  const raw = await readLimitedBody(req);
  const requester = user ?? KUBERNETES_ADMIN;
  // `kubectl auth whoami`: who the request authenticated as (the body says nothing more).
  if (method === "POST" && path === "/apis/authentication.k8s.io/v1/selfsubjectreviews") {
    return send(res, 201, createSelfSubjectReview(cluster.api, requester));
  }
  // kubectl's typed clients (`kubectl create deployment|configmap|secret|...`) send protobuf.
  const mediaType = mediaTypeOf(req.headers["content-type"]);
  const body = mediaType === "application/vnd.kubernetes.protobuf" ? JSON.stringify(decodeProtobuf(raw)) : raw.toString("utf8");
  // Before anything parses it: a body nested deeper than the simulation's recursion can follow is refused (depth.ts).
  checkBodyDepth(body, mediaType);
  // The authorization reviews (`kubectl auth can-i`): create-only, answered with their status.
  const review = /^\/apis\/authorization\.k8s\.io\/v1\/(?:namespaces\/([^/]+)\/)?(selfsubjectaccessreviews|selfsubjectrulesreviews|subjectaccessreviews|localsubjectaccessreviews)$/.exec(path);
  if (method === "POST" && review) {
    cluster.clock.settle();
    const obj = decodeReview(body, REVIEW_KINDS[review[2] as keyof typeof REVIEW_KINDS]);
    const ns = review[1] ? decodeURIComponent(review[1]) : undefined;
    switch (review[2]) {
      case "selfsubjectaccessreviews":
        return send(res, 201, createSelfSubjectAccessReview(cluster.api, requester, obj));
      case "selfsubjectrulesreviews":
        return send(res, 201, createSelfSubjectRulesReview(cluster.api, requester, obj));
      case "subjectaccessreviews":
        return send(res, 201, createSubjectAccessReview(cluster.api, obj));
      case "localsubjectaccessreviews":
        if (ns) return send(res, 201, createLocalSubjectAccessReview(cluster.api, ns, obj));
    }
  }

  if (path === "/version") {
    const text = versionBody();
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  if (path === "/healthz" || path === "/readyz" || path === "/livez") return sendText(res, 200, "ok");
  if (path === METRICS_PATH) {
    const m = apiserverMetrics();
    res.writeHead(200, { "Content-Type": m.contentType, "Content-Length": Buffer.byteLength(m.body) });
    res.end(m.body);
    return;
  }
  if (path === "/api") return send(res, 200, apiVersions());
  if (path === "/apis") {
    // Aggregated groups (metrics-server's metrics.k8s.io) follow the built-in and custom ones.
    const list = apiGroupList(cluster.api.registry) as { groups: unknown[] };
    const metrics = metricsAPIGroup(cluster);
    if (metrics) list.groups.push(metrics);
    return send(res, 200, list);
  }
  if (serveMetricsAPI(cluster, method, path, url.searchParams, res)) return;
  if (path === "/openapi/v3") return send(res, 200, openAPIV3Root(cluster.api.registry));
  if (path.startsWith("/openapi/v3/")) {
    const doc = openAPIV3Document(cluster.api.registry, path.slice("/openapi/v3/".length));
    if (!doc) return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(doc.text), Etag: `"${doc.hash}"`, "Cache-Control": url.searchParams.get("hash") === doc.hash ? "public, immutable" : "no-cache, private" });
    res.end(doc.text);
    return;
  }
  if (path.startsWith("/openapi") || path.startsWith("/swagger")) return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
  // nodes/proxy: the kubelet's server (its /metrics and /metrics/resource), authorized as `get nodes/proxy`.
  const nodeProxy = parseNodeProxyPath(url.pathname);
  if (nodeProxy) {
    cluster.clock.settle();
    const delta = req.headers[SIMULATED_TIME_HEADER] === "simulated" ? 0 : wallClockLead(cluster);
    const a = serveNodeProxy(cluster.api, kubeletClient(cluster.ctx), nodeProxy.id, nodeProxy.rest, delta);
    res.writeHead(a.status, { "Content-Type": a.contentType, "Content-Length": Buffer.byteLength(a.body) });
    res.end(a.body);
    return;
  }

  const gvMatch = /^\/api\/v1(\/.*)?$/.exec(path) ?? /^\/apis\/([^/]+\/[^/]+)(\/.*)?$/.exec(path);
  if (!gvMatch) return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
  const gv = path.startsWith("/api/") || path === "/api/v1" ? "v1" : gvMatch[1];
  const rest = path.startsWith("/api/") || path === "/api/v1" ? gvMatch[1] ?? "" : gvMatch[2] ?? "";
  if (rest === "") {
    const list = apiResourceList(cluster.api.registry, gv);
    return list ? send(res, 200, list) : sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
  }
  const route = parseRoute(cluster, gv, rest);
  if (!route) return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
  // The response's media type and transformation, before the handler runs (a 406 is answered first).
  const watch = route.watch === true || ["1", "t", "T", "TRUE", "true", "True"].includes(url.searchParams.get("watch") ?? "");
  const negotiated = negotiate(req.headers.accept, { resource: route.r, watch, pretty: isPrettyPrint(req, url.searchParams) });
  setNegotiated(res, negotiated);
  req.headers.accept = canonicalAccept(negotiated);
  serveResource(user ? withEscalationCheck(cluster, user) : cluster, route, req, res, url, body, watchers);
}

/**
 * The cluster as a service account's request reaches it once the chain has authorized it: its
 * writes of Roles, ClusterRoles and their bindings pass RBAC's escalation check (the RBAC
 * registries' policybased storage), so a token allowed to create Roles cannot grant what its
 * account does not hold (`... is attempting to grant RBAC permissions not currently held`).
 */
function withEscalationCheck(cluster: Cluster, user: UserInfo): Cluster {
  const api = escalationCheckedApi(cluster.api, user);
  return new Proxy(cluster, {
    get(target, prop) {
      if (prop === "api") return api;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

const REVIEW_KINDS = {
  selfsubjectaccessreviews: "SelfSubjectAccessReview",
  selfsubjectrulesreviews: "SelfSubjectRulesReview",
  subjectaccessreviews: "SubjectAccessReview",
  localsubjectaccessreviews: "LocalSubjectAccessReview",
};

/**
 * The body of an authorization review, decoded as create.go decodes any body: one that is not
 * JSON, or not an object, is the decoder's 400 (`the object provided is unrecognized (must be of
 * type SelfSubjectAccessReview): couldn't get version/kind; json parse error: …`), not a 500.
 */
function decodeReview(body: string, kind: string): JSONObject {
  const unrecognized = (why: string) => new ApiError("BadRequest", `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${why} (${summarizeData(body)})`);
  const syntax = checkValid(body);
  if (syntax) throw unrecognized(syntax);
  const o = JSON.parse(body) as unknown;
  if (o === null) return {};
  if (typeof o !== "object" || Array.isArray(o)) {
    throw unrecognized(`json: cannot unmarshal ${jsonKind(o)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  return o as JSONObject;
}

/**
 * WithImpersonation (apiserver/pkg/endpoints/filters/impersonation.go): the Impersonate-User,
 * -Group and -Uid headers (kubectl's --as, --as-group, --as-uid) name the user the request acts as.
 * A user other than the admin must be allowed to `impersonate` each (users, or the service
 * account; groups; uids), else the 403 names the first refused.
 */
function impersonation(cluster: Cluster, req: IncomingMessage, user: UserInfo | undefined): UserInfo | undefined {
  const h = req.headersDistinct;
  const as = h["impersonate-user"]?.[0] ?? "";
  const groups = h["impersonate-group"] ?? [];
  const uid = h["impersonate-uid"]?.[0] ?? "";
  if (!as && groups.length === 0 && !uid) return undefined;
  if (!as) throw new ApiError("InternalError", "Internal error occurred: requested [] without impersonating a user");
  if (user) {
    const reader = storeReader(cluster.api);
    const sa = splitServiceAccountUsername(as);
    const checks: Attributes[] = [
      sa
        ? { user, verb: "impersonate", resourceRequest: true, apiGroup: "", resource: "serviceaccounts", namespace: sa.namespace, name: sa.name }
        : { user, verb: "impersonate", resourceRequest: true, apiGroup: "", resource: "users", name: as },
      ...groups.map((g): Attributes => ({ user, verb: "impersonate", resourceRequest: true, apiGroup: "", resource: "groups", name: g })),
      ...(uid ? [{ user, verb: "impersonate", resourceRequest: true, apiGroup: "authentication.k8s.io", resource: "uids", name: uid } as Attributes] : []),
    ];
    for (const a of checks) checkAuthorized(reader, a);
  }
  return impersonatedUser(as, groups, uid);
}
