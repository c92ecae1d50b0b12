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
import type { EndpointPort, ServicePort } from "../api/types.gen.ts";
import type { AppAnswer, AppRequest, AppServer, CpuCgroup, HttpOutcome, HttpRequestSpec, PeriodicCharge, ProxyPass, RandomCharge, TcpConnection } from "../runtime/types.ts";
import type { TimerHandle } from "../sim/clock.ts";
import { inServiceCIDR, isIPv4, KUBE_DNS_IP } from "../api/registry/core/service/ipallocator.ts";
import { podIP } from "./podutil.ts";
import { ExternalHosts } from "./externalhosts.ts";
import { DNSServers } from "./dnsservers.ts";
import { inZones, zoneFor, type CoreDNSConfig } from "./corefile.ts";
import { APISERVER_ADDRESS, apiServerHost } from "./apiserverhost.ts";
import { NetworkPolicies, type Peer } from "./policy.ts";
import { handledBy, nginxPage, routeIngress } from "./ingress.ts";
import { CLUSTER_DOMAIN, HOST_NAMESERVER, podDNSConfig, podDNSType } from "./dnspolicy.ts";
import { announcingNode, serviceByLoadBalancerIP } from "./loadbalancer.ts";

declare module "../context.ts" {
  interface ClusterServices {
    /** The cluster's network (src/network/network.ts). */
    network: ClusterNetwork;
  }
}

export { CLUSTER_DOMAIN } from "./dnspolicy.ts";
/** Go's http.Client has no timeout by default; requests from the traffic steps use this one. */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
/** Connect timeout for unroutable addresses (Linux SYN retries give up after about two minutes; curl's default). */
export const DIAL_TIMEOUT_MS = 130_000;
/**
 * CPU time a request costs the application that answers it when its model does not say
 * (`cpuMs` of the answer): a fifth of a millisecond, about what a small HTTP handler takes.
 */
export const REQUEST_CPU_MS = 0.2;

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
  /** The container's CPU cgroup: answering costs CPU time there. */
  cpu?: CpuCgroup;
  /** The application's last answer and the outcome made of it (fast engine: see `answerOutcome`). */
  lastAnswer?: object;
  lastOutcome?: HttpOutcome;
  /** The answering pod as a delivery names it (fast engine: see `answer`). */
  who?: { namespace: string; name: string };
}

export interface RequestOptions {
  /** The namespace of the requesting pod (DNS search path); default `default`. */
  namespace?: string;
  /** Also resolve bare pod names (the traffic steps allow `http://pod1:8080/`); real DNS does not. */
  podNames?: boolean;
  /** The pod's resolver is the node's (dnsPolicy Default, or hostNetwork): cluster names do not resolve. */
  hostDNS?: boolean;
  /** With `hostDNS`, the nameserver the pod's resolv.conf names when it is not the node's (dnsPolicy None with a dnsConfig). */
  nameserver?: string;
  /** The requesting pod: `localhost` / 127.0.0.1 reach its own network namespace. */
  localPod?: { namespace: string; name: string };
  /**
   * Who sends, for NetworkPolicy (./policy.ts): a pod, or `external` (a client that is no pod: the
   * traffic steps); absent, the node itself (kubelet probes, a node's shell), which policies do not
   * restrict.
   */
  source?: KObject | "external";
  /** CNAMEs followed so far (ExternalName Services pointing at each other). */
  depth?: number;
  /** Reverse proxies the request went through so far (AppAnswer.proxy). */
  hops?: number;
  /** The node that sends (a node's shell): the source address its packets leave with. */
  fromNode?: string;
}

/** How many reverse proxies a request may go through (a proxy forwarding to itself would loop). */
const MAX_PROXY_HOPS = 10;

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

/** The label naming the Service an EndpointSlice belongs to (discovery.k8s.io/v1 LabelServiceName). */
const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

/** The label selector of a Service's slices (an unnamed function: tsx keeps named closures' names at a cost per call). */
function slicesOf(name: string | undefined): (l: Record<string, string>) => boolean {
  return (l) => l[SERVICE_NAME_LABEL] === name;
}

/**
 * The route of a request from the node to a pod address (a kubelet probe), as the last full
 * delivery found it: the pod address is no Service's, no node's and no external host's, no
 * NetworkPolicy applies to the node, so the route depends only on what is attached on the address
 * (`list`: attach and detach replace an address's list with a new array, or drop it, so the list
 * still stored for the address is the same array only while nothing was attached or detached
 * there) and on which of those applications listen on the port now (asked again at every use).
 * Issue #19. (Held against the address's own list rather than a count of every attach and detach
 * in the cluster: while pods start, an attach somewhere happens every few milliseconds, and no
 * route or steady answer would be kept.)
 */
interface NodeRoute {
  list: Attached[];
  /** The index in `list` of the application that answered; those before it did not listen. */
  index: number;
  port: number;
  path: string;
  ip: string;
}

/** A dormant traffic client (see `ClusterNetwork.sleepClient`). */
interface Sleeper {
  handle: TimerHandle;
  period: number;
  /** The instant of its first skipped firing; `done` of them replayed, `upTo` due (at the last settle). */
  firstAt: number;
  done: number;
  upTo: number;
  /** The Service the request went to (its namespace and name): only its slices' events wake the client. */
  svcNamespace: string | undefined;
  svcName: string | undefined;
  /** The Service port's name (what `readyEndpoints` was asked for), the request's port and path. */
  portName: string;
  port: number;
  path: string;
  /** The Service's endpoints as the request found them, and per endpoint who answers, with what. */
  eps: Endpoint[];
  targets: Attached[];
  outcomes: HttpOutcome[];
  pods: Array<string | undefined>;
  cpuMs: number;
  record: (sentAt: number, outcome: HttpOutcome, pod: string | undefined) => void;
  wake: () => void;
  /** Its registrations: a charge per endpoint's cgroup, a watch per application (each undone when dropped or no longer a target). */
  charges: Map<CpuCgroup, () => void>;
  watches: Map<AppServer, () => void>;
  gone: boolean;
  /** Replays what is due, ends the dormancy, wakes the client. */
  fire: () => void;
}

/** The ingress-nginx controller pod as a NetworkPolicy peer (what minikube's addon runs). */
const INGRESS_CONTROLLER_POD: KObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "ingress-nginx-controller", namespace: "ingress-nginx", labels: { "app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx", "app.kubernetes.io/name": "ingress-nginx" } },
  spec: { containers: [] },
  status: { podIP: "10.244.0.5" },
};
const GATEWAY_TIMEOUT = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

export class ClusterNetwork {
  private readonly byIP = new Map<string, Attached[]>();
  /** The IPs each pod (by uid) has something attached on, so that detaching looks at those only. */
  private readonly ipsByUid = new Map<string, Set<string>>();
  /** Services by ClusterIP, rebuilt after a Service changes (a ClusterIP never changes once set). */
  private servicesByIP: Map<string, KObject> | undefined;
  private servicesSeen = -1;
  /** What kube-proxy has programmed per Service and port name: rebuilt after an EndpointSlice changes. */
  private endpointsCache = new Map<string, Endpoint[]>();
  private slicesSeen = -1;
  /** Hosts outside the cluster a scenario declared (none by default: no Internet). */
  readonly externalHosts = new ExternalHosts();
  /** DNS servers outside the cluster a scenario declared (./dnsservers.ts). */
  readonly dnsServers = new DNSServers();
  /**
   * The Corefiles the running CoreDNS processes serve (src/images/programs/coredns.ts), by process,
   * in the order they loaded them: the last one routes queries. None: the cluster DNS answers as
   * kubeadm's default Corefile would (cluster names, the rest forwarded to the node's resolver).
   */
  private readonly corefiles = new Map<object, CoreDNSConfig>();
  /** The API server on the node network, made at the first request to it. */
  private apiserver: Attached | undefined;
  /** NetworkPolicy enforcement (what a policy-enforcing CNI does). */
  readonly policies: NetworkPolicies;
  /** Whether the ingress-nginx add-on runs (src/controllers/ingress/nginx.ts): it answers on the nodes' port 80. */
  ingressInstalled = false;
  /** Routes of requests from the node to pod addresses, by URL (not used by the reference engine). */
  private readonly nodeRoutes = new Map<string, NodeRoute>();
  /**
   * The last `httpFromNode` answer that may be asked for no more while nothing changes (issue #19,
   * see `sleepNodeRequest`): its URL, instant, who answered and the CPU time it cost.
   */
  private steadyAnswer: { url: string; at: number; ip: string; path: string; list: Attached[]; answer: object; target: Attached; cpuMs: number } | undefined;
  /** Dormant node requests (their wakers) by pod address: an attach or detach there wakes them. */
  private readonly dormant = new Map<string, Set<() => void>>();

