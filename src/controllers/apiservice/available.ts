/**
 * kube-aggregator's availability controllers for APIServices, as kube-apiserver v1.32 runs them:
 * - staging/src/k8s.io/kube-aggregator/pkg/controllers/status/local/local_available_controller.go:
 *   an APIService without `spec.service` is served by kube-apiserver itself: `Available=True`,
 *   reason `Local`, "Local APIServices are always available";
 * - .../status/remote/remote_available_controller.go (v1.32, reading Endpoints): one backed by a
 *   Service is checked in order, and the first failing check is the condition:
 *   the Service exists (`ServiceNotFound`: `service/<name> in "<ns>" is not present`); for a
 *   ClusterIP Service, it has the APIService's port (`ServicePortError`: `service/<name> in "<ns>"
 *   is not listening on port <port>`), its Endpoints exist (`EndpointsNotFound`: `cannot find
 *   endpoints for service/<name> in "<ns>"`) and have a ready address with that port's name
 *   (`MissingEndpoints`: `endpoints for service/<name> in "<ns>" have no addresses with port name
 *   "<name>"`); then a discovery GET of `https://<name>.<ns>.svc:<port>/apis/<group>/<version>`
 *   (TLS not verified, 5 s timeout) must answer 2xx (`FailedDiscoveryCheck`: `failing or missing
 *   response from <url>: <error>`, the sync then requeued rate-limited, 5 ms doubling to 30 s).
 *   All passed: `Available=True`, reason `Passed`, "all checks passed".
 * The status is written only when it changes (updateAPIServiceStatus); a condition keeps its
 * lastTransitionTime while its status stays (SetAPIServiceCondition). Every APIService is
 * re-checked every 30 s (its informer's resync), and at once when its Service or Endpoints change.
 *
 * What the condition gates (the aggregator's proxy answering 503 while it is not True):
 * src/api/aggregator.ts.
 */
import type { ClusterContext, Component } from "../../context.ts";
import type { KObject, WatchEvent } from "../../api/types.ts";
import type { APIServiceCondition, ServicePort } from "../../api/types.gen.ts";
import { Controller } from "../controller.ts";
import { clusterNetwork } from "../../network/network.ts";

/** The APIService informer's resync period (AddEventHandlerWithResyncPeriod, 30 s). */
export const RESYNC_MS = 30_000;
/** The discovery check's client timeout. */
export const DISCOVERY_TIMEOUT_MS = 5_000;
/** The controller's rate limiter: 5 ms doubling to 30 s. */
const BACKOFF_BASE_MS = 5;
const BACKOFF_MAX_MS = 30_000;

type Check = { status: "True" | "False" | "Unknown"; reason: string; message: string };

export class APIServiceAvailableController extends Controller {
  readonly name = "apiservice-available";
  /** Failed discovery checks in a row, per APIService (the rate limiter's count). */
  private readonly failures = new Map<string, number>();
  /** The resync timer of each APIService. */
  private readonly resyncs = new Map<string, ReturnType<Controller["after"]>>();
  /** A discovery check under way, per APIService: its answer is dropped if a newer sync started. */
  private readonly checking = new Map<string, number>();
  private checks = 0;

  start(): void {
    this.watch("APIService", (ev: WatchEvent) => {
      if (ev.type === "MODIFIED" && ev.old && JSON.stringify(ev.old.spec) === JSON.stringify(ev.object.spec)) return;
      this.queue.add(ev.object.metadata.name!);
    });
    const byService = (ev: WatchEvent) => {
      const ns = ev.object.metadata.namespace;
      const name = ev.object.metadata.name;
      for (const a of this.ctx.api.list("APIService")) {
        if (a.spec?.service?.namespace === ns && a.spec?.service?.name === name) this.queue.add(a.metadata.name!);
      }
    };
    this.watch("Service", byService);
    this.watch("Endpoints", byService);
  }

  protected override syncHandler(key: string): void | Error {
    const svc = this.ctx.api.get("APIService", undefined, key);
    if (!svc) {
      this.failures.delete(key);
      this.cancelTimer(this.resyncs.get(key));
      this.resyncs.delete(key);
      return;
    }
    this.scheduleResync(key);
    if (!svc.spec?.service) return this.setCondition(key, { status: "True", reason: "Local", message: "Local APIServices are always available" });
    const ref = svc.spec.service as { namespace: string; name: string; port?: number };
    const port = ref.port ?? 443;
    const found = this.localChecks(ref.namespace, ref.name, port);
    if (found) {
      this.failures.delete(key);
      return this.setCondition(key, found);
    }
    this.discovery(key, svc, ref, port);
  }

