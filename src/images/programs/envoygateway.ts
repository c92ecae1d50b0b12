/**
 * The images of Envoy Gateway's install manifest (envoyproxy/gateway v1.3.3, exercises/apps/envoy-gateway).
 *
 * `envoyproxy/gateway:v1.3.3` (tools/docker/envoy-gateway/Dockerfile: distroless base-nossl,
 * USER 65532, ENTRYPOINT ["/usr/local/bin/envoy-gateway"]; no shell), the cobra command of
 * internal/cmd:
 * - `envoy-gateway certgen` (internal/cmd/certgen.go, the install's pre-install Job): the control
 *   plane's certificates as Secrets of its namespace (`ENVOY_GATEWAY_NAMESPACE`), created when
 *   absent (internal/provider/kubernetes/secrets.go CertsToSecret, CreateOrUpdateSecrets):
 *   `envoy-gateway`, `envoy` and `envoy-rate-limit` (kubernetes.io/tls: ca.crt, tls.crt, tls.key)
 *   and `envoy-oidc-hmac` (Opaque: hmac-secret). Existing ones are left (`[…] secrets already
 *   exist`), exit 0.
 * - `envoy-gateway server --config-path=P` (internal/cmd/server.go): the controller, a client of
 *   the API server as its pod's service account (the chart's RBAC). It reads its EnvoyGateway
 *   configuration (the ConfigMap mounted at /config: `gateway.controllerName`), serves `/healthz`
 *   and `/readyz` on 8081, the xDS server on 18000 (TLS) and reconciles (internal/provider/kubernetes
 *   controller.go, internal/gatewayapi, internal/infrastructure/kubernetes):
 *   - GatewayClasses naming its controller: the oldest is `Accepted` ("Valid GatewayClass"), a
 *     younger one `OlderGatewayClassExists` (status/gatewayclass.go); the accepted class carries the
 *     finalizer `gateway-exists-finalizer.gateway.networking.k8s.io` while it has Gateways;
 *   - each Gateway of an accepted class: `Accepted` ("The Gateway has been scheduled by Envoy
 *     Gateway"), each HTTP listener `Programmed`/`Accepted`/`ResolvedRefs` with `supportedKinds`
 *     and `attachedRoutes`; its data plane applied server-side (field manager `envoy-gateway`) in
 *     the controller's namespace, named `envoy-<namespace>-<name>-<sha256 of "namespace/name", 8 hex>`
 *     (proxy/resource.go ExpectedResourceHashedName): a ServiceAccount, the SDS ConfigMap, the
 *     Deployment (envoy + shutdown-manager, proxy/resource_provider.go, as its testdata renders it)
 *     and a LoadBalancer Service (a listener's port 80 reaches the container's 10080:
 *     servicePortToContainerPort's shift of privileged ports), labelled with the owning Gateway
 *     and without owner references (v1.3's infra has none); `Programmed` follows the Service's
 *     address and the Deployment's available replicas (status/gateway.go: AddressNotAssigned "No
 *     addresses have been assigned to the Gateway", NoResources "Envoy replicas unavailable",
 *     "Address assigned to the Gateway, 1/1 envoy replicas available"), `status.addresses` the
 *     Service's load-balancer IPs;
 *   - each HTTPRoute whose parentRef names such a Gateway: `status.parents[]` with the controller's
 *     name, `Accepted` ("Route is accepted"; NoMatchingListenerHostname, NotAllowedByListeners,
 *     NoMatchingParent) and `ResolvedRefs` ("Resolved all the Object references for the Route";
 *     BackendNotFound "Service <ns>/<name> not found", InvalidKind) (internal/gatewayapi/route.go,
 *     validate.go); a rule whose backends are all invalid answers 500;
 *   - what the proxies route (the xDS snapshot, per Gateway): each listener's rules with their
 *     backends' ready endpoints, served on 18000 to the proxy of that Gateway (src/images/programs/envoy.ts).
 * - `envoy-gateway envoy shutdown-manager` (the proxy pod's second container): `/healthz` on 19002.
 *
 * Not modelled (docs/divergences.md): leader election, the JSON log lines besides a few, TLS
 * listeners, GRPCRoute/TCPRoute/UDPRoute/TLSRoute, the gateway.envoyproxy.io policies and
 * EnvoyProxy customisation, the rate-limit infrastructure, the topology injector webhook, merged
 * gateways. xDS is a request of the proxy to the controller (a snapshot), not a gRPC stream.
 */
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { Pod } from "../../api/types.gen.ts";
import type { ApiServer } from "../../api/store.ts";
import type { KObject } from "../../api/types.ts";
import { jsonEqual } from "../../api/types.ts";
import { ApiError } from "../../api/errors.ts";
import { serverSideApply } from "../../api/fieldmanager.ts";
import { keyedRandom } from "../../sim/random.ts";
import { createHash } from "node:crypto";
import { parse as parseYaml } from "yaml";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath } from "./server.ts";
import { inClusterClient } from "../incluster.ts";
import { dataFile } from "../catalogue.ts";
import { intersectHostnames, normalizeMatch, type RouteBackend, type RouteRule } from "../../network/gatewayapi.ts";

