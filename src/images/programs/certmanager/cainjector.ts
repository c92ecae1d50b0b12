/**
 * `quay.io/jetstack/cert-manager-cainjector` (cmd/cainjector, pkg/controller/cainjector at v1.16.1):
 * for every ValidatingWebhookConfiguration, MutatingWebhookConfiguration, CustomResourceDefinition
 * and APIService annotated
 * - `cert-manager.io/inject-ca-from-secret: <namespace>/<name>`: the Secret's `ca.crt`, when the
 *   Secret is annotated `cert-manager.io/allow-direct-injection: "true"` (sources.go
 *   kubeconfigSource/secretForInjectable; otherwise nothing is injected);
 * - `cert-manager.io/inject-ca-from: <namespace>/<certificate>`: the `ca.crt` of the Secret that
 *   Certificate writes (`spec.secretName`), when the Secret says it belongs to that Certificate
 *   (`cert-manager.io/certificate-name`);
 * writes it as the caBundle (every webhook's `clientConfig.caBundle`; a CRD's
 * `spec.conversion.webhook.clientConfig.caBundle` when it converts by webhook; an APIService's
 * `spec.caBundle`), again whenever the object or the Secret changes. It reads them as its service
 * account (`cert-manager-cainjector`'s ClusterRole); 9402 serves `/metrics`. The leader election
 * (a Lease in kube-system) is not modelled.
 */
import type { ContainerLaunch, ContainerProcess } from "../../../runtime/types.ts";
import type { Pod } from "../../../api/types.gen.ts";
import type { ApiServer } from "../../../api/store.ts";
import type { KObject } from "../../../api/types.ts";
import type { ProgramContext } from "../../launch.ts";
import type { TimerHandle } from "../../../sim/clock.ts";
import { ServerProcess, parseRequestPath } from "../server.ts";
import { inClusterClient } from "../../incluster.ts";
import { keyOfKind, klog } from "./common.ts";

export const INJECT_FROM_SECRET = "cert-manager.io/inject-ca-from-secret";
export const INJECT_FROM = "cert-manager.io/inject-ca-from";
export const ALLOW_DIRECT = "cert-manager.io/allow-direct-injection";

const TARGETS = ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "CustomResourceDefinition", "APIService"] as const;

