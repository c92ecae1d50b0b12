/**
 * The cluster's network as a pod (or the kubelet's prober on the node) sees it: cluster DNS,
 * Service ClusterIPs that kube-proxy forwards to one ready endpoint picked at random (its
 * iptables mode picks with equal probability), and pod IPs where containers' applications listen.
 *
 * The data path reads EndpointSlices from the API, as kube-proxy does, so a pod receives traffic
 * only once the EndpointSlice controller has published it as ready. Containers' applications are
 * attached here by the kubelet when they start and detached when they stop.
 *
 * Errors carry Go's net/http texts (what the prober prints in its events, what curl reports is the
 * shell's business): `dial tcp 10.244.1.5:8080: connect: connection refused`,
 * `context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
 * `dial tcp: lookup nope on 10.96.0.10:53: no such host`.
 */
import type { ClusterContext } from "../context.ts";
import type { KObject } from "../api/types.ts";
import type { AppServer, HttpOutcome, HttpRequestSpec } from "../runtime/types.ts";
import { isIPv4, KUBE_DNS_IP } from "../api/registry/core/service/ipallocator.ts";
import { podIP } from "./podutil.ts";
import { ExternalHosts } from "./externalhosts.ts";
import { CLUSTER_DOMAIN, podDNSType } from "./dnspolicy.ts";

export { CLUSTER_DOMAIN } from "./dnspolicy.ts";
/** Go's http.Client has no timeout by default; requests from the traffic steps use this one. */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
/** Connect timeout for unroutable addresses (Linux SYN retries give up after about two minutes; curl's default). */
export const DIAL_TIMEOUT_MS = 130_000;

export interface ParsedURL {
  scheme: "http" | "https";
  host: string;
  port: number;
  path: string;
}

