/**
 * Toleration matching, where upstream keeps it beside the API types: Toleration.ToleratesTaint
 * (staging/src/k8s.io/api/core/v1/toleration.go), TolerationsTolerateTaint
 * (pkg/apis/core/v1/helper/helpers.go) and FindMatchingUntoleratedTaint
 * (staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go). The scheduler's
 * TaintToleration plugin, the taint-eviction controller and the DaemonSet controller share them.
 */
import type { Taint, Toleration } from "../types.gen.ts";

/** The part of a taint a toleration is matched against (the unschedulable taint has no value). */
export type TaintLike = Pick<Taint, "key" | "effect" | "value">;

/** Toleration.ToleratesTaint: same effect (or none), same key (or none), and Equal values or Exists. */
export function toleratesTaint(t: Toleration, taint: TaintLike): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? "") {
    case "":
    case "Equal":
      return (t.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

/** TolerationsTolerateTaint: some toleration tolerates the taint. */
export function tolerationsTolerateTaint(tolerations: Toleration[] | undefined, taint: TaintLike): boolean {
  for (const t of tolerations ?? []) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** FindMatchingUntoleratedTaint: the first taint passing `filter` that no toleration tolerates. */
export function findMatchingUntoleratedTaint<T extends TaintLike>(taints: T[], tolerations: Toleration[] | undefined, filter: (t: T) => boolean): T | undefined {
  for (const taint of taints) {
    if (!filter(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}
