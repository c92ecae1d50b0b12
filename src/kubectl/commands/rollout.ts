/**
 * `kubectl rollout status|history|undo` for Deployments (k8s.io/kubectl/pkg/cmd/rollout and
 * pkg/polymorphichelpers: DeploymentStatusViewer, DeploymentHistoryViewer, DeploymentRollbacker).
 * `status` watches the Deployment: in the simulation the clock runs forward while it waits, and
 * each new status line is printed once (kubectl prints one per watch event, so a real terminal
 * may repeat a line).
 */
import { ApiError } from "../../api/errors.ts";
import type { ResourceType } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import { CHANGE_CAUSE_ANNOTATION, equalIgnoreHash, POD_TEMPLATE_HASH_LABEL, revisionOf } from "../../controllers/deploymentutil.ts";
import { controllerRef } from "../../controllers/util/pod.ts";
import { goDuration } from "../../sim/duration.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { fetch, selectionsFromArgs } from "./builder.ts";
import { waitUntil } from "./wait.ts";

/** The longest a `rollout status` without --timeout waits in simulated time. */
const MAX_WAIT_MS = 60 * 60_000;

/** Parses a Go duration flag value (`0`, `90s`, `1m30s`, `2h`). */
export function parseGoDurationFlag(text: string, flag: string): number {
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let ms = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms"]!;
  }
  if (consumed !== text.length || text.length === 0) {
    throw new KubectlError(`invalid argument ${JSON.stringify(text)} for "${flag}" flag: time: invalid duration ${JSON.stringify(text)}`);
  }
  return ms;
}

function qualified(r: ResourceType, name: string): string {
  return `${r.singular}${r.group ? "." + r.group : ""}/${name}`;
}

/** One Deployment named by the arguments (TYPE NAME or TYPE/NAME). */
function oneDeployment(inv: Invocation, verb: string): { r: ResourceType; obj: KObject } {
  if (inv.args.length === 0) throw new KubectlError(`required resource not specified`);
  const sel = selectionsFromArgs(inv.ctx.api.registry, inv.args);
  const res = fetch(inv, sel, { namespace: inv.namespace });
  if (res.errors.length) throw res.errors[0];
  if (res.items.length === 0) throw new KubectlError(`required resource not specified`);
  const { r, obj } = res.items[0];
  if (r.kind !== "Deployment") throw new KubectlError(`no ${verb} has been implemented for ${JSON.stringify(`${r.group ? r.group + "/" : ""}${r.version}, Kind=${r.kind}`)}`);
  return { r, obj };
}

/** DeploymentStatusViewer.Status: the line to print and whether the rollout is done. */
export function deploymentRolloutStatus(d: KObject, revision = 0, replicaSets: KObject[] = []): { text: string; done: boolean } {
  const name = d.metadata.name;
  if (revision > 0) {
    const current = revisionOf(d);
    if (current !== revision) throw new KubectlError(`desired revision (${revision}) is different from the running revision (${current})`);
  }
  void replicaSets;
  if ((d.metadata.generation ?? 0) <= (d.status?.observedGeneration ?? 0)) {
    const progressing = (d.status?.conditions ?? []).find((c: any) => c.type === "Progressing");
    if (progressing?.reason === "ProgressDeadlineExceeded") throw new KubectlError(`deployment ${JSON.stringify(name)} exceeded its progress deadline`);
    const replicas = d.spec?.replicas ?? 1;
    const st = d.status ?? {};
    const updated = st.updatedReplicas ?? 0;
    if (updated < replicas) return { text: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`, done: false };
    if ((st.replicas ?? 0) > updated) return { text: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...`, done: false };
    if ((st.availableReplicas ?? 0) < updated) return { text: `Waiting for deployment ${JSON.stringify(name)} rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...`, done: false };
    return { text: `deployment ${JSON.stringify(name)} successfully rolled out`, done: true };
  }
  return { text: "Waiting for deployment spec update to be observed...", done: false };
}

function runStatus(inv: Invocation): number {
  const { obj } = oneDeployment(inv, "status viewer");
  const ns = obj.metadata.namespace;
  const name = obj.metadata.name!;
  const revision = Number(inv.flags.revision ?? 0);
  const timeout = parseGoDurationFlag(String(inv.flags.timeout ?? "0s"), "--timeout");
  const read = () => {
    const d = inv.ctx.api.get("Deployment", ns, name);
    if (!d) throw new ApiError("NotFound", `deployments.apps ${JSON.stringify(name)} not found`);
    return deploymentRolloutStatus(d, revision);
  };
  let last = read();
  inv.out(last.text);
  if (last.done || inv.flags.watch === false) return 0;
  const ok = waitUntil(inv.ctx, () => {
    const now = read();
    if (now.text !== last.text) {
      inv.out(now.text);
      last = now;
    }
    return now.done;
  }, timeout > 0 ? timeout : MAX_WAIT_MS);
  if (!ok) {
    if (timeout > 0) throw new KubectlError("timed out waiting for the condition");
    throw new KubectlError(`the rollout did not finish within ${goDuration(MAX_WAIT_MS)} of simulated time (kubectl would keep waiting)`);
  }
  return 0;
}

