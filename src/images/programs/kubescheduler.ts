/**
 * kube-scheduler v1.32 run in a pod: "Configure Multiple Schedulers"
 * (kubernetes.io/docs/tasks/extend-kubernetes/configure-multiple-schedulers/) builds an image
 * `FROM busybox` with the kube-scheduler binary at `/usr/local/bin/kube-scheduler` and runs it as
 * a Deployment with `--config=<KubeSchedulerConfiguration>`. The page's image
 * (`gcr.io/my-gcp-project/my-kube-scheduler:1.0`) is one the reader builds; here it is that image
 * (src/images/data/repositories.json, model `my-kube-scheduler`).
 *
 * What it does, from kubernetes v1.32 (cmd/kube-scheduler/app, client-go, apiserver):
 * - Flags as cobra parses them: an unknown flag (the page's older `--address`, `--port`) is
 *   `Error: unknown flag: --address`, exit 1 (before logging starts: component-base cli/run.go).
 * - options.Config: `serving.go:386] Generated self-signed cert in-memory` (no --cert-dir), then
 *   the `--config` file (options/configfile.go loadConfigFromFile): a missing file, or a document
 *   the scheme does not register, fails the command (`run.go:72] "command failed" err="..."`,
 *   exit 1). v1.32's scheme has `kubescheduler.config.k8s.io/v1` only (v1beta2 was removed in
 *   v1.28, v1beta3 in v1.29): the page's `v1beta2` ConfigMap is `no kind "KubeSchedulerConfiguration"
 *   is registered for version "kubescheduler.config.k8s.io/v1beta2" in scheme
 *   "pkg/scheduler/apis/config/scheme/scheme.go:29"`.
 * - In-cluster authentication lookup (apiserver options/authentication.go:397-399): reading
 *   `kube-system/extension-apiserver-authentication` as the pod's service account; the page's
 *   bindings do not grant it, so the three warnings, and it goes on.
 * - Secure serving on `--secure-port` (10259) over HTTPS: `/healthz`, `/livez`, `/readyz` answer
 *   `ok` to anyone (`--authorization-always-allow-paths`); nothing listens on 10251 (insecure
 *   serving was removed in v1.24), so the page's probes on 10251 fail.
 * - Informers as the service account (RBAC, src/images/incluster.ts): a pod or node list it may not
 *   make is the reflector's `failed to list` warning and `Failed to watch` error, retried (backoff
 *   1 s doubling to 30 s, without client-go's jitter); nothing is scheduled until both lists work.
 * - Leader election (client-go tools/leaderelection, `leaderElection` of the config, defaults
 *   leaderElect true, lock `kube-system/kube-scheduler`, 15 s lease, 2 s retry): a Lease held by
 *   another holder is waited for; the lock `kube-system/kube-scheduler` is the control plane's
 *   scheduler's (held for ever here, as on a cluster whose own scheduler runs). Without rights on
 *   the Lease: `error retrieving resource lock`. The leader schedules.
 * - Scheduling: the cluster's own scheduler code (src/scheduler/scheduler.ts) with the profiles'
 *   `schedulerName`s: it takes the pods naming them; its events come from the profile's name.
 *
 * Not modelled: the profiles' plugin configuration (`plugins`, `pluginConfig`: every profile runs
 * the default plugins), `percentageOfNodesToScore`, extenders, the lines kube-scheduler logs
 * between serving and scheduling, cobra's usage text after an unknown flag, the release of the
 * lease on SIGTERM (its holder's lease simply expires).
 */
import { parse as parseYAML } from "yaml";
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { Pod } from "../../api/types.gen.ts";
import type { KObject } from "../../api/types.ts";
import type { ApiServer } from "../../api/store.ts";
import type { ClusterContext } from "../../context.ts";
import { ApiError } from "../../api/errors.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer } from "./server.ts";
import { glogPrefix, parseGoFlags } from "./goflags.ts";
import { inClusterClient } from "../incluster.ts";
import { Scheduler } from "../../scheduler/scheduler.ts";

