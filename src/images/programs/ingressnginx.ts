/**
 * The images of ingress-nginx's install manifest (kubernetes/ingress-nginx, modelled on
 * controller-v1.12.0's deploy/static/provider/cloud/deploy.yaml: exercises/apps/ingress-nginx).
 *
 * `registry.k8s.io/ingress-nginx/kube-webhook-certgen` (images/kube-webhook-certgen/rootfs: FROM
 * gcr.io/distroless/static:nonroot, USER 65532, ENTRYPOINT ["/kube-webhook-certgen"]; no shell),
 * the admission Jobs' program, a client of the API server as its service account
 * (`ingress-nginx-admission`: its Role may get and create Secrets, its ClusterRole get and update
 * ValidatingWebhookConfigurations):
 * - `create --host=H1,H2 --namespace=NS --secret-name=S` (cmd/create.go): reads the Secret (not there:
 *   `no secret found`, then `creating new secret`), and creates it with `ca`, `cert` and `key`
 *   (pkg/certs/certs.go: an ECDSA P-256 CA and a serving certificate for the hosts; here always the
 *   pair of data/files/kube-webhook-certgen); an existing Secret is left (`secret already exists`).
 *   Exits 0.
 * - `patch --webhook-name=W --namespace=NS --secret-name=S --patch-mutating=false
 *   --patch-failure-policy=Fail` (cmd/patch.go, pkg/k8s/k8s.go): reads the Secret's `ca` (none yet:
 *   `no secret found`, then the fatal `no secret with 'S' in 'NS'`, exit 1: the Job's pod restarts,
 *   restartPolicy OnFailure), sets it as every webhook's `clientConfig.caBundle` of the
 *   ValidatingWebhookConfiguration W (and the failure policy), updates it. Exits 0.
 * Its log is logrus' JSON (keys sorted: err, level, msg, source, time) at level info, on stdout.
 *
 * `registry.k8s.io/ingress-nginx/controller` (rootfs/Dockerfile: ENTRYPOINT ["/usr/bin/dumb-init",
 * "--"], CMD ["/nginx-ingress-controller"], USER www-data): `/nginx-ingress-controller`
 * (cmd/nginx/main.go, internal/ingress/controller at controller-v1.12.0), a client of the API
 * server as its pod's service account (deploy.yaml's RBAC):
 * - at start: version/version.go's banner (stdout), then klog lines (stderr, pid 7) — the
 *   in-cluster config warning, `Creating API client`, `Running in Kubernetes cluster`, the fake SSL
 *   certificate, the webhook certificate, `Starting NGINX Ingress controller`; without the
 *   webhook's certificate files (`--validating-webhook-certificate`) it cannot start (exit 1);
 * - the store (internal/ingress/controller/store/store.go): IngressClasses whose `spec.controller`
 *   is `--controller-class` are its classes; an Ingress is its by `spec.ingressClassName` naming one
 *   of them, else by the annotation `kubernetes.io/ingress.class` equal to `--ingress-class`, else
 *   only with `--watch-ingress-without-class` (GetIngressClass). Each one it takes, and each change
 *   of one, records `Sync` "Scheduled for sync" (source `nginx-ingress-controller`); its
 *   `--configmap` records `CREATE`; each configuration change reloads nginx and records `RELOAD` on
 *   the controller's pod (controller.go syncIngress). Every event is also logged (event.go:377);
 * - leader election (internal/ingress/controller/status.go setupLeaderElection, client-go
 *   tools/leaderelection with a LeaseLock): the Lease `--election-id` in its namespace, holder the
 *   pod's name, 30 s, renewed every retry period (7.5 s); a Lease another pod renewed less than
 *   30 s ago (as this pod observed it) is left alone;
 * - the leader's status sync (internal/ingress/status/status.go): shortly after it leads, then every
 *   60 s, `--publish-service`'s addresses (a LoadBalancer's `status.loadBalancer.ingress` and
 *   external IPs; kind's has none: the Ingresses get none) into the status of its Ingresses;
 * - the data path on 80 (and 443): a request's Host and path pick the backend with the built-in
 *   add-on's rules (src/network/ingress.ts) among its Ingresses; the request is proxied to a ready
 *   endpoint of the backend Service's port (EndpointSlices, round-robin as `load-balance:
 *   round_robin`), the pod being the source; the catch-all server (a host no Ingress names)
 *   answers the internal default backend's 404, a host's server whose paths do not match the same
 *   404 through `upstream-default-backend` (127.0.0.1:8181), a backend without endpoints 503. Each
 *   request a host's server answers is logged in `log_format upstreaminfo` (config.go
 *   logFormatUpstream; the catch-all server's are not: enable-access-log-for-default-backend);
 * - the validating webhook on `--validating-webhook` (`:8443`, TLS) allows every Ingress; its health
 *   on 10254 (`/healthz` 200 "ok", what the manifest's probes ask). On SIGTERM it exits 0.
 *
 * Not modelled (docs/divergences.md): nginx itself (its configuration, error log, Lua balancer's
 * dynamic updates: a change is seen at once), annotations other than rewrite-target, TLS
 * termination and SSL passthrough, the webhook's validation of Ingresses, the metrics.
 */
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { Pod, ValidatingWebhookConfiguration } from "../../api/types.gen.ts";
import type { ApiServer } from "../../api/store.ts";
import type { KObject, WatchEvent } from "../../api/types.ts";
import { jsonEqual } from "../../api/types.ts";
import { ApiError } from "../../api/errors.ts";
import { versionInfo } from "../../api/version.ts";
import { keyedRandom } from "../../sim/random.ts";
import type { HttpOutcome } from "../../runtime/types.ts";
import { hasServerFor, INGRESS_CLASS, INGRESS_CONTROLLER, nginxPage, routeIngress, upstreamName } from "../../network/ingress.ts";
import { ClientEvents } from "./metallb.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";
import { glogPrefix, parseGoFlags, type GoFlags } from "./goflags.ts";
import { inClusterClient } from "../incluster.ts";
import { dataFile } from "../catalogue.ts";

