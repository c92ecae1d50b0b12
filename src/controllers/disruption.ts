/**
 * The disruption controller (pkg/controller/disruption/disruption.go): keeps each
 * PodDisruptionBudget's status: expectedPods, currentHealthy (matching pods that are Ready and not
 * being deleted), desiredHealthy (minAvailable, or expected − maxUnavailable; percentages of the
 * expected count, rounded up), disruptionsAllowed, the DisruptionAllowed condition
 * (SufficientPods / InsufficientPods) and disruptedPods, whose entries expire after 2 minutes or
 * once the pod is gone. Expected pods are counted from the matching pods' controllers' replicas
 * when the budget uses a percentage or maxUnavailable, else from the matching pods.
 */
import type { ClusterContext, Component } from "../context.ts";
import { jsonEqual, type KObject } from "../api/types.ts";
import type { Condition, PodDisruptionBudgetStatus } from "../api/types.gen.ts";
import { Controller } from "./controller.ts";
import { splitKey } from "./queue.ts";
import { scaledValue } from "./deploymentutil.ts";
import { controllerRef } from "./util/pod.ts";
import { isPodReady } from "../api/pod/util.ts";
import { selectorMatches } from "./util/selector.ts";

const DELETION_TIMEOUT_MS = 2 * 60_000;

export class DisruptionController extends Controller {
  readonly name = "disruption-controller";

  start(): void {
    this.watch("PodDisruptionBudget", (ev) => {
      if (ev.type !== "DELETED") this.enqueue(ev.object);
    });
    this.watch("Pod", (ev) => {
      const labels = ev.object.metadata.labels;
      for (const pdb of this.ctx.api.list("PodDisruptionBudget", { namespace: ev.object.metadata.namespace })) {
        if (selectorMatches(pdb.spec?.selector, labels) || selectorMatches(pdb.spec?.selector, ev.old?.metadata.labels)) this.enqueue(pdb);
      }
    });
  }

  protected override syncHandler(key: string): void {
    this.sync(key);
  }

  /** The replicas the pods' controllers want (getExpectedScale), or the pod count. */
  private expectedCount(pdb: KObject, pods: KObject[]): number {
    const usesScale = pdb.spec?.maxUnavailable !== undefined || typeof pdb.spec?.minAvailable === "string";
    if (!usesScale) return pods.length;
    const seen = new Set<string>();
    let expected = 0;
    for (const p of pods) {
      const ref = controllerRef(p);
      if (!ref) return pods.length;
      if (seen.has(ref.uid)) continue;
      seen.add(ref.uid);
      let owner = this.ctx.api.get(ref.kind, p.metadata.namespace, ref.name);
      // A Deployment's ReplicaSet: the Deployment's scale counts.
      const up = owner ? controllerRef(owner) : undefined;
      if (owner && up?.kind === "Deployment") owner = this.ctx.api.get("Deployment", p.metadata.namespace, up.name) ?? owner;
      if (!owner) return pods.length;
      expected += owner.spec?.replicas ?? 1;
    }
    return expected;
  }

  /** trySync: the budget's status from its pods. */
  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const api = this.ctx.api;
    const pdb = api.get("PodDisruptionBudget", ns, name);
    if (!pdb) return;
    const now = this.ctx.clock.now();
    const pods = api.list("Pod", { namespace: ns }).filter((p) => selectorMatches(pdb.spec?.selector, p.metadata.labels));
    const expected = this.expectedCount(pdb, pods);
    // disruptedPods: evicted pods still around, for at most two minutes.
    const disrupted: Record<string, string> = {};
    let recheck = Infinity;
    for (const [podName, at] of Object.entries<string>(pdb.status?.disruptedPods ?? {})) {
      const p = pods.find((x) => x.metadata.name === podName);
      if (!p || p.metadata.deletionTimestamp) continue;
      const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
      if (expires <= now) continue;
      disrupted[podName] = at;
      recheck = Math.min(recheck, expires - now);
    }
    const healthy = pods.filter((p) => !p.metadata.deletionTimestamp && !disrupted[p.metadata.name!] && isPodReady(p)).length;
    let desired: number;
    if (pdb.spec?.maxUnavailable !== undefined) desired = Math.max(0, expected - scaledValue(pdb.spec.maxUnavailable, expected, true));
    else desired = scaledValue(pdb.spec?.minAvailable ?? 1, expected, true);
    const allowed = Math.max(0, healthy - desired);
    const nowText = this.ctx.clock.nowRFC3339();
    const prev = (pdb.status?.conditions ?? []).find((c: Condition) => c.type === "DisruptionAllowed");
    const cStatus = allowed > 0 ? "True" : "False";
    const reason = allowed > 0 ? "SufficientPods" : "InsufficientPods";
    const condition = prev && prev.status === cStatus && prev.reason === reason
      ? prev
      : { lastTransitionTime: nowText, message: "", observedGeneration: pdb.metadata.generation, reason, status: cStatus, type: "DisruptionAllowed" };
    const status: PodDisruptionBudgetStatus = {
      conditions: [{ ...condition, observedGeneration: pdb.metadata.generation }],
      currentHealthy: healthy,
      desiredHealthy: desired,
      ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
      disruptionsAllowed: allowed,
      expectedPods: expected,
      observedGeneration: pdb.metadata.generation,
    };
    if (!jsonEqual(status, pdb.status ?? {})) {
      api.mutate("PodDisruptionBudget", ns, name, (b) => (b.status = status), { subresource: "status" });
    }
    if (Number.isFinite(recheck)) this.queue.addAfter(key, recheck);
  }
}

export function disruptionController(ctx: ClusterContext): Component {
  return new DisruptionController(ctx);
}