const BOOL_FLAGS = [
  "leader-elect", "profiling", "contention-profiling", "authentication-skip-lookup", "authentication-tolerate-lookup-failure",
  "permit-address-sharing", "permit-port-sharing", "add-dir-header", "log-json-split-stream", "log-text-split-stream", "version", "help",
];
const VALUE_FLAGS = [
  "config", "write-config-to", "master", "kubeconfig", "kube-api-qps", "kube-api-burst", "kube-api-content-type", "pod-max-in-unschedulable-pods-duration",
  "bind-address", "secure-port", "cert-dir", "tls-cert-file", "tls-private-key-file", "tls-cipher-suites", "tls-min-version", "tls-sni-cert-key", "http2-max-streams-per-connection",
  "authentication-kubeconfig", "authentication-token-webhook-cache-ttl", "client-ca-file", "requestheader-allowed-names", "requestheader-client-ca-file",
  "requestheader-extra-headers-prefix", "requestheader-group-headers", "requestheader-username-headers", "requestheader-uid-headers",
  "authorization-kubeconfig", "authorization-always-allow-paths", "authorization-webhook-cache-authorized-ttl", "authorization-webhook-cache-unauthorized-ttl",
  "leader-elect-lease-duration", "leader-elect-renew-deadline", "leader-elect-resource-lock", "leader-elect-resource-name", "leader-elect-resource-namespace", "leader-elect-retry-period",
  "feature-gates", "allow-metric-labels", "allow-metric-labels-manifest", "disabled-metrics", "show-hidden-metrics-for-version",
  "log-flush-frequency", "log-json-info-buffer-size", "log-text-info-buffer-size", "logging-format", "v", "vmodule",
];

export const CONFIG_GROUP = "kubescheduler.config.k8s.io";
const LEASE_DURATION_MS = 15_000;
const RETRY_PERIOD_MS = 2_000;
const REFLECTOR = "k8s.io/client-go/informers/factory.go:160";

/** What the scheduler takes from its KubeSchedulerConfiguration (v1 defaults applied). */
export interface SchedulerConfig {
  schedulerNames: string[];
  leaderElect: boolean;
  resourceNamespace: string;
  resourceName: string;
}

/** klog's structured value: a Go-quoted string. */
const q = (s: string) => JSON.stringify(s);

/**
 * options/configfile.go loadConfig: the scheme's UniversalDecoder (v1 only in v1.32), then v1's
 * defaults (SetDefaults_KubeSchedulerConfiguration: one `default-scheduler` profile, leader
 * election on with the lock kube-system/kube-scheduler). Returns the error text the command fails with.
 */