/** The Deployment's ReplicaSets by revision (deploymentutil.GetAllReplicaSets + revisions). */
function replicaSetsByRevision(inv: Invocation, d: KObject): Map<number, KObject> {
  const out = new Map<number, KObject>();
  for (const rs of inv.ctx.api.list("ReplicaSet", { namespace: d.metadata.namespace })) {
    if (controllerRef(rs)?.uid !== d.metadata.uid) continue;
    const rev = revisionOf(rs);
    out.set(rev, rs);
  }
  return out;
}

function runHistory(inv: Invocation): number {
  const { r, obj } = oneDeployment(inv, "history viewer");
  const byRev = replicaSetsByRevision(inv, obj);
  const revision = Number(inv.flags.revision ?? 0);
  const head = qualified(r, obj.metadata.name!);
  if (byRev.size === 0) {
    inv.out(`${head} \nNo rollout history found.`);
    return 0;
  }
  if (revision > 0) {
    const rs = byRev.get(revision);
    if (!rs) throw new KubectlError(`unable to find the specified revision`);
    const t = rs.spec.template;
    const labels = Object.entries(t.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    const lines = [`${head} with revision #${revision}`, "Pod Template:", `  Labels:\t${labels.join("\n\t")}`];
    const cause = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    if (cause) lines.push(`  Annotations:\t${CHANGE_CAUSE_ANNOTATION}: ${cause}`);
    lines.push("  Containers:");
    for (const c of t.spec?.containers ?? []) lines.push(`   ${c.name}:`, `    Image:\t${c.image}`);
    inv.out(lines.join("\n").replace(/\t/g, "      "));
    return 0;
  }
  const revs = [...byRev.keys()].sort((a, b) => a - b);
  const width = Math.max("REVISION".length, ...revs.map((x) => String(x).length)) + 2;
  const rows = ["REVISION".padEnd(width) + "CHANGE-CAUSE"];
  for (const rev of revs) rows.push(String(rev).padEnd(width) + (byRev.get(rev)!.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] || "<none>"));
  inv.out(`${head} \n${rows.join("\n")}\n\n`);
  return 0;
}

function runUndo(inv: Invocation): number {
  const { r, obj } = oneDeployment(inv, "rollbacker");
  const toRevision = Number(inv.flags["to-revision"] ?? 0);
  const byRev = replicaSetsByRevision(inv, obj);
  const name = obj.metadata.name!;
  if (byRev.size === 0) throw new KubectlError(`no rollout history found for deployment ${JSON.stringify(name)}`);
  let target: KObject | undefined;
  if (toRevision === 0) {
    const revs = [...byRev.keys()].sort((a, b) => b - a);
    if (revs.length < 2) throw new KubectlError(`no rollout history found for deployment ${JSON.stringify(name)}`);
    target = byRev.get(revs[1]);
  } else {
    target = byRev.get(toRevision);
    if (!target) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  }
  const rev = revisionOf(target!);
  if (equalIgnoreHash(target!.spec.template, obj.spec.template)) {
    inv.out(`${qualified(r, name)} skipped rollback (current template already matches revision ${rev})`);
    return 0;
  }
  if (inv.flags["dry-run"] && inv.flags["dry-run"] !== "none") {
    inv.out(`${qualified(r, name)} Pod Template:`);
    return 0;
  }
  inv.ctx.api.mutate("Deployment", obj.metadata.namespace, name, (d) => {
    const t = structuredClone(target!.spec.template);
    if (t.metadata?.labels) delete t.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    d.spec.template = t;
    // The rollbacker copies the ReplicaSet's annotations that describe the rollout (change-cause).
    const cause = target!.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    const ann = { ...(d.metadata.annotations ?? {}) };
    if (cause) ann[CHANGE_CAUSE_ANNOTATION] = cause;
    else delete ann[CHANGE_CAUSE_ANNOTATION];
    d.metadata.annotations = ann;
  });
  inv.out(`${qualified(r, name)} rolled back`);
  return 0;
}

export const rolloutStatusCommand: CommandDef = {
  path: ["rollout", "status"],
  flags: [
    { long: "watch", short: "w", type: "bool", default: true },
    { long: "revision", type: "int", default: 0 },
    { long: "timeout", type: "string", default: "0s" },
    { long: "filename", short: "f", type: "stringArray" },
  ],
  run: runStatus,
};

export const rolloutHistoryCommand: CommandDef = {
  path: ["rollout", "history"],
  flags: [{ long: "revision", type: "int", default: 0 }, { long: "output", short: "o", type: "string" }],
  run: runHistory,
};

export const rolloutUndoCommand: CommandDef = {
  path: ["rollout", "undo"],
  flags: [{ long: "to-revision", type: "int", default: 0 }, { long: "dry-run", type: "string", default: "none" }],
  run: runUndo,
};