export const EG_CONTROLLER_NAME = "gateway.envoyproxy.io/gatewayclass-controller";
const GW_GROUP = "gateway.networking.k8s.io";
/** The storage keys of the Gateway API's kinds (CRDs: `<plural>.<group>`). */
const GATEWAY_CLASS = "gatewayclasses.gateway.networking.k8s.io";
const GATEWAY = "gateways.gateway.networking.k8s.io";
const HTTP_ROUTE = "httproutes.gateway.networking.k8s.io";
/** gwapiv1.GatewayClassFinalizerGatewaysExist. */
const GATEWAY_CLASS_FINALIZER = "gateway-exists-finalizer.gateway.networking.k8s.io";
const OWNING_NAME = "gateway.envoyproxy.io/owning-gateway-name";
const OWNING_NAMESPACE = "gateway.envoyproxy.io/owning-gateway-namespace";
/** api/v1alpha1/shared_types.go DefaultEnvoyProxyImage at v1.3.3. */
export const DEFAULT_ENVOY_PROXY_IMAGE = "docker.io/envoyproxy/envoy:distroless-v1.33.3";
/** listener.go: privileged service ports are shifted by this into the container (80 → 10080). */
const WELL_KNOWN_PORT_SHIFT = 10000;
const MIN_EPHEMERAL_PORT = 1024;

/** zap's JSON line as Envoy Gateway's logger writes it (internal/logging: level, ts, logger, caller, msg, fields). */
function zapLine(ms: number, level: string, logger: string, caller: string, msg: string, fields: Record<string, unknown> = {}): string {
  const ts = new Date(ms).toISOString();
  return JSON.stringify({ level, ts, logger, caller, msg, ...fields });
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** utils.GetHashedName at length 48: `<namespace>-<name>-<first 8 hex of sha256("namespace/name")>`. */
export function hashedName(nsName: string, length = 48): string {
  const hash = createHash("sha256").update(nsName).digest("hex");
  const resource = nsName.replaceAll("/", "-");
  if (resource.length > length) return `${resource.slice(0, length).replace(/-+$/, "")}-${hash.slice(0, 8)}`;
  return `${resource}-${hash.slice(0, 8)}`;
}

/** The data plane's resource name for a Gateway (proxy.ExpectedResourceHashedName). */
export function infraName(namespace: string, name: string): string {
  return `envoy-${hashedName(`${namespace}/${name}`)}`;
}

/** `envoy-gateway certgen`. */
export class CertgenProcess extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {
    super(io);
  }

  private zap(level: string, caller: string, msg: string, fields?: Record<string, unknown>): void {
    this.log(zapLine(this.io.clock.now(), level, "envoy-gateway", caller, msg, fields));
  }

  protected run(): void {
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) {
      this.logErr(`Error: failed to create controller-runtime client: ${client.message}`);
      return this.exit(1);
    }
    const ns = this.io.env.ENVOY_GATEWAY_NAMESPACE || "envoy-gateway-system";
    this.zap("info", "cmd/certgen.go:65", "generated certificates");
    const tls = { "ca.crt": b64(dataFile("kube-webhook-certgen/ca.pem")), "tls.crt": b64(dataFile("kube-webhook-certgen/cert.pem")), "tls.key": b64(dataFile("kube-webhook-certgen/key.pem")) };
    const hmac = Buffer.from(keyedRandom(`envoy-gateway/hmac/${this.pod.metadata?.uid ?? ""}`).hex(64), "hex").toString("base64");
    const secrets: KObject[] = [
      { apiVersion: "v1", kind: "Secret", type: "kubernetes.io/tls", metadata: { name: "envoy-gateway", namespace: ns }, data: tls } as KObject,
      { apiVersion: "v1", kind: "Secret", type: "kubernetes.io/tls", metadata: { name: "envoy", namespace: ns }, data: tls } as KObject,
      { apiVersion: "v1", kind: "Secret", type: "kubernetes.io/tls", metadata: { name: "envoy-rate-limit", namespace: ns }, data: tls } as KObject,
      { apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: "envoy-oidc-hmac", namespace: ns }, data: { "hmac-secret": hmac } } as KObject,
    ];
    const created: KObject[] = [];
    const existing: string[] = [];
    for (const s of secrets) {
      try {
        if (client.get("Secret", ns, s.metadata.name!)) {
          existing.push(`${ns}/${s.metadata.name}`);
          continue;
        }
        client.create(s);
        created.push(s);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        this.logErr(`Error: failed to output certificates: failed to create or update secrets: failed to create secret ${ns}/${s.metadata.name}: ${e.message}`);
        return this.exit(1);
      }
    }
    if (existing.length) this.zap("info", "cmd/certgen.go:91", `[${existing.join(" ")}]: secrets already exist;Either update the secrets manually or set overwriteControlPlaneCerts in the EnvoyGateway config`);
    for (const s of created) this.zap("info", "cmd/certgen.go:99", "created secret", { namespace: ns, name: s.metadata.name });
    this.exit(0);
  }
}