/** The caBundle (base64 of the PEM, as the API holds `[]byte`) an object's annotation asks for, or undefined. */
export function wantedBundle(client: ApiServer, obj: KObject): string | undefined {
  const ann = obj.metadata.annotations ?? {};
  const fromSecret = ann[INJECT_FROM_SECRET];
  const fromCert = ann[INJECT_FROM];
  const split = (s: string) => {
    const i = s.indexOf("/");
    return i > 0 ? [s.slice(0, i), s.slice(i + 1)] : undefined;
  };
  try {
    if (fromSecret) {
      const nn = split(fromSecret);
      if (!nn) return undefined;
      const secret = client.get("Secret", nn[0], nn[1]!);
      if (!secret || secret.metadata.annotations?.[ALLOW_DIRECT] !== "true") return undefined;
      return (secret.data as Record<string, string> | undefined)?.["ca.crt"] || undefined;
    }
    if (fromCert) {
      const nn = split(fromCert);
      if (!nn) return undefined;
      const crt = client.get(keyOfKind("Certificate"), nn[0], nn[1]!);
      const secretName = (crt?.spec as { secretName?: string } | undefined)?.secretName;
      if (!secretName) return undefined;
      const secret = client.get("Secret", nn[0], secretName);
      if (!secret || secret.metadata.annotations?.["cert-manager.io/certificate-name"] !== nn[1]) return undefined;
      return (secret.data as Record<string, string> | undefined)?.["ca.crt"] || undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The object with `bundle` injected, or undefined when it already has it. */
export function injected(obj: KObject, bundle: string): KObject | undefined {
  const next = structuredClone(obj) as KObject & { webhooks?: Array<{ clientConfig: { caBundle?: string } }>; spec?: Record<string, unknown> };
  let changed = false;
  if (obj.kind === "ValidatingWebhookConfiguration" || obj.kind === "MutatingWebhookConfiguration") {
    for (const h of next.webhooks ?? []) {
      if (h.clientConfig.caBundle !== bundle) {
        h.clientConfig.caBundle = bundle;
        changed = true;
      }
    }
  } else if (obj.kind === "CustomResourceDefinition") {
    const conv = next.spec?.conversion as { strategy?: string; webhook?: { clientConfig?: { caBundle?: string } } } | undefined;
    if (conv?.strategy === "Webhook" && conv.webhook?.clientConfig && conv.webhook.clientConfig.caBundle !== bundle) {
      conv.webhook.clientConfig.caBundle = bundle;
      changed = true;
    }
  } else if (obj.kind === "APIService") {
    if (next.spec && next.spec.caBundle !== bundle) {
      next.spec.caBundle = bundle;
      changed = true;
    }
  }
  return changed ? next : undefined;
}

export class CAInjector extends ServerProcess {
  private readonly unwatch: Array<() => void> = [];
  private pending: TimerHandle | undefined;

  constructor(
    l: ContainerLaunch,
    private readonly pod: Pod,
    private readonly api: ApiServer | undefined,
  ) {
    super(l.io);
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    this.listen(9402, (req) => (parseRequestPath(req.path).path === "/metrics" ? { status: 200, body: "" } : { status: 404, body: "404 page not found\n" }));
    const client = inClusterClient(this.api, this.pod);
    if (client instanceof Error) {
      this.logErr(klog(this.io.clock.now(), "E", "start.go:141", `"error creating manager" err="${client.message}"`));
      return this.exit(1);
    }
    for (const kind of [...TARGETS, "Secret", "Certificate"]) {
      try {
        this.unwatch.push(client.watch(keyOfKind(kind), () => this.schedule(client)));
      } catch (e) {
        this.logErr(klog(this.io.clock.now(), "E", "reflector.go:158", `"Unhandled Error" err="${(e as Error).message}"`));
      }
    }
    this.schedule(client);
  }

  /** One pass over the targets at the next tick (the reconcilers' queues drain at once). */
  private schedule(client: ApiServer): void {
    if (this.pending || !this.running) return;
    this.pending = this.io.clock.setTimeout(() => {
      this.pending = undefined;
      if (this.running) this.injectAll(client);
    }, 0);
  }

  private injectAll(client: ApiServer): void {
    for (const kind of TARGETS) {
      let objs: KObject[];
      try {
        objs = client.list(kind);
      } catch {
        continue;
      }
      for (const obj of objs) {
        const ann = obj.metadata.annotations ?? {};
        if (!ann[INJECT_FROM_SECRET] && !ann[INJECT_FROM]) continue;
        const bundle = wantedBundle(client, obj);
        if (!bundle) continue;
        const next = injected(obj, bundle);
        if (!next) continue;
        try {
          client.update(next);
          this.log(klog(this.io.clock.now(), "I", "reconciler.go:141", `"Updated object" logger="cert-manager" kind="${kindLabel(kind)}" kind="${kind}" name="${obj.metadata.name}"`));
        } catch (e) {
          this.logErr(klog(this.io.clock.now(), "E", "reconciler.go:136", `"unable to update target object with new CA data" err="${(e as Error).message}" logger="cert-manager" kind="${kindLabel(kind)}" name="${obj.metadata.name}"`));
        }
      }
    }
  }

  override exit(code: number): void {
    for (const u of this.unwatch.splice(0)) u();
    if (this.pending) this.io.clock.clear(this.pending);
    this.pending = undefined;
    super.exit(code);
  }
}

const kindLabel = (kind: string) => ({ ValidatingWebhookConfiguration: "validatingwebhookconfiguration", MutatingWebhookConfiguration: "mutatingwebhookconfiguration", CustomResourceDefinition: "customresourcedefinition", APIService: "apiservice" })[kind] ?? kind.toLowerCase();

export function launchCAInjector(argv: string[], l: ContainerLaunch, ctx: ProgramContext): ContainerProcess {
  return new CAInjector(l, l.pod, ctx.api);
}
