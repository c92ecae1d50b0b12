/**
 * MetalLB's images (metallb/metallb, modelled on v0.14.9: controller/Dockerfile and
 * speaker/Dockerfile, `FROM gcr.io/distroless/static:latest`, `ENTRYPOINT ["/controller"]` and
 * `["/speaker"]`; no shell), as config/manifests/metallb-native.yaml runs them
 * (exercises/apps/metallb). Both are Kubernetes clients as their service accounts, through RBAC
 * (../incluster.ts), and both follow the API with watches, reconciling at the instant of a change.
 *
 * `quay.io/metallb/controller` (controller/main.go, controller/service.go, internal/allocator):
 * - at start, `CreateMlSecret`: the memberlist Secret (`METALLB_ML_SECRET_NAME`, `memberlist`) with
 *   the key `secretkey` (16 random bytes, unpadded base64) owned by the Deployment
 *   (`METALLB_DEPLOYMENT`), unless it exists; the speakers mount it;
 * - the webhook certificate rotator (open-policy-agent/cert-controller): writes a CA and a serving
 *   certificate for `metallb-webhook-service.metallb-system.svc` into the Secret
 *   `metallb-webhook-cert` (`ca.crt`, `ca.key`, `tls.crt`, `tls.key`; here always the pair of
 *   data/files/metallb), and injects the CA as the `caBundle` of every webhook of
 *   `metallb-webhook-configuration` and of the `bgppeers.metallb.io` conversion webhook, again
 *   whenever they lose it; the metrics (7472) and webhook (9443, TLS) servers start once the
 *   kubelet has put the certificate in the Secret volume (`--cert-dir`);
 * - the webhook (internal/k8s/webhooks/webhookv1beta1): an IPAddressPool must be in the
 *   controller's namespace and, with the namespace's other pools, parse and not overlap
 *   (config.For's texts); L2Advertisements, BGPPeers, BGPAdvertisements, BFDProfiles and
 *   Communities must be in the namespace;
 * - the service controller: pools from the namespace's IPAddressPools (SetPools reprocesses every
 *   Service); each LoadBalancer Service without `spec.loadBalancerClass` (or with `--lb-class`'s)
 *   gets an address from `metallb.io/loadBalancerIPs` or `spec.loadBalancerIP`, from the pool of
 *   `metallb.io/address-pool`, or the first free address of the first pool that has one; the
 *   deprecated `metallb.universe.tf/` annotations are read too (each use: a Warning
 *   `deprecatedAnnotation` event). It writes `status.loadBalancer.ingress` and the annotation
 *   `metallb.io/ip-allocated-from-pool` with one status update, and records `IPAllocated`
 *   (`Assigned IP ["…"]`), `AllocationFailed`, `ClearAssignment` and `LoadBalancerFailed` events as
 *   `metallb-controller`. A deleted Service, or one that is no LoadBalancer any more, frees its
 *   address and every Service is reprocessed (one waiting for an address gets it).
 *
 * `quay.io/metallb/speaker` (speaker/main.go, speaker/layer2_controller.go), one per node
 * (hostNetwork): for each Service with an address in a pool that an L2Advertisement announces
 * from its node, the speakers elect one node: among the nodes of the running speakers (not
 * unschedulable, not labelled `node.kubernetes.io/exclude-from-external-load-balancers`) — with
 * `externalTrafficPolicy: Local` only those with a serving endpoint of the Service — the first by
 * the SHA-256 of `node#ip`. The elected speaker answers ARP for the address (the network sends
 * outside traffic for it to that node: src/network/network.ts), records `nodeAssigned`
 * (`announcing from node "…" with protocol "layer2"`) as `metallb-speaker`, and keeps a
 * ServiceL2Status (`l2-…`, labels `metallb.io/node`, `metallb.io/service-name`,
 * `metallb.io/service-namespace`) in its namespace; a speaker that loses the election deletes its
 * own. Without endpoints no node announces.
 *
 * Both serve `/metrics` on `--port` (7472: what the probes ask), the allocator's gauges for the
 * controller; the speaker listens on memberlist's 7946. SIGTERM exits 0.
 *
 * Not modelled (docs/divergences.md): the logs, BGP (peers, advertisements, FRR), memberlist's
 * gossip (a speaker is a member while its pod runs), IPv6 and dual-stack allocation, the CRD
 * conversion webhook's answers, the Events' one-hour expiry.
 */
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { Pod } from "../../api/types.gen.ts";
import type { ApiServer } from "../../api/store.ts";
import type { KObject, WatchEvent } from "../../api/types.ts";
import type { TimerHandle } from "../../sim/clock.ts";
import { createHash } from "node:crypto";
import { ApiError } from "../../api/errors.ts";
import { keyedRandom } from "../../sim/random.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";
import { parseGoFlags, type GoFlags } from "./goflags.ts";
import { inClusterClient } from "../incluster.ts";
import { dataFile } from "../catalogue.ts";
import { Allocator, ipToNumber, numberToIP, poolsFor, quoteIPs, sortedByName, type CR, type Pool, type Pools, type Port } from "./metallbconfig.ts";