/** logrus' JSONFormatter line: the fields sorted by key, `time` in RFC 3339 seconds. */
function logrusLine(ms: number, level: string, msg: string, source: string, fields: Record<string, string> = {}): string {
  const all: Record<string, string> = { ...fields, level, msg, source, time: new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z") };
  const keys = Object.keys(all).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(all[k])}`).join(",")}}`;
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** kube-webhook-certgen's `create` and `patch`. */
export class CertgenProcess extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly command: string,
    private readonly flags: GoFlags,
    private readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {
    super(io);
  }

  private line(level: string, msg: string, source: string, fields?: Record<string, string>): void {
    this.log(logrusLine(this.io.clock.now(), level, msg, source, fields));
  }

  /** logrus' Fatal: the line, then os.Exit(1). */
  private fatal(msg: string, source: string, fields?: Record<string, string>): void {
    this.line("fatal", msg, source, fields);
    this.exit(1);
  }

  protected run(): void {
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) return this.fatal("error building kubernetes config", "cmd/root.go:89", { err: client.message });
    const ns = this.flags.values.get("namespace") ?? "";
    const name = this.flags.values.get("secret-name") ?? "";
    const required = this.command === "create" ? ["host", "secret-name", "namespace"] : ["secret-name", "namespace"];
    const missing = required.filter((f) => !this.flags.values.has(f));
    if (missing.length > 0) {
      // cobra's MarkFlagRequired.
      this.logErr(`Error: required flag(s) ${missing.map((m) => `"${m}"`).join(", ")} not set`);
      return this.exit(1);
    }
    const ca = this.caFromSecret(client, name, ns);
    if (ca === null) return;
    if (this.command === "create") {
      if (ca !== undefined) {
        this.line("info", "secret already exists", "cmd/create.go:33");
        return this.exit(0);
      }
      this.line("info", "creating new secret", "cmd/create.go:28");
      const data = { ca: b64(dataFile("kube-webhook-certgen/ca.pem")), cert: b64(dataFile("kube-webhook-certgen/cert.pem")), key: b64(dataFile("kube-webhook-certgen/key.pem")) };
      try {
        client.create({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns }, data } as KObject);
      } catch (e) {
        return this.fatal("failed creating secret", "k8s/k8s.go:256", { err: (e as Error).message });
      }
      return this.exit(0);
    }
    if (ca === undefined) return this.fatal(`no secret with '${name}' in '${ns}'`, "cmd/patch.go:106");
    const webhook = this.flags.values.get("webhook-name") ?? "";
    const mutating = this.flags.values.get("patch-mutating") !== "false";
    const validating = this.flags.values.get("patch-validating") !== "false";
    const policy = this.flags.values.get("patch-failure-policy") ?? "";
    if (!mutating && !validating) return this.fatal("patch-validating=false, patch-mutating=false. You must patch at least one kind of webhook, otherwise this command is a no-op", "cmd/patch.go:106");
    if (policy !== "" && policy !== "Fail" && policy !== "Ignore") return this.fatal(`patch-failure-policy ${policy} is not valid`, "cmd/patch.go:106");
    this.line("info", `patching webhook configurations '${webhook}' mutating=${mutating}, validating=${validating}, failurePolicy=${policy}`, "k8s/k8s.go:118");
    for (const [kind, on] of [["ValidatingWebhookConfiguration", validating], ["MutatingWebhookConfiguration", mutating]] as const) {
      if (!on) continue;
      const what = kind === "ValidatingWebhookConfiguration" ? "validating" : "mutating";
      let conf: KObject | undefined;
      try {
        conf = client.getOrThrow(kind, undefined, webhook);
      } catch (e) {
        return this.fatal(`failed getting ${what} webhook`, "cmd/patch.go:103", { err: (e as Error).message });
      }
      const next = structuredClone(conf) as unknown as ValidatingWebhookConfiguration;
      for (const h of next.webhooks ?? []) {
        h.clientConfig.caBundle = ca;
        if (policy) h.failurePolicy = policy;
      }
      try {
        client.update(next as unknown as KObject);
      } catch (e) {
        return this.fatal(`failed patching ${what} webhook`, "cmd/patch.go:103", { err: (e as Error).message });
      }
    }
    this.line("info", "Patched hook(s)", "k8s/k8s.go:138");
    this.exit(0);
  }

  /** GetCaFromSecret: the `ca` (base64, as the API holds it), undefined when there is no Secret, null when it failed fatally. */
  private caFromSecret(client: ApiServer, name: string, ns: string): string | undefined | null {
    let secret: KObject | undefined;
    try {
      secret = client.getOrThrow("Secret", ns, name);
    } catch (e) {
      if (e instanceof ApiError && e.reason === "NotFound") {
        this.line("info", "no secret found", "k8s/k8s.go:229", { err: e.message });
        return undefined;
      }
      this.fatal("error getting secret", "k8s/k8s.go:232", { err: (e as Error).message });
      return null;
    }
    const ca = (secret.data as Record<string, string> | undefined)?.ca;
    if (!ca) {
      this.fatal("got secret, but it did not contain a 'ca' key", "k8s/k8s.go:237");
      return null;
    }
    return ca;
  }
}

