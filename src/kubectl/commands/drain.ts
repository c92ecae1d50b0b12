/**
 * `kubectl drain` (k8s.io/kubectl/pkg/cmd/drain and pkg/drain): cordon the node, check its pods
 * against drain's filters (DaemonSet-managed, local storage, no controller), evict the rest through
 * the eviction API and wait until they are gone.
 */
import { ApiError } from "../../api/errors.ts";
import type { KObject } from "../../api/types.ts";
import type { CommandDef, Invocation } from "../command.ts";
import { apiErrorText } from "./builder.ts";
import { cordonNodes, NODE_FLAGS, selectNodes } from "./cordon.ts";
import { goDuration } from "../../sim/duration.ts";
import { goneCheck, parseGoDuration, waitUntil } from "./wait.ts";

const FATAL = {
  daemonSet: "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)",
  localStorage: "Pods with local storage (use --delete-emptydir-data to override)",
  unmanaged: "Pods declare no controller (use --force to override)",
};
const WARNING = {
  daemonSet: "ignoring DaemonSet-managed Pods",
  localStorage: "deleting Pods with local storage",
  unmanaged: "deleting Pods that declare no controller",
};

export const drainCommand: CommandDef = {
  path: ["drain"],
  flags: [
    ...NODE_FLAGS,
    { long: "force", type: "bool" },
    { long: "ignore-daemonsets", type: "bool" },
    { long: "delete-emptydir-data", type: "bool" },
    { long: "delete-local-data", type: "bool" },
    { long: "grace-period", type: "int", default: -1 },
    { long: "timeout", type: "string", default: "0s" },
    { long: "disable-eviction", type: "bool" },
    { long: "skip-wait-for-delete-timeout", type: "int", default: 0 },
    { long: "pod-selector", type: "string" },
    { long: "chunk-size", type: "int", default: 500 },
  ],
  run: runDrain,
};

interface PodDecision {
  pod: KObject;
  del: boolean;
}

/** drain.GetPodsForDeletion: which pods go, the warnings and the fatal errors. */
export function podsForDeletion(
  pods: KObject[],
  opts: { force: boolean; ignoreDaemonsets: boolean; deleteEmptyDir: boolean },
): { pods: KObject[]; warnings: string; errors: string[] } {
  const fatal: Record<string, string[]> = {};
  const warn: Record<string, string[]> = {};
  const decisions: PodDecision[] = [];
  for (const pod of pods) {
    const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (pod.metadata.annotations?.["kubernetes.io/config.mirror"]) continue;
    const terminal = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
    const controller = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
    if (controller?.kind === "DaemonSet" && !terminal) {
      if (opts.ignoreDaemonsets) (warn.daemonSet ??= []).push(ref);
      else (fatal.daemonSet ??= []).push(ref);
      continue;
    }
    const emptyDir = (pod.spec?.volumes ?? []).some((v: any) => v.emptyDir);
    if (emptyDir && !terminal) {
      if (!opts.deleteEmptyDir) {
        (fatal.localStorage ??= []).push(ref);
        continue;
      }
      (warn.localStorage ??= []).push(ref);
    }
    if (!controller && !terminal) {
      if (!opts.force) {
        (fatal.unmanaged ??= []).push(ref);
        continue;
      }
      (warn.unmanaged ??= []).push(ref);
    }
    decisions.push({ pod, del: true });
  }
  const order = ["daemonSet", "localStorage", "unmanaged"] as const;
  const errors = order.filter((k) => fatal[k]).map((k) => `cannot delete ${FATAL[k]}: ${fatal[k].join(", ")}`);
  const warnings = order.filter((k) => warn[k]).map((k) => `${WARNING[k]}: ${warn[k].join(", ")}`).join("; ");
  return { pods: decisions.filter((d) => d.del).map((d) => d.pod), warnings, errors };
}

