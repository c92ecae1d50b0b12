/**
 * The pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go, policy/v1 Eviction):
 * a deletion that honours PodDisruptionBudgets. A pod that is Pending, terminal or already being
 * deleted is deleted without consulting budgets; otherwise the one budget whose selector matches
 * the pod must allow a disruption (status.disruptionsAllowed > 0), which the eviction spends
 * (disruptedPods records the pod); else the request fails with 429 TooManyRequests "Cannot evict
 * pod as it would violate the pod's disruption budget.". An evicted pod gets the condition
 * DisruptionTarget (EvictionByEvictionAPI, "Eviction API: evicting") before its graceful deletion.
 */
import { ApiError, newForbidden } from "./errors.ts";
import { labelSelectorMatches } from "./labels.ts";
import type { ApiServer } from "./store.ts";
import type { KObject } from "./types.ts";
import { isPodReady, isPodTerminal } from "./pod/util.ts";
import type { Condition, PodCondition } from "./types.gen.ts";

export interface EvictionOptions {
  /** DeleteOptions.gracePeriodSeconds; undefined uses the pod's own. */
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

function canIgnorePDB(pod: KObject): boolean {
  return isPodTerminal(pod) || pod.status?.phase === "Pending" || !!pod.metadata.deletionTimestamp;
}

export function evictPod(api: ApiServer, namespace: string, name: string, opts: EvictionOptions = {}): KObject {
  const pod = api.getOrThrow("Pod", namespace, name);
  if (!canIgnorePDB(pod)) {
    const pdbs = api.list("PodDisruptionBudget", { namespace }).filter((b) => labelSelectorMatches(b.spec?.selector, pod.metadata.labels));
    if (pdbs.length > 1) {
      throw new ApiError("InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
    }
    const pdb = pdbs[0];
    if (pdb) {
      const st = pdb.status ?? {};
      // A pod that is not healthy may go when the budget is met anyway (unhealthyPodEvictionPolicy IfHealthyBudget).
      const unhealthyOk = !isPodReady(pod) && (st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (pdb.status?.observedGeneration ?? 0) >= (pdb.metadata.generation ?? 1);
      const alwaysAllow = !isPodReady(pod) && pdb.spec?.unhealthyPodEvictionPolicy === "AlwaysAllow";
      if (!unhealthyOk && !alwaysAllow) {
        const pdbName = pdb.metadata.name!;
        if ((pdb.status?.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)) throw tooManyRequests(`The disruption budget ${pdbName} is still being processed by the server.`, 10);
        if ((st.disruptionsAllowed ?? 0) < 0) throw newForbidden({ plural: "poddisruptionbudget", group: "policy" }, pdbName, "pdb disruptions allowed is negative");
        if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
          throw newForbidden({ plural: "poddisruptionbudget", group: "policy" }, pdbName, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if ((st.disruptionsAllowed ?? 0) === 0) {
          throw tooManyRequests(`The disruption budget ${pdbName} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`, 0);
        }
        if (!opts.dryRun) {
          const now = api.clock.nowRFC3339();
          api.mutate("PodDisruptionBudget", namespace, pdbName, (b) => {
            b.status.disruptionsAllowed = (b.status.disruptionsAllowed ?? 0) - 1;
            if (b.status.disruptionsAllowed === 0) updateDisruptionAllowedCondition(b, now);
            b.status.disruptedPods = { ...(b.status.disruptedPods ?? {}), [name]: now };
          }, { subresource: "status" });
        }
      }
    }
  }
  if (opts.dryRun) return pod;
  if (!pod.metadata.deletionTimestamp && pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed") {
    const now = api.clock.nowRFC3339();
    api.mutate("Pod", namespace, name, (p) => {
      const conds = (p.status.conditions ?? []).filter((c: PodCondition) => c.type !== "DisruptionTarget");
      conds.push({ lastProbeTime: null, lastTransitionTime: now, message: "Eviction API: evicting", reason: "EvictionByEvictionAPI", status: "True", type: "DisruptionTarget" });
      p.status.conditions = conds;
    }, { subresource: "status" });
  }
  return api.delete("Pod", namespace, name, { gracePeriodSeconds: opts.gracePeriodSeconds });
}

/** policy/v1's MaxDisruptedPodSize: evictions approved but not yet seen by the disruption controller. */
const MAX_DISRUPTED_POD_SIZE = 2000;

/** errors.NewTooManyRequests with the DisruptionBudget cause the eviction subresource adds. */
function tooManyRequests(cause: string, retryAfterSeconds: number): ApiError {
  return new ApiError("TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", {
    kind: "",
    name: "",
    causes: [{ field: "", detail: cause, reason: "DisruptionBudget" }],
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  });
}

/** component-helpers' UpdateDisruptionAllowedCondition once no disruption is left. */
function updateDisruptionAllowedCondition(pdb: KObject, now: string): void {
  const all: Condition[] = pdb.status.conditions ?? [];
  const conds = all.filter((c) => c.type !== "DisruptionAllowed");
  const old = all.find((c) => c.type === "DisruptionAllowed");
  const cond = { lastTransitionTime: old?.status === "False" ? old.lastTransitionTime : now, message: "", observedGeneration: pdb.metadata.generation, reason: "InsufficientPods", status: "False", type: "DisruptionAllowed" };
  pdb.status.conditions = [...conds, cond];
}
