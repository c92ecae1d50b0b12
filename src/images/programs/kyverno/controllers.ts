/**
 * Kyverno's other programs (github.com/kyverno/kyverno at v1.14.5), as the release manifest runs them:
 *
 * - `kyvernopre` (cmd/kyverno-init), the admission controller's init container: takes the Lease
 *   `kyvernopre-lock` in its namespace (the clean-up of earlier installs, which a fresh cluster
 *   does not need, runs under it) and exits 0; when the Lease exists another replica did the
 *   work: "Leader was elected, quitting", exit 0.
 * - `cleanup-controller` (cmd/cleanup-controller): its own serving certificates
 *   (`kyverno-cleanup-controller.kyverno.svc.kyverno-tls-*`), `/health/liveness` and
 *   `/health/readiness` on 9443 (its probes), and its two webhook configurations:
 *   kyverno-cleanup-validating-webhook-cfg (cleanup policies, `/validate`) and
 *   kyverno-ttl-validating-webhook-cfg (objects labelled `cleanup.kyverno.io/ttl`, `/verifyttl`),
 *   both answered with allowed. Cleanup policies and TTLs are not carried out (docs/divergences.md).
 * - `reports-controller` (cmd/reports-controller): ./reportscontroller.ts.
 */
import type { ContainerLaunch, ContainerProcess } from "../../../runtime/types.ts";
import type { Pod } from "../../../api/types.gen.ts";
import type { ApiServer } from "../../../api/store.ts";
import type { KObject } from "../../../api/types.ts";
import type { ProgramContext } from "../../launch.ts";
import { ServerProcess, parseRequestPath } from "../server.ts";
import { inClusterClient } from "../../incluster.ts";
import { KyvernoProcess } from "./process.ts";
import { flagValues } from "../certmanager/common.ts";
import { canonical, ensureCertificates, genericValidatingConfiguration, klogText } from "./common.ts";

const metrics = (req: { path: string }) => (parseRequestPath(req.path).path === "/metrics" ? { status: 200, body: "# HELP kyverno_info Kyverno version information\n# TYPE kyverno_info gauge\n" } : { status: 404, body: "404 page not found\n" });

export class KyvernoInit extends ServerProcess {
  constructor(
    l: ContainerLaunch,
    private readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {
    super(l.io);
  }

  protected run(): void {
    const now = this.io.clock.now();
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) {
      this.logErr(klogText(now, "E", "setup.go:81", "failed to create kubernetes client", { err: client.message }));
      return this.exit(1);
    }
    const ns = this.io.env.KYVERNO_NAMESPACE || this.pod.metadata?.namespace || "kyverno";
    if (client.get("Lease", ns, "kyvernopre-lock")) {
      this.log(klogText(now, "I", "main.go:101", "Leader was elected, quitting"));
      return this.exit(0);
    }
    this.log(klogText(now, "I", "main.go:99", "Lease 'kyvernopre-lock' not found. Starting clean-up..."));
    try {
      client.create({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "kyvernopre-lock", namespace: ns }, spec: { holderIdentity: this.io.env.KYVERNO_POD_NAME || this.pod.metadata?.name, leaseDurationSeconds: 15, acquireTime: micro(now), renewTime: micro(now) } } as unknown as KObject);
    } catch (e) {
      this.logErr(klogText(now, "E", "main.go:57", "Failed to create lease 'kyvernopre-lock'", { err: (e as Error).message }));
      return this.exit(1);
    }
    this.exit(0);
  }
}

/** metav1.MicroTime as it is serialised. */
const micro = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export class KyvernoCleanupController extends KyvernoProcess {
  private caPEM = "";
  private readonly written = new Map<string, string>();

  protected run(): void {
    const now = this.io.clock.now();
    if (!this.connect(now)) return;
    this.listen(Number(this.flag("metricsPort", "8000")), metrics);
    this.start9443();
  }

  private start9443(): void {
    if (!this.running) return;
    const ns = this.io.env.KYVERNO_NAMESPACE || "kyverno";
    const svc = this.io.env.KYVERNO_SVC || "kyverno-cleanup-controller";
    const ca = ensureCertificates(this.client!, ns, svc, this.flag("caSecretName"), this.flag("tlsSecretName"), this.io.clock.now());
    if (ca instanceof Error) {
      this.logErr(klogText(this.io.clock.now(), "E", "controller.go:99", "failed to validate certs", { err: ca.message }));
      return this.after(5000, () => this.start9443());
    }
    this.caPEM = ca;
    this.listen(Number(this.flag("webhookServerPort", "9443")), (req) => {
      const p = parseRequestPath(req.path).path;
      if (p === "/health/liveness" || p === "/health/readiness") return { status: 200, body: "" };
      if (p === "/validate" || p === "/verifyttl") {
        let uid = "";
        try {
          uid = (JSON.parse(req.body ?? "") as { request?: { uid?: string } }).request?.uid ?? "";
        } catch {
          return { status: 400, body: "failed to decode request body\n" };
        }
        return { status: 200, body: JSON.stringify({ kind: "AdmissionReview", apiVersion: "admission.k8s.io/v1", response: { uid, allowed: true } }) };
      }
      return { status: 404, body: "404 page not found\n" };
    }, 0, true);
    this.unwatch.push(this.client!.watch("ValidatingWebhookConfiguration", () => this.after(0, () => this.reconcile(ns, svc))));
    this.reconcile(ns, svc);
  }

  private reconcile(ns: string, svc: string): void {
    if (!this.running) return;
    const port = Number(this.flag("servicePort", "443"));
    const want = [
      genericValidatingConfiguration({ name: "kyverno-cleanup-validating-webhook-cfg", svc, ns, path: "/validate", port, caPEM: this.caPEM, failurePolicy: "Fail", rules: [{ apiGroups: ["kyverno.io"], apiVersions: ["v2beta1"], operations: ["CREATE", "UPDATE"], resources: ["cleanuppolicies/*", "clustercleanuppolicies/*"] }] }),
      genericValidatingConfiguration({ name: "kyverno-ttl-validating-webhook-cfg", svc, ns, path: "/verifyttl", port, caPEM: this.caPEM, failurePolicy: "Ignore", objectSelector: { matchExpressions: [{ key: "cleanup.kyverno.io/ttl", operator: "Exists" }] }, rules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["*"] }] }),
    ];
    for (const obj of want) {
      const name = obj.metadata.name ?? "";
      const text = canonical(obj);
      const have = this.client!.get("ValidatingWebhookConfiguration", undefined, name);
      if (have && this.written.get(name) === text) continue;
      try {
        if (!have) this.client!.create(obj);
        else this.client!.update({ ...have, metadata: { ...have.metadata, labels: obj.metadata.labels }, webhooks: obj.webhooks } as unknown as KObject);
        this.written.set(name, text);
      } catch (e) {
        this.logErr(klogText(this.io.clock.now(), "E", "controller.go:233", "failed to reconcile webhook configuration", { name, err: (e as Error).message }));
      }
    }
  }
}

export const launchInit = (argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess => new KyvernoInit(l, l.pod, ctx.api);
export const launchCleanup = (argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess => new KyvernoCleanupController(l, flagValues(argv.slice(1)), l.pod, ctx.api);
