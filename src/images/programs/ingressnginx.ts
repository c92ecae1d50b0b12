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
 * "--"], CMD ["/nginx-ingress-controller"], USER www-data): `/nginx-ingress-controller` serves
 * HTTP on 80, HTTPS on 443, the validating webhook on `--validating-webhook` (`:8443`, TLS, with the
 * certificate the Secret volume mounts: without the files it cannot start, exit 1) and its health
 * on 10254 (`/healthz` 200 "ok", what the manifest's probes ask). With `--publish-service` pointing
 * at a LoadBalancer Service that has no address (kind: EXTERNAL-IP `<pending>`), the Ingresses it
 * handles get no address either (internal/ingress/status: the Service's load-balancer ingress).
 * On SIGTERM it drains for its `/wait-shutdown` and exits 0.
 *
 * Not modelled: the controller's log (its banner, the leader election, nginx's reloads), the
 * leader-election Lease, routing requests through it (the built-in add-on routes Ingresses when it
 * runs: docs/divergences.md), the webhook's validation of Ingresses.
 */
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { Pod, ValidatingWebhookConfiguration } from "../../api/types.gen.ts";
import type { ApiServer } from "../../api/store.ts";
import type { KObject } from "../../api/types.ts";
import { ApiError } from "../../api/errors.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer } from "./server.ts";
import { parseGoFlags, type GoFlags } from "./goflags.ts";
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

/** `/nginx-ingress-controller`. */
export class IngressControllerProcess extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly flags: GoFlags,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
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
    const http = (): HttpAnswer => ({ status: 404, body: "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n" });
    this.listen(80, http);
    this.listen(443, http, 0, true);
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
}

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

function launchController(argv: string[], l: ContainerLaunch): IngressControllerProcess {
  return new IngressControllerProcess(l.io, parseGoFlags(argv.slice(1), { bool: CONTROLLER_BOOLS, value: CONTROLLER_VALUES }));
}

export const KUBE_WEBHOOK_CERTGEN: ModelBehaviour = { programs: { "/kube-webhook-certgen": launchCertgen, "kube-webhook-certgen": launchCertgen } };

export const INGRESS_NGINX_CONTROLLER: ModelBehaviour = {
  // dumb-init runs its command as its child (`--` ends its own options).
  entrypoints: { "/usr/bin/dumb-init": (argv) => ({ exec: argv[1] === "--" ? argv.slice(2) : argv.slice(1) }) },
  programs: { "/nginx-ingress-controller": launchController },
};
