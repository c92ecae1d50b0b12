/**
 * `kubectl rollout status|history|undo` for Deployments, DaemonSets and StatefulSets
 * (k8s.io/kubectl/pkg/cmd/rollout and pkg/polymorphichelpers: the Deployment/DaemonSet/StatefulSet
 * StatusViewers, HistoryViewers and Rollbackers; the latter two read ControllerRevisions).
 * `status` watches the object: in the simulation the clock runs forward while it waits, and
 * each new status line is printed once (kubectl prints one per watch event, so a real terminal
 * may repeat a line).
 */
import { ApiError } from "../../api/errors.ts";
import type { ResourceType } from "../../api/resources.ts";
import { jsonEqual, type KObject } from "../../api/types.ts";
import type { DeploymentCondition, PodTemplateSpec } from "../../api/types.gen.ts";
import { CHANGE_CAUSE_ANNOTATION, equalIgnoreHash, POD_TEMPLATE_HASH_LABEL, revisionOf } from "../../controllers/deploymentutil.ts";
import { controllerRef } from "../../controllers/util/pod.ts";
import { goDuration } from "../../sim/duration.ts";
import { KubectlError, serverWarnings, type CommandDef, type Invocation } from "../command.ts";
import { describePodTemplateText } from "../printers/describe.ts";
import { fetch, selectionsFromArgs } from "./builder.ts";
import { waitUntil } from "./wait.ts";

/** The rollbackers patch without a fieldManager (rollback.go): the User-Agent's `kubectl` (as the real kubectl v1.32.4 records it through the facade). */
const UNDO_MANAGER = "kubectl";

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

const ROLLOUT_KINDS = new Set(["Deployment", "DaemonSet", "StatefulSet"]);

/** One Deployment, DaemonSet or StatefulSet named by the arguments (TYPE NAME or TYPE/NAME). */
function oneWorkload(inv: Invocation, verb: string): { r: ResourceType; obj: KObject } {
  if (inv.args.length === 0) throw new KubectlError(`required resource not specified`);
  const sel = selectionsFromArgs(inv, inv.args);
  const res = fetch(inv, sel, { namespace: inv.namespace });
  if (res.errors.length) throw res.errors[0];
  if (res.items.length === 0) throw new KubectlError(`required resource not specified`);
  const { r, obj } = res.items[0];
  if (!ROLLOUT_KINDS.has(r.kind)) throw new KubectlError(`no ${verb} has been implemented for ${JSON.stringify(`${r.group ? r.group + "/" : ""}${r.version}, Kind=${r.kind}`)}`);
  return { r, obj };
}

