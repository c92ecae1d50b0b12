/**
 * `kubectl proxy [--port=8001] [--address=127.0.0.1] [--api-prefix=/] [--accept-hosts …]
 * [--accept-paths …] [--reject-paths …] [--reject-methods …] [--disable-filter]`
 * (staging/src/k8s.io/kubectl/pkg/cmd/proxy/proxy.go and pkg/proxy/proxy_server.go, v1.32):
 * listens on the user's machine, prints `Starting to serve on 127.0.0.1:8001`, and hands each
 * request that passes its filter (FilterServer: the accepted hosts, paths and methods; anything
 * else `403 Forbidden`) to the API server with the kubeconfig's credentials.
 *
 * What the API server answers here, as kube-apiserver v1.32 does to `curl` (whose User-Agent makes
 * it indent its JSON with two spaces: negotiation's isPrettyPrint):
 * - `/version`, `/healthz`, `/livez`, `/readyz`, `/api` (APIVersions);
 * - GET of a resource path: an object (`/api/v1/namespaces/default/pods/web`) or a list
 *   (`/api/v1/namespaces/default/pods`, `/apis/apps/v1/deployments`), as the requested version
 *   shows it, errors as Status objects;
 * - the proxy subresources `/api/v1/namespaces/<ns>/pods/<name>[:<port>]/proxy/<path>` and
 *   `…/services/<name>[:<port>]/proxy/<path>`: the request goes on from the API server to the
 *   pod (a Service's: one of its ready endpoints, its targetPort) and the application's answer
 *   comes back as it is (the Kubernetes Basics tutorial's `curl
 *   http://localhost:8001/api/v1/namespaces/default/pods/$POD_NAME:8080/proxy/`).
 * - the writes, as real kubectl proxy forwards every verb (src/api/resthandler.ts): POST, PUT, PATCH (JSON,
 *   merge, strategic merge, apply) of objects and their `status`, DELETE of objects and collections
 *   (the "Advertise Extended Resources for a Node" page's `curl --request PATCH` of a node's status).
 * Anything else the in-process API server does not serve (watches, other subresources, other paths)
 * answers a 404 Status saying so; `kube-scenario serve` answers the real `kubectl proxy` for all of it.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { ApiError } from "../../api/errors.ts";
import type { HttpOutcome } from "../../runtime/types.ts";
import { clusterNetwork } from "../../network/network.ts";
import { APISERVER_ADDRESS, APISERVER_PORT } from "../../network/apiserverhost.ts";
import { klogLine } from "../errors.ts";
import { localNetwork } from "../pipeline.ts";
import { jsonAnswer, serveRest, statusOf, type RestRoute } from "../../api/resthandler.ts";
import { parseNodeProxyPath, serveNodeProxy } from "../../api/registry/core/node/proxy.ts";
import { kubeletClient } from "../../api/kubeletclient.ts";
import type { LocalHandler } from "../localnet.ts";
import { joinHostPort } from "../localnet.ts";

/** proxy.go's defaults. */
const DEFAULT_PORT = 8001;
const DEFAULT_ACCEPT_HOSTS = "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$";
const DEFAULT_ACCEPT_PATHS = "^.*";
const DEFAULT_REJECT_PATHS = "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach";
const DEFAULT_REJECT_METHODS = "^$";

/**
 * The address the API server gives clients (`serverAddressByClientCIDRs`): its advertise address
 * and secure port, whoever asks (genericapiserver's DefaultAddresses: the ExternalAddress for
 * 0.0.0.0/0; the proxy on the user's machine is outside the service CIDR). On a kind cluster that
 * is the control-plane node, 172.18.0.2:6443, not the kubeconfig's forwarded 127.0.0.1 port.
 */
const SERVER_ADDRESS = `${APISERVER_ADDRESS}:${APISERVER_PORT}`;

/** proxy_server.go MakeRegexpArray: comma-separated patterns (Go regexps; RE2's syntax is JS's for these). */
export function makeRegexpArray(text: string): RegExp[] {
  if (text === "") return [];
  return text.split(",").map((p) => {
    try {
      return new RegExp(p);
    } catch (e) {
      throw new KubectlError(`error parsing regexp: ${(e as Error).message}: \`${p}\``);
    }
  });
}

