/** pkg/scheduler/framework/plugins/helper: DefaultNormalizeScore (toleration matching is src/api/helper/toleration.ts). */
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