/** Parses `http://host:port/path` (curl also accepts `host:port/path` without a scheme). */
export function parseURL(url: string): ParsedURL | Error {
  const m = /^(?:(https?):\/\/)?([^/:?#\s]+)(?::(\d+))?([/?][^\s#]*)?$/i.exec(url.trim());
  if (!m) return new Error(`parse ${JSON.stringify(url)}: invalid URL`);
  const scheme = (m[1]?.toLowerCase() ?? "http") as "http" | "https";
  const port = m[3] ? Number(m[3]) : scheme === "https" ? 443 : 80;
  if (port > 65535) return new Error(`parse ${JSON.stringify(url)}: invalid port ${JSON.stringify(":" + m[3])} after host`);
  let path = m[4] ?? "/";
  if (path.startsWith("?")) path = "/" + path;
  return { scheme, host: m[2].toLowerCase(), port, path };
}

interface Attached {
  namespace: string;
  name: string;
  uid: string;
  container: string;
  app: AppServer;
}

export interface RequestOptions {
  /** The namespace of the requesting pod (DNS search path); default `default`. */
  namespace?: string;
  /** Also resolve bare pod names (the traffic steps allow `http://pod1:8080/`); real DNS does not. */
  podNames?: boolean;
  /** The pod's resolver is the node's (dnsPolicy Default, or hostNetwork): cluster names do not resolve. */
  hostDNS?: boolean;
}

/** Where a request ended up (for the traffic client's records). */
export interface Delivery {
  outcome: HttpOutcome;
  /** The pod that answered, when one did. */
  pod?: { namespace: string; name: string };
}

const ipCache = new Map<string, boolean>();
function isIPv4Cached(s: string): boolean {
  let v = ipCache.get(s);
  if (v === undefined) {
    v = isIPv4(s);
    if (ipCache.size > 100_000) ipCache.clear();
    ipCache.set(s, v);
  }
  return v;
}

/** Parsed URLs by text (probes and clients send the same URLs over and over). */
const urlCache = new Map<string, ParsedURL | Error>();
function parseURLCached(url: string): ParsedURL | Error {
  let u = urlCache.get(url);
  if (u === undefined) {
    u = parseURL(url);
    if (urlCache.size > 100_000) urlCache.clear();
    urlCache.set(url, u);
  }
  return u;
}

type Endpoint = { ip: string; port?: number; pod?: { namespace: string; name: string } };

export class ClusterNetwork {
  private readonly byIP = new Map<string, Attached[]>();
  /** Services by ClusterIP, rebuilt after a Service changes (a ClusterIP never changes once set). */
  private servicesByIP: Map<string, KObject> | undefined;
  private servicesSeen = -1;
  /** What kube-proxy has programmed per Service and port name: rebuilt after an EndpointSlice changes. */
  private endpointsCache = new Map<string, Endpoint[]>();
  private slicesSeen = -1;
  /** Hosts outside the cluster a scenario declared (none by default: no Internet). */
  readonly externalHosts = new ExternalHosts();

  constructor(private readonly ctx: ClusterContext) {
    ctx.api.watch("Service", () => (this.servicesByIP = undefined));
    ctx.api.watch("EndpointSlice", () => this.endpointsCache.clear());
  }

  // ---- the kubelet's side -----------------------------------------------------------------

  /** A container's application starts listening on its pod's IP. */
  attach(pod: KObject, containerName: string, ip: string, app: AppServer): void {
    const list = this.byIP.get(ip) ?? [];
    const rest = list.filter((a) => !(a.uid === pod.metadata.uid && a.container === containerName));
    rest.push({ namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name!, uid: pod.metadata.uid!, container: containerName, app });
    this.byIP.set(ip, rest);
  }

  /** The container stopped: nothing of it listens any more. Without a container name, the whole pod. */
  detach(podUID: string, containerName?: string): void {
    for (const [ip, list] of this.byIP) {
      const rest = list.filter((a) => !(a.uid === podUID && (containerName === undefined || a.container === containerName)));
      if (rest.length) this.byIP.set(ip, rest);
      else this.byIP.delete(ip);
    }
  }

  /** The application listening on ip:port, if any. */
  listener(ip: string, port: number): Attached | undefined {
    return this.byIP.get(ip)?.find((a) => a.app.listening(port));
  }

  // ---- DNS --------------------------------------------------------------------------------

  /**
   * Cluster DNS (CoreDNS' kubernetes plugin) with a pod's search path `<ns>.svc.cluster.local
   * svc.cluster.local cluster.local`: Service names give their ClusterIP (a headless Service one
   * ready endpoint's IP), `a-b-c-d.<ns>.pod.cluster.local` gives the IP, IP literals themselves.
   */
  resolve(name: string, opts: RequestOptions = {}): string | undefined {
    const ns = opts.namespace ?? "default";
    if (isIPv4Cached(name)) return name;
    const host = name.toLowerCase().replace(/\.$/, "");
    if (isIPv4(host)) return host;
    if (opts.hostDNS) return this.externalHosts.resolve(host);
    if (host === `kube-dns.kube-system` || host.startsWith(`kube-dns.kube-system.svc`)) return KUBE_DNS_IP;
    const parts = host.split(".");
    let svcName: string | undefined;
    let svcNs = ns;
    const suffix = `svc.${CLUSTER_DOMAIN}`;
    if (parts.length === 1) svcName = parts[0];
    else if (parts.length === 2) [svcName, svcNs] = parts;
    else if (host.endsWith(`.${suffix}`) || host.endsWith(".svc")) {
      [svcName, svcNs] = parts;
      const rest = parts.slice(2).join(".");
      if (rest !== "svc" && rest !== suffix) svcName = undefined;
    } else if (host.endsWith(`.pod.${CLUSTER_DOMAIN}`) && parts.length === 7) {
      const ip = parts[0].replace(/-/g, ".");
      return isIPv4(ip) ? ip : undefined;
    }
    if (svcName) {
      const svc = this.ctx.api.get("Service", svcNs, svcName);
      if (svc) {
        if (svc.spec?.clusterIP && svc.spec.clusterIP !== "None") return svc.spec.clusterIP;
        if (svc.spec?.clusterIP === "None") return this.readyEndpoints(svc)[0]?.ip;
      }
      if (opts.podNames && parts.length === 1) {
        const pod = this.ctx.api.get("Pod", ns, svcName);
        if (pod) return podIP(pod);
      }
    }
    // Not a cluster name: CoreDNS forwards it upstream, where only the declared hosts exist.
    return this.externalHosts.resolve(host);
  }

  // ---- data path --------------------------------------------------------------------------

  /** The Service owning a ClusterIP. */
  serviceByIP(ip: string): KObject | undefined {
    const count = this.ctx.api.count("Service");
    if (!this.servicesByIP || count !== this.servicesSeen) {
      this.servicesByIP = new Map();
      this.servicesSeen = count;
      for (const s of this.ctx.api.list("Service")) if (s.spec?.clusterIP && s.spec.clusterIP !== "None") this.servicesByIP.set(s.spec.clusterIP, s);
    }
    const svc = this.servicesByIP.get(ip);
    // A Service deleted and another created at the same instant: check against the store.
    return svc && this.ctx.api.get("Service", svc.metadata.namespace, svc.metadata.name!) === svc ? svc : svc ? this.rebuildAndFind(ip) : undefined;
  }

  private rebuildAndFind(ip: string): KObject | undefined {
    this.servicesByIP = undefined;
    this.servicesSeen = -1;
    for (const s of this.ctx.api.list("Service")) if (s.spec?.clusterIP === ip) return s;
    return undefined;
  }

  /** The endpoints kube-proxy forwards to: ready ones, else serving-and-terminating ones. */
  readyEndpoints(svc: KObject, portName?: string): Endpoint[] {
    const count = this.ctx.api.count("EndpointSlice");
    if (count !== this.slicesSeen) {
      this.endpointsCache.clear();
      this.slicesSeen = count;
    }
    const key = `${svc.metadata.uid}/${portName ?? "\u0000"}`;
    let eps = this.endpointsCache.get(key);
    if (!eps) this.endpointsCache.set(key, (eps = this.computeReadyEndpoints(svc, portName)));
    return eps;
  }

  private computeReadyEndpoints(svc: KObject, portName?: string): Endpoint[] {
    const ns = svc.metadata.namespace;
    const slices = this.ctx.api.list("EndpointSlice", {
      namespace: ns,
      labelSelector: (l) => l["kubernetes.io/service-name"] === svc.metadata.name,
    });
    const ready: Array<{ ip: string; port?: number; pod?: { namespace: string; name: string } }> = [];
    const fallback: typeof ready = [];
    for (const slice of slices) {
      const port = (slice.ports ?? []).find((p: any) => (p.name ?? "") === (portName ?? ""))?.port;
      if (portName !== undefined && port === undefined) continue;
      for (const ep of slice.endpoints ?? []) {
        const target = ep.targetRef?.kind === "Pod" ? { namespace: ep.targetRef.namespace ?? ns, name: ep.targetRef.name } : undefined;
        const e = { ip: ep.addresses[0], port, pod: target };
        const c = ep.conditions ?? {};
        if (c.ready !== false) ready.push(e);
        else if (c.serving && c.terminating) fallback.push(e);
      }
    }
    return ready.length ? ready : fallback;
  }

  /** Sends an HTTP request; `done` is called later in simulated time, never synchronously. */
  http(req: HttpRequestSpec, done: (outcome: HttpOutcome) => void, opts: RequestOptions = {}): void {
    this.send(req, (d) => done(d.outcome), opts);
  }

  /** As `http`, telling also which pod answered. */
  send(req: HttpRequestSpec, done: (d: Delivery) => void, opts: RequestOptions = {}): void {
    // Hot path (every probe and client request): no named closures (tsx keeps names at a cost).
    const d = this.deliver(req, opts);
    const clock = this.ctx.clock;
    clock.setTimeout(() => done(d.delivery), d.afterMs);
  }

  /** What a request gets and how long it takes, decided when it is sent. */
  private deliver(req: HttpRequestSpec, opts: RequestOptions): { delivery: Delivery; afterMs: number } {
    const timeoutMs = req.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    const url = parseURLCached(req.url);
    if (url instanceof Error) return { delivery: { outcome: { ok: false, kind: "unreachable", error: url.message } }, afterMs: 0 };
    const ip = this.resolve(url.host, opts);
    if (!ip) {
      return { delivery: { outcome: { ok: false, kind: "nxdomain", error: `dial tcp: lookup ${url.host} on ${KUBE_DNS_IP}:53: no such host` } }, afterMs: 0 };
    }
    const route = this.route(ip, url.port);
    if (route.kind === "timeout") {
      const dialed = `${ip}:${url.port}`;
      const error = timeoutMs <= DIAL_TIMEOUT_MS ? `dial tcp ${dialed}: i/o timeout` : `dial tcp ${dialed}: connect: connection timed out`;
      return { delivery: { outcome: { ok: false, kind: "timeout", error } }, afterMs: Math.min(timeoutMs, DIAL_TIMEOUT_MS) };
    }
    if (route.kind === "refused") {
      return { delivery: { outcome: { ok: false, kind: "refused", error: `dial tcp ${ip}:${url.port}: connect: connection refused` } }, afterMs: 0 };
    }
    const { target } = route;
    const answer = target.app.handle({ method: req.method, path: url.path, port: route.port, headers: req.headers ?? {} });
    const delay = answer.delayMs ?? 0;
    const pod = target.uid ? { namespace: target.namespace, name: target.name } : undefined;
    if (delay >= timeoutMs) {
      return { delivery: { pod, outcome: { ok: false, kind: "timeout", error: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)" } }, afterMs: timeoutMs };
    }
    return { delivery: { pod, outcome: { ok: true, status: answer.status, body: answer.body } }, afterMs: delay };
  }

  /** Whether a TCP connection to host:port would be accepted now (tcpSocket probes). */
  dial(host: string, port: number, opts: RequestOptions = {}): { ok: true } | { ok: false; kind: "refused" | "timeout" | "nxdomain"; error: string } {
    const ip = this.resolve(host, opts);
    if (!ip) return { ok: false, kind: "nxdomain", error: `dial tcp: lookup ${host} on ${KUBE_DNS_IP}:53: no such host` };
    const r = this.route(ip, port);
    if (r.kind === "ok") return { ok: true };
    if (r.kind === "refused") return { ok: false, kind: "refused", error: `dial tcp ${ip}:${port}: connect: connection refused` };
    return { ok: false, kind: "timeout", error: `dial tcp ${ip}:${port}: i/o timeout` };
  }

  /** Where a connection to ip:port goes: through a Service's chosen endpoint, or straight to a pod. */
  private route(ip: string, port: number): { kind: "ok"; target: Attached; port: number } | { kind: "refused" } | { kind: "timeout" } {
    let targetIP = ip;
    let targetPort = port;
    const svc = this.serviceByIP(ip);
    if (svc) {
      let sp: any;
      for (const p of svc.spec?.ports ?? []) if (p.port === port && (p.protocol ?? "TCP") === "TCP") sp = sp ?? p;
      // No rule for this port: the packet to the virtual IP goes nowhere.
      if (!sp) return { kind: "timeout" };
      const eps = this.readyEndpoints(svc, sp.name ?? "");
      // kube-proxy installs a REJECT rule for a Service without endpoints.
      if (eps.length === 0) return { kind: "refused" };
      const ep = eps.length === 1 ? eps[0] : eps[this.ctx.chance.int(eps.length)];
      targetIP = ep.ip;
      targetPort = ep.port ?? port;
    } else if (ip.startsWith("10.96.") || ip === KUBE_DNS_IP) {
      return { kind: "timeout" };
    } else {
      const ext = this.externalHosts.byAddress(ip);
      if (ext) return ext.app.listening(port) ? { kind: "ok", target: { namespace: "", name: ext.name, uid: "", container: "", app: ext.app }, port } : { kind: "timeout" };
    }
    const list = this.byIP.get(targetIP);
    if (!list) {
      // A pod IP whose pod exists but nothing runs yet answers with a reset; an unknown address does not answer.
      return this.podByIP(targetIP) ? { kind: "refused" } : { kind: "timeout" };
    }
    const target = list.find((a) => a.app.listening(targetPort));
    return target ? { kind: "ok", target, port: targetPort } : { kind: "refused" };
  }

  private podByIP(ip: string): KObject | undefined {
    for (const p of this.ctx.api.list("Pod")) if (podIP(p) === ip) return p;
    return undefined;
  }

  /** What the kubelet wires into a container's ProcessIO (`resolve` and `http`). */
  forPod(pod: KObject): { resolve(name: string): string | undefined; http(req: HttpRequestSpec, done: (o: HttpOutcome) => void): void } {
    const opts = { namespace: pod.metadata.namespace ?? "default", hostDNS: podDNSType(pod) !== "cluster" };
    return {
      resolve: (name) => this.resolve(name, opts),
      http: (req, done) => this.http(req, done, opts),
    };
  }
}

/** The cluster's network, shared through `ctx.services` under "network". */
export function clusterNetwork(ctx: ClusterContext): ClusterNetwork {
  let n = ctx.services.get("network") as ClusterNetwork | undefined;
  if (!n) ctx.services.set("network", (n = new ClusterNetwork(ctx)));
  return n;
}