const matchesAny = (s: string, rs: RegExp[]) => rs.some((r) => r.test(s));

/** proxy_server.go FilterServer.accept: an accepted host and path not rejected, and a method not rejected. */
export function acceptRequest(f: { acceptHosts: RegExp[]; acceptPaths: RegExp[]; rejectPaths: RegExp[]; rejectMethods: RegExp[] }, method: string, path: string, host: string): boolean {
  return matchesAny(path, f.acceptPaths) && !matchesAny(path, f.rejectPaths) && matchesAny(host, f.acceptHosts) && !matchesAny(method, f.rejectMethods);
}

export const proxyCommand: CommandDef = {
  path: ["proxy"],
  flags: [
    { long: "port", short: "p", type: "int", default: DEFAULT_PORT },
    { long: "address", type: "string", default: "127.0.0.1" },
    { long: "accept-hosts", type: "string", default: DEFAULT_ACCEPT_HOSTS },
    { long: "accept-paths", type: "string", default: DEFAULT_ACCEPT_PATHS },
    { long: "reject-paths", type: "string", default: DEFAULT_REJECT_PATHS },
    { long: "reject-methods", type: "string", default: DEFAULT_REJECT_METHODS },
    { long: "api-prefix", type: "string", default: "/" },
    { long: "disable-filter", type: "bool" },
    { long: "keepalive", type: "duration", default: "0s" },
    { long: "www", short: "w", type: "string" },
    { long: "www-prefix", short: "P", type: "string", default: "/static/" },
    { long: "unix-socket", short: "u", type: "string" },
    { long: "append-server-path", type: "bool" },
  ],
  run(inv) {
    const f = inv.flags;
    if (f.www) throw new KubectlError("kubectl proxy --www (serving local static files) is not simulated");
    if (f["unix-socket"]) throw new KubectlError("kubectl proxy --unix-socket is not simulated");
    const port = Number(f.port);
    const address = String(f.address);
    let prefix = String(f["api-prefix"]);
    if (!prefix.endsWith("/")) prefix += "/";
    const filter = f["disable-filter"]
      ? undefined
      : {
          acceptHosts: makeRegexpArray(String(f["accept-hosts"])),
          acceptPaths: makeRegexpArray(String(f["accept-paths"])),
          rejectPaths: makeRegexpArray(String(f["reject-paths"])),
          rejectMethods: makeRegexpArray(String(f["reject-methods"])),
        };
    if (!filter) inv.err(klogLine("W", inv.ctx.clock.now(), "proxy.go:175", "Request filter disabled, your proxy is vulnerable to XSRF attacks, please be cautious"));
    const background = inv.background;
    const machine = inv.ctx.machine;
    if (!background || !machine) {
      throw new KubectlError('kubectl proxy keeps running until it is stopped: run it in a terminal of its own (When I run "kubectl proxy" in a second terminal) or in the background (kubectl proxy &)');
    }
    const net = localNetwork(machine);
    const handler: LocalHandler = (req, done) => {
      const url = new URL(req.path, "http://proxy.invalid");
      const host = (req.headers.Host ?? req.headers.host ?? "").replace(/:\d+$/, "");
      if (filter && !acceptRequest(filter, req.method, url.pathname, host)) return void done({ ok: true, status: 403, body: "Forbidden\n" });
      if (!url.pathname.startsWith(prefix)) return void done({ ok: true, status: 404, body: "404 page not found\n" });
      const path = "/" + url.pathname.slice(prefix.length);
      serveApi(inv, req.method, path, url.searchParams, req.headers, req.body ?? "", done);
    };
    const protocol = address.includes(":") ? "tcp6" : "tcp4";
    const r = net.listen(protocol, address, port, handler);
    if ("error" in r) throw new KubectlError(r.error.replace(/^listen tcp[46]/, "listen tcp"));
    background.onStop(() => net.close(address, r.port));
    inv.write!(`Starting to serve on ${joinHostPort(address, r.port)}\n`);
    return 0;
  },
};