export const POOLS = "ipaddresspools.metallb.io";
export const L2ADVS = "l2advertisements.metallb.io";
export const L2STATUSES = "servicel2statuses.metallb.io";
const NEW_PREFIX = "metallb.io/";
const OLD_PREFIX = "metallb.universe.tf/";
const ANNOTATION_FROM_POOL = "metallb.io/ip-allocated-from-pool";
const EXCLUDE_LB = "node.kubernetes.io/exclude-from-external-load-balancers";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const keyOf = (o: KObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
const sortKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** valueForAnnotation: the `metallb.io/` annotation, else the deprecated `metallb.universe.tf/` one. */
function annotation(svc: KObject, name: string): string {
  const a: Record<string, string> = svc.metadata.annotations ?? {};
  if (Object.hasOwn(a, NEW_PREFIX + name)) return a[NEW_PREFIX + name]!;
  return a[OLD_PREFIX + name] ?? "";
}

/**
 * An event recorder as client-go's (tools/record) writes core/v1 Events through the program's
 * client, which may create and patch Events: the same reason and message on the same object again
 * patches the Event's count and lastTimestamp (the correlator's event logger keeps the count), and
 * an Event gone meanwhile is created again with its name, count and firstTimestamp.
 */
export class ClientEvents {
  private readonly seen = new Map<string, { name: string; count: number; first: string }>();
  private seq = 0;
  constructor(
    private readonly client: ApiServer,
    private readonly component: string,
  ) {}

  record(obj: KObject, type: "Normal" | "Warning", reason: string, message: string): void {
    const ns = obj.metadata.namespace ?? "default";
    const now = this.client.clock.nowRFC3339();
    const key = [obj.metadata.uid, type, reason, message].join("\u0000");
    const prev = this.seen.get(key);
    try {
      if (prev) {
        prev.count++;
        try {
          this.client.mutate("Event", ns, prev.name, (e) => {
            e.count = prev.count;
            e.lastTimestamp = now;
          });
          return;
        } catch (e) {
          if (!(e instanceof ApiError && e.reason === "NotFound")) throw e;
        }
      }
      const nanos = BigInt(this.client.clock.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
      const name = prev?.name ?? `${obj.metadata.name}.${nanos.toString(16)}`;
      this.client.create({
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace: ns },
        involvedObject: { apiVersion: obj.apiVersion ?? "v1", kind: obj.kind, name: obj.metadata.name, namespace: ns, resourceVersion: obj.metadata.resourceVersion, uid: obj.metadata.uid },
        reason,
        message,
        source: { component: this.component },
        firstTimestamp: prev?.first ?? now,
        lastTimestamp: now,
        count: prev?.count ?? 1,
        type,
        eventTime: null,
        reportingComponent: this.component,
        reportingInstance: "",
      } as KObject);
      if (!prev) this.seen.set(key, { name, count: 1, first: now });
    } catch (e) {
      // recordToSink drops what the API server refuses.
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

/** What both programs share: a client, watches that mark work, one sync at the instant of a change. */
abstract class MetalLBProcess extends ServerProcess {
  protected client: ApiServer | undefined;
  protected events: ClientEvents | undefined;
  protected readonly unwatch: Array<() => void> = [];
  private syncTimer: TimerHandle | undefined;
  private pollTimer: TimerHandle | undefined;
  protected readonly dirty = new Set<string>();
  protected all = false;

  constructor(
    io: ProcessIO,
    protected readonly flags: GoFlags,
    protected readonly pod: Pod,
    protected readonly api: ApiServer | undefined,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  protected abstract component(): string;
  protected abstract startWork(): void;
  protected abstract sync(): void;

  protected namespace(): string {
    return this.flags.values.get("namespace") || this.io.env.METALLB_NAMESPACE || this.pod.metadata?.namespace || "metallb-system";
  }

  protected run(): void {
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) {
      this.log(JSON.stringify({ caller: "main.go:1", error: client.message, level: "error", msg: "failed to create k8s client", op: "startup", ts: this.io.clock.nowRFC3339() }));
      return this.exit(1);
    }
    this.client = client;
    this.events = new ClientEvents(client, this.component());
    this.startWork();
  }

  /** A watch of a kind (a custom resource whose CRD is not served yet: watched once it is). */
  protected follow(kind: string, fn: (ev: WatchEvent) => void, namespace?: string): void {
    try {
      this.unwatch.push(this.client!.watch(kind, fn, namespace === undefined ? {} : { namespace }));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // The informer's list fails and is retried with back-off.
      this.io.clock.setTimeout(() => this.running && this.follow(kind, fn, namespace), 1000);
    }
  }

  /** Something the configuration is made of changed: the next sync compares it with the last (`recheck`). */
  protected recheck = false;

  protected poke(): void {
    this.recheck = true;
    this.mark("");
  }

  protected mark(key: string | undefined): void {
    if (key === undefined) this.all = true;
    else if (key !== "") this.dirty.add(key);
    if (this.syncTimer !== undefined || !this.running) return;
    this.syncTimer = this.io.clock.setTimeout(() => {
      this.syncTimer = undefined;
      if (this.running) this.sync();
    }, 0);
  }

  /** Calls `fn` every second until it says done (cert-controller's and the listeners' waits). */
  protected poll(fn: () => boolean): void {
    if (fn()) return;
    this.pollTimer = this.io.clock.setTimeout(() => {
      this.pollTimer = undefined;
      if (this.running) this.poll(fn);
    }, 1000);
  }

  protected list(kind: string, namespace?: string): KObject[] {
    try {
      return this.client!.list(kind, namespace ? { namespace } : {});
    } catch (e) {
      if (e instanceof ApiError) return [];
      throw e;
    }
  }

  override exit(code: number): void {
    for (const u of this.unwatch) u();
    this.unwatch.length = 0;
    if (this.syncTimer !== undefined) this.io.clock.clear(this.syncTimer);
    if (this.pollTimer !== undefined) this.io.clock.clear(this.pollTimer);
    super.exit(code);
  }
}

function serviceView(svc: KObject) {
  return { namespace: svc.metadata.namespace ?? "default", labels: svc.metadata.labels ?? {} };
}

function ports(svc: KObject): Port[] {
  return (svc.spec?.ports ?? []).map((p: { protocol?: string; port: number }) => ({ proto: p.protocol ?? "TCP", port: p.port }));
}

/** k8salloc.BackendKey: the selector (labels.Set's String) for externalTrafficPolicy Local. */
function backendKey(svc: KObject): string {
  if (svc.spec?.externalTrafficPolicy !== "Local") return "";
  const sel: Record<string, string> = svc.spec?.selector ?? {};
  return Object.keys(sel)
    .sort()
    .map((k) => `${k}=${sel[k]}`)
    .join(",");
}

/** filterByLoadBalancerClass: whether this controller leaves the Service alone. */
export function filteredByClass(svc: KObject, lbClass: string): boolean {
  const c: string | undefined = svc.spec?.loadBalancerClass ?? undefined;
  if (c === undefined) return lbClass !== "";
  return c !== lbClass;
}

/** getDesiredLbIPs: the addresses the Service asks for (none: []), or why the request is invalid. */
export function desiredIPs(svc: KObject): number[] | Error {
  const text = annotation(svc, "loadBalancerIPs");
  const specIP: string = svc.spec?.loadBalancerIP ?? "";
  if (text === "" && specIP === "") return [];
  if (text !== "" && specIP !== "") return new Error("service can not have both metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP");
  if (text !== "") {
    const out: number[] = [];
    for (const s of text.split(",")) {
      const ip = ipToNumber(s.trim());
      if (ip === undefined) return new Error(`invalid metallb.io/loadBalancerIPs: ${JSON.stringify(text)}`);
      out.push(ip);
    }
    return out;
  }
  const ip = ipToNumber(specIP);
  if (ip === undefined) return new Error(`invalid spec.loadBalancerIP ${JSON.stringify(specIP)}`);
  return [ip];
}

/** `quay.io/metallb/controller`'s `/controller`. */
export class MetalLBControllerProcess extends MetalLBProcess {
  private readonly ips = new Allocator();
  private pools: Pools | undefined;
  private poolsSeen = "";
  private serving = false;

  protected component(): string {
    return "metallb-controller";
  }

  private lbClass(): string {
    return this.flags.values.get("lb-class") ?? "";
  }

  protected startWork(): void {
    const ns = this.namespace();
    const mlSecret = this.flags.values.get("ml-secret-name") ?? this.io.env.METALLB_ML_SECRET_NAME ?? "";
    if (mlSecret) {
      const err = this.createMlSecret(ns, this.flags.values.get("deployment") ?? this.io.env.METALLB_DEPLOYMENT ?? "", mlSecret);
      if (err) {
        this.log(JSON.stringify({ caller: "main.go:213", error: err.message, level: "error", msg: "failed to create memberlist secret", op: "startup", ts: this.io.clock.nowRFC3339() }));
        return this.exit(1);
      }
    }
    const webhooks = this.flags.values.get("webhook-mode") !== "disabled";
    if (webhooks && this.flags.values.get("disable-cert-rotation") !== "true") {
      this.follow("ValidatingWebhookConfiguration", () => this.injectCA());
      this.follow("CustomResourceDefinition", (ev) => ev.object.metadata.name === "bgppeers.metallb.io" && this.injectCA());
      this.poll(() => this.rotateCerts());
    } else this.startServers();
    this.follow("Service", (ev) => this.mark(keyOf(ev.object)));
    this.follow(POOLS, () => this.mark(undefined), ns);
    this.follow("Namespace", () => this.pools && [...this.pools.byName.values()].some((p) => p.allocation) && this.mark(undefined));
    this.mark(undefined);
  }

  // ---- start-up --------------------------------------------------------------------------------

  private createMlSecret(ns: string, deployment: string, name: string): Error | undefined {
    const c = this.client!;
    try {
      if (c.list("Secret", { namespace: ns, fieldSelector: (s) => s.metadata.name === name }).length > 0) return undefined;
      const d = c.getOrThrow("Deployment", ns, deployment);
      // 16 random bytes (crypto/rand), unpadded standard base64: keyed by the Deployment, so the same each run.
      const r = keyedRandom(`metallb-memberlist/${d.metadata.uid}`);
      const bytes = Buffer.from(Array.from({ length: 16 }, () => r.int(256)));
      const key = bytes.toString("base64").replace(/=+$/, "");
      c.create({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name, namespace: ns, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name!, uid: d.metadata.uid! }] },
        data: { secretkey: b64(key) },
      } as KObject);
      return undefined;
    } catch (e) {
      if (e instanceof ApiError) return e;
      throw e;
    }
  }

  private certs(): Record<string, string> {
    return { "ca.crt": b64(dataFile("metallb/ca.crt")), "ca.key": b64(dataFile("metallb/ca.key")), "tls.crt": b64(dataFile("metallb/tls.crt")), "tls.key": b64(dataFile("metallb/tls.key")) };
  }

  /** The rotator's refresh: the Secret holds the certificates, the webhooks the CA; then the servers wait for the mounted files. */
  private rotateCerts(): boolean {
    const c = this.client!;
    const ns = this.namespace();
    const name = this.flags.values.get("webhook-secret") ?? "metallb-webhook-cert";
    try {
      const secret = c.getOrThrow("Secret", ns, name);
      const data: Record<string, string> = secret.data ?? {};
      if (!data["ca.crt"] || !data["tls.crt"] || !data["tls.key"]) c.update({ ...secret, data: { ...data, ...this.certs() } });
    } catch (e) {
      if (e instanceof ApiError) return false;
      throw e;
    }
    this.injectCA();
    this.poll(() => this.certsMounted());
    return true;
  }

  private certsMounted(): boolean {
    const dir = this.flags.values.get("cert-dir") ?? "/tmp/k8s-webhook-server/serving-certs";
    if (!this.io.fs.stat(`${dir}/tls.crt`) || !this.io.fs.stat(`${dir}/tls.key`)) return false;
    this.startServers();
    return true;
  }

  /** Sets the CA as the caBundle of the webhooks that lack it (the rotator's ReconcileWH). */
  private injectCA(): void {
    const c = this.client!;
    const ca = b64(dataFile("metallb/ca.crt"));
    try {
      const vwc = c.get("ValidatingWebhookConfiguration", undefined, "metallb-webhook-configuration");
      if (vwc && (vwc.webhooks ?? []).some((w: { clientConfig?: { caBundle?: string } }) => w.clientConfig?.caBundle !== ca)) {
        const next = structuredClone(vwc);
        for (const w of next.webhooks ?? []) w.clientConfig = { ...w.clientConfig, caBundle: ca };
        c.update(next);
      }
      const crd = c.get("CustomResourceDefinition", undefined, "bgppeers.metallb.io");
      const cc = crd?.spec?.conversion?.webhook?.clientConfig;
      if (crd && cc && cc.caBundle !== ca) {
        const next = structuredClone(crd);
        next.spec.conversion.webhook.clientConfig.caBundle = ca;
        c.update(next);
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private startServers(): void {
    if (this.serving) return;
    this.serving = true;
    const port = Number(this.flags.values.get("port") ?? "7472") || 7472;
    this.listen(port, (req) => this.metrics(req));
    this.listen(9443, (req) => this.webhook(req), 0, true);
  }

  private metrics(req: HttpRequest): HttpAnswer {
    if (parseRequestPath(req.path).path !== "/metrics") return { status: 404, body: "404 page not found\n" };
    const pools = [...(this.pools?.byName.values() ?? [])].sort((a, b) => sortKeys(a.name, b.name));
    const lines: string[] = [];
    const family = (name: string, help: string, value: (p: Pool) => number) => {
      if (pools.length === 0) return;
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      for (const p of pools) lines.push(`${name}{pool="${p.name}"} ${value(p)}`);
    };
    family("metallb_allocator_addresses_in_use_total", "Number of IP addresses in use, per pool", (p) => this.ips.stats(p).inUse);
    family("metallb_allocator_addresses_total", "Number of usable IP addresses, per pool", (p) => this.ips.stats(p).total);
    return { status: 200, body: lines.length ? lines.join("\n") + "\n" : "" };
  }

  // ---- the webhook -----------------------------------------------------------------------------

  private webhook(req: HttpRequest): HttpAnswer {
    let review: { request?: { uid?: string; operation?: string; object?: KObject; oldObject?: KObject } };
    try {
      review = JSON.parse(req.body ?? "");
    } catch {
      return { status: 400, body: "contentType=, expected application/json" };
    }
    const r = review.request ?? {};
    const uid = r.uid ?? "";
    const path = parseRequestPath(req.path).path;
    const obj = r.operation === "DELETE" ? r.oldObject : r.object;
    const err = obj ? this.validate(path, r.operation ?? "", obj) : undefined;
    const response = err ? { uid, allowed: false, status: { metadata: {}, message: err, reason: "Forbidden", code: 403 } } : { uid, allowed: true, status: { metadata: {}, code: 200 } };
    return { status: 200, body: JSON.stringify({ kind: "AdmissionReview", apiVersion: "admission.k8s.io/v1", response }) };
  }

  /** The webhooks' verdict: the denial's message, or undefined when allowed. */
  private validate(path: string, op: string, obj: KObject): string | undefined {
    const ns = this.namespace();
    if (op === "DELETE") return undefined;
    if (op === "CREATE" && obj.metadata.namespace !== ns) return `resource must be created in ${ns} namespace`;
    if (path === "/validate-metallb-io-v1beta1-ipaddresspool") {
      // ipAddressListWithUpdate: the namespace's pools with this one in its place (or last).
      const existing = sortedByName(this.list(POOLS, ns)) as CR[];
      const i = existing.findIndex((p) => p.metadata.name === obj.metadata.name);
      const all = i >= 0 ? existing.map((p, j) => (j === i ? (obj as CR) : p)) : [...existing, obj as CR];
      const res = poolsFor(all, [], [], []);
      return res instanceof Error ? res.message : undefined;
    }
    return undefined;
  }

  // ---- the service controller --------------------------------------------------------------------

  protected sync(): void {
    this.syncPools();
    if (!this.pools) return;
    for (let round = 0; round < 3 && (this.all || this.dirty.size > 0); round++) {
      const keys = new Set(this.dirty);
      if (this.all) for (const s of this.list("Service")) keys.add(keyOf(s));
      this.dirty.clear();
      this.all = false;
      for (const key of [...keys].sort(sortKeys)) {
        const [ns, name] = key.split("/") as [string, string];
        const svc = this.client!.get("Service", ns, name);
        if (this.setBalancer(key, svc)) this.all = true;
      }
    }
  }

  /** The pool reconciler: the namespace's pools, validated; a change reprocesses every Service. */
  private syncPools(): void {
    const ns = this.namespace();
    const crs = sortedByName(this.list(POOLS, ns)) as CR[];
    const needsNamespaces = crs.some((p) => (p.spec as { serviceAllocation?: { namespaceSelectors?: unknown[] } } | undefined)?.serviceAllocation?.namespaceSelectors?.length);
    const namespaces = needsNamespaces ? (this.list("Namespace") as CR[]) : [];
    const seen = JSON.stringify([crs.map((p) => [p.metadata.name, p.metadata.labels, p.spec]), namespaces.map((n) => [n.metadata.name, n.metadata.labels])]);
    if (this.pools && seen === this.poolsSeen) return;
    this.poolsSeen = seen;
    const pools = poolsFor(crs, [], namespaces, []);
    // An invalid configuration is logged and the last good one kept.
    if (pools instanceof Error) return;
    this.ips.setPools(pools);
    this.pools = pools;
    this.all = true;
  }

  /** SetBalancer: converges one Service; true when every Service must be reprocessed. */
  private setBalancer(key: string, svcRo: KObject | undefined): boolean {
    if (!svcRo) {
      if (this.ips.pool(key) !== "") {
        this.ips.unassign(key);
        return true;
      }
      return false;
    }
    if (filteredByClass(svcRo, this.lbClass())) return false;
    const svc = structuredClone(svcRo);
    const prev = this.ips.ips(key);
    this.converge(key, svc);
    const status = (o: KObject) => JSON.stringify(o.status?.loadBalancer ?? {});
    const annotations = (o: KObject) => JSON.stringify(o.metadata.annotations ?? {});
    if (status(svc) === status(svcRo) && annotations(svc) === annotations(svcRo)) return false;
    for (const a of Object.keys(svcRo.metadata.annotations ?? {})) {
      if (a.startsWith(OLD_PREFIX)) this.events!.record(svcRo, "Warning", "deprecatedAnnotation", `Service uses deprecated annotation ${a}`);
    }
    let reprocess = false;
    if (prev && this.ips.pool(key) === "" && this.ips.poolFor(prev)) reprocess = true;
    try {
      this.client!.update(svc, { subresource: "status" });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // SyncStateError: retried.
      this.io.clock.setTimeout(() => this.running && this.mark(key), 1000);
    }
    return reprocess;
  }

  private clear(key: string, svc: KObject): void {
    this.ips.unassign(key);
    if (svc.metadata.annotations) delete svc.metadata.annotations[ANNOTATION_FROM_POOL];
    if (svc.status) svc.status.loadBalancer = {};
    else svc.status = { loadBalancer: {} };
  }

  /** convergeBalancer (controller/service.go). */
  private converge(key: string, svc: KObject): void {
    const ev = this.events!;
    if (svc.spec?.type !== "LoadBalancer") return this.clear(key, svc);
    if (this.pools!.byName.size === 0) return this.clear(key, svc);
    if (!svc.spec?.clusterIP) return this.clear(key, svc);
    let lbIPs: number[] = [];
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
      const ip = ing.ip ? ipToNumber(ing.ip) : undefined;
      if (ip !== undefined) lbIPs.push(ip);
    }
    if (lbIPs.length === 0) this.clear(key, svc);
    const view = serviceView(svc);
    const sharing = annotation(svc, "allow-shared-ip");
    if (lbIPs.length > 0) {
      const err = this.ips.assign(key, view, lbIPs, ports(svc), sharing, backendKey(svc));
      if (err) {
        ev.record(svc, "Normal", "ClearAssignment", `current IP for ${JSON.stringify(key)} not allowed by config, will attempt for new IP assignment: ${err.message}`);
        this.clear(key, svc);
        lbIPs = [];
      }
      const desiredPool = annotation(svc, "address-pool");
      if (lbIPs.length > 0 && desiredPool !== "" && this.ips.pool(key) !== desiredPool) {
        this.clear(key, svc);
        lbIPs = [];
      }
      const desired = desiredIPs(svc);
      if (desired instanceof Error) {
        ev.record(svc, "Warning", "LoadBalancerFailed", `invalid requested loadbalancer IPs: ${desired.message}`);
        return;
      }
      if (desired.length > 0 && [...desired].sort().join() !== [...lbIPs].sort().join()) {
        this.clear(key, svc);
        lbIPs = [];
      }
    }
    if (lbIPs.length === 0) {
      const res = this.allocate(key, svc);
      if (res instanceof Error) {
        ev.record(svc, "Warning", "AllocationFailed", `Failed to allocate IP for ${JSON.stringify(key)}: ${res.message}`);
        return;
      }
      lbIPs = res;
      ev.record(svc, "Normal", "IPAllocated", `Assigned IP ${quoteIPs(lbIPs)}`);
    }
    const pool = this.ips.pool(key);
    svc.status = { ...(svc.status ?? {}), loadBalancer: { ingress: lbIPs.map((ip) => ({ ip: numberToIP(ip) })) } };
    svc.metadata.annotations = { ...(svc.metadata.annotations ?? {}), [ANNOTATION_FROM_POOL]: pool };
    // The API server defaults the ipMode of an ingress with an address (LoadBalancerIPMode): written
    // as it will be stored, a converged Service compares equal and is not written again.
    for (const ing of svc.status.loadBalancer.ingress) ing.ipMode = "VIP";
  }

  /** allocateIPs: the requested addresses, the requested pool's first free one, or any pool's. */
  private allocate(key: string, svc: KObject): number[] | Error {
    const desired = desiredIPs(svc);
    if (desired instanceof Error) return desired;
    const pool = annotation(svc, "address-pool");
    const sharing = annotation(svc, "allow-shared-ip");
    const view = serviceView(svc);
    if (desired.length > 0) {
      const err = this.ips.assign(key, view, desired, ports(svc), sharing, backendKey(svc));
      if (err) return err;
      if (pool !== "" && this.ips.pool(key) !== pool) {
        this.ips.unassign(key);
        return new Error(`requested loadBalancer IP(s) ${quoteIPs(desired)} is not compatible with requested address pool ${pool}`);
      }
      return desired;
    }
    if (pool !== "") return this.ips.allocateFromPool(key, view, pool, ports(svc), sharing, backendKey(svc));
    return this.ips.allocate(key, view, ports(svc), sharing, backendKey(svc));
  }
}

/** The node of the elected speaker for an address: the first of `nodes` by SHA-256 of `node#ip`. */
export function electedNode(nodes: string[], ip: string): string | undefined {
  const hash = (n: string) => createHash("sha256").update(`${n}#${ip}`).digest();
  return [...nodes].sort((a, b) => Buffer.compare(hash(a), hash(b)))[0];
}

/** `quay.io/metallb/speaker`'s `/speaker` (layer 2). */
export class MetalLBSpeakerProcess extends MetalLBProcess {
  private readonly announced = new Map<string, string>();
  private membersSeen = "";
  private configSeen = "";

  protected component(): string {
    return "metallb-speaker";
  }

  private myNode(): string {
    return this.io.env.METALLB_NODE_NAME || this.pod.spec?.nodeName || "";
  }

  protected startWork(): void {
    const ns = this.namespace();
    const port = Number(this.flags.values.get("port") ?? "7472") || 7472;
    this.listen(port, (req) => (parseRequestPath(req.path).path === "/metrics" ? { status: 200, body: this.metrics() } : { status: 404, body: "404 page not found\n" }));
    this.listen(Number(this.flags.values.get("ml-bindport") ?? "7946") || 7946, () => ({ status: 400, body: "" }));
    this.follow("Service", (ev) => this.mark(keyOf(ev.object)));
    this.follow("EndpointSlice", (ev) => {
      const svc = ev.object.metadata.labels?.["kubernetes.io/service-name"];
      if (svc) this.mark(`${ev.object.metadata.namespace}/${svc}`);
    });
    // memberlist's gossip (not the API: the speaker may only list pods, at join): a speaker joins
    // when its pod runs and leaves when it stops.
    this.unwatch.push(this.api!.watch("Pod", (ev) => ev.object.metadata.namespace === ns && this.poke()));
    this.follow("Node", () => this.poke());
    this.follow(POOLS, () => this.poke(), ns);
    this.follow(L2ADVS, () => this.poke(), ns);
    this.mark(undefined);
  }

  private metrics(): string {
    const node = this.myNode();
    const rows = [...this.announced.entries()].sort(([a], [b]) => sortKeys(a, b));
    if (rows.length === 0) return "";
    const lines = ["# HELP metallb_speaker_announced Services being announced from this node. This is desired state, it does not guarantee that the routing protocols have converged.", "# TYPE metallb_speaker_announced gauge"];
    for (const [svc, ip] of rows) lines.push(`metallb_speaker_announced{ip="${ip}",node="${node}",protocol="layer2",service="${svc}"} 1`);
    return lines.join("\n") + "\n";
  }

  /** The nodes of the running speakers (memberlist's members), with their Node objects. */
  private members(): string[] {
    const labels = (this.io.env.METALLB_ML_LABELS ?? "app=metallb,component=speaker").split(",").map((kv) => kv.split("=") as [string, string]);
    const out = new Set<string>();
    for (const p of this.list("Pod", this.namespace())) {
      const l: Record<string, string> = p.metadata.labels ?? {};
      if (!labels.every(([k, v]) => l[k] === v)) continue;
      if (p.status?.phase !== "Running" || p.metadata.deletionTimestamp || !p.spec?.nodeName) continue;
      out.add(p.spec.nodeName);
    }
    return [...out].sort(sortKeys);
  }

  protected sync(): void {
    const ns = this.namespace();
    const nodes = this.list("Node");
    const members = this.members();
    const pools = sortedByName(this.list(POOLS, ns)) as CR[];
    const advs = sortedByName(this.list(L2ADVS, ns)) as CR[];
    const nodeView = nodes.map((n) => [n.metadata.name, n.metadata.labels, n.spec?.unschedulable === true, (n.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === "NetworkUnavailable" && c.status === "True")]);
    const config = JSON.stringify([pools.map((p) => [p.metadata.name, p.metadata.labels, p.spec]), advs.map((a) => [a.metadata.name, a.spec]), nodeView]);
    const memberText = members.join(",");
    // The pools, advertisements, nodes or members changed: every Service again (a reload).
    if (config !== this.configSeen || memberText !== this.membersSeen) this.all = true;
    this.recheck = false;
    this.configSeen = config;
    this.membersSeen = memberText;
    const cfg = poolsFor(pools, advs, [], nodes as CR[]);
    const keys = new Set(this.dirty);
    if (this.all) {
      for (const s of this.list("Service")) keys.add(keyOf(s));
      for (const k of this.announced.keys()) keys.add(k);
    }
    this.dirty.clear();
    this.all = false;
    const usable = members.filter((m) => {
      const n = nodes.find((x) => x.metadata.name === m);
      if (!n) return true;
      if (n.spec?.unschedulable === true) return false;
      if ((n.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === "NetworkUnavailable" && c.status === "True")) return false;
      return !Object.hasOwn(n.metadata.labels ?? {}, EXCLUDE_LB);
    });
    for (const key of [...keys].sort(sortKeys)) {
      const [svcNs, name] = key.split("/") as [string, string];
      const svc = this.client!.get("Service", svcNs, name);
      const ip = cfg instanceof Error ? undefined : this.shouldAnnounce(svc, cfg, usable);
      if (ip !== undefined && svc) this.announce(key, svc, ip);
      else this.withdraw(key);
    }
  }

  /** ShouldAnnounce: the address this node announces for the Service, or undefined. */
  private shouldAnnounce(svc: KObject | undefined, cfg: Pools, usable: string[]): string | undefined {
    if (!svc || svc.spec?.type !== "LoadBalancer") return undefined;
    const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string }) => i.ip ?? "").filter(Boolean);
    if (ingress.length === 0) return undefined;
    const ips = ingress.map((s: string) => ipToNumber(s));
    if (ips.some((i: number | undefined) => i === undefined)) return undefined;
    const alloc = new Allocator();
    alloc.pools = cfg;
    const pool = alloc.poolFor(ips as number[]);
    if (!pool) return undefined;
    const me = this.myNode();
    const slices = this.list("EndpointSlice", svc.metadata.namespace).filter((s) => s.metadata.labels?.["kubernetes.io/service-name"] === svc.metadata.name);
    const serving: string[] = [];
    for (const s of slices) {
      for (const ep of s.endpoints ?? []) {
        const c = ep.conditions ?? {};
        if (!(c.ready === undefined || c.ready === null || c.ready === true || c.serving === true)) continue;
        serving.push(ep.nodeName ?? "");
      }
    }
    if (serving.length === 0) return undefined;
    const forPool = usable.filter((n) => pool.l2.some((a) => a.nodes.has(n)));
    if (!forPool.includes(me)) return undefined;
    const available = svc.spec?.externalTrafficPolicy === "Local" ? forPool.filter((n) => serving.includes(n)) : forPool;
    return electedNode(available, ingress[0]) === me ? ingress[0] : undefined;
  }

  private announce(key: string, svc: KObject, ip: string): void {
    this.announced.set(key, ip);
    this.events!.record(svc, "Normal", "nodeAssigned", `announcing from node ${JSON.stringify(this.myNode())} with protocol "layer2"`);
    this.writeStatus(svc.metadata.namespace ?? "default", svc.metadata.name!);
  }

  private withdraw(key: string): void {
    if (!this.announced.delete(key)) return;
    const [ns, name] = key.split("/") as [string, string];
    for (const s of this.statusesOf(ns, name)) {
      try {
        this.client!.delete(L2STATUSES, s.metadata.namespace, s.metadata.name!);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
    }
  }

  private statusesOf(ns: string, name: string): KObject[] {
    const me = this.myNode();
    return sortedByName(this.list(L2STATUSES, this.namespace())).filter((s) => s.metadata.labels?.["metallb.io/service-name"] === name && s.metadata.labels?.["metallb.io/service-namespace"] === ns && s.status?.node === me);
  }

  /** The Layer2StatusReconciler: this node's ServiceL2Status for the Service (created, then its status set). */
  private writeStatus(ns: string, name: string): void {
    const c = this.client!;
    const desired = { node: this.myNode(), serviceName: name, serviceNamespace: ns };
    try {
      let state = this.statusesOf(ns, name)[0];
      if (state && JSON.stringify(state.status) === JSON.stringify(desired)) return;
      if (!state) {
        state = c.create({
          apiVersion: "metallb.io/v1beta1",
          kind: "ServiceL2Status",
          metadata: {
            generateName: "l2-",
            namespace: this.namespace(),
            labels: { "metallb.io/node": desired.node, "metallb.io/service-name": name, "metallb.io/service-namespace": ns },
            ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: this.pod.metadata!.name!, uid: this.pod.metadata!.uid! }],
          },
        } as KObject);
      }
      c.update({ ...state, status: desired } as KObject, { subresource: "status" });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

const CONTROLLER_VALUES = ["port", "namespace", "ml-secret-name", "deployment", "log-level", "cert-dir", "cert-service-name", "lb-class", "webhook-mode", "webhook-secret", "tls-min-version", "tls-cipher-suites"];
const CONTROLLER_BOOLS = ["enable-pprof", "disable-cert-rotation", "webhook-http2"];
const SPEAKER_VALUES = ["port", "namespace", "node-name", "host", "log-level", "ml-bindaddr", "ml-bindport", "ml-labels", "ml-namespace", "ml-secret-key-path", "ml-wan-config", "lb-class", "frr-k8s-namespace", "bgp-type"];
const SPEAKER_BOOLS = ["enable-pprof", "ignore-exclude-lb", "host-network"];

function launch(kind: "controller" | "speaker") {
  return (argv: string[], l: ContainerLaunch, ctx: ProgramContext) => {
    const flags = parseGoFlags(argv.slice(1), kind === "controller" ? { bool: CONTROLLER_BOOLS, value: CONTROLLER_VALUES } : { bool: SPEAKER_BOOLS, value: SPEAKER_VALUES });
    return kind === "controller" ? new MetalLBControllerProcess(l.io, flags, l.pod, ctx.api) : new MetalLBSpeakerProcess(l.io, flags, l.pod, ctx.api);
  };
}

export const METALLB_CONTROLLER: ModelBehaviour = { programs: { "/controller": launch("controller") } };
export const METALLB_SPEAKER: ModelBehaviour = { programs: { "/speaker": launch("speaker") } };