/** `envoy-gateway envoy shutdown-manager`: its health endpoint (internal/cmd/envoy/shutdown_manager.go). */
export class ShutdownManagerProcess extends ServerProcess {
  protected run(): void {
    this.onStop = { exitCode: 0 };
    this.listen(19002, (req) => {
      const path = parseRequestPath(req.path).path;
      if (path === "/healthz" || path === "/shutdown/ready") return { status: 200, body: "" };
      return { status: 404, body: "404 page not found\n" };
    });
  }
}

interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

/** status.MergeConditions: a condition whose details changed takes the new time; others are kept. */
export function mergeConditions(current: Condition[] | undefined, updates: Condition[], now: string): Condition[] {
  const out = (current ?? []).map((c) => ({ ...c }));
  for (const u of updates) {
    const i = out.findIndex((c) => c.type === u.type);
    if (i < 0) {
      out.push({ ...u, lastTransitionTime: now });
      continue;
    }
    const c = out[i]!;
    if (c.status !== u.status || c.reason !== u.reason || c.message !== u.message || c.observedGeneration !== u.observedGeneration) {
      out[i] = { type: c.type, status: u.status, reason: u.reason, message: u.message, observedGeneration: u.observedGeneration, lastTransitionTime: now };
    }
  }
  return out;
}

/** One proxy's configuration: its listeners (container port → rules). */
export interface ProxySnapshot {
  listeners: Array<{ name: string; port: number; containerPort: number; rules: RouteRule[] }>;
}

/** `envoy-gateway server`. See the module comment. */
export class EnvoyGatewayServer extends ServerProcess {
  private client: ApiServer | undefined;
  private readonly unwatch: Array<() => void> = [];
  private controllerName = EG_CONTROLLER_NAME;
  private shutdownImage = "docker.io/envoyproxy/gateway-dev:latest";
  private reconcilePending = false;
  /** The xDS snapshots by infra name (`namespace/name` of the Gateway). */
  private readonly snapshots = new Map<string, ProxySnapshot>();

  constructor(
    io: ProcessIO,
    private readonly configPath: string,
    private readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  private zap(level: string, logger: string, caller: string, msg: string, fields?: Record<string, unknown>): void {
    this.log(zapLine(this.io.clock.now(), level, logger, caller, msg, fields));
  }

  private namespace(): string {
    return this.io.env.ENVOY_GATEWAY_NAMESPACE || this.pod.metadata?.namespace || "envoy-gateway-system";
  }


  protected run(): void {
    const text = this.io.fs.stat(this.configPath)?.type === "file" ? this.io.fs.readFile(this.configPath) : undefined;
    if (text === undefined) {
      this.logErr(`Error: failed to get server config: open ${this.configPath}: no such file or directory`);
      return this.exit(1);
    }
    let conf: { gateway?: { controllerName?: string }; provider?: { kubernetes?: { shutdownManager?: { image?: string } } } };
    try {
      conf = (parseYaml(text) ?? {}) as typeof conf;
    } catch (e) {
      this.logErr(`Error: failed to get server config: ${(e as Error).message}`);
      return this.exit(1);
    }
    this.controllerName = conf.gateway?.controllerName ?? EG_CONTROLLER_NAME;
    this.shutdownImage = conf.provider?.kubernetes?.shutdownManager?.image ?? this.shutdownImage;
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) {
      this.logErr(`Error: ${client.message}`);
      return this.exit(1);
    }
    this.client = client;
    this.zap("info", "envoy-gateway", "cmd/server.go:95", "Start runners");
    for (const kind of [GATEWAY_CLASS, GATEWAY, HTTP_ROUTE, "Service", "EndpointSlice", "Deployment", "Namespace"]) {
      try {
        this.unwatch.push(client.watch(kind, () => this.scheduleReconcile()));
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        this.zap("error", "provider", "kubernetes/controller.go:200", "failed to watch", { kind, error: e.message });
      }
    }
    this.listen(8081, (req) => {
      const path = parseRequestPath(req.path).path;
      if (path === "/healthz" || path === "/readyz") return { status: 200, body: "ok" };
      return { status: 404, body: "404 page not found\n" };
    });
    this.listen(
      18000,
      (req) => {
        const { path, query } = parseRequestPath(req.path);
        if (path !== "/xds") return { status: 404, body: "" };
        const snap = this.snapshots.get(query.get("cluster") ?? "");
        if (!snap) return { status: 404, body: "" };
        return { status: 200, body: JSON.stringify(snap) };
      },
      0,
      true,
    );
    this.listen(19001, (req) => (parseRequestPath(req.path).path === "/metrics" ? { status: 200, body: "" } : { status: 404, body: "404 page not found\n" }));
    this.scheduleReconcile();
  }