  constructor(private readonly ctx: ClusterContext) {
    this.policies = new NetworkPolicies(ctx);
    ctx.api.watch("Service", () => {
      this.servicesByIP = undefined;
      if (this.sleepers.length > 0) this.wakeAllClients();
    });
    ctx.api.watch("EndpointSlice", (ev) => {
      this.endpointsCache.clear();
      if (this.sleepers.length > 0) this.wakeClientsOf(ev.object.metadata.namespace, ev.object.metadata.labels?.[SERVICE_NAME_LABEL], ev.old?.metadata.labels?.[SERVICE_NAME_LABEL]);
    });
  }

  // ---- the kubelet's side -----------------------------------------------------------------

  /** A container's application starts listening on its pod's IP. */
  attach(pod: KObject, containerName: string, ip: string, app: AppServer, cpu?: CpuCgroup): void {
    const list = this.byIP.get(ip) ?? [];
    const rest = list.filter((a) => !(a.uid === pod.metadata.uid && a.container === containerName));
    rest.push({ namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name!, uid: pod.metadata.uid!, container: containerName, app, cpu });
    this.byIP.set(ip, rest);
    if (this.dormant.size > 0) this.wakeAt(ip);
    let ips = this.ipsByUid.get(pod.metadata.uid!);
    if (!ips) this.ipsByUid.set(pod.metadata.uid!, (ips = new Set()));
    ips.add(ip);
  }

