/**
 * The ResourceQuota admission plugin (plugin/pkg/admission/resourcequota/controller.go
 * CheckRequest): an object created in (or changed within) a namespace with quotas is charged
 * against every quota that covers it; a request that would take a quota's usage past its hard
 * limit is refused with upstream's `exceeded quota` text, a pod that leaves out a request or limit
 * a quota covers with `failed quota: ... must specify ...`. Admitted usage is written to the
 * quotas' status.used at once (not on a dry run), as the plugin does, so requests in quick
 * succession see each other before the quota controller recomputes.
 */
import { ApiError } from "../errors.ts";
import { chargedResources, evaluatorFor, exceeded, fromList, mask, prettyPrint, subtract, toList, add, type ResourceList } from "../quota/evaluator.ts";
import { groupResource } from "../resources.ts";
import type { AdmissionPlugin } from "../store.ts";
import type { KObject } from "../types.ts";

const forbidden = (resource: string, name: string, msg: string) => new ApiError("Forbidden", `${resource} ${JSON.stringify(name)} is forbidden: ${msg}`);

export const resourceQuotaAdmission: AdmissionPlugin = {
  name: "ResourceQuota",
  // The fast engine charges nothing while no ResourceQuota exists (below).
  inertFor: (_kind, api) => !api.reference && api.count("ResourceQuota") === 0,
  customResources: true,
  validate(obj, op, old, api, attrs) {
    const ns = obj.metadata.namespace;
    if (!ns) return;
    // The fast engine (issue #19): with no ResourceQuota anywhere nothing is charged; every write
    // went through the lookups and a sorted list to find none.
    if (!api.reference && api.count("ResourceQuota") === 0) return;
    const r = api.resource(api.keyOf(obj));
    if (!r.namespaced) return;
    const quotas = api.list("ResourceQuota", { namespace: ns });
    if (quotas.length === 0) return;
    // Pods' resources cannot change after creation in v1.32 (in-place resize is alpha): updates cost nothing.
    if (op === "UPDATE" && r.kind === "Pod" && !r.crd) return;
    const ev = evaluatorFor(r);
    const now = api.clock.now();
    // admission.NewForbidden names the object by its name (extractResourceName). ResourceQuota is a
    // validating plugin: it runs after the registry's BeforeCreate generated the name, so a pod a
    // ReplicaSet creates is named in full (`pods "app-569d8b5968-x7z4r" is forbidden: exceeded
    // quota: …`, as the quota page's Deployment shows), where a mutating plugin sees only its generateName.
    const name = obj.metadata.name || obj.metadata.generateName || "Unknown";
    const resource = groupResource(attrs.resource);
    // Quotas that cover the object, with the resources they charge it for.
    const interesting: Array<{ quota: KObject; restricted: string[] }> = [];
    for (const quota of quotas) {
      const restricted = chargedResources(quota, r, obj);
      if (restricted.length === 0) continue;
      const err = ev.constraints?.(restricted, obj);
      if (err) throw forbidden(resource, name, `failed quota: ${quota.metadata.name}: ${err}`);
      const used = quota.status?.used ?? {};
      const unknown = restricted.filter((x) => !(x in used));
      if (unknown.length) throw forbidden(resource, name, `status unknown for quota: ${quota.metadata.name}, resource: ${[...restricted].sort().join(",")}`);
      interesting.push({ quota, restricted });
    }
    if (interesting.length === 0) return;
    let delta: ResourceList = ev.usage(obj, now);
    if (op === "UPDATE" && old) delta = subtract(delta, ev.usage(old, now));
    const updates: Array<{ quota: KObject; used: ResourceList }> = [];
    for (const { quota } of interesting) {
      const hard = toList(quota.status?.hard);
      const used = toList(quota.status?.used);
      const requested = mask(delta, hard.keys());
      if ([...requested.values()].every((v) => v.isZero())) continue;
      const newUsage = add(used, requested);
      const over = exceeded(mask(newUsage, requested.keys()), hard);
      if (over.length) {
        throw forbidden(
          resource,
          name,
          `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(mask(requested, over))}, used: ${prettyPrint(mask(used, over))}, limited: ${prettyPrint(mask(hard, over))}`,
        );
      }
      updates.push({ quota, used: newUsage });
    }
    if (attrs.dryRun) return;
    for (const u of updates) {
      api.mutate("ResourceQuota", ns, u.quota.metadata.name!, (q) => {
        q.status = { ...(q.status ?? {}), used: fromList(mask(u.used, Object.keys(q.status?.hard ?? {}))) };
      }, { subresource: "status" });
    }
  },
};