  private scheduleReconcile(): void {
    if (this.reconcilePending) return;
    this.reconcilePending = true;
    this.after(0, () => {
      this.reconcilePending = false;
      this.reconcile();
    });
  }

  private list(kind: string, namespace?: string): KObject[] {
    try {
      return this.client!.list(kind, namespace ? { namespace } : {}).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    } catch (e) {
      if (e instanceof ApiError) {
        this.zap("error", "provider", "kubernetes/controller.go:300", "failed to list", { kind, error: e.message });
        return [];
      }
      throw e;
    }
  }

  private get(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    try {
      return this.client!.get(kind, namespace, name);
    } catch (e) {
      if (e instanceof ApiError) return undefined;
      throw e;
    }
  }

  private writeStatus(obj: KObject, status: unknown): void {
    if (jsonEqual(obj.status ?? {}, status)) return;
    try {
      const next = structuredClone(obj);
      next.status = status;
      this.client!.update(next, { subresource: "status" });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.zap("error", "provider", "kubernetes/status_updater.go:120", "unable to update status", { name: obj.metadata.name, namespace: obj.metadata.namespace, error: e.message });
    }
  }

  /** The reconciler: GatewayClasses, then Gateways and their infrastructure, then routes. */
  reconcile(): void {
    const now = this.io.clock.nowRFC3339();
    const classes = this.list(GATEWAY_CLASS).filter((c) => c.spec?.controllerName === this.controllerName);
    classes.sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || a.metadata.name!.localeCompare(b.metadata.name!));
    const accepted = classes[0];
    for (const gc of classes) {
      const ok = gc === accepted;
      const cond: Condition = ok
        ? { type: "Accepted", status: "True", reason: "Accepted", message: "Valid GatewayClass", observedGeneration: gc.metadata.generation }
        : { type: "Accepted", status: "False", reason: "OlderGatewayClassExists", message: "Invalid GatewayClass: another older GatewayClass with the same Spec.Controller exists", observedGeneration: gc.metadata.generation };
      this.writeStatus(gc, { ...(gc.status ?? {}), conditions: mergeConditions(gc.status?.conditions, [cond], now) });
    }
    const gateways = accepted ? this.list(GATEWAY).filter((g) => g.spec?.gatewayClassName === accepted.metadata.name) : [];
    // controller.go addFinalizer/removeFinalizer: the accepted class keeps its Gateways' finalizer while it has any.
    if (accepted) {
      const has = (accepted.metadata.finalizers ?? []).includes(GATEWAY_CLASS_FINALIZER);
      if (has !== gateways.length > 0) {
        try {
          this.client!.mutate(GATEWAY_CLASS, undefined, accepted.metadata.name!, (gc) => {
            const rest = (gc.metadata.finalizers ?? []).filter((f) => f !== GATEWAY_CLASS_FINALIZER);
            gc.metadata.finalizers = has ? rest : [...rest, GATEWAY_CLASS_FINALIZER];
          });
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          this.zap("error", "provider", "kubernetes/controller.go:336", `failed adding finalizer to gatewayClass ${accepted.metadata.name}`, { error: e.message });
        }
      }
    }
    const routes = this.list(HTTP_ROUTE);
    const wanted = new Set<string>();
    const snapshots = new Map<string, ProxySnapshot>();
    // Route attachment per listener (processHTTPRouteParentRefs).
    const attached = new Map<string, number>();
    const routeParents = new Map<string, Array<{ parentRef: Record<string, unknown>; conditions: Condition[] }>>();
    for (const gw of gateways) {
      const gwKey = keyOf(gw);
      const listeners = (gw.spec?.listeners ?? []) as Array<{ name: string; port: number; protocol: string; hostname?: string; allowedRoutes?: { namespaces?: { from?: string } } }>;
      const snap: ProxySnapshot = { listeners: [] };
      for (const l of listeners) snap.listeners.push({ name: l.name, port: l.port, containerPort: l.port < MIN_EPHEMERAL_PORT ? l.port + WELL_KNOWN_PORT_SHIFT : l.port, rules: [] });
      for (const r of routes) {
        const parents: Array<{ group?: string; kind?: string; namespace?: string; name: string; sectionName?: string; port?: number }> = r.spec?.parentRefs ?? [];
        for (const p of parents) {
          if ((p.group ?? GW_GROUP) !== GW_GROUP || (p.kind ?? "Gateway") !== "Gateway") continue;
          if ((p.namespace ?? r.metadata.namespace) !== gw.metadata.namespace || p.name !== gw.metadata.name) continue;
          const result = this.attach(r, p, gw, listeners, snap, attached, now);
          const list = routeParents.get(keyOf(r)) ?? [];
          list.push(result);
          routeParents.set(keyOf(r), list);
        }
      }
      snapshots.set(`${gw.metadata.namespace}/${gw.metadata.name}`, snap);
      const name = infraName(gw.metadata.namespace!, gw.metadata.name!);
      wanted.add(name);
      this.applyInfra(gw, name, snap);
      const svc = this.get("Service", this.namespace(), name);
      const dep = this.get("Deployment", this.namespace(), name);
      const addresses: Array<{ type: string; value: string }> = [];
      for (const i of svc?.status?.loadBalancer?.ingress ?? []) {
        if (i.ip) addresses.push({ type: "IPAddress", value: i.ip });
        else if (i.hostname) addresses.push({ type: "Hostname", value: i.hostname });
      }
      const gen = gw.metadata.generation;
      const programmed: Condition =
        addresses.length === 0
          ? { type: "Programmed", status: "False", reason: "AddressNotAssigned", message: "No addresses have been assigned to the Gateway", observedGeneration: gen }
          : (dep?.status?.availableReplicas ?? 0) > 0
            ? { type: "Programmed", status: "True", reason: "Programmed", message: `Address assigned to the Gateway, ${dep!.status.availableReplicas}/${dep!.status.replicas ?? 0} envoy replicas available`, observedGeneration: gen }
            : { type: "Programmed", status: "False", reason: "NoResources", message: "Envoy replicas unavailable", observedGeneration: gen };
      const conditions = mergeConditions(gw.status?.conditions, [{ type: "Accepted", status: "True", reason: "Accepted", message: "The Gateway has been scheduled by Envoy Gateway", observedGeneration: gen }, programmed], now);
      const listenerStatus = listeners.map((l) => {
        const old = ((gw.status?.listeners ?? []) as Array<{ name: string; conditions?: Condition[] }>).find((x) => x.name === l.name);
        const http = l.protocol === "HTTP";
        const conds: Condition[] = http
          ? [
              { type: "Programmed", status: "True", reason: "Programmed", message: "Sending translated listener configuration to the data plane", observedGeneration: gen },
              { type: "Accepted", status: "True", reason: "Accepted", message: "Listener has been successfully translated", observedGeneration: gen },
              { type: "ResolvedRefs", status: "True", reason: "ResolvedRefs", message: "Listener references have been resolved", observedGeneration: gen },
            ]
          : [
              { type: "Accepted", status: "False", reason: "UnsupportedProtocol", message: `Protocol ${l.protocol} is not supported by this simulation of Envoy Gateway`, observedGeneration: gen },
              { type: "Programmed", status: "False", reason: "Invalid", message: "Listener is invalid, see other Conditions for details.", observedGeneration: gen },
            ];
        return {
          name: l.name,
          supportedKinds: http ? [{ group: GW_GROUP, kind: "HTTPRoute" }, { group: GW_GROUP, kind: "GRPCRoute" }] : [],
          attachedRoutes: attached.get(`${gwKey}/${l.name}`) ?? 0,
          conditions: mergeConditions(old?.conditions, conds, now),
        };
      });
      const status: Record<string, unknown> = { ...(gw.status ?? {}), conditions, listeners: listenerStatus };
      if (addresses.length) status.addresses = addresses;
      else delete status.addresses;
      this.writeStatus(gw, status);
    }
    // Routes: this controller's parents replaced, other controllers' kept.
    for (const r of routes) {
      const mine = routeParents.get(keyOf(r)) ?? [];
      const others = ((r.status?.parents ?? []) as Array<{ controllerName: string }>).filter((p) => p.controllerName !== this.controllerName);
      const parents = [
        ...others,
        ...mine.map((m) => {
          const old = ((r.status?.parents ?? []) as Array<{ controllerName: string; parentRef: unknown; conditions?: Condition[] }>).find((p) => p.controllerName === this.controllerName && jsonEqual(p.parentRef, m.parentRef));
          return { parentRef: m.parentRef, controllerName: this.controllerName, conditions: mergeConditions(old?.conditions, m.conditions, now) };
        }),
      ];
      if (mine.length === 0 && parents.length === (r.status?.parents ?? []).length) continue;
      this.writeStatus(r, { ...(r.status ?? {}), parents });
    }
    // Data planes of Gateways that are gone (the infra manager's delete: its Role may get and delete, not list).
    const stale = new Set<string>();
    for (const kind of ["Service", "Deployment"]) {
      for (const o of this.list(kind, this.namespace())) {
        const l = o.metadata.labels ?? {};
        if (l["app.kubernetes.io/managed-by"] === "envoy-gateway" && l["app.kubernetes.io/component"] === "proxy" && !wanted.has(o.metadata.name!)) stale.add(o.metadata.name!);
      }
    }
    for (const name of stale) {
      for (const kind of ["ServiceAccount", "ConfigMap", "Deployment", "Service"]) {
        try {
          if (this.get(kind, this.namespace(), name)) this.client!.delete(kind, this.namespace(), name);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
        }
      }
    }
    this.snapshots.clear();
    for (const [k, v] of snapshots) this.snapshots.set(k, v);
  }

  /** One parentRef of a route on a Gateway: its conditions, the listeners it attaches to and the rules it adds to the snapshot. */
  private attach(
    r: KObject,
    p: { namespace?: string; name: string; sectionName?: string; port?: number; group?: string; kind?: string },
    gw: KObject,
    listeners: Array<{ name: string; port: number; protocol: string; hostname?: string; allowedRoutes?: { namespaces?: { from?: string } } }>,
    snap: ProxySnapshot,
    attached: Map<string, number>,
    _now: string,
  ): { parentRef: Record<string, unknown>; conditions: Condition[] } {
    const gen = r.metadata.generation;
    const parentRef: Record<string, unknown> = { group: p.group ?? GW_GROUP, kind: p.kind ?? "Gateway", name: p.name };
    if (p.namespace) parentRef.namespace = p.namespace;
    if (p.sectionName) parentRef.sectionName = p.sectionName;
    if (p.port !== undefined) parentRef.port = p.port;
    const candidates = listeners.filter((l) => (!p.sectionName || l.name === p.sectionName) && (p.port === undefined || l.port === p.port) && l.protocol === "HTTP");
    // Backends: each rule's Services and their ready endpoints.
    let resolved: Condition = { type: "ResolvedRefs", status: "True", reason: "ResolvedRefs", message: "Resolved all the Object references for the Route", observedGeneration: gen };
    const rules = ((r.spec?.rules ?? []) as Array<{ matches?: unknown[]; backendRefs?: Array<{ group?: string; kind?: string; name: string; namespace?: string; port?: number; weight?: number }> }>).map((rule, i) => {
      const backends: RouteBackend[] = [];
      let invalid = 0;
      for (const b of rule.backendRefs ?? []) {
        const ns = b.namespace ?? r.metadata.namespace!;
        // validate.go validateBackendRef: group, kind, then the Service and its port.
        const fail = (reason: string, message: string) => {
          resolved = { type: "ResolvedRefs", status: "False", reason, message, observedGeneration: gen };
          invalid++;
        };
        if ((b.group ?? "") !== "") {
          fail("InvalidKind", "Group is invalid, only the core API group (specified by omitting the group field or setting it to an empty string), multicluster.x-k8s.io and gateway.envoyproxy.io are supported");
          continue;
        }
        if ((b.kind ?? "Service") !== "Service") {
          fail("InvalidKind", "Kind is invalid, only Service, MCS ServiceImport and Envoy Gateway Backend are supported");
          continue;
        }
        const svc = this.get("Service", ns, b.name);
        if (!svc) {
          fail("BackendNotFound", `Service ${ns}/${b.name} not found`);
          continue;
        }
        const sp = ((svc.spec?.ports ?? []) as Array<{ port: number; name?: string; protocol?: string }>).find((x) => x.port === b.port && (x.protocol ?? "TCP") === "TCP");
        if (!sp) {
          fail("BackendNotFound", `TCP Port ${b.port} not found on service ${ns}/${b.name}`);
          continue;
        }
        backends.push({ service: `${ns}/${b.name}:${b.port}`, weight: b.weight ?? 1, endpoints: this.endpoints(ns, b.name, sp.name ?? "") });
      }
      return { i, rule, backends, invalid };
    });
    let accepted: Condition | undefined;
    let any = false;
    let hostIntersection = false;
    for (const l of candidates) {
      const from = l.allowedRoutes?.namespaces?.from ?? "Same";
      if (from === "Same" && r.metadata.namespace !== gw.metadata.namespace) continue;
      const hosts = intersectHostnames(l.hostname, r.spec?.hostnames);
      any = true;
      if (hosts === undefined) continue;
      hostIntersection = true;
      const key = `${keyOf(gw)}/${l.name}`;
      attached.set(key, (attached.get(key) ?? 0) + 1);
      const target = snap.listeners.find((x) => x.name === l.name)!;
      for (const { i, rule, backends, invalid } of rules) {
        const matches = ((rule.matches as Array<Parameters<typeof normalizeMatch>[0]>) ?? []).map(normalizeMatch);
        target.rules.push({
          name: `httproute/${r.metadata.namespace}/${r.metadata.name}/rule/${i}`,
          hostnames: hosts,
          matches: matches.length ? matches : [normalizeMatch(undefined)],
          backends,
          ...(backends.length === 0 && invalid > 0 ? { directResponse: 500 } : {}),
          created: r.metadata.creationTimestamp ?? "",
          key: keyOf(r),
        });
      }
    }
    if (candidates.length === 0) accepted = { type: "Accepted", status: "False", reason: "NoMatchingParent", message: "No listeners match this parent ref", observedGeneration: gen };
    else if (!any) accepted = { type: "Accepted", status: "False", reason: "NotAllowedByListeners", message: "No listeners included by this parent ref allowed this attachment.", observedGeneration: gen };
    else if (!hostIntersection) accepted = { type: "Accepted", status: "False", reason: "NoMatchingListenerHostname", message: "There were no hostname intersections between the HTTPRoute and this parent ref's Listener(s).", observedGeneration: gen };
    else accepted = { type: "Accepted", status: "True", reason: "Accepted", message: "Route is accepted", observedGeneration: gen };
    return { parentRef, conditions: [accepted, resolved] };
  }

  /** The ready endpoints of a Service port (its EndpointSlices), in the slices' order. */
  private endpoints(ns: string, service: string, portName: string): Array<{ ip: string; port: number }> {
    const out: Array<{ ip: string; port: number }> = [];
    for (const slice of this.list("EndpointSlice", ns)) {
      if (slice.metadata.labels?.["kubernetes.io/service-name"] !== service) continue;
      const port = ((slice.ports ?? []) as Array<{ name?: string; port?: number }>).find((x) => (x.name ?? "") === portName)?.port;
      if (port === undefined) continue;
      for (const ep of (slice.endpoints ?? []) as Array<{ addresses?: string[]; conditions?: { ready?: boolean } }>) if (ep.conditions?.ready !== false && ep.addresses?.[0]) out.push({ ip: ep.addresses[0], port });
    }
    return out;
  }

  /** The infra manager's server-side applies (internal/infrastructure/kubernetes/proxy_infra.go CreateOrUpdateProxyInfra). */
  private applyInfra(gw: KObject, name: string, snap: ProxySnapshot): void {
    const ns = this.namespace();
    const labels = { "app.kubernetes.io/component": "proxy", "app.kubernetes.io/managed-by": "envoy-gateway", "app.kubernetes.io/name": "envoy", [OWNING_NAME]: gw.metadata.name!, [OWNING_NAMESPACE]: gw.metadata.namespace! };
    const objs = [
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: ns, labels } },
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: ns, labels },
        data: {
          "xds-certificate.json": '{"resources":[{"@type":"type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret","name":"xds_certificate","tls_certificate":{"certificate_chain":{"filename":"/certs/tls.crt"},"private_key":{"filename":"/certs/tls.key"}}}]}',
          "xds-trusted-ca.json": '{"resources":[{"@type":"type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret","name":"xds_trusted_ca","validation_context":{"trusted_ca":{"filename":"/certs/ca.crt"},"match_typed_subject_alt_names":[{"san_type":"DNS","matcher":{"exact":"envoy-gateway"}}]}}]}',
        },
      },
      proxyDeployment(name, ns, labels, `${gw.metadata.namespace}/${gw.metadata.name}`, this.shutdownImage),
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: ns, labels },
        spec: {
          type: "LoadBalancer",
          externalTrafficPolicy: "Local",
          sessionAffinity: "None",
          selector: labels,
          ports: snap.listeners.map((l) => ({ name: `http-${l.port}`, protocol: "TCP", port: l.port, targetPort: l.containerPort })),
        },
      },
    ] as unknown as KObject[];
    for (const obj of objs) {
      const live = this.get(obj.kind, ns, name);
      try {
        // ServerSideApply: a PATCH (the Role grants create, get, delete and patch; no update).
        const next = serverSideApply(live, obj, "envoy-gateway", true, this.io.clock.nowRFC3339());
        if (!live) this.client!.create(next);
        else if (!jsonEqual(stripMeta(live), stripMeta(next)))
          this.client!.mutate(obj.kind, ns, name, (cur) => {
            for (const [k, v] of Object.entries(next)) if (k !== "metadata" && k !== "status") (cur as unknown as Record<string, unknown>)[k] = v;
            cur.metadata.labels = next.metadata.labels;
            cur.metadata.annotations = next.metadata.annotations;
            cur.metadata.managedFields = next.metadata.managedFields;
          });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        this.zap("error", "infrastructure", "kubernetes/infra.go:72", "failed to create/update resource with server-side apply", { kind: obj.kind, name, error: e.message });
      }
    }
  }

  override exit(code: number): void {
    for (const u of this.unwatch) u();
    this.unwatch.length = 0;
    super.exit(code);
  }
}