  /** The checks that read the API: the first that fails, or undefined when all pass. */
  private localChecks(namespace: string, name: string, port: number): Check | undefined {
    const service = this.ctx.api.get("Service", namespace, name);
    if (!service) return { status: "False", reason: "ServiceNotFound", message: `service/${name} in ${JSON.stringify(namespace)} is not present` };
    if ((service.spec?.type ?? "ClusterIP") !== "ClusterIP") return undefined;
    const sp = ((service.spec?.ports ?? []) as ServicePort[]).find((p) => p.port === port);
    if (!sp) return { status: "False", reason: "ServicePortError", message: `service/${name} in ${JSON.stringify(namespace)} is not listening on port ${port}` };
    const portName = sp.name ?? "";
    const eps = this.ctx.api.get("Endpoints", namespace, name);
    if (!eps) return { status: "False", reason: "EndpointsNotFound", message: `cannot find endpoints for service/${name} in ${JSON.stringify(namespace)}` };
    const ok = ((eps.subsets ?? []) as Array<{ addresses?: unknown[]; ports?: Array<{ name?: string }> }>).some((s) => (s.addresses ?? []).length > 0 && (s.ports ?? []).some((p) => (p.name ?? "") === portName));
    if (!ok) return { status: "False", reason: "MissingEndpoints", message: `endpoints for service/${name} in ${JSON.stringify(namespace)} have no addresses with port name ${JSON.stringify(portName)}` };
    return undefined;
  }

  /** The discovery GET through the Service's cluster IP; its answer sets the condition. */
  private discovery(key: string, svc: KObject, ref: { namespace: string; name: string }, port: number): void {
    const url = `https://${ref.name}.${ref.namespace}.svc:${port}/apis/${svc.spec.group}/${svc.spec.version}`;
    const service = this.ctx.api.get("Service", ref.namespace, ref.name);
    const ip = service?.spec?.clusterIP && service.spec.clusterIP !== "None" ? service.spec.clusterIP : `${ref.name}.${ref.namespace}.svc.cluster.local`;
    const id = ++this.checks;
    this.checking.set(key, id);
    clusterNetwork(this.ctx).http({ method: "GET", url: `http://${ip}:${port}/apis/${svc.spec.group}/${svc.spec.version}`, timeoutMs: DISCOVERY_TIMEOUT_MS }, (o) => {
      if (this.checking.get(key) !== id) return;
      this.checking.delete(key);
      if (!this.ctx.api.get("APIService", undefined, key)) return;
      let err: string | undefined;
      if (!o.ok) err = `Get ${JSON.stringify(url)}: ${o.error}`;
      else if (!o.tls) err = `Get ${JSON.stringify(url)}: http: server gave HTTP response to HTTPS client`;
      else if (o.status < 200 || o.status >= 300) err = `bad status from ${url}: ${o.status}`;
      if (err === undefined) {
        this.failures.delete(key);
        this.setCondition(key, { status: "True", reason: "Passed", message: "all checks passed" });
        return;
      }
      this.setCondition(key, { status: "False", reason: "FailedDiscoveryCheck", message: `failing or missing response from ${url}: ${err}` });
      const n = this.failures.get(key) ?? 0;
      this.failures.set(key, n + 1);
      this.queue.addAfter(key, Math.min(BACKOFF_BASE_MS * 2 ** n, BACKOFF_MAX_MS));
    });
  }

  private scheduleResync(key: string): void {
    this.cancelTimer(this.resyncs.get(key));
    this.resyncs.set(key, this.after(RESYNC_MS, () => {
      this.resyncs.delete(key);
      this.queue.add(key);
    }));
  }

  /** SetAPIServiceCondition and updateAPIServiceStatus: written only when the status changes. */
  private setCondition(key: string, c: Check): void {
    const now = this.ctx.clock.nowRFC3339();
    const cur = this.ctx.api.get("APIService", undefined, key);
    const conds: APIServiceCondition[] = cur?.status?.conditions ?? [];
    const old = conds.find((x) => x.type === "Available");
    if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) return;
    const next: APIServiceCondition = { type: "Available", status: c.status, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now, reason: c.reason, message: c.message };
    this.ctx.api.mutate("APIService", undefined, key, (x: KObject) => {
      const list: APIServiceCondition[] = (x.status?.conditions ?? []).filter((y: APIServiceCondition) => y.type !== "Available");
      x.status = { ...(x.status ?? {}), conditions: [...list, next] };
    }, { subresource: "status" });
  }
}

export function apiServiceAvailableController(ctx: ClusterContext): Component {
  return new APIServiceAvailableController(ctx);
}
