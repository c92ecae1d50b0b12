/**
 * The resource quota controller (pkg/controller/resourcequota/resource_quota_controller.go and
 * its QuotaMonitor's replenishment): keeps each ResourceQuota's status.hard (= spec.hard) and
 * status.used, the usage of the objects in its namespace that it covers (pkg/quota/v1
 * CalculateUsage with the evaluators of src/api/quota/evaluator.ts), zero for what nothing uses.
 * A quota is recomputed when it is created or its spec changes, when an object it may cover
 * changes or goes (a pod turning Succeeded/Failed gives its compute resources back), and every
 * 5 minutes (the controller's full resync).
 */
import type { ClusterContext, Component } from "../context.ts";
import { jsonEqual, type KObject } from "../api/types.ts";
import { add, evaluatorFor, fromList, mask, quotaScopes, scopedResources, toList, type ResourceList } from "../api/quota/evaluator.ts";
import { Quantity } from "../api/quantity.ts";
import { groupResource, type ResourceType } from "../api/resources.ts";
import { Controller } from "./controller.ts";
import { objectKey, splitKey } from "./queue.ts";

const RESYNC_MS = 5 * 60_000;

export class ResourceQuotaController extends Controller {
  readonly name = "resourcequota-controller";
  /** Namespaces with at least one quota: only their objects' changes matter. */
  private readonly namespaces = new Map<string, number>();

  start(): void {
    const api = this.ctx.api;
    this.watch("ResourceQuota", (ev) => {
      const o = ev.object;
      const ns = o.metadata.namespace!;
      if (ev.type === "ADDED") this.namespaces.set(ns, (this.namespaces.get(ns) ?? 0) + 1);
      if (ev.type === "DELETED") {
        const n = (this.namespaces.get(ns) ?? 1) - 1;
        if (n <= 0) this.namespaces.delete(ns);
        else this.namespaces.set(ns, n);
      }
      // Every quota of the namespace counts resourcequotas.
      for (const q of api.list("ResourceQuota", { namespace: ns })) {
        if (q.metadata.name === o.metadata.name && ev.type !== "DELETED" && !this.needsSync(q, ev.old)) continue;
        this.queue.add(objectKey(ns, q.metadata.name!));
      }
    });
    this.watch("*", (ev) => {
      const o = ev.object;
      const ns = o.metadata.namespace;
      if (!ns || !this.namespaces.has(ns) || o.kind === "ResourceQuota" || o.kind === "Event") return;
      for (const q of api.list("ResourceQuota", { namespace: ns })) this.queue.add(objectKey(ns, q.metadata.name!));
    }, { ignoresOwnerlessEvents: true });
  }

  /** A new quota, a changed spec.hard, or a status that does not reflect the spec. */
  private needsSync(q: KObject, old: KObject | undefined): boolean {
    if (!old) return true;
    if (!jsonEqual(q.spec?.hard, old.spec?.hard) || !jsonEqual(q.spec?.scopes, old.spec?.scopes) || !jsonEqual(q.spec?.scopeSelector, old.spec?.scopeSelector)) return true;
    return !jsonEqual(Object.keys(q.status?.hard ?? {}).sort(), Object.keys(q.spec?.hard ?? {}).sort());
  }

  /** syncResourceQuotaFromKey. */
  protected override syncHandler(key: string): void {
    const [namespace, name] = splitKey(key);
    const api = this.ctx.api;
    const quota = api.get("ResourceQuota", namespace, name);
    if (!quota) return;
    // The full resync: each quota is recomputed every 5 minutes (no timer while there is no quota).
    this.queue.addAfter(key, RESYNC_MS);
    const hard = toList(quota.spec?.hard);
    const used = calculateUsage(this.ctx, quota, [...hard.keys()]);
    const status = { hard: fromList(hard), used: fromList(mask(used, hard.keys())) };
    if (jsonEqual(status, { hard: quota.status?.hard ?? {}, used: quota.status?.used ?? {} })) return;
    api.mutate("ResourceQuota", namespace, name, (q) => (q.status = status), { subresource: "status" });
  }
}

/** The resources whose objects a quota's hard names may charge (`count/<resource>` of any served one). */
function evaluatedResources(ctx: ClusterContext, names: string[]): ResourceType[] {
  const reg = ctx.api.registry;
  const out = new Set<ResourceType>();
  for (const k of ["Pod", "Service", "PersistentVolumeClaim", "ConfigMap", "Secret", "ReplicationController", "ResourceQuota"]) {
    const r = reg.byStorageKey(k);
    if (r) out.add(r);
  }
  for (const n of names) {
    if (!n.startsWith("count/")) continue;
    const gr = n.slice("count/".length);
    const r = reg.preferredResources().find((x) => groupResource(x) === gr && x.storable);
    if (r) out.add(reg.byStorageKey(r.key) ?? r);
  }
  return [...out];
}

/** quota.CalculateUsage: the usage of a quota's namespace for its hard resources, zero where nothing is used. */
export function calculateUsage(ctx: ClusterContext, quota: KObject, names: string[]): ResourceList {
  const scopes = quotaScopes(quota);
  let used: ResourceList = new Map(names.map((n) => [n, Quantity.of(0)]));
  const now = ctx.clock.now();
  const ns = quota.metadata.namespace;
  for (const r of evaluatedResources(ctx, names)) {
    const ev = evaluatorFor(r);
    const matching = ev.matchingResources(scopes.length ? scopedResources(scopes, names) : names);
    if (matching.length === 0) continue;
    for (const obj of ctx.api.list(r.key, { namespace: ns })) {
      if (scopes.length && !ev.matchesScopes(scopes, obj)) continue;
      used = add(used, mask(ev.usage(obj, now), matching));
    }
  }
  return used;
}

export function resourceQuotaController(ctx: ClusterContext): Component {
  return new ResourceQuotaController(ctx);
}
