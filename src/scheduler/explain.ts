/**
 * Scheduling explanations for people: why a pod is where it is, or why it is still Pending,
 * read from what the scheduler recorded on the pod (the simulator's filter/score annotations and
 * the PodScheduled condition). Pure functions of the pod object.
 */
import { podCondition } from "../api/pod/util.ts";
import type { KObject } from "../api/types.ts";
import { FILTER_RESULT, FINAL_SCORE_RESULT, SELECTED_NODE } from "./scheduler.ts";

export interface NodeReason {
  node: string;
  reason: string;
}

/** Per node: the reason the first rejecting filter gave, or "fits" when every filter passed. */
export function nodeReasons(pod: KObject): NodeReason[] {
  const raw = pod.metadata.annotations?.[FILTER_RESULT];
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
export function nodeTotals(pod: KObject): Record<string, number> {
  const raw = pod.metadata.annotations?.[FINAL_SCORE_RESULT];
  if (!raw) return {};
  const result = JSON.parse(raw) as Record<string, Record<string, string>>;
  const out: Record<string, number> = {};
  for (const [node, plugins] of Object.entries(result)) out[node] = Object.values(plugins).reduce((s, v) => s + Number(v), 0);
  return out;
}

/** A readable text: the outcome, the scheduler's message and a node / reason table. */
export function explainScheduling(pod: KObject | undefined, name: string): string {
  if (!pod) return `pod "${name}" does not exist`;
  const lines: string[] = [];
  const cond = podCondition(pod, "PodScheduled");
  if (pod.spec?.nodeName) lines.push(`pod "${name}" is scheduled on node "${pod.spec.nodeName}"`);
  else if (cond?.status === "False") lines.push(`pod "${name}" is not scheduled: ${cond.reason}: ${cond.message}`);
  else lines.push(`pod "${name}" is not scheduled (the scheduler has not tried it yet)`);
  const reasons = nodeReasons(pod);
  const totals = nodeTotals(pod);
  if (reasons.length) {
    const w = Math.max(4, ...reasons.map((r) => r.node.length));
    lines.push("", `| ${"node".padEnd(w)} | reason`);
    for (const r of reasons) {
      const score = totals[r.node] !== undefined ? ` (score ${totals[r.node]})` : "";
      lines.push(`| ${r.node.padEnd(w)} | ${r.reason}${score}`);
    }
    const selected = pod.metadata.annotations?.[SELECTED_NODE];
    if (selected) lines.push("", `selected: ${selected}`);
  }
  return lines.join("\n");
}

/**
 * Compares the expected `| node | reason |` rows with the last attempt. Returns undefined when
 * they agree, else a message. A reason matches when it equals the recorded one.
 */
export function checkPendingReasons(pod: KObject | undefined, name: string, expected: NodeReason[]): string | undefined {
  if (!pod) return `pod "${name}" does not exist`;
  if (pod.spec?.nodeName) return `pod "${name}" is not pending: it is scheduled on node "${pod.spec.nodeName}"\n\n${explainScheduling(pod, name)}`;
  const actual = new Map(nodeReasons(pod).map((r) => [r.node, r.reason]));
  if (actual.size === 0) return `pod "${name}" has no recorded scheduling attempt\n\n${explainScheduling(pod, name)}`;
  const problems: string[] = [];
  for (const e of expected) {
    const a = actual.get(e.node);
    if (a === undefined) problems.push(`node "${e.node}": not evaluated`);
    else if (a !== e.reason) problems.push(`node "${e.node}": expected "${e.reason}", got "${a}"`);
  }
  for (const node of actual.keys()) if (!expected.some((e) => e.node === node)) problems.push(`node "${node}": not in the table (reason "${actual.get(node)}")`);
  return problems.length ? `${problems.join("\n")}\n\n${explainScheduling(pod, name)}` : undefined;
}