/** The uid of the AdmissionReview a request carries ("" when the body is none). */
function reviewUid(body: string | undefined): string {
  try {
    const uid = (JSON.parse(body ?? "") as { request?: { uid?: unknown } }).request?.uid;
    return typeof uid === "string" ? uid : "";
  } catch {
    return "";
  }
}


/** klog's structured pairs: ` key="value"` each (strings quoted as Go's %q). */
function kv(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join("");
}

/** nginx's $time_local: `08/Jan/2024:00:00:30 +0000`. */
function timeLocal(ms: number): string {
  const d = new Date(ms);
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Seconds with milliseconds, as nginx prints $request_time and $upstream_response_time. */
const secs = (ms: number) => (ms / 1000).toFixed(3);

/** The release the image is (version/version.go's banner, printed with fmt.Println at start). */
const BANNER = `-------------------------------------------------------------------------------
NGINX Ingress controller
  Release:       v1.12.0
  Build:         8ee4384271e081578bb8f08eccf2f3b5a78ada25
  Repository:    https://github.com/kubernetes/ingress-nginx
  nginx version: nginx/1.25.5

-------------------------------------------------------------------------------
`;

/** client-go leader election's timing for `--election-ttl` (30 s): renew deadline TTL/2, retry period TTL/4. */
const ELECTION_TTL_MS = 30_000;
const RETRY_PERIOD_MS = ELECTION_TTL_MS / 4;
/** internal/ingress/status: the leader's Ingress status sync period. */
const STATUS_UPDATE_MS = 60_000;
/** The internal default backend (nginx.tmpl's `listen 8181 default_server`) as $upstream_addr shows it. */
const DEFAULT_BACKEND_ADDR = "127.0.0.1:8181";
const DEFAULT_UPSTREAM = "upstream-default-backend";
const INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

/**
 * `/nginx-ingress-controller` (cmd/nginx/main.go, internal/ingress/controller): a client of the API
 * server as its pod's service account (RBAC of deploy.yaml). See the module comment.
 */
export class IngressControllerProcess extends ServerProcess {
  private client: ApiServer | undefined;
  private events: ClientEvents | undefined;
  private readonly unwatch: Array<() => void> = [];
  /** The IngressClasses of this controller (`spec.controller` = --controller-class), by name. */
  private readonly classes = new Set<string>();
  /** The Ingresses this controller took (the store's IngressWithAnnotation lister), by namespace/name. */
  private readonly taken = new Map<string, KObject>();
  private leader = false;
  /** The Lease as this elector last observed it, and when (client-go's observedRawRecord/observedTime). */
  private observed: { holder: string; renew: string; at: number } | undefined;
  private reloadPending = false;
  private firstSync = true;
  /** Round-robin positions per upstream (ingress-nginx's default `load-balance: round_robin`). */
  private readonly rr = new Map<string, number>();
  private requests = 0;

  constructor(
    io: ProcessIO,
    private readonly flags: GoFlags,
    private readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  private klog(level: "I" | "W" | "E", where: string, text: string): void {
    // klog's header with the controller's pid (dumb-init is 1, the controller 7 in the image).
    this.logErr(glogPrefix(this.io.clock.now(), level, where, 7) + text);
  }

  private podName(): string {
    return this.io.env.POD_NAME || this.pod.metadata?.name || this.io.hostname;
  }

  private podNamespace(): string {
    return this.io.env.POD_NAMESPACE || this.pod.metadata?.namespace || "default";
  }


  protected run(): void {
    const webhook = this.flags.values.get("validating-webhook");
    if (webhook) {
      for (const f of ["validating-webhook-certificate", "validating-webhook-key"]) {
        const path = this.flags.values.get(f);
        if (path && !this.io.fs.stat(path)) {
          this.logErr(`open ${path}: no such file or directory`);
          return this.exit(1);
        }
      }
    }
    // fmt.Println of a text that ends with a newline: a blank line after it.
    this.log(BANNER + "\n");
    this.klog("W", "client_config.go:667", "Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.");
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) {
      this.klog("E", "main.go:64", client.message);
      return this.exit(255);
    }
    this.client = client;
    this.events = new ClientEvents(client, "nginx-ingress-controller");
    const v = versionInfo();
    this.klog("I", "main.go:205", `"Creating API client"${kv([["host", "https://10.96.0.1:443"]])}`);
    this.klog("I", "main.go:248", `"Running in Kubernetes cluster"${kv([["major", v.major], ["minor", v.minor], ["git", v.gitVersion], ["state", v.gitTreeState], ["commit", v.gitCommit], ["platform", v.platform]])}`);
    this.klog("I", "main.go:101", `"SSL fake certificate created"${kv([["file", "/etc/ingress-controller/ssl/default-fake-certificate.pem"]])}`);
    const cert = this.flags.values.get("validating-webhook-certificate");
    const key = this.flags.values.get("validating-webhook-key");
    if (webhook && cert && key) this.klog("I", "ssl.go:535", `"loading tls certificate"${kv([["path", cert], ["key", key]])}`);
    this.klog("I", "nginx.go:271", `"Starting NGINX Ingress controller"`);
    // The store's informers: IngressClasses first (the Ingress handlers look them up), the
    // configuration ConfigMap, then Ingresses.
    this.follow("IngressClass", (ev) => this.onIngressClass(ev));
    for (const ic of this.list("IngressClass")) this.onIngressClass({ type: "ADDED", object: ic });
    this.follow("ConfigMap", (ev) => ev.type === "ADDED" && this.onConfigMap(ev.object));
    for (const cm of this.list("ConfigMap")) this.onConfigMap(cm);
    this.follow("Ingress", (ev) => this.onIngress(ev));
    for (const ing of this.list("Ingress")) this.onIngress({ type: "ADDED", object: ing });
    this.klog("I", "nginx.go:317", `"Starting NGINX process"`);
    this.klog("I", "leaderelection.go:257", `attempting to acquire leader lease ${this.podNamespace()}/${this.electionId()}...`);
    if (webhook) this.klog("I", "nginx.go:337", `"Starting validation webhook"${kv([["address", webhook], ["certPath", cert ?? ""], ["keyPath", key ?? ""]])}`);
    this.reload();
    this.tryAcquireOrRenew();
    this.listenAll(webhook);
  }

  private electionId(): string {
    return this.flags.values.get("election-id") || "ingress-controller-leader";
  }

  private follow(kind: string, fn: (ev: WatchEvent) => void): void {
    try {
      this.unwatch.push(this.client!.watch(kind, (ev) => this.after(0, () => fn(ev))));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  /** A get through the client; a refusal (RBAC) reads as nothing, as the informers' lister would have nothing. */
  private get(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    try {
      return this.client!.get(kind, namespace, name);
    } catch (e) {
      if (e instanceof ApiError) return undefined;
      throw e;
    }
  }

  private list(kind: string): KObject[] {
    try {
      return this.client!.list(kind).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    } catch (e) {
      if (e instanceof ApiError) return [];
      throw e;
    }
  }

  /** The klog line client-go's event broadcaster writes (StartLogging(klog.Infof)) for an event it records. */
  private event(obj: KObject, type: "Normal" | "Warning", reason: string, message: string): void {
    const ns = obj.metadata.namespace ?? "";
    const ref = `v1.ObjectReference{Kind:${JSON.stringify(obj.kind)}, Namespace:${JSON.stringify(ns)}, Name:${JSON.stringify(obj.metadata.name)}, UID:${JSON.stringify(obj.metadata.uid ?? "")}, APIVersion:${JSON.stringify(obj.apiVersion ?? "v1")}, ResourceVersion:${JSON.stringify(obj.metadata.resourceVersion ?? "")}, FieldPath:""}`;
    this.klog("I", "event.go:377", `Event(${ref}): type: '${type}' reason: '${reason}' ${message}`);
    this.events!.record(obj, type, reason, message);
  }

  private onIngressClass(ev: WatchEvent): void {
    const ic = ev.object;
    const mine = ic.spec?.controller === (this.flags.values.get("controller-class") || INGRESS_CONTROLLER);
    if (ev.type === "DELETED" || !mine) this.classes.delete(ic.metadata.name!);
    else this.classes.add(ic.metadata.name!);
  }

  private onConfigMap(cm: KObject): void {
    const key = `${cm.metadata.namespace}/${cm.metadata.name}`;
    if (key === this.flags.values.get("configmap")) this.event(cm, "Normal", "CREATE", `ConfigMap ${key}`);
  }

  /** store.GetIngressClass: the class an Ingress is this controller's by, or an error. */
  private classOf(ing: KObject): string | Error {
    const name: string | undefined = ing.spec?.ingressClassName ?? undefined;
    if (name !== undefined) return this.classes.has(name) ? name : new Error(`ingressclass.networking.k8s.io "${name}" not found`);
    const ann = ing.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
    if (ann !== undefined) return ann === (this.flags.values.get("ingress-class") || INGRESS_CLASS) ? ann : new Error("ingress class annotation is not equal to the expected by Ingress Controller");
    if (this.flags.values.get("watch-ingress-without-class") === "true") return "_";
    return new Error("ingress does not contain a valid IngressClass");
  }

  /** The store's Ingress handlers (internal/ingress/controller/store/store.go). */
  private onIngress(ev: WatchEvent): void {
    const ing = ev.object;
    const key = keyOf(ing);
    if (ev.type === "DELETED") {
      if (this.taken.delete(key)) this.scheduleReload();
      return;
    }
    const cls = this.classOf(ing);
    if (ev.type === "ADDED") {
      if (cls instanceof Error) {
        this.klog("I", "store.go:434", `"Ignoring ingress because of error while validating ingress class"${kv([["ingress", key], ["error", cls.message]])}`);
        return;
      }
      this.klog("I", "store.go:440", `"Found valid IngressClass"${kv([["ingress", key], ["ingressclass", cls]])}`);
    } else {
      const was = this.taken.has(key);
      if (cls instanceof Error) {
        if (was) {
          this.klog("I", "store.go:490", `"removing ingress because of unknown ingressclass"${kv([["ingress", key]])}`);
          this.taken.delete(key);
          this.scheduleReload();
        }
        return;
      }
      if (!was) this.klog("I", "store.go:486", `"creating ingress"${kv([["ingress", key], ["ingressclass", cls]])}`);
      else if (ev.old && jsonEqual(ev.old, ing)) return;
    }
    this.taken.set(key, ing);
    const current = this.get("Ingress", ing.metadata.namespace, ing.metadata.name!) ?? ing;
    this.event(current, "Normal", "Sync", "Scheduled for sync");
    this.scheduleReload();
  }

  private scheduleReload(): void {
    if (this.reloadPending) return;
    this.reloadPending = true;
    this.after(0, () => this.reload());
  }

  /** syncIngress: a configuration that changed reloads nginx (controller.go), recorded on the pod. */
  private reload(): void {
    this.reloadPending = false;
    this.klog("I", "controller.go:196", `"Configuration changes detected, backend reload required"`);
    if (this.firstSync) {
      // The elector's first attempt runs meanwhile (its own goroutine).
      this.tryAcquireOrRenew();
    }
    this.klog("I", "controller.go:216", `"Backend successfully reloaded"`);
    if (this.firstSync) {
      this.firstSync = false;
      this.klog("I", "controller.go:227", `"Initial sync, sleeping for 1 second"`);
    }
    const pod = this.get("Pod", this.podNamespace(), this.podName());
    if (pod) this.event(pod, "Normal", "RELOAD", "NGINX reload triggered due to a change in configuration");
  }

  // ---- leader election (client-go tools/leaderelection with a LeaseLock, cmd's setupLeaderElection) ----

  private electing = false;

  /** tryAcquireOrRenew, then the next attempt a retry period later. */
  private tryAcquireOrRenew(): void {
    if (this.electing) return;
    this.electing = true;
    const ok = this.attempt();
    if (ok && !this.leader) {
      this.leader = true;
      this.klog("I", "leaderelection.go:271", `successfully acquired lease ${this.podNamespace()}/${this.electionId()}`);
      this.klog("I", "status.go:85", `"New leader elected"${kv([["identity", this.podName()]])}`);
      this.after(1000, () => this.syncStatus());
    } else if (!ok && this.leader) {
      this.leader = false;
      this.klog("I", "leaderelection.go:297", `failed to renew lease ${this.podNamespace()}/${this.electionId()}: timed out waiting for the condition`);
    }
    this.after(RETRY_PERIOD_MS, () => {
      this.electing = false;
      this.tryAcquireOrRenew();
    });
  }

  private attempt(): boolean {
    const client = this.client!;
    const ns = this.podNamespace();
    const name = this.electionId();
    const now = this.io.clock.nowMicroRFC3339();
    const me = this.podName();
    let lease: KObject | undefined;
    try {
      lease = client.get("Lease", ns, name);
      if (!lease) {
        client.create({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name, namespace: ns }, spec: { holderIdentity: me, leaseDurationSeconds: ELECTION_TTL_MS / 1000, acquireTime: now, renewTime: now, leaseTransitions: 0 } } as KObject);
        this.observed = { holder: me, renew: now, at: this.io.clock.now() };
        return true;
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.klog("E", "leaderelection.go:436", `error retrieving resource lock ${ns}/${name}: ${e.message}`);
      return false;
    }
    const spec = lease.spec ?? {};
    const holder: string = spec.holderIdentity ?? "";
    if (!this.observed || this.observed.holder !== holder || this.observed.renew !== spec.renewTime) this.observed = { holder, renew: spec.renewTime, at: this.io.clock.now() };
    const valid = this.observed.at + (spec.leaseDurationSeconds ?? 0) * 1000 > this.io.clock.now();
    if (holder && valid && holder !== me) return false;
    try {
      // LeaseLock.Update: an update (the Role grants get, create and update on leases).
      const mine = holder === me;
      const next = structuredClone(lease);
      next.spec = {
        holderIdentity: me,
        leaseDurationSeconds: ELECTION_TTL_MS / 1000,
        acquireTime: mine ? spec.acquireTime : now,
        renewTime: now,
        leaseTransitions: mine ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
      };
      client.update(next);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.klog("E", "leaderelection.go:466", `Failed to update lock: ${e.message}`);
      return false;
    }
    this.observed = { holder: me, renew: now, at: this.io.clock.now() };
    return true;
  }

  // ---- status (internal/ingress/status/status.go) ----

  /** The leader's sync: the published Service's addresses on every Ingress it took; again every 60 s. */
  private syncStatus(): void {
    if (!this.leader) return;
    this.after(STATUS_UPDATE_MS, () => this.syncStatus());
    const addrs = this.runningAddresses();
    if (addrs === undefined) return;
    for (const key of [...this.taken.keys()].sort()) {
      const [ns, name] = key.split("/") as [string, string];
      const ing = this.get("Ingress", ns, name);
      if (!ing) continue;
      const current = ing.status?.loadBalancer?.ingress ?? [];
      if (jsonEqual(current, addrs)) continue;
      this.klog("I", "status.go:304", `"updating Ingress status"${kv([["namespace", ns], ["ingress", name]])} currentValue=${goSlice(current)} newValue=${goSlice(addrs)}`);
      try {
        // UpdateStatus (the ClusterRole grants update on ingresses/status).
        const next = structuredClone(ing);
        next.status = { loadBalancer: addrs.length ? { ingress: addrs } : {} };
        this.client!.update(next, { subresource: "status" });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        this.klog("W", "status.go:309", `error updating ingress rule: ${e.message}`);
      }
    }
  }

  /** statusAddressFromService for `--publish-service` (without it: the nodes' addresses are not modelled). */
  private runningAddresses(): Array<{ ip?: string; hostname?: string }> | undefined {
    const ref = this.flags.values.get("publish-service");
    if (!ref) return undefined;
    const [ns, name] = ref.includes("/") ? (ref.split("/") as [string, string]) : [this.podNamespace(), ref];
    const svc = this.get("Service", ns, name);
    if (!svc) return undefined;
    switch (svc.spec?.type) {
      case "ExternalName":
        return [{ hostname: svc.spec.externalName }];
      case "LoadBalancer": {
        const out: Array<{ ip?: string; hostname?: string }> = (svc.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string; hostname?: string }) => ({ ...(i.ip ? { ip: i.ip } : {}), ...(i.hostname ? { hostname: i.hostname } : {}) }));
        for (const ip of svc.spec?.externalIPs ?? []) if (!out.some((a) => a.ip === ip)) out.push({ ip });
        return out;
      }
      case "NodePort":
        return svc.spec?.externalIPs ? svc.spec.externalIPs.map((ip: string) => ({ ip })) : [{ ip: svc.spec.clusterIP }];
      default:
        return [{ ip: svc.spec?.clusterIP }];
    }
  }

  // ---- the data path (nginx.tmpl's servers, the Lua balancer) ----

  private handles = (ing: KObject): boolean => this.taken.has(keyOf(ing));

  private listenAll(webhook: string | undefined): void {
    this.listen(80, (req) => this.route(req));
    this.listen(443, (req) => this.route(req), 0, true);
    // The validating webhook (internal/admission/controller): an AdmissionReview whose Ingress it
    // would render; every Ingress is allowed here (its nginx configuration check is not modelled).
    // The answer carries the request's uid (internal/admission/controller/server.go), which the API server checks.
    if (webhook) this.listen(Number(webhook.replace(/^.*:/, "")) || 8443, (req) => ({ status: 200, body: JSON.stringify({ kind: "AdmissionReview", apiVersion: "admission.k8s.io/v1", response: { uid: reviewUid(req.body), allowed: true } }) }), 0, true);
    this.listen(10254, (req) => {
      const path = parseRequestPath(req.path).path;
      if (path === "/healthz") return { status: 200, body: "ok" };
      return { status: 404, body: "404 page not found\n" };
    });
  }

  /** $req_id: 16 random bytes in hex (here derived from the pod and the request's number). */
  private requestId(): string {
    return keyedRandom(`ingress-nginx/${this.pod.metadata?.uid ?? this.podName()}/${this.requests++}`).hex(32);
  }

  /** One access-log line (log_format upstreaminfo, config.go logFormatUpstream). */
  private access(req: HttpRequest, status: number, bytes: number, requestMs: number, upstream: string, addr: string, upLen: string, upTime: string, upStatus: string, reqId = this.requestId()): void {
    const proto = req.proto ?? "HTTP/1.1";
    const header = (k: string) => Object.entries(req.headers).find(([h]) => h.toLowerCase() === k)?.[1];
    // $request_length: the request line, the header lines and the blank line (the body is not counted here).
    let length = `${req.method} ${req.path} ${proto}\r\n`.length + 2;
    for (const [k, val] of Object.entries(req.headers)) length += `${k}: ${val}\r\n`.length;
    const line = `${req.client ?? "-"} - - [${timeLocal(this.io.clock.now() + requestMs)}] "${req.method} ${req.path} ${proto}" ${status} ${bytes} "${header("referer") ?? "-"}" "${header("user-agent") ?? "-"}" ${length} ${secs(requestMs)} [${upstream}] [] ${addr} ${upLen} ${upTime} ${upStatus} ${reqId}`;
    this.log(line);
  }

  private route(req: HttpRequest): HttpAnswer {
    const host = (req.headers.Host ?? req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    const ingresses = [...this.taken.values()].map((i) => this.get("Ingress", i.metadata.namespace, i.metadata.name!) ?? i);
    const backend = routeIngress(ingresses, host, req.path, this.handles);
    if (!backend) {
      // The catch-all server `_` logs nothing (enable-access-log-for-default-backend: false); a
      // host's server whose paths do not match logs its root location's default backend.
      const page = nginxPage(404);
      if (hasServerFor(ingresses, host, this.handles)) this.access(req, 404, page.length, 0, DEFAULT_UPSTREAM, DEFAULT_BACKEND_ADDR, String(page.length), secs(0), "404");
      return { status: 404, body: page };
    }
    const ns = backend.ingress.metadata.namespace ?? "default";
    const upstream = upstreamName(ns, backend);
    const eps = this.endpoints(ns, backend);
    if (eps.length === 0) {
      // The balancer finds no endpoint: 503 without an upstream.
      const page = nginxPage(503);
      this.access(req, 503, page.length, 0, upstream, "-", "-", "-", "-");
      return { status: 503, body: page };
    }
    const i = (this.rr.get(upstream) ?? 0) % eps.length;
    this.rr.set(upstream, i + 1);
    const ep = eps[i]!;
    const addr = `${ep.ip}:${ep.port}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() !== "host") headers[k] = v;
    headers.Host = host;
    const reqId = this.requestId();
    headers["X-Request-ID"] = reqId;
    headers["X-Real-IP"] = req.client ?? "";
    headers["X-Forwarded-For"] = req.client ?? "";
    headers["X-Forwarded-Host"] = host;
    headers["X-Forwarded-Port"] = String(req.port);
    headers["X-Forwarded-Proto"] = req.port === 443 ? "https" : "http";
    headers["X-Scheme"] = req.port === 443 ? "https" : "http";
    return {
      status: 502,
      body: nginxPage(502),
      proxy: {
        method: req.method,
        url: `http://${addr}${backend.path}`,
        headers,
        timeoutMs: 5_000,
        reply: (o: HttpOutcome, afterMs = 0) => {
          if (o.ok) {
            this.access(req, o.status, o.body.length, afterMs, upstream, addr, String(o.body.length), secs(afterMs), String(o.status), reqId);
            return { status: o.status, body: o.body };
          }
          const status = o.kind === "timeout" ? 504 : 502;
          const page = nginxPage(status);
          this.access(req, status, page.length, afterMs, upstream, addr, "0", secs(afterMs), String(status), reqId);
          return { status, body: page };
        },
      },
    };
  }

  /** getEndpointsFromSlices: the ready endpoints of the backend's Service port, in the slices' order. */
  private endpoints(ns: string, backend: { service: string; port: { number?: number; name?: string } }): Array<{ ip: string; port: number }> {
    const svc = this.get("Service", ns, backend.service);
    const sp = (svc?.spec?.ports ?? []).find((p: { port: number; name?: string }) => (backend.port.number !== undefined ? p.port === backend.port.number : p.name === backend.port.name));
    if (!svc || !sp) return [];
    const out: Array<{ ip: string; port: number }> = [];
    let slices: KObject[];
    try {
      slices = this.client!.list("EndpointSlice", { namespace: ns, labelSelector: (l: Record<string, string>) => l["kubernetes.io/service-name"] === backend.service });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      slices = [];
    }
    for (const slice of slices) {
      const port = (slice.ports ?? []).find((p: { name?: string }) => (p.name ?? "") === (sp.name ?? ""))?.port;
      if (port === undefined) continue;
      for (const ep of slice.endpoints ?? []) if (ep.conditions?.ready !== false && ep.addresses?.[0]) out.push({ ip: ep.addresses[0], port });
    }
    return out;
  }

  override exit(code: number): void {
    for (const u of this.unwatch) u();
    this.unwatch.length = 0;
    super.exit(code);
  }
}