/** The pods/eviction subresource: marks the pod DisruptionTarget (PodDisruptionConditions) and deletes it. */
function evict(inv: Invocation, pod: KObject, grace: number | undefined): void {
  const { api, clock } = inv.ctx;
  const ns = pod.metadata.namespace;
  const name = pod.metadata.name!;
  api.mutate(
    "Pod",
    ns,
    name,
    (p) => {
      p.status = p.status ?? {};
      const conds: any[] = (p.status.conditions ?? []).filter((c: any) => c.type !== "DisruptionTarget");
      conds.push({
        lastProbeTime: null,
        lastTransitionTime: clock.nowRFC3339(),
        message: "Eviction API: evicting",
        reason: "EvictionByEvictionAPI",
        status: "True",
        type: "DisruptionTarget",
      });
      p.status.conditions = conds;
    },
    { subresource: "status" },
  );
  api.delete("Pod", ns, name, { gracePeriodSeconds: grace });
}

function runDrain(inv: Invocation): number {
  const f = inv.flags;
  const { nodes, r, errors } = selectNodes(inv, "drain");
  for (const line of cordonNodes(inv, nodes, r, true)) inv.out(line);
  for (const e of errors) inv.err(apiErrorText(e));
  const dry = String(f["dry-run"]) !== "none";
  const grace = f["grace-period"] >= 0 ? f["grace-period"] : undefined;
  const remaining: string[] = [];
  // kubectl's --timeout=0 waits forever; the simulation stops waiting after 5 simulated minutes.
  const timeoutMs = parseGoDuration(String(f.timeout)) || 5 * 60 * 1000;
  let fatalText = "";
  for (const node of nodes) {
    const name = node.metadata.name!;
    const onNode = inv.ctx.api.list("Pod", { fieldSelector: (p) => p.spec?.nodeName === name });
    const list = podsForDeletion(onNode, {
      force: f.force,
      ignoreDaemonsets: f["ignore-daemonsets"],
      deleteEmptyDir: f["delete-emptydir-data"] || f["delete-local-data"],
    });
    if (list.errors.length > 0) {
      const msg = list.errors.length === 1 ? list.errors[0] : `[${list.errors.join(", ")}]`;
      inv.err(`error: unable to drain node ${JSON.stringify(name)} due to error: ${msg}, continuing command...`);
      remaining.push(name);
      fatalText = msg;
      continue;
    }
    if (list.warnings) inv.err(`Warning: ${list.warnings}`);
    const evicted: KObject[] = [];
    for (const pod of list.pods) {
      inv.out(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name}`);
      if (dry) continue;
      try {
        if (f["disable-eviction"]) inv.ctx.api.delete("Pod", pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: grace });
        else evict(inv, pod, grace);
        evicted.push(pod);
      } catch (e) {
        if (e instanceof ApiError && e.reason === "NotFound") continue;
        throw e;
      }
    }
    let timedOut: KObject | undefined;
    for (const pod of evicted) {
      const gone = goneCheck(inv.ctx, "Pod", pod.metadata.namespace, pod.metadata.name!, pod.metadata.uid);
      if (waitUntil(inv.ctx, gone, timeoutMs)) inv.out(`pod/${pod.metadata.name} evicted`);
      else {
        timedOut = pod;
        break;
      }
    }
    if (timedOut) {
      const msg = `error when waiting for pod ${JSON.stringify(timedOut.metadata.name)} in namespace ${JSON.stringify(timedOut.metadata.namespace)} to terminate: global timeout reached: ${goDuration(timeoutMs)}`;
      inv.err(`error: unable to drain node ${JSON.stringify(name)} due to error: ${msg}, continuing command...`);
      remaining.push(name);
      fatalText = msg;
      continue;
    }
    inv.out(`node/${name} drained${dry ? " (dry run)" : ""}`);
  }
  if (remaining.length > 0) {
    inv.err(`There are pending nodes to be drained:\n${remaining.map((n) => ` ${n}`).join("\n")}\n${fatalText}`);
    return 1;
  }
  return errors.length > 0 ? 1 : 0;
}
