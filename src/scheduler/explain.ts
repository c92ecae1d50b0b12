/**
 * Scheduling explanations for people: why a pod is where it is, or why it is still Pending,
 * read from the scheduler's last attempt (`Scheduler.attemptOf`: the results keyed as
 * kube-scheduler-simulator's filter/score annotations, which are also read from the pod when a
 * cluster writes them) and the PodScheduled condition. Pure functions of the pod and the attempt.
 */
import { podCondition } from "../api/pod/util.ts";
import type { KObject } from "../api/types.ts";
import type { ClusterView } from "../api/reader.ts";
import type { ClusterContext } from "../context.ts";
import { FILTER_RESULT, FINAL_SCORE_RESULT, SELECTED_NODE, schedulerOf } from "./scheduler.ts";

/** The last attempt's results, keyed as the simulator's annotations (Scheduler.attemptOf). */
export type Attempt = Readonly<Record<string, string>>;

/**
 * The last attempt for a pod as a view can tell it: a live view asks the facade; the simulation's
 * context asks its scheduler; else (a real cluster running kube-scheduler-simulator) the pod's own
 * annotations, if any.
 */
export function attemptIn(view: ClusterView | ClusterContext, pod: KObject | undefined): Attempt | undefined {
  if (!pod) return undefined;
  if ("schedulingAttempt" in view && typeof view.schedulingAttempt === "function") return view.schedulingAttempt(pod);
  if ("services" in view) return schedulerOf(view)?.attemptOf(pod) ?? pod.metadata.annotations;
  return pod.metadata.annotations;
}

export interface NodeReason {
  node: string;
  reason: string;
}

/** Per node: the reason the first rejecting filter gave, or "fits" when every filter passed. */
export function nodeReasons(pod: KObject, attempt: Attempt | undefined = pod.metadata.annotations): NodeReason[] {
  const raw = attempt?.[FILTER_RESULT];
  if (!raw) return [];
  const result = JSON.parse(raw) as Record<string, Record<string, string>>;
  return Object.keys(result)
    .sort()
    .map((node) => {
      const failed = Object.values(result[node]).find((v) => v !== "passed");
      return { node, reason: failed ?? "fits" };
    });
}

/** The total score of each node in the last attempt (Σ normalized score × weight). */
export function nodeTotals(pod: KObject, attempt: Attempt | undefined = pod.metadata.annotations): Record<string, number> {
  const raw = attempt?.[FINAL_SCORE_RESULT];
  if (!raw) return {};
  const result = JSON.parse(raw) as Record<string, Record<string, string>>;
  const out: Record<string, number> = {};
  for (const [node, plugins] of Object.entries(result)) out[node] = Object.values(plugins).reduce((s, v) => s + Number(v), 0);
  return out;
}

/** A readable text: the outcome, the scheduler's message and a node / reason table. */
export function explainScheduling(pod: KObject | undefined, name: string, attempt: Attempt | undefined = pod?.metadata.annotations): string {
  if (!pod) return `pod "${name}" does not exist`;
  const lines: string[] = [];
  const cond = podCondition(pod, "PodScheduled");
  if (pod.spec?.nodeName) lines.push(`pod "${name}" is scheduled on node "${pod.spec.nodeName}"`);
  else if (cond?.status === "False") lines.push(`pod "${name}" is not scheduled: ${cond.reason}: ${cond.message}`);
  else lines.push(`pod "${name}" is not scheduled (the scheduler has not tried it yet)`);
  const reasons = nodeReasons(pod, attempt);
  const totals = nodeTotals(pod, attempt);
  if (reasons.length) {
    const w = Math.max(4, ...reasons.map((r) => r.node.length));
    lines.push("", `| ${"node".padEnd(w)} | reason`);
    for (const r of reasons) {
      const score = totals[r.node] !== undefined ? ` (score ${totals[r.node]})` : "";
      lines.push(`| ${r.node.padEnd(w)} | ${r.reason}${score}`);
    }
    const selected = attempt?.[SELECTED_NODE];
    if (selected) lines.push("", `selected: ${selected}`);
  }
  return lines.join("\n");
}

/**
 * Compares the expected `| node | reason |` rows with the last attempt. Returns undefined when
 * they agree, else a message. A reason matches when it equals the recorded one.
 */
export function checkPendingReasons(pod: KObject | undefined, name: string, expected: NodeReason[], attempt: Attempt | undefined = pod?.metadata.annotations): string | undefined {
  if (!pod) return `pod "${name}" does not exist`;
  if (pod.spec?.nodeName) return `pod "${name}" is not pending: it is scheduled on node "${pod.spec.nodeName}"\n\n${explainScheduling(pod, name, attempt)}`;
  const actual = new Map(nodeReasons(pod, attempt).map((r) => [r.node, r.reason]));
  if (actual.size === 0) return `pod "${name}" has no recorded scheduling attempt\n\n${explainScheduling(pod, name, attempt)}`;
  const problems: string[] = [];
  for (const e of expected) {
    const a = actual.get(e.node);
    if (a === undefined) problems.push(`node "${e.node}": not evaluated`);
    else if (a !== e.reason) problems.push(`node "${e.node}": expected "${e.reason}", got "${a}"`);
  }
  for (const node of actual.keys()) if (!expected.some((e) => e.node === node)) problems.push(`node "${node}": not in the table (reason "${actual.get(node)}")`);
  return problems.length ? `${problems.join("\n")}\n\n${explainScheduling(pod, name, attempt)}` : undefined;
}