/** Go's %v of a []IngressLoadBalancerIngress as klog prints it. */
function goSlice(addrs: Array<{ ip?: string; hostname?: string }>): string {
  return `[${addrs.map((a) => `{IP:${a.ip ?? ""} Hostname:${a.hostname ?? ""} IPMode:<nil> Ports:[]}`).join(" ")}]`;
}

const keyOf = (o: KObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

const CERTGEN_VALUES = ["host", "namespace", "secret-name", "cert-name", "key-name", "webhook-name", "apiservice-name", "patch-failure-policy", "log-level", "log-format", "kubeconfig"];
const CERTGEN_BOOLS = ["patch-validating", "patch-mutating"];

function launchCertgen(argv: string[], l: ContainerLaunch, ctx: ProgramContext): CertgenProcess | undefined {
  const command = argv[1];
  if (command !== "create" && command !== "patch") return undefined;
  const flags = parseGoFlags(argv.slice(2), { bool: CERTGEN_BOOLS, value: CERTGEN_VALUES });
  return new CertgenProcess(l.io, command, flags, l.pod, ctx.api);
}

const CONTROLLER_VALUES = ["publish-service", "election-id", "controller-class", "ingress-class", "configmap", "validating-webhook", "validating-webhook-certificate", "validating-webhook-key", "default-ssl-certificate", "watch-namespace", "v", "http-port", "https-port", "healthz-port"];
const CONTROLLER_BOOLS = ["enable-ssl-passthrough", "watch-ingress-without-class", "enable-metrics", "report-node-internal-ip-address"];

function launchController(argv: string[], l: ContainerLaunch, ctx: ProgramContext): IngressControllerProcess {
  return new IngressControllerProcess(l.io, parseGoFlags(argv.slice(1), { bool: CONTROLLER_BOOLS, value: CONTROLLER_VALUES }), l.pod, ctx.api);
}

export const KUBE_WEBHOOK_CERTGEN: ModelBehaviour = { programs: { "/kube-webhook-certgen": launchCertgen, "kube-webhook-certgen": launchCertgen } };

export const INGRESS_NGINX_CONTROLLER: ModelBehaviour = {
  // dumb-init runs its command as its child (`--` ends its own options).
  entrypoints: { "/usr/bin/dumb-init": (argv) => ({ exec: argv[1] === "--" ? argv.slice(2) : argv.slice(1) }) },
  programs: { "/nginx-ingress-controller": launchController },
};
