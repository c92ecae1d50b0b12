/** pkg/scheduler/framework/plugins/helper: DefaultNormalizeScore and taint/toleration helpers. */
import { MAX_NODE_SCORE } from "../types.ts";

/**
 * Scales scores to 0..maxPriority against the highest one (integer division); with `reverse`,
 * maxPriority − score. All-zero scores become maxPriority when reversed.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: number[]): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * scores[i]) / max);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}

export const normalize = (scores: number[], reverse = false) => defaultNormalizeScore(MAX_NODE_SCORE, reverse, scores);

/** core/v1 Toleration.ToleratesTaint. */
export function toleratesTaint(t: any, taint: any): boolean {
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

export function tolerationsTolerateTaint(tolerations: any[] | undefined, taint: any): boolean {
  for (const t of tolerations ?? []) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** v1helper.FindMatchingUntoleratedTaint: the first taint passing `filter` that no toleration tolerates. */
export function findMatchingUntoleratedTaint(taints: any[], tolerations: any[] | undefined, filter: (t: any) => boolean): any | undefined {
  for (const taint of taints) {
    if (!filter(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}