function stripMeta(o: KObject): unknown {
  const { metadata, ...rest } = o;
  return { ...rest, labels: metadata.labels, annotations: metadata.annotations };
}

const keyOf = (o: KObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** The envoy Deployment as proxy/resource_provider.go renders it (its testdata/deployments/default.yaml). */
export function proxyDeployment(name: string, ns: string, labels: Record<string, string>, cluster: string, shutdownImage: string): unknown {
  const env = [
    { name: "ENVOY_GATEWAY_NAMESPACE", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } } },
    { name: "ENVOY_POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
  ];
  const security = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, privileged: false, runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
  const probe = (path: string, port: number, period: number, failure: number) => ({ failureThreshold: failure, httpGet: { path, port, scheme: "HTTP" }, periodSeconds: period, successThreshold: 1, timeoutSeconds: 1 });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns, labels },
    spec: {
      replicas: 1,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      selector: { matchLabels: labels },
      strategy: { type: "RollingUpdate" },
      template: {
        metadata: { annotations: { "prometheus.io/path": "/stats/prometheus", "prometheus.io/port": "19001", "prometheus.io/scrape": "true" }, labels },
        spec: {
          automountServiceAccountToken: false,
          containers: [
            {
              name: "envoy",
              image: DEFAULT_ENVOY_PROXY_IMAGE,
              imagePullPolicy: "IfNotPresent",
              command: ["envoy"],
              args: [`--service-cluster ${cluster}`, "--service-node $(ENVOY_POD_NAME)", `--config-yaml ${dataFile("envoy-gateway/bootstrap.yaml")}`, "--log-level warn", "--cpuset-threads", "--drain-strategy immediate", "--drain-time-s 60"],
              env,
              lifecycle: { preStop: { httpGet: { path: "/shutdown/ready", port: 19002, scheme: "HTTP" } } },
              ports: [{ containerPort: 19001, name: "metrics", protocol: "TCP" }],
              readinessProbe: probe("/ready", 19001, 5, 1),
              resources: { requests: { cpu: "100m", memory: "512Mi" } },
              securityContext: security,
              startupProbe: probe("/ready", 19001, 10, 30),
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
              volumeMounts: [
                { mountPath: "/certs", name: "certs", readOnly: true },
                { mountPath: "/sds", name: "sds" },
              ],
            },
            {
              name: "shutdown-manager",
              image: shutdownImage,
              imagePullPolicy: "IfNotPresent",
              command: ["envoy-gateway"],
              args: ["envoy", "shutdown-manager"],
              env,
              lifecycle: { preStop: { exec: { command: ["envoy-gateway", "envoy", "shutdown"] } } },
              livenessProbe: probe("/healthz", 19002, 10, 3),
              readinessProbe: probe("/healthz", 19002, 10, 3),
              resources: { requests: { cpu: "10m", memory: "32Mi" } },
              securityContext: security,
              startupProbe: probe("/healthz", 19002, 10, 30),
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
            },
          ],
          dnsPolicy: "ClusterFirst",
          restartPolicy: "Always",
          schedulerName: "default-scheduler",
          serviceAccountName: name,
          terminationGracePeriodSeconds: 360,
          volumes: [
            { name: "certs", secret: { defaultMode: 420, secretName: "envoy" } },
            {
              name: "sds",
              configMap: {
                defaultMode: 420,
                items: [
                  { key: "xds-trusted-ca.json", path: "xds-trusted-ca.json" },
                  { key: "xds-certificate.json", path: "xds-certificate.json" },
                ],
                name,
                optional: false,
              },
            },
          ],
        },
      },
    },
  };
}

function launchGateway(argv: string[], l: ContainerLaunch, ctx: ProgramContext): ServerProcess | undefined {
  const sub = argv[1];
  if (sub === "certgen") return new CertgenProcess(l.io, l.pod, ctx.api);
  if (sub === "server") {
    const flag = argv.slice(2).find((a) => a.startsWith("--config-path="));
    return new EnvoyGatewayServer(l.io, flag ? flag.slice("--config-path=".length) : "/config/envoy-gateway.yaml", l.pod, ctx.api);
  }
  if (sub === "envoy" && argv[2] === "shutdown-manager") return new ShutdownManagerProcess(l.io);
  return undefined;
}

export const ENVOY_GATEWAY: ModelBehaviour = { programs: { "/usr/local/bin/envoy-gateway": launchGateway, "envoy-gateway": launchGateway } };
