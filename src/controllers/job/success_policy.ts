/**
 * The Job's successPolicy (pkg/controller/job/success_policy.go, v1.32; Indexed Jobs only): the
 * first rule met by the succeeded indexes — all of `succeededIndexes`, at least `succeededCount`
 * of them, or `succeededCount` indexes anywhere — declares the Job succeeded with the condition
 * SuccessCriteriaMet, reason SuccessPolicy, message `Matched rules at index <i>`.
 */
import { parseIndexesFromString, type OrderedIntervals } from "./indexed_job_utils.ts";

export interface SuccessPolicy {
  rules?: Array<{ succeededIndexes?: string; succeededCount?: number }>;
}

/** matchSuccessPolicy: the message of the first rule met, or undefined. */
export function matchSuccessPolicy(policy: SuccessPolicy | undefined | null, completions: number, succeeded: OrderedIntervals): string | undefined {
  if (!policy || succeeded.list.length === 0) return undefined;
  const rules = policy.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const required = parseIndexesFromString(rule.succeededIndexes, completions);
      if (required.list.length === 0) continue;
      if (matchSucceededIndexesRule(required, succeeded, rule.succeededCount)) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && rule.succeededCount !== null && succeeded.total() >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}

/** matchSucceededIndexesRule: how many required indexes succeeded, against all of them or the count. */
export function matchSucceededIndexesRule(required: OrderedIntervals, succeeded: OrderedIntervals, succeededCount?: number): boolean {
  let contains = 0;
  let s = 0;
  let r = 0;
  const rl = required.list;
  const sl = succeeded.list;
  while (r < rl.length && s < sl.length) {
    const overlap = Math.min(rl[r].last, sl[s].last) - Math.max(rl[r].first, sl[s].first) + 1;
    if (overlap > 0) contains += overlap;
    if (sl[s].last < rl[r].last) s++;
    else if (sl[s].last > rl[r].last) r++;
    else {
      s++;
      r++;
    }
  }
  return contains === required.total() || (succeededCount !== undefined && succeededCount !== null && contains >= succeededCount);
}