/** DeploymentStatusViewer.Status: the line to print and whether the rollout is done. */
export function deploymentRolloutStatus(d: KObject, revision = 0): { text: string; done: boolean } {
  const name = d.metadata.name;
  if (revision > 0) {
    const current = revisionOf(d);
    if (current !== revision) throw new KubectlError(`desired revision (${revision}) is different from the running revision (${current})`);
  }
  if ((d.metadata.generation ?? 0) <= (d.status?.observedGeneration ?? 0)) {
    const progressing = (d.status?.conditions ?? []).find((c: DeploymentCondition) => c.type === "Progressing");
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

/** DaemonSetStatusViewer.Status (RollingUpdate only). */
export function daemonSetRolloutStatus(ds: KObject): { text: string; done: boolean } {
  if ((ds.spec?.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") {
    throw new KubectlError("rollout status is only available for RollingUpdate strategy type");
  }
  const st = ds.status ?? {};
  const name = JSON.stringify(ds.metadata.name);
  if ((ds.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const desired = st.desiredNumberScheduled ?? 0;
    if ((st.updatedNumberScheduled ?? 0) < desired) {
      return { text: `Waiting for daemon set ${name} rollout to finish: ${st.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...`, done: false };
    }
    if ((st.numberAvailable ?? 0) < desired) {
      return { text: `Waiting for daemon set ${name} rollout to finish: ${st.numberAvailable ?? 0} of ${desired} updated pods are available...`, done: false };
    }
    return { text: `daemon set ${name} successfully rolled out`, done: true };
  }
  return { text: "Waiting for daemon set spec update to be observed...", done: false };
}

/** StatefulSetStatusViewer.Status (RollingUpdate only). */
export function statefulSetRolloutStatus(sts: KObject): { text: string; done: boolean } {
  const strategy = sts.spec?.updateStrategy ?? {};
  if ((strategy.type ?? "RollingUpdate") !== "RollingUpdate") {
    throw new KubectlError("rollout status is only available for RollingUpdate strategy type");
  }
  const st = sts.status ?? {};
  if (!st.observedGeneration || (sts.metadata.generation ?? 0) > st.observedGeneration) {
    return { text: "Waiting for statefulset spec update to be observed...", done: false };
  }
  const replicas: number | undefined = sts.spec?.replicas;
  if (replicas !== undefined && (st.readyReplicas ?? 0) < replicas) {
    return { text: `Waiting for ${replicas - (st.readyReplicas ?? 0)} pods to be ready...`, done: false };
  }
  if (strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (replicas !== undefined && partition !== undefined && partition !== null) {
      if ((st.updatedReplicas ?? 0) < replicas - partition) {
        return { text: `Waiting for partitioned roll out to finish: ${st.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...`, done: false };
      }
    }
    return { text: `partitioned roll out complete: ${st.updatedReplicas ?? 0} new pods have been updated...`, done: true };
  }
  if (st.updateRevision !== st.currentRevision) {
    return { text: `waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision}...`, done: false };
  }
  return { text: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...`, done: true };
}

function rolloutStatus(obj: KObject, revision: number): { text: string; done: boolean } {
  if (obj.kind === "DaemonSet") return daemonSetRolloutStatus(obj);
  if (obj.kind === "StatefulSet") return statefulSetRolloutStatus(obj);
  return deploymentRolloutStatus(obj, revision);
}

function runStatus(inv: Invocation): number {
  const { r, obj } = oneWorkload(inv, "status viewer");
  const ns = obj.metadata.namespace;
  const name = obj.metadata.name!;
  const revision = Number(inv.flags.revision ?? 0);
  const timeout = parseGoDurationFlag(String(inv.flags.timeout ?? "0s"), "--timeout");
  const read = () => {
    const o = inv.ctx.api.get(r.kind, ns, name);
    if (!o) throw new ApiError("NotFound", `${r.plural}${r.group ? "." + r.group : ""} ${JSON.stringify(name)} not found`);
    return rolloutStatus(o, revision);
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

/** One revision of a workload: its number, pod template and change-cause, and the object holding it. */
interface Revision {
  revision: number;
  template: PodTemplateSpec | undefined;
  changeCause?: string;
  source: KObject;
}

/**
 * The workload's revisions: a Deployment's ReplicaSets (deploymentutil.GetAllReplicaSets), a
 * DaemonSet's or StatefulSet's ControllerRevisions (controlledHistories); by revision number.
 */
function revisionsOf(inv: Invocation, obj: KObject): Map<number, Revision> {
  const out = new Map<number, Revision>();
  if (obj.kind === "Deployment") {
    for (const rs of inv.ctx.api.list("ReplicaSet", { namespace: obj.metadata.namespace })) {
      if (controllerRef(rs)?.uid !== obj.metadata.uid) continue;
      const rev = revisionOf(rs);
      out.set(rev, { revision: rev, template: rs.spec?.template, changeCause: rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION], source: rs });
    }
    return out;
  }
  for (const h of inv.ctx.api.list("ControllerRevision", { namespace: obj.metadata.namespace })) {
    if (controllerRef(h)?.uid !== obj.metadata.uid) continue;
    const rev = h.revision ?? 0;
    out.set(rev, { revision: rev, template: revisionTemplate(h), changeCause: h.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION], source: h });
  }
  return out;
}

/** The pod template a ControllerRevision's patch restores (`$patch: replace` dropped). */
function revisionTemplate(h: KObject): PodTemplateSpec {
  const t: PodTemplateSpec & { $patch?: string } = structuredClone(h.data?.spec?.template ?? {});
  delete t.$patch;
  return t;
}

function runHistory(inv: Invocation): number {
  const { r, obj } = oneWorkload(inv, "history viewer");
  const byRev = revisionsOf(inv, obj);
  const revision = Number(inv.flags.revision ?? 0);
  const head = qualified(r, obj.metadata.name!);
  if (byRev.size === 0) {
    inv.out(`${head} \nNo rollout history found.`);
    return 0;
  }
  if (revision > 0) {
    const rev = byRev.get(revision);
    if (!rev) throw new KubectlError(`unable to find the specified revision`);
    const template = structuredClone(rev.template ?? {});
    // A Deployment's history shows the ReplicaSet's change-cause among the template's annotations.
    if (obj.kind === "Deployment" && rev.changeCause) {
      template.metadata = { ...(template.metadata ?? {}), annotations: { ...(template.metadata?.annotations ?? {}), [CHANGE_CAUSE_ANNOTATION]: rev.changeCause } };
    }
    inv.out(`${head} with revision #${revision}\n${describePodTemplateText(template)}\n`);
    return 0;
  }
  const revs = [...byRev.keys()].sort((a, b) => a - b);
  const width = Math.max("REVISION".length, ...revs.map((x) => String(x).length)) + 2;
  const rows = ["REVISION".padEnd(width) + "CHANGE-CAUSE"];
  for (const rev of revs) rows.push(String(rev).padEnd(width) + (byRev.get(rev)!.changeCause || "<none>"));
  inv.out(`${head} \n${rows.join("\n")}\n\n`);
  return 0;
}

function runUndo(inv: Invocation): number {
  const { r, obj } = oneWorkload(inv, "rollbacker");
  if (obj.kind === "Deployment") return undoDeployment(inv, r, obj);
  const toRevision = Number(inv.flags["to-revision"] ?? 0);
  const name = obj.metadata.name!;
  if (toRevision < 0) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  const byRev = revisionsOf(inv, obj);
  if (toRevision === 0 && byRev.size <= 1) throw new KubectlError("no last revision to roll back to");
  let target: Revision | undefined;
  if (toRevision === 0) {
    const revs = [...byRev.keys()].sort((a, b) => a - b);
    target = byRev.get(revs[revs.length - 2]);
  } else target = byRev.get(toRevision);
  if (!target) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  if (inv.flags["dry-run"] && inv.flags["dry-run"] !== "none") {
    inv.out(`${qualified(r, name)} ${describePodTemplateText(target.template)}`);
    return 0;
  }
  if (jsonEqual(target.source.data, { spec: { template: { ...structuredClone(obj.spec?.template ?? {}), $patch: "replace" } } })) {
    inv.out(`${qualified(r, name)} skipped rollback (current template already matches revision ${toRevision})`);
    return 0;
  }
  inv.ctx.api.mutate(r.kind, obj.metadata.namespace, name, (o) => (o.spec.template = structuredClone(target!.template)), { warnings: serverWarnings(inv), fieldManager: UNDO_MANAGER });
  inv.out(`${qualified(r, name)} rolled back`);
  return 0;
}

function undoDeployment(inv: Invocation, r: ResourceType, obj: KObject): number {
  const toRevision = Number(inv.flags["to-revision"] ?? 0);
  const byRev = revisionsOf(inv, obj);
  const name = obj.metadata.name!;
  if (byRev.size === 0) throw new KubectlError(`no rollout history found for deployment ${JSON.stringify(name)}`);
  let target: KObject | undefined;
  if (toRevision === 0) {
    const revs = [...byRev.keys()].sort((a, b) => b - a);
    if (revs.length < 2) throw new KubectlError(`no rollout history found for deployment ${JSON.stringify(name)}`);
    target = byRev.get(revs[1])?.source;
  } else {
    target = byRev.get(toRevision)?.source;
    if (!target) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  }
  const rev = revisionOf(target!);
  // DeploymentRollbacker.Rollback refuses a paused Deployment before comparing templates.
  if (obj.spec?.paused && !(inv.flags["dry-run"] && inv.flags["dry-run"] !== "none")) {
    throw new KubectlError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  }
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
  }, { fieldManager: UNDO_MANAGER });
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