  /** The container stopped: nothing of it listens any more. Without a container name, the whole pod. */
  detach(podUID: string, containerName?: string): void {
    const ips = this.ipsByUid.get(podUID);
    if (!ips) return;
    for (const ip of [...ips]) {
      if (this.dormant.size > 0) this.wakeAt(ip);
      const list = this.byIP.get(ip) ?? [];
      const rest = list.filter((a) => !(a.uid === podUID && (containerName === undefined || a.container === containerName)));
      if (rest.length) this.byIP.set(ip, rest);
      else this.byIP.delete(ip);
      if (!rest.some((a) => a.uid === podUID)) ips.delete(ip);
    }
    if (ips.size === 0) this.ipsByUid.delete(podUID);
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
    // The common case (every request to a Service by its short name): a lower-case name without
    // dots that names a Service with a ClusterIP answers that ClusterIP, as the general path below
    // would; anything else takes the general path.
    if (!opts.hostDNS && name.indexOf(".") < 0 && name !== "localhost" && !(typeof opts.source === "object" && this.policies.any())) {
      const svc = this.ctx.api.get("Service", ns, name);
      const ip = svc?.spec?.clusterIP;
      if (ip && ip !== "None" && svc.spec.type !== "ExternalName" && name === name.toLowerCase()) return ip;
    }
    if (name === "localhost" || name === "localhost.") return LOOPBACK_IP;
    const host = name.toLowerCase().replace(/\.$/, "");
    if (isIPv4(host)) return host;
    if (opts.hostDNS) return opts.nameserver && opts.nameserver !== HOST_NAMESERVER ? this.askServer(opts.nameserver, host) : this.externalHosts.resolve(host);
    // An egress-isolated pod that may not reach the cluster DNS gets no answer.
    if (typeof opts.source === "object" && this.policies.any() && !this.policies.dnsAllowed(opts.source)) return undefined;
    if (host === `kube-dns.kube-system` || host.startsWith(`kube-dns.kube-system.svc`)) return KUBE_DNS_IP;
    const parts = host.split(".");
    const suffix = `svc.${CLUSTER_DOMAIN}`;
    // An endpoint of a headless Service: `<hostname>.<service>` completed by the search path
    // (`<ns>.svc.cluster.local`), `<hostname>.<service>.<ns>[.svc[.cluster.local]]`; the search
    // path is tried before the name as it is, as the pod's resolver does.
    const endpointName =
      parts.length === 2 ? [parts[0], parts[1], ns] :
      parts.length === 3 || (parts.length === 4 && parts[3] === "svc") || (parts.length === 6 && host.endsWith(`.${suffix}`)) ? [parts[0], parts[1], parts[2]] :
      undefined;
    if (endpointName) {
      const ip = this.endpointRecord(endpointName[0], endpointName[1], endpointName[2]);
      if (ip) return ip;
    }
    let svcName: string | undefined;
    let svcNs = ns;
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
        // ExternalName: CoreDNS answers a CNAME to the external name, which resolves upstream.
        if (svc.spec?.type === "ExternalName") {
          const target = String(svc.spec.externalName ?? "").toLowerCase().replace(/\.$/, "");
          return target && target !== host && (opts.depth ?? 0) < 8 ? this.resolve(target, { ...opts, podNames: false, depth: (opts.depth ?? 0) + 1 }) : undefined;
        }
        if (svc.spec?.clusterIP && svc.spec.clusterIP !== "None") return svc.spec.clusterIP;
        if (svc.spec?.clusterIP === "None") return this.readyEndpoints(svc)[0]?.ip;
      }
      if (opts.podNames && parts.length === 1) {
        const pod = this.ctx.api.get("Pod", ns, svcName);
        if (pod) return podIP(pod);
      }
    }
    // Not a cluster name: CoreDNS answers it from its Corefile (hosts, a stub domain's or the
    // default upstream), the node's resolver knowing only the declared hosts.
    const ext = this.corefiles.size === 0 ? this.externalHosts.resolve(host) : this.fromCorefile(host);
    if (ext !== undefined) return ext;
    // An Ingress host: the `/etc/hosts` line (or DNS record) the ingress pages add for it points
    // at the ingress controller's node.
    return this.ingressInstalled ? this.ingressHostAddress(host) : undefined;
  }

  /** The Corefile a CoreDNS process loaded (undefined: it stopped serving); the last one loaded routes queries. */
  setCorefile(owner: object, cfg: CoreDNSConfig | undefined): void {
    this.corefiles.delete(owner);
    if (cfg) this.corefiles.set(owner, cfg);
  }

  /**
   * A name outside the cluster's zone, as CoreDNS answers it with the Corefile last loaded: the
   * server block of the most specific zone (none: REFUSED); its `hosts` entries; the `forward`
   * plugin's upstreams (`/etc/resolv.conf`: CoreDNS's own resolver, the node's, where the declared
   * external hosts are; an address: the DNS server declared there, the first that is).
   */
  private fromCorefile(host: string): string | undefined {
    let cfg: CoreDNSConfig | undefined;
    for (const c of this.corefiles.values()) cfg = c;
    const zone = cfg && zoneFor(cfg, host);
    if (!zone) return undefined;
    const name = `${host}.`;
    // A name of the kubernetes plugin's zone the cluster code above did not answer does not exist.
    if (zone.kubernetes && inZones(zone.kubernetes.filter((z) => !z.endsWith(".arpa.")), name)) return undefined;
    if (zone.hosts) {
      const ip = zone.hosts.entries.get(name);
      if (ip) return ip;
      if (!zone.hosts.fallthrough) return undefined;
    }
    const fwd = zone.forward;
    if (!fwd || !inZones([fwd.from], name)) return undefined;
    for (const to of fwd.to) {
      if (to.startsWith("/")) return this.externalHosts.resolve(host);
      if (this.dnsServers.has(to)) return this.askServer(to, host);
    }
    return undefined;
  }

  /** A query sent to a DNS server outside the cluster: a declared one's answer; nothing elsewhere. */
  private askServer(ip: string, host: string): string | undefined {
    const a = this.dnsServers.query(ip, host);
    return a === undefined || a === "nxdomain" ? undefined : a.ip;
  }

  /**
   * CoreDNS' record for an endpoint of a headless Service: the address of the endpoint whose
   * hostname (a pod's `spec.hostname` with `spec.subdomain` naming the Service) or dashed IP is
   * `host`; ready endpoints only, unless the Service publishes not-ready addresses.
   */
  private endpointRecord(host: string, svcName: string, svcNs: string): string | undefined {
    const svc = this.ctx.api.get("Service", svcNs, svcName);
    if (!svc || svc.spec?.clusterIP !== "None") return undefined;
    const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
    const slices = this.ctx.api.list("EndpointSlice", { namespace: svcNs, labelSelector: (l) => l["kubernetes.io/service-name"] === svcName });
    for (const slice of slices) {
      for (const ep of slice.endpoints ?? []) {
        if (!publishNotReady && ep.conditions?.ready === false) continue;
        const ip: string | undefined = ep.addresses?.[0];
        if (!ip) continue;
        if (ep.hostname === host || (!ep.hostname && ip.replace(/\./g, "-") === host)) return ip;
      }
    }
    return undefined;
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
    const slices = this.ctx.api.list("EndpointSlice", { namespace: ns, labelSelector: slicesOf(svc.metadata.name) });
    const ready: Array<{ ip: string; port?: number; pod?: { namespace: string; name: string } }> = [];
    const fallback: typeof ready = [];
    for (const slice of slices) {
      const port = (slice.ports ?? []).find((p: EndpointPort) => (p.name ?? "") === (portName ?? ""))?.port;
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

  /**
   * `http` from the node itself (the kubelet's HTTP probes): no namespace, no NetworkPolicy. The
   * same answer at the same instant as `http`; a request to a pod address reuses the route the
   * last one took while nothing attached on the address changed (the reference engine works the
   * route out every time). `tail`: the caller's callback does nothing after this call returns, so
   * an answer due at once is handed over directly when the clock would run it next anyway
   * (`SimClock.zeroDelayIsNext`; the reference engine always goes through the clock).
   */
  httpFromNode(req: HttpRequestSpec, done: (outcome: HttpOutcome) => void, tail = false): void {
    if (this.ctx.reference) return this.http(req, done);
    const clock = this.ctx.clock;
    const r = this.nodeRoutes.get(req.url);
    if (r !== undefined && this.byIP.get(r.ip) === r.list && this.nodeRouteHolds(r)) {
      const target = r.list[r.index];
      const outcome = this.answerOutcome(req, target, r.port, r.path, req.headers ?? {});
      const after = this.answerAfterMs;
      // An answer that stays the same while nothing changes: the first listener on the address, a
      // kept 2xx answer due at once, a CPU cost the cgroup can fold (see sleepNodeRequest).
      const kept = after === 0 && r.index === 0 && outcome.ok && outcome.status >= 200 && outcome.status < 300 && target.cpu?.chargePeriodic !== undefined ? target.app.keptAnswer?.(r.path) : undefined;
      this.steadyAnswer = kept !== undefined ? { url: req.url, at: clock.now(), ip: r.ip, path: r.path, list: r.list, answer: kept, target, cpuMs: this.answerCpuMs } : undefined;
      if (tail && !(after > 0) && clock.zeroDelayIsNext()) return done(outcome);
      clock.setTimeout(() => done(outcome), after);
      return;
    }
    this.steadyAnswer = undefined;
    const d = this.deliver(req, {}, true);
    if (tail && !(d.afterMs > 0) && clock.zeroDelayIsNext()) return done(d.delivery.outcome);
    clock.setTimeout(() => done(d.delivery.outcome), d.afterMs);
  }

  /**
   * Issue #19 (never on the reference engine): a node request repeated by the interval `handle`
   * every `period` ms — a probe — may stop being sent while its answer cannot change. Called right
   * after its answer arrived (the same instant, the same URL), it succeeds when that answer was
   * steady: the route is the remembered one to the address's first listener, the application's
   * answer to the path is kept (`AppServer.keptAnswer`: no timeline, no `sets`), a 2xx due at
   * once, and the container's cgroup takes the request's CPU time as a periodic charge at each
   * skipped firing (`CpuCgroup.chargePeriodic`: no CPU limit, nothing queued). Then each skipped
   * firing would send the same request along the same route to the same answer at the same cost:
   * only the charge is left of it, and the cgroup replays it in order for every reader. Anything
   * that could change the answer calls `wake` (and ends the arrangement first): an attach or
   * detach on the address (the route depends on nothing else: see NodeRoute), a change of the application (a `sets`, its exit), other work that would make
   * the charge wait. Returns the cancel (the caller's own wake-ups), or undefined when refused.
   */
  sleepNodeRequest(url: string, handle: TimerHandle, period: number, wake: () => void): (() => void) | undefined {
    const s = this.steadyAnswer;
    this.steadyAnswer = undefined;
    const clock = this.ctx.clock;
    if (this.ctx.reference || s === undefined || s.url !== url || s.at !== clock.now() || !clock.isDormant(handle)) return undefined;
    // Nothing changed since the answer (it may have come through a zero-delay timer, after other work).
    if (this.byIP.get(s.ip) !== s.list || s.target.app.keptAnswer?.(s.path) !== s.answer) return undefined;
    // The closures are made by assignment to a property (under tsx, esbuild's `keepNames` defines
    // the name of every closure bound to a name or made in an object literal, as it is made: four
    // `defineProperty` calls per sleep).
    const held: { done: boolean; unwatch?: () => void; uncharge?: () => void; cancel: () => void; fire: () => void } = { done: false, unwatch: undefined, uncharge: undefined, cancel: noop, fire: noop };
    held.cancel = () => {
      if (held.done) return;
      held.done = true;
      const at = this.dormant.get(s.ip);
      at?.delete(held.fire);
      if (at?.size === 0) this.dormant.delete(s.ip);
      held.unwatch?.();
      held.uncharge?.();
    };
    held.fire = () => {
      held.cancel();
      wake();
    };
    const fire = held.fire;
    const charge: PeriodicCharge = { cpuMs: s.cpuMs, firstAt: clock.nextDue(handle), period, skipped: noopCount, nextAt: noopCount, wake: fire };
    charge.skipped = () => clock.skipped(handle);
    charge.nextAt = () => clock.nextDue(handle);
    const uncharge = (held.uncharge = s.target.cpu!.chargePeriodic!(charge));
    if (uncharge === undefined || s.target.app.onChange === undefined) {
      held.done = true;
      uncharge?.();
      return undefined;
    }
    held.unwatch = s.target.app.onChange(fire);
    let at = this.dormant.get(s.ip);
    if (at === undefined) this.dormant.set(s.ip, (at = new Set()));
    at.add(fire);
    return held.cancel;
  }

  // ---- dormant traffic clients (issue #19) --------------------------------------------------

  /**
   * Traffic clients whose interval sleeps (`sleepClient`), in the order their firings at one
   * instant come on the clock (they all have one period; those of one phase fire in a fixed
   * order). Each skipped firing is a request still to be made: its draw, its charge, its record.
   */
  private sleepers: Sleeper[] = [];
  /** The earliest instant a sleeper's next skipped firing can have (nothing is due before it). */
  private sleepersDueAt = Infinity;
  private settlingClients = false;
  private policyWatch = false;
  /** How many times a traffic client's interval went dormant (issue #19; for benchmarks and tests). */
  clientsSlept = 0;
  /** How many times a slice event left a sleeping client asleep (its ready endpoints unchanged). */
  clientsKept = 0;
  /** How many times a slice event left a sleeping client asleep with other ready endpoints (`retarget`). */
  clientsRetargeted = 0;
  private readonly settleHook = (): void => this.settleClients();

  /**
   * Issue #19 (never on the reference engine): a traffic client's interval `handle` (made dormant
   * by the caller) may stop sending while the request it just sent — answered at once, the same
   * instant — would take the same path at every firing: a Service's ClusterIP resolved from the
   * host name (Services only decide that), no NetworkPolicy, the Service's ready endpoints as
   * kube-proxy has them (the cached list), each the first application attached on its address,
   * listening on the port, with a kept answer to the path due at once (no `delay`), and each
   * endpoint's cgroup accepting the request's CPU time as a charge at any firing
   * (`CpuCgroup.chargeRandom`). Then a skipped firing's request differs from another only by the
   * endpoint the seeded random source picks, which depends on the draws made before it: so the
   * skipped firings are replayed (`settleClients`) — each draw in its place among all others
   * (before anyone else draws: `Random.beforeDraw`), its charge at its own instant in the chosen
   * cgroup (before anything else touches it), its record at the client — whenever anyone could
   * see a difference. What could change the path wakes the client (replaying first): a Service or
   * EndpointSlice event (dispatched before any later firing), a NetworkPolicy event, an attach or
   * detach on an endpoint's address, the application changing, other work in a cgroup that would
   * make a charge wait, the client stopping or being read. Returns the cancel, or undefined when
   * refused.
   */
  sleepClient(c: {
    url: string;
    opts: RequestOptions;
    handle: TimerHandle;
    period: number;
    record: (sentAt: number, outcome: HttpOutcome, pod: string | undefined) => void;
    wake: () => void;
  }): (() => void) | undefined {
    const clock = this.ctx.clock;
    if (this.ctx.reference || !clock.isDormant(c.handle) || c.opts.hostDNS) return undefined;
    if (this.sleepers.length > 0 && this.sleepers[0].period !== c.period) return undefined;
    if (this.policies.any() || !Number.isInteger(c.period) || c.period <= 0) return undefined;
    const url = parseURLCached(c.url);
    if (url instanceof Error || url.scheme !== "http") return undefined;
    const ip = this.resolve(url.host, c.opts);
    if (ip === undefined || ip.startsWith("172.18.")) return undefined;
    const svc = this.serviceByIP(ip);
    if (svc === undefined) return undefined;
    let sp: ServicePort | undefined;
    for (const p of svc.spec?.ports ?? []) if (p.port === url.port && (p.protocol ?? "TCP") === "TCP") sp = sp ?? p;
    if (!sp) return undefined;
    const eps = this.readyEndpoints(svc, sp.name ?? "");
    if (eps.length === 0) return undefined;
    const firstAt = clock.nextDue(c.handle);
    const paths = this.sleepPaths(eps, url.port, url.path, -1);
    if (paths === undefined) return undefined;
    const { targets, outcomes, pods, cpuMs } = paths;
    const m: Sleeper = { handle: c.handle, period: c.period, firstAt, done: 0, upTo: 0, svcNamespace: svc.metadata.namespace, svcName: svc.metadata.name, portName: sp.name ?? "", port: url.port, path: url.path, eps, targets, outcomes, pods, cpuMs, record: c.record, wake: c.wake, charges: new Map(), watches: new Map(), gone: false, fire: noop };
    m.fire = () => {
      if (m.gone) return;
      this.settleClients();
      this.dropSleeper(m);
      m.wake();
    };
    const fire = m.fire;
    // Register everywhere, or nowhere.
    if (!this.chargeTargets(m, firstAt)) return undefined;
    for (const t of targets) if (!m.watches.has(t.app)) m.watches.set(t.app, t.app.onChange!(fire));
    for (const ep of eps) {
      let at = this.dormant.get(ep.ip);
      if (at === undefined) this.dormant.set(ep.ip, (at = new Set()));
      at.add(fire);
    }
    if (!this.policyWatch) {
      this.policyWatch = true;
      this.ctx.api.watch("NetworkPolicy", () => {
        if (this.sleepers.length > 0) this.wakeAllClients();
      });
    }
    // Its place among the sleepers of its phase: after those whose firing at this instant has
    // happened (they fired before it), before those still due now.
    const now = clock.now();
    let at = this.sleepers.length;
    for (let i = 0; i < this.sleepers.length; i++) {
      const o = this.sleepers[i];
      if ((o.firstAt - firstAt) % c.period === 0 && clock.nextDue(o.handle) === now) {
        at = i;
        break;
      }
    }
    this.sleepers.splice(at, 0, m);
    this.clientsSlept++;
    if (firstAt < this.sleepersDueAt) this.sleepersDueAt = firstAt;
    this.ctx.chance.beforeDraw = this.settleHook;
    return fire;
  }

  /**
   * Who answers a sleeping client's request at each of these endpoints, and with what (`sleepClient`'s
   * conditions): the first application attached on the address, listening on the port, plain HTTP,
   * with a kept answer to the path due at once, costing the same CPU time at every endpoint (`cpuMs`
   * when given, ≥ 0) and whose cgroup may take it as a charge. Undefined when one is not so.
   */
  private sleepPaths(eps: Endpoint[], urlPort: number, path: string, cpuMs: number): { targets: Attached[]; outcomes: HttpOutcome[]; pods: Array<string | undefined>; cpuMs: number } | undefined {
    const targets: Attached[] = [];
    const outcomes: HttpOutcome[] = [];
    const pods: Array<string | undefined> = [];
    for (const ep of eps) {
      const port = ep.port ?? urlPort;
      const list = this.byIP.get(ep.ip);
      const target = list?.[0];
      if (target === undefined || !target.uid || !target.cpu?.chargeRandom || target.app.onChange === undefined || !target.app.listening(port) || target.app.speaksTLS?.(port)) return undefined;
      const answer = target.app.keptAnswer?.(path) as { status: number; body: string; delayMs?: number; cpuMs?: number } | undefined;
      if (answer === undefined || answer.delayMs) return undefined;
      const cost = answer.cpuMs ?? REQUEST_CPU_MS;
      if (cpuMs >= 0 && cost !== cpuMs) return undefined;
      cpuMs = cost;
      // The outcome `answerOutcome` hands out for this answer (shared, never changed by readers).
      if (target.lastAnswer !== answer) {
        target.lastAnswer = answer;
        target.lastOutcome = { ok: true, status: answer.status, body: answer.body };
      }
      targets.push(target);
      outcomes.push(target.lastOutcome!);
      pods.push(target.name);
    }
    return { targets, outcomes, pods, cpuMs };
  }

  /**
   * Registers the sleeper's charge with each of its targets' cgroups it is not registered with yet
   * (`CpuCgroup.chargeRandom`, from `firstAt`, its next firing); all or none: on a refusal the new
   * registrations are undone and false returned.
   */
  private chargeTargets(m: Sleeper, firstAt: number): boolean {
    const clock = this.ctx.clock;
    // (`nextAt` assigned, not in the literal: see `sleepNodeRequest`.)
    const charge: RandomCharge = { cpuMs: m.cpuMs, firstAt, period: m.period, nextAt: noopCount, wake: m.fire, settle: this.settleHook };
    charge.nextAt = () => clock.nextDue(m.handle);
    const made: CpuCgroup[] = [];
    for (const t of m.targets) {
      const cg = t.cpu!;
      if (m.charges.has(cg)) continue;
      const cancel = cg.chargeRandom!(charge);
      if (cancel === undefined) {
        for (const g of made) {
          m.charges.get(g)!();
          m.charges.delete(g);
        }
        return false;
      }
      m.charges.set(cg, cancel);
      made.push(cg);
    }
    return true;
  }

  /**
   * Issue #19: the sleeping client's Service has other ready endpoints now (a slice event). A
   * firing from now on picks among the new list (`route` reads it afresh: kube-proxy's cache was
   * cleared by the event) with the same draw, and takes the same path as long as `sleepPaths`
   * holds for it; the skipped firings so far picked among the old one. So the due ones are made
   * first (`settleClients`), and the sleeper goes on with the new list and targets, registered
   * with the new targets' cgroups and applications and unregistered from those no longer in it,
   * instead of waking the client (whose next firing would send for real and sleep again with the
   * same list). False (nothing changed but the replay) when the new list cannot be slept on.
   * `eps`: the Service's ready endpoints for the sleeper's port, read from the store now.
   */
  private retarget(m: Sleeper, eps: Endpoint[]): boolean {
    if (eps.length === 0) return false;
    const paths = this.sleepPaths(eps, m.port, m.path, m.cpuMs);
    if (paths === undefined) return false;
    this.settleClients();
    if (m.gone) return true;
    const oldTargets = m.targets;
    const oldEps = m.eps;
    m.targets = paths.targets;
    if (!this.chargeTargets(m, this.ctx.clock.nextDue(m.handle))) {
      m.targets = oldTargets;
      return false;
    }
    m.eps = eps;
    m.outcomes = paths.outcomes;
    m.pods = paths.pods;
    const cgroups = new Set<CpuCgroup>();
    const apps = new Set<AppServer>();
    for (const t of m.targets) {
      cgroups.add(t.cpu!);
      apps.add(t.app);
    }
    for (const [cg, cancel] of m.charges) {
      if (cgroups.has(cg)) continue;
      m.charges.delete(cg);
      cancel();
    }
    for (const [app, unwatch] of m.watches) {
      if (apps.has(app)) continue;
      m.watches.delete(app);
      unwatch();
    }
    for (const app of apps) if (!m.watches.has(app)) m.watches.set(app, app.onChange!(m.fire));
    const ips = new Set<string>();
    for (const ep of eps) ips.add(ep.ip);
    for (const ep of oldEps) {
      if (ips.has(ep.ip)) continue;
      const at = this.dormant.get(ep.ip);
      at?.delete(m.fire);
      if (at?.size === 0) this.dormant.delete(ep.ip);
    }
    for (const ip of ips) {
      let at = this.dormant.get(ip);
      if (at === undefined) this.dormant.set(ip, (at = new Set()));
      at.add(m.fire);
    }
    this.clientsRetargeted++;
    return true;
  }

  /** Makes every skipped request of the dormant clients due so far, in the clock's order. */
  settleClients(): void {
    if (this.settlingClients || this.sleepers.length === 0 || this.ctx.clock.now() < this.sleepersDueAt) return;
    this.settlingClients = true;
    const chance = this.ctx.chance;
    chance.beforeDraw = undefined;
    try {
      const list = this.sleepers;
      const clock = this.ctx.clock;
      let due = 0;
      for (let i = 0; i < list.length; i++) {
        const m = list[i];
        m.upTo = clock.skipped(m.handle);
        due += m.upTo - m.done;
      }
      for (; due > 0; due--) {
        let best = list[0];
        let at = Infinity;
        for (let i = 0; i < list.length; i++) {
          const m = list[i];
          if (m.done >= m.upTo) continue;
          const t = m.firstAt + m.done * m.period;
          if (t < at) {
            at = t;
            best = m;
          }
        }
        best.done++;
        // `route`'s pick, the answer's charge (due at once: see CpuCgroup.chargeRandom), the record.
        const i = best.eps.length === 1 ? 0 : chance.int(best.eps.length);
        best.targets[i].cpu!.chargeAt!(at, best.cpuMs);
        best.record(at, best.outcomes[i], best.pods[i]);
      }
      let next = Infinity;
      for (let i = 0; i < list.length; i++) {
        const t = list[i].firstAt + list[i].done * list[i].period;
        if (t < next) next = t;
      }
      this.sleepersDueAt = next;
    } finally {
      this.settlingClients = false;
      if (this.sleepers.length > 0) chance.beforeDraw = this.settleHook;
    }
  }

  private dropSleeper(m: Sleeper): void {
    m.gone = true;
    const i = this.sleepers.indexOf(m);
    if (i >= 0) this.sleepers.splice(i, 1);
    for (const ep of m.eps) {
      const at = this.dormant.get(ep.ip);
      at?.delete(m.fire);
      if (at?.size === 0) this.dormant.delete(ep.ip);
    }
    for (const cancel of m.charges.values()) cancel();
    for (const unwatch of m.watches.values()) unwatch();
    m.charges.clear();
    m.watches.clear();
    if (this.sleepers.length === 0) {
      this.ctx.chance.beforeDraw = undefined;
      this.sleepersDueAt = Infinity;
    }
  }

  private wakeAllClients(): void {
    for (const m of [...this.sleepers]) m.fire();
  }

  /**
   * An EndpointSlice event: wakes the clients of the Service the slice belongs to (its
   * `kubernetes.io/service-name`) or belonged to before the change. A sleeping client's path reads
   * only its own Service's ready endpoints (`readyEndpoints`: the slices of the namespace labelled
   * with its name), and every write of such a slice is dispatched before the client's next firing,
   * so while none is the list a firing would read has the content the client went to sleep with —
   * kube-proxy's cache of it may be cleared by another Service's slices, and is then read again
   * from the same slices. (Waking every client on every slice event kept all 50 clients of the
   * probes benchmark awake while its 1,000 pods started.)
   */
  private wakeClientsOf(namespace: string | undefined, name: string | undefined, oldName: string | undefined): void {
    if (name === undefined && oldName === undefined) return;
    for (const m of [...this.sleepers]) {
      if (m.gone || m.svcNamespace !== namespace || (m.svcName !== name && m.svcName !== oldName)) continue;
      // The Service's ready endpoints for the sleeper's port, read from the store now (once for
      // both questions: nothing is written between them).
      const svc = this.ctx.api.get("Service", m.svcNamespace, m.svcName!);
      const eps = svc === undefined ? undefined : this.computeReadyEndpoints(svc, m.portName);
      if (eps !== undefined && (this.sameReadyEndpoints(m, eps) || this.retarget(m, eps))) continue;
      m.fire();
    }
  }

  /**
   * Whether the Service's ready endpoints for the sleeper's port, read from the store now, are
   * those it went to sleep with (the same addresses and ports in the same order): then a firing
   * would pick among the same list with the same draw and take the same path (`route` reads only
   * an endpoint's address and port), so a slice event that leaves them as they were (a pod that
   * got its address but is not Ready, a not-ready pod's conditions) need not wake it. Every later
   * write of the Service's slices has its own event, dispatched before the client's next firing,
   * and is checked in turn. The kube-proxy cache is left alone (its next read recomputes it).
   */
  private sameReadyEndpoints(m: Sleeper, eps: Endpoint[]): boolean {
    const old = m.eps;
    if (eps.length !== old.length) return false;
    for (let i = 0; i < eps.length; i++) if (eps[i].ip !== old[i].ip || eps[i].port !== old[i].port) return false;
    this.clientsKept++;
    return true;
  }

  /** Wakes the dormant requests to an address whose listeners change (the route may lead elsewhere). */
  private wakeAt(ip: string): void {
    const at = this.dormant.get(ip);
    if (at !== undefined) for (const fire of [...at]) fire();
  }

  /** Whether a remembered route still leads where it led: the same listener, and none before it. */
  private nodeRouteHolds(r: NodeRoute): boolean {
    const list = r.list;
    for (let i = 0; i < r.index; i++) if (list[i].app.listening(r.port)) return false;
    return list[r.index].app.listening(r.port);
  }

  /** As `http`, telling also which pod answered; `tail` as for `httpFromNode`. */
  send(req: HttpRequestSpec, done: (d: Delivery) => void, opts: RequestOptions = {}, tail = false): void {
    // Hot path (every probe and client request): no named closures (tsx keeps names at a cost).
    const d = this.deliver(req, opts);
    const clock = this.ctx.clock;
    if (tail && !this.ctx.reference && !(d.afterMs > 0) && clock.zeroDelayIsNext()) return done(d.delivery);
    clock.setTimeout(() => done(d.delivery), d.afterMs);
  }

  /**
   * A request an application makes while it computes its own answer (Bookinfo's productpage calls
   * details and reviews, reviews calls ratings, before answering): the outcome at once and how long
   * it takes, which the caller adds to its own answer's delay. The same delivery as `send`'s.
   */
  exchange(req: HttpRequestSpec, opts: RequestOptions = {}): { outcome: HttpOutcome; afterMs: number } {
    const d = this.deliver(req, opts);
    return { outcome: d.delivery.outcome, afterMs: d.afterMs };
  }

  /**
   * What a request gets and how long it takes, decided when it is sent. `remember`: a request from
   * the node to a pod address keeps its route for `httpFromNode`.
   */
  private deliver(req: HttpRequestSpec, opts: RequestOptions, remember = false): { delivery: Delivery; afterMs: number } {
    const timeoutMs = req.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    const url = parseURLCached(req.url);
    if (url instanceof Error) return { delivery: { outcome: { ok: false, kind: "unreachable", error: url.message } }, afterMs: 0 };
    const ip = this.resolve(url.host, opts);
    if (!ip) {
      return { delivery: { outcome: { ok: false, kind: "nxdomain", error: `dial tcp: lookup ${url.host} on ${KUBE_DNS_IP}:53: no such host` } }, afterMs: 0 };
    }
    if (this.ingressInstalled && (url.port === 80 || url.port === 443) && this.isIngressAddress(ip)) return this.deliverViaIngress(req, url, opts);
    const route = this.route(ip === LOOPBACK_IP ? this.loopbackTarget(opts) : ip, url.port, opts.source);
    if (route.kind === "timeout") {
      const dialed = `${ip}:${url.port}`;
      const error = timeoutMs <= DIAL_TIMEOUT_MS ? `dial tcp ${dialed}: i/o timeout` : `dial tcp ${dialed}: connect: connection timed out`;
      return { delivery: { outcome: { ok: false, kind: "timeout", error } }, afterMs: Math.min(timeoutMs, DIAL_TIMEOUT_MS) };
    }
    if (route.kind === "refused") {
      return { delivery: { outcome: { ok: false, kind: "refused", error: `dial tcp ${ip}:${url.port}: connect: connection refused` } }, afterMs: 0 };
    }
    const { target } = route;
    if (remember && route.kind === "ok" && ip === url.host && ip !== LOOPBACK_IP && !ip.startsWith("172.18.") && !ip.startsWith("10.96.") && !inServiceCIDR(ip)) {
      const list = this.byIP.get(ip);
      const index = list ? list.indexOf(target) : -1;
      // An address no external host can ever have (none is declared on a pod's address either).
      if (list && index >= 0 && route.port === url.port && !ExternalHosts.mayOwn(ip)) {
        if (this.nodeRoutes.size > 100_000) this.nodeRoutes.clear();
        this.nodeRoutes.set(req.url, { list, index, port: url.port, path: url.path, ip });
      }
    }
    return this.answer(req, target, route.port, url.path, req.headers ?? {}, opts, ip, url.port);
  }

  /** The application's answer to a request that reached it, and when it arrives. */
  private answer(req: HttpRequestSpec, target: Attached, port: number, path: string, headers: Record<string, string>, opts: RequestOptions, dialed: string, dialedPort: number): { delivery: Delivery; afterMs: number } {
    // A connection to localhost comes from localhost (a port-forward's, the pod's own processes').
    const client = dialed === LOOPBACK_IP ? LOOPBACK_IP : opts.fromNode !== undefined || dialed.startsWith("172.18.") ? this.clientAddress(dialed, dialedPort, target, opts) : this.senderIP(opts);
    const outcome = this.answerOutcome(req, target, port, path, headers, client, opts.hops);
    // Who answered: the same pod every time (readers only read it; the reference engine makes a new one).
    const pod = target.uid ? (this.ctx.reference ? { namespace: target.namespace, name: target.name } : (target.who ??= { namespace: target.namespace, name: target.name })) : undefined;
    return { delivery: { pod, outcome }, afterMs: this.answerAfterMs };
  }

  /** When the last `answerOutcome` arrives, ms from now (a field: no wrapper object per request). */
  private answerAfterMs = 0;
  /** The CPU time the last `answerOutcome` cost. */
  private answerCpuMs = 0;

  /** The application's answer to a request that reached it (from `client`, when known); sets `answerAfterMs`. */
  private answerOutcome(req: HttpRequestSpec, target: Attached, port: number, path: string, headers: Record<string, string>, client?: string, hops = 0): HttpOutcome {
    const timeoutMs = req.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    const request: AppRequest =
      client === undefined && req.proto === undefined && req.body === undefined ? { method: req.method, path, port, headers } : { method: req.method, path, port, headers, client, proto: req.proto, ...(req.body !== undefined ? { body: req.body } : {}) };
    const answer: AppAnswer = target.app.handle(request);
    // The handler's CPU time runs in the container's cgroup (queued behind earlier work, throttled
    // by its CPU limit); the answer leaves when that is done, at the clock's millisecond.
    const cpuMs = answer.cpuMs ?? REQUEST_CPU_MS;
    this.answerCpuMs = cpuMs;
    const computing = target.cpu ? target.cpu.run(cpuMs) : 0;
    const delay = (answer.delayMs ?? 0) + Math.round(computing);
    if (answer.proxy !== undefined) return this.proxyOutcome(answer.proxy, target, delay, timeoutMs, hops);
    if (delay >= timeoutMs) {
      this.answerAfterMs = timeoutMs;
      return { ok: false, kind: "timeout", error: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)" };
    }
    this.answerAfterMs = delay;
    // Kept answers (AppProcess.handle) come back as the same object: so does their outcome (shared,
    // as outcomes are never changed by their readers). The reference engine's answers are new each time.
    if (target.lastAnswer === answer) return target.lastOutcome!;
    const outcome: HttpOutcome = target.app.speaksTLS?.(port) ? { ok: true, status: answer.status, body: answer.body, tls: true } : { ok: true, status: answer.status, body: answer.body };
    if (!this.ctx.reference) {
      target.lastAnswer = answer;
      target.lastOutcome = outcome;
    }
    return outcome;
  }

  /**
   * A reverse proxy's answer (AppAnswer.proxy: nginx's `proxy_pass`): the upstream request leaves
   * the proxy's pod (its address is the source the upstream sees, its NetworkPolicies apply) once
   * the proxy has spent `delay` ms, and the proxy answers its client with what it made of the
   * upstream's outcome; the client's timeout bounds the whole. Sets `answerAfterMs`. A request
   * proxied more than MAX_PROXY_HOPS times (a proxy forwarding to itself) gets no upstream answer.
   */
  private proxyOutcome(p: ProxyPass, target: Attached, delay: number, timeoutMs: number, hops: number): HttpOutcome {
    const pod = target.uid ? this.ctx.api.get("Pod", target.namespace, target.name) : undefined;
    const opts: RequestOptions = pod ? { namespace: target.namespace, localPod: { namespace: target.namespace, name: target.name }, source: pod, hops: hops + 1 } : { hops: hops + 1 };
    let upstream: HttpOutcome;
    let upstreamMs = 0;
    if (hops >= MAX_PROXY_HOPS) upstream = { ok: false, kind: "unreachable", error: "too many proxy hops" };
    else {
      const d = this.deliver({ method: p.method, proto: p.proto, url: p.url, headers: p.headers, timeoutMs: p.timeoutMs ?? timeoutMs }, opts);
      upstream = d.delivery.outcome;
      upstreamMs = d.afterMs;
    }
    const reply = p.reply(upstream, delay + upstreamMs);
    const total = delay + upstreamMs + (reply.delayMs ?? 0);
    if (total >= timeoutMs) {
      this.answerAfterMs = timeoutMs;
      return { ok: false, kind: "timeout", error: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)" };
    }
    this.answerAfterMs = total;
    return { ok: true, status: reply.status, body: reply.body };
  }

  /**
   * The source address a request reaches its pod with (what kube-proxy's iptables rules and the
   * CNI leave of it; the "Using Source IP" tutorial): a pod's own address to a ClusterIP or a pod
   * (never SNAT'd); a request to a node port of a Service whose externalTrafficPolicy is Cluster is
   * masqueraded by the receiving node, to its InternalIP when the endpoint is on another node and
   * to its pod network's gateway (the host end of the pod's veth, `.1` of the node's podCIDR) when
   * it is local; with Local the client's own address is kept. A node's own request (its shell) to
   * a Service is masqueraded the same way (kube-proxy marks traffic from outside the cluster CIDR).
   * Undefined when the sender is unknown (the traffic steps' external clients).
   */
  private clientAddress(dialed: string, dialedPort: number, target: Attached, opts: RequestOptions): string | undefined {
    const sender = typeof opts.source === "object" ? this.senderIP(opts) : opts.fromNode !== undefined ? this.nodeInternalIP(opts.fromNode) : undefined;
    const endpointNode = target.uid ? this.ctx.api.get("Pod", target.namespace, target.name)?.spec?.nodeName : undefined;
    const receiving = this.isNodeIP(dialed) ? this.nodeByIP(dialed) : undefined;
    if (receiving !== undefined) {
      const svc = this.serviceByNodePort(dialedPort)?.svc;
      if (svc?.spec?.externalTrafficPolicy === "Local") return sender;
      return endpointNode === receiving.metadata.name ? this.podGateway(receiving) : dialed;
    }
    if (opts.fromNode !== undefined) {
      const node = this.ctx.api.get("Node", undefined, opts.fromNode);
      // To a pod on the node itself the packet leaves through the pod's veth; elsewhere through eth0.
      return node && endpointNode === opts.fromNode ? this.podGateway(node) : sender;
    }
    return sender;
  }

  /** The sending pod's address (the pod as its containers were started may not have had it yet). */
  private senderIP(opts: RequestOptions): string | undefined {
    const src = opts.source;
    if (typeof src !== "object") return undefined;
    if (podIP(src)) return podIP(src);
    const now = this.ctx.api.get("Pod", src.metadata.namespace, src.metadata.name!);
    return (now && podIP(now)) || undefined;
  }

  private nodeByIP(ip: string): KObject | undefined {
    return this.ctx.api.list("Node").find((n) => (n.status?.addresses ?? []).some((a: { type: string; address: string }) => a.type === "InternalIP" && a.address === ip));
  }

  private nodeInternalIP(name: string): string | undefined {
    return (this.ctx.api.get("Node", undefined, name)?.status?.addresses ?? []).find((a: { type: string }) => a.type === "InternalIP")?.address;
  }

  /** The node's end of its pods' network: the first address of its podCIDR (10.244.1.0/24 → 10.244.1.1). */
  private podGateway(node: KObject): string | undefined {
    const cidr: string | undefined = node.spec?.podCIDR;
    const m = cidr ? /^(\d+\.\d+\.\d+)\.\d+\//.exec(cidr) : null;
    return m ? `${m[1]}.1` : undefined;
  }

  /** The node address the ingress controller answers on (the first node's InternalIP). */
  private ingressAddress(): string | undefined {
    const nodes = this.ctx.api.list("Node").sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    for (const n of nodes) {
      const ip = (n.status?.addresses ?? []).find((a: { type: string }) => a.type === "InternalIP")?.address;
      if (ip) return ip;
    }
    return undefined;
  }

  /** Whether an address is a node's (InternalIP). */
  private isNodeIP(ip: string): boolean {
    if (!ip.startsWith("172.18.")) return false;
    return this.ctx.api.list("Node").some((n) => (n.status?.addresses ?? []).some((a: { type: string; address: string }) => a.type === "InternalIP" && a.address === ip));
  }

  /** The NodePort or LoadBalancer Service port listening on a node port. */
  private serviceByNodePort(port: number): { svc: KObject; sp: { port: number; name?: string } } | undefined {
    for (const svc of this.ctx.api.list("Service")) {
      const sp = (svc.spec?.ports ?? []).find((p: { nodePort?: number; protocol?: string }) => p.nodePort === port && (p.protocol ?? "TCP") === "TCP");
      if (sp) return { svc, sp };
    }
    return undefined;
  }

  private isIngressAddress(ip: string): boolean {
    // Node addresses are on the node network (172.18.0.0/16); the hot path (pod IPs, ClusterIPs) stops here.
    return ip.startsWith("172.18.") && ip === this.ingressAddress();
  }

  private ingressHostAddress(host: string): string | undefined {
    for (const ing of this.ctx.api.list("Ingress")) {
      if (handledBy(ing) && (ing.spec?.rules ?? []).some((r: { host?: string }) => r.host && r.host.toLowerCase() === host)) return this.ingressAddress();
    }
    return undefined;
  }

  /**
   * ingress-nginx proxies: the Ingress rules pick a Service (./ingress.ts), kube-proxy one of its
   * endpoints; the controller pod (namespace ingress-nginx) is the source policies see.
   */
  private deliverViaIngress(req: HttpRequestSpec, url: ParsedURL, opts: RequestOptions): { delivery: Delivery; afterMs: number } {
    const timeoutMs = req.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    const host = (req.headers?.Host ?? req.headers?.host ?? url.host).replace(/:\d+$/, "").toLowerCase();
    const backend = routeIngress(this.ctx.api.list("Ingress"), host, url.path);
    if (!backend) return { delivery: { outcome: { ok: true, status: 404, body: nginxPage(404) } }, afterMs: 0 };
    const ns = backend.ingress.metadata.namespace ?? "default";
    const svc = this.ctx.api.get("Service", ns, backend.service);
    const sp = (svc?.spec?.ports ?? []).find((p: { port: number; name?: string }) => (backend.port.number !== undefined ? p.port === backend.port.number : p.name === backend.port.name));
    const clusterIP = svc?.spec?.clusterIP;
    if (!svc || !sp || !clusterIP || clusterIP === "None") return { delivery: { outcome: { ok: true, status: 503, body: nginxPage(503) } }, afterMs: 0 };
    const route = this.route(clusterIP, sp.port, INGRESS_CONTROLLER_POD);
    if (route.kind !== "ok") {
      // No endpoint answers: nginx's upstream fails; after its connect timeout when dropped.
      return { delivery: { outcome: { ok: true, status: route.kind === "timeout" ? 504 : 503, body: route.kind === "timeout" ? GATEWAY_TIMEOUT : nginxPage(503) } }, afterMs: route.kind === "timeout" ? Math.min(timeoutMs, 60_000) : 0 };
    }
    const { target } = route;
    void opts;
    const answer = target.app.handle({ method: req.method, path: backend.path, port: route.port, headers: { ...(req.headers ?? {}), Host: host } });
    const cpuMs = answer.cpuMs ?? REQUEST_CPU_MS;
    this.answerCpuMs = cpuMs;
    const computing = target.cpu ? target.cpu.run(cpuMs) : 0;
    const delay = (answer.delayMs ?? 0) + Math.round(computing);
    const pod = target.uid ? { namespace: target.namespace, name: target.name } : undefined;
    if (delay >= timeoutMs) {
      return { delivery: { pod, outcome: { ok: false, kind: "timeout", error: "context deadline exceeded (Client.Timeout exceeded while awaiting headers)" } }, afterMs: timeoutMs };
    }
    return { delivery: { pod, outcome: { ok: true, status: answer.status, body: answer.body } }, afterMs: delay };
  }

  /** 127.0.0.1 from a pod: the pod's own address (its containers share one network namespace). */
  private loopbackTarget(opts: RequestOptions): string {
    const p = opts.localPod ? this.ctx.api.get("Pod", opts.localPod.namespace, opts.localPod.name) : undefined;
    return (p && podIP(p)) || LOOPBACK_IP;
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

  /**
   * A TCP connection from a pod to host:port (a client's own protocol: `redis-cli -h redis`): the
   * application that accepts it, through kube-proxy's Service rules and NetworkPolicy as `dial`
   * goes, with the dialer's error otherwise. 127.0.0.1 is the pod's own address.
   */
  connect(host: string, port: number, opts: RequestOptions = {}): TcpConnection {
    const ip = this.resolve(host, opts);
    if (!ip) return { ok: false, kind: "nxdomain", error: `dial tcp: lookup ${host} on ${KUBE_DNS_IP}:53: no such host` };
    const r = this.route(ip === LOOPBACK_IP ? this.loopbackTarget(opts) : ip, port, opts.source);
    if (r.kind === "ok") return { ok: true, app: r.target.app, ip };
    if (r.kind === "refused") return { ok: false, kind: "refused", error: `dial tcp ${ip}:${port}: connect: connection refused` };
    return { ok: false, kind: "timeout", error: `dial tcp ${ip}:${port}: i/o timeout` };
  }

  /**
   * Whether an ICMP echo request to `ip` is answered now (`ping`): loopback, a node's address, a
   * declared external host, and a pod whose sandbox lives (it has its IP and has not finished)
   * answer; a Service's ClusterIP does not (kube-proxy's iptables rules only translate the
   * Service's ports, so an echo request to the virtual IP goes unanswered), nor an unknown address.
   */
  echoes(ip: string): boolean {
    if (ip === LOOPBACK_IP || ip.startsWith("127.")) return true;
    if (ip === KUBE_DNS_IP || this.serviceByIP(ip)) return false;
    if (this.externalHosts.byAddress(ip)) return true;
    if (this.byIP.has(ip)) return true;
    for (const n of this.ctx.api.list("Node")) {
      if ((n.status?.addresses ?? []).some((a: { address?: string }) => a.address === ip)) return true;
    }
    const pod = this.podByIP(ip);
    return !!pod && pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed";
  }

  /** Where a connection to ip:port goes: through a Service's chosen endpoint, or straight to a pod. */
  private route(ip: string, port: number, source?: KObject | "external"): { kind: "ok"; target: Attached; port: number } | { kind: "refused" } | { kind: "timeout" } {
    let targetIP = ip;
    let targetPort = port;
    let lb: KObject | undefined;
    const svc = this.serviceByIP(ip);
    if (svc) {
      let sp: ServicePort | undefined;
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
    } else if (this.isNodeIP(ip)) {
      // kube-proxy's NodePort rules on every node: the Service's endpoints (any node's pods).
      const np = this.serviceByNodePort(port);
      if (!np) {
        // A process of the node's own network namespace (a hostNetwork pod's) listening on the port.
        const host = this.byIP.get(ip)?.find((a) => a.app.listening(port));
        return host ? { kind: "ok", target: host, port } : { kind: "refused" };
      }
      let eps = this.readyEndpoints(np.svc, np.sp.name ?? "");
      if (eps.length === 0) return { kind: "refused" };
      // externalTrafficPolicy: Local: only the receiving node's endpoints; a node without one drops the packet.
      if (np.svc.spec?.externalTrafficPolicy === "Local") {
        const node = this.nodeByIP(ip)?.metadata.name;
        eps = eps.filter((e) => e.pod !== undefined && this.ctx.api.get("Pod", e.pod.namespace, e.pod.name)?.spec?.nodeName === node);
        if (eps.length === 0) return { kind: "timeout" };
      }
      const ep = eps.length === 1 ? eps[0] : eps[this.ctx.chance.int(eps.length)];
      targetIP = ep.ip;
      targetPort = ep.port ?? np.sp.port;
    } else if (ip.startsWith("172.18.") && (lb = serviceByLoadBalancerIP(this.ctx, ip))) {
      // A LoadBalancer Service's external address (./loadbalancer.ts).
      let sp: ServicePort | undefined;
      for (const p of lb.spec?.ports ?? []) if (p.port === port && (p.protocol ?? "TCP") === "TCP") sp = sp ?? p;
      if (!sp) return { kind: "timeout" };
      let eps = this.readyEndpoints(lb, sp.name ?? "");
      if (source === "external") {
        const node = announcingNode(this.ctx, lb);
        if (node === undefined) return { kind: "timeout" };
        if (lb.spec?.externalTrafficPolicy === "Local") {
          eps = eps.filter((e) => e.pod !== undefined && this.ctx.api.get("Pod", e.pod.namespace, e.pod.name)?.spec?.nodeName === node);
          if (eps.length === 0) return { kind: "timeout" };
        }
      }
      if (eps.length === 0) return { kind: "refused" };
      const ep = eps.length === 1 ? eps[0] : eps[this.ctx.chance.int(eps.length)];
      targetIP = ep.ip;
      targetPort = ep.port ?? port;
    } else {
      const ext = this.externalHosts.byAddress(ip);
      if (ext) return ext.app.listening(port) ? { kind: "ok", target: { namespace: "", name: ext.name, uid: "", container: "", app: ext.app }, port } : { kind: "timeout" };
    }
    const list = this.byIP.get(targetIP);
    // NetworkPolicy: a connection either end's policies do not allow is dropped (no answer at all).
    if (source !== undefined && this.policies.any() && !this.policyAllows(source, targetIP, targetPort, list)) return { kind: "timeout" };
    // The API server (the `kubernetes` Service's endpoint): src/network/apiserverhost.ts.
    if (targetIP === APISERVER_ADDRESS) {
      const app = (this.apiserver ??= { namespace: "", name: "kube-apiserver", uid: "", container: "", app: apiServerHost(this.ctx) });
      return app.app.listening(targetPort) ? { kind: "ok", target: app, port: targetPort } : { kind: "refused" };
    }
    if (!list) {
      // A pod IP whose pod exists but nothing runs yet answers with a reset; an unknown address does not answer.
      return this.podByIP(targetIP) ? { kind: "refused" } : { kind: "timeout" };
    }
    const target = list.find((a) => a.app.listening(targetPort));
    return target ? { kind: "ok", target, port: targetPort } : { kind: "refused" };
  }

  /** Whether the source may open a connection to a pod's (or any) address and port. */
  private policyAllows(source: KObject | "external", ip: string, port: number, attached: Attached[] | undefined): boolean {
    const a = attached?.find((x) => x.uid);
    const dstPod = a ? this.ctx.api.get("Pod", a.namespace, a.name) : this.podByIP(ip);
    const dst: Peer = dstPod ? this.policies.peerOf(dstPod) : { ip };
    const src: Peer = source === "external" ? { ip: "" } : this.policies.peerOf(source);
    return this.policies.allowed(src, dst, port);
  }

  private podByIP(ip: string): KObject | undefined {
    for (const p of this.ctx.api.list("Pod")) if (podIP(p) === ip) return p;
    return undefined;
  }

  /** What the kubelet wires into a container's ProcessIO (`resolve` and `http`). */
  forPod(pod: KObject): { resolve(name: string): string | undefined; http(req: HttpRequestSpec, done: (o: HttpOutcome) => void): void; echoes(ip: string): boolean; connect(host: string, port: number): TcpConnection } {
    const type = podDNSType(pod);
    // dnsPolicy None: the resolver asks the first nameserver of the pod's dnsConfig.
    const nameserver = type === "none" ? podDNSConfig(pod).nameservers[0] : undefined;
    const opts = { namespace: pod.metadata.namespace ?? "default", hostDNS: type !== "cluster" && nameserver !== KUBE_DNS_IP, ...(nameserver ? { nameserver } : {}), localPod: { namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name! }, source: pod };
    // The same four closures, assigned rather than written in the literal (see `sleepNodeRequest`).
    const io: ReturnType<ClusterNetwork["forPod"]> = { resolve: noopResolve, http: noop, echoes: noopEchoes, connect: noopConnect };
    io.resolve = (name) => this.resolve(name, opts);
    io.http = (req, done) => this.http(req, done, opts);
    io.echoes = (ip) => this.echoes(ip);
    io.connect = (host, port) => this.connect(host, port, opts);
    return io;
  }
}

const LOOPBACK_IP = "127.0.0.1";

/** Placeholders of closures assigned right after an object is made (see `sleepNodeRequest`). */
function noop(): void {}
function noopCount(): number {
  return 0;
}
function noopResolve(): string | undefined {
  return undefined;
}
function noopEchoes(): boolean {
  return false;
}
function noopConnect(): TcpConnection {
  throw new Error("not wired");
}

/** The cluster's network, shared through `ctx.services` under "network". */
export function clusterNetwork(ctx: ClusterContext): ClusterNetwork {
  return ctx.services.ensure("network", () => new ClusterNetwork(ctx));
}