export function loadSchedulerConfig(text: string, flags: { leaderElect?: string; resourceName?: string; resourceNamespace?: string } = {}): SchedulerConfig | string {
  let doc: unknown;
  try {
    doc = parseYAML(text);
  } catch (e) {
    return `error converting YAML to JSON: yaml: ${(e as Error).message.split("\n")[0]}`;
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return "Object 'Kind' is missing in '" + String(text).trim() + "'";
  const o = doc as Record<string, unknown>;
  const kind = typeof o.kind === "string" ? o.kind : "";
  const apiVersion = typeof o.apiVersion === "string" ? o.apiVersion : "";
  if (!kind) return `Object 'Kind' is missing in '${JSON.stringify(o)}'`;
  if (apiVersion !== `${CONFIG_GROUP}/v1` || kind !== "KubeSchedulerConfiguration") {
    return `no kind ${q(kind)} is registered for version ${q(apiVersion)} in scheme "pkg/scheduler/apis/config/scheme/scheme.go:29"`;
  }
  const profiles = Array.isArray(o.profiles) ? (o.profiles as unknown[]) : [];
  const names = profiles.length ? profiles.map((p) => (p && typeof p === "object" && typeof (p as Record<string, unknown>).schedulerName === "string" ? ((p as Record<string, unknown>).schedulerName as string) : "default-scheduler")) : ["default-scheduler"];
  const seen = new Set<string>();
  for (const [i, n] of names.entries()) {
    // validation.go validateKubeSchedulerProfile / the duplicate check.
    if (seen.has(n)) return `profiles[${i}].schedulerName: Duplicate value: ${q(n)}`;
    seen.add(n);
  }
  const le = o.leaderElection && typeof o.leaderElection === "object" ? (o.leaderElection as Record<string, unknown>) : {};
  // Flags given on the command line override the file (options.go ApplyTo: the deprecated flags'
  // leader election settings are applied when set).
  const leaderElect = flags.leaderElect !== undefined ? flags.leaderElect === "true" : le.leaderElect !== false;
  return {
    schedulerNames: names,
    leaderElect,
    resourceNamespace: flags.resourceNamespace ?? (typeof le.resourceNamespace === "string" && le.resourceNamespace ? le.resourceNamespace : "kube-system"),
    resourceName: flags.resourceName ?? (typeof le.resourceName === "string" && le.resourceName ? le.resourceName : "kube-scheduler"),
  };
}

export class KubeSchedulerProcess extends ServerProcess {
  private scheduler: Scheduler | undefined;
  private client: ApiServer | undefined;
  private config: SchedulerConfig | undefined;
  private identity = "";
  private listBackoffMs = 1000;
  /** When this process last saw the lease's record change (client-go's observedTime). */
  private observed: { holder: string; renew: string; at: number } | undefined;

  constructor(
    io: ProcessIO,
    private readonly argv: string[],
    private readonly pod: Pod,
    private readonly cluster: ClusterContext | undefined,
  ) {
    super(io);
    // server.go Run: the context is cancelled on SIGTERM and the command returns: exit 0.
    this.onStop = { exitCode: 0 };
  }

  private klog(level: "I" | "W" | "E", where: string, text: string): void {
    this.logErr(glogPrefix(this.io.clock.now(), level, where) + text);
  }

  protected run(): void {
    const flags = parseGoFlags(this.argv.slice(1), { bool: BOOL_FLAGS, value: VALUE_FLAGS });
    if (flags.unknown.length > 0) {
      this.logErr(`Error: unknown flag: ${flags.unknown[0]!.replace(/=.*$/, "")}`);
      this.exit(1);
      return;
    }
    const fail = (err: string) => {
      this.klog("E", "run.go:72", `"command failed" err=${q(err)}`);
      this.exit(1);
    };
    if (!flags.values.has("cert-dir") && !flags.values.has("tls-cert-file")) this.klog("I", "serving.go:386", "Generated self-signed cert in-memory");
    const file = flags.values.get("config");
    let config: SchedulerConfig | string;
    if (file !== undefined) {
      let text: string;
      try {
        text = this.io.fs.readFile(file);
      } catch {
        fail(`open ${file}: no such file or directory`);
        return;
      }
      config = loadSchedulerConfig(text, { leaderElect: flags.values.get("leader-elect"), resourceName: flags.values.get("leader-elect-resource-name"), resourceNamespace: flags.values.get("leader-elect-resource-namespace") });
    } else {
      config = { schedulerNames: ["default-scheduler"], leaderElect: flags.values.get("leader-elect") !== "false", resourceNamespace: flags.values.get("leader-elect-resource-namespace") ?? "kube-system", resourceName: flags.values.get("leader-elect-resource-name") ?? "kube-scheduler" };
    }
    if (typeof config === "string") {
      fail(config);
      return;
    }
    this.config = config;
    const api = this.cluster?.api;
    const client = inClusterClient(api, this.pod);
    if (client instanceof Error) {
      fail(`invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable`);
      return;
    }
    this.client = client;
    this.identity = `${this.pod.metadata?.name ?? "kube-scheduler"}_${this.cluster!.chance.uuid()}`;
    try {
      client.get("ConfigMap", "kube-system", "extension-apiserver-authentication");
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.klog("W", "authentication.go:397", `Error looking up in-cluster authentication configuration: ${e.message}`);
      this.klog("W", "authentication.go:398", "Continuing without authentication configuration. This may treat all requests as anonymous.");
      this.klog("W", "authentication.go:399", "To require authentication configuration lookup to succeed, set --authentication-tolerate-lookup-failure=false");
    }
    const port = Number(flags.values.get("secure-port") ?? "10259");
    const bind = flags.values.get("bind-address") ?? "0.0.0.0";
    this.klog("I", "secure_serving.go:213", `Serving securely on ${bind === "0.0.0.0" ? "[::]" : bind}:${port}`);
    this.listen(port, (req) => this.serve(req.path), 0, true);
    if (config.leaderElect) {
      this.klog("I", "leaderelection.go:257", `attempting to acquire leader lease ${config.resourceNamespace}/${config.resourceName}...`);
      this.tryAcquire();
    } else this.startInformers();
  }

  private serve(raw: string): HttpAnswer {
    const path = parseRequestPath(raw).path;
    if (path === "/healthz" || path === "/livez" || path === "/readyz") return { status: 200, body: "ok" };
    return { status: 403, body: `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \\"system:anonymous\\" cannot get path \\"${path}\\"","reason":"Forbidden","details":{},"code":403}\n` };
  }

  /** tryAcquireOrRenew every retry period until this process holds the lease (acquire), then renew. */
  private tryAcquire(): void {
    if (!this.running) return;
    const ok = this.acquireOrRenew();
    if (ok && !this.scheduler) {
      this.klog("I", "leaderelection.go:271", `successfully acquired lease ${this.config!.resourceNamespace}/${this.config!.resourceName}`);
      this.startInformers();
    }
    this.after(RETRY_PERIOD_MS, () => this.tryAcquire());
  }

  private acquireOrRenew(): boolean {
    const client = this.client!;
    const { resourceNamespace: ns, resourceName: name } = this.config!;
    const desc = `${ns}/${name}`;
    // The lock of the control plane's own kube-scheduler: held and renewed by it.
    if (ns === "kube-system" && name === "kube-scheduler") return false;
    const now = this.io.clock.nowMicroRFC3339();
    let lease: KObject | undefined;
    try {
      lease = client.get("Lease", ns, name);
      if (!lease) {
        try {
          client.create({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name, namespace: ns }, spec: { holderIdentity: this.identity, leaseDurationSeconds: LEASE_DURATION_MS / 1000, acquireTime: now, renewTime: now, leaseTransitions: 0 } } as KObject);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          this.klog("E", "leaderelection.go:440", `error initially creating leader election record: ${e.message}`);
          return false;
        }
        this.observed = { holder: this.identity, renew: now, at: this.io.clock.now() };
        return true;
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.klog("E", "leaderelection.go:436", `error retrieving resource lock ${desc}: ${e.message}`);
      return false;
    }
    const spec = lease.spec ?? {};
    const holder: string = spec.holderIdentity ?? "";
    if (!this.observed || this.observed.holder !== holder || this.observed.renew !== spec.renewTime) this.observed = { holder, renew: spec.renewTime, at: this.io.clock.now() };
    const valid = this.observed.at + (spec.leaseDurationSeconds ?? 0) * 1000 > this.io.clock.now();
    if (holder && valid && holder !== this.identity) return false;
    const mine = holder === this.identity;
    const next = structuredClone(lease);
    next.spec = { holderIdentity: this.identity, leaseDurationSeconds: LEASE_DURATION_MS / 1000, acquireTime: mine ? spec.acquireTime : now, renewTime: now, leaseTransitions: mine ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1 };
    try {
      client.update(next);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.klog("E", "leaderelection.go:472", `Failed to update lock: ${e.message}`);
      return false;
    }
    this.observed = { holder: this.identity, renew: now, at: this.io.clock.now() };
    return true;
  }

  /** The informers' first lists (pods and nodes): forbidden ones are the reflector's errors, retried. */
  private startInformers(): void {
    if (!this.running || this.scheduler) return;
    const client = this.client!;
    let failed = false;
    for (const [kind, type] of [["Pod", "*v1.Pod"], ["Node", "*v1.Node"]] as const) {
      try {
        client.list(kind);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        failed = true;
        this.klog("W", "reflector.go:569", `${REFLECTOR}: failed to list ${type}: ${e.message}`);
        this.klog("E", "reflector.go:166", `"Unhandled Error" err=${q(`${REFLECTOR}: Failed to watch ${type}: failed to list ${type}: ${e.message}`)} logger="UnhandledError"`);
      }
    }
    if (failed) {
      const wait = this.listBackoffMs;
      this.listBackoffMs = Math.min(this.listBackoffMs * 2, 30_000);
      this.after(wait, () => this.startInformers());
      return;
    }
    const ctx: ClusterContext = { ...this.cluster!, api: client };
    this.scheduler = new Scheduler(ctx, { schedulerNames: this.config!.schedulerNames, host: this.pod.metadata?.name ?? "" });
    this.scheduler.start();
  }

  override exit(code: number): void {
    this.scheduler?.stop();
    this.scheduler = undefined;
    super.exit(code);
  }
}

function launch(argv: string[], l: ContainerLaunch, ctx: ProgramContext): KubeSchedulerProcess {
  return new KubeSchedulerProcess(l.io, argv, l.pod, ctx.cluster);
}

/** The page's image: busybox with `/usr/local/bin/kube-scheduler` (its shell runs anything else). */
export const MY_KUBE_SCHEDULER: ModelBehaviour = {
  programs: { "/usr/local/bin/kube-scheduler": launch, "kube-scheduler": launch },
};