/** The in-process API server's answer to one proxied request (src/api/resthandler.ts), the proxy subresource here. */
function serveApi(inv: Invocation, method: string, path: string, query: URLSearchParams, headers: Record<string, string>, body: string, done: (o: HttpOutcome) => void): void {
  const req = { method, path, query, headers, body };
  // nodes/proxy: the node's kubelet server (src/api/registry/core/node/proxy.ts).
  const node = parseNodeProxyPath(path);
  if (node) {
    try {
      const a = serveNodeProxy(inv.ctx.api, kubeletClient(inv.ctx), node.id, node.rest);
      return done({ ok: true, status: a.status, body: a.body, headers: { "Content-Type": a.contentType } });
    } catch (e) {
      if (e instanceof ApiError) return void done({ ok: true, ...jsonAnswer(e.code, statusOf(e), req) });
      throw e;
    }
  }
  const a = serveRest(inv.ctx.api, inv.ctx.clock, req, SERVER_ADDRESS);
  if (!("route" in a)) return done({ ok: true, ...a });
  try {
    proxySubresource(inv, a.route, method, query, headers, done);
  } catch (e) {
    if (e instanceof ApiError) return void done({ ok: true, ...jsonAnswer(e.code, statusOf(e), req) });
    throw e;
  }
}

/**
 * pods/proxy and services/proxy (pkg/registry/core/pod/rest/subresources.go ProxyREST,
 * service/proxy.go): `<name>[:<port>]` (a Service's `[<scheme>:]<name>[:<port>]`), then the
 * request goes from the API server to the pod's address.
 */
function proxySubresource(inv: Invocation, route: RestRoute, method: string, query: URLSearchParams, headers: Record<string, string>, done: (o: HttpOutcome) => void): void {
  const api = inv.ctx.api;
  const ns = route.namespace ?? "default";
  const id = decodeURIComponent(route.name ?? "");
  const parts = id.split(":");
  let scheme = "";
  let name = id;
  let port = "";
  if (route.r.kind === "Service" && parts.length === 3) [scheme, name, port] = parts as [string, string, string];
  else if (parts.length === 2) [name, port] = parts as [string, string];
  else if (parts.length !== 1) throw new ApiError("BadRequest", `invalid service request ${JSON.stringify(id)}`);
  const qs = query.toString();
  const path = (route.rest || "/") + (qs ? `?${qs}` : "");
  let ip: string | undefined;
  let target = 0;
  if (route.r.kind === "Pod") {
    const pod = api.getOrThrow("Pod", ns, name);
    ip = pod.status?.podIP;
    if (!ip) throw new ApiError("BadRequest", `address not allowed`);
    target = port ? Number(port) : 80;
    if (port && !/^\d+$/.test(port)) {
      const named = (pod.spec?.containers ?? []).flatMap((c: { ports?: Array<{ name?: string; containerPort: number }> }) => c.ports ?? []).find((p: { name?: string }) => p.name === port);
      if (!named) throw new ApiError("BadRequest", `invalid port name: ${port}`);
      target = named.containerPort;
    }
  } else if (route.r.kind === "Service") {
    const svc = api.getOrThrow("Service", ns, name);
    const ports: Array<{ name?: string; port: number; targetPort?: number | string }> = svc.spec?.ports ?? [];
    const sp = port === "" ? ports[0] : ports.find((p) => p.name === port || String(p.port) === port);
    if (!sp) throw new ApiError("ServiceUnavailable", `no endpoints available for service ${JSON.stringify(name)}`);
    const eps = clusterNetwork(inv.ctx).readyEndpoints(svc, sp.name ?? "");
    if (eps.length === 0) throw new ApiError("ServiceUnavailable", `no endpoints available for service ${JSON.stringify(id)}`);
    const ep = eps[0]!;
    ip = ep.ip;
    target = ep.port ?? (typeof sp.targetPort === "number" ? sp.targetPort : sp.port);
  } else throw new ApiError("NotFound", `the server could not find the requested resource`);
  void scheme;
  clusterNetwork(inv.ctx).http({ method, url: `http://${ip}:${target}${path}`, headers }, (o) => {
    if (o.ok) return done(o);
    // The API server's proxy error (UpgradeAwareHandler's error responder): a 503 Status with Go's dial error.
    const e = new ApiError("ServiceUnavailable", `error trying to reach service: ${o.error}`);
    const a = jsonAnswer(503, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: e.message, reason: e.reason, code: 503 }, { query, headers });
    done({ ok: true, status: a.status, body: a.body });
  });
}
