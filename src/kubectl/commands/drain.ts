/**
 * `kubectl drain` (k8s.io/kubectl/pkg/cmd/drain and pkg/drain): cordon the node, check its pods
 * against drain's filters (DaemonSet-managed, local storage, no controller), evict the rest through
 * the eviction API and wait until they are gone.
 */
import { ApiError } from "../../api/errors.ts";
import { evictPod } from "../../api/eviction.ts";
import type { KObject } from "../../api/types.ts";
import type { Volume } from "../../api/types.gen.ts";
import type { CommandDef, Invocation } from "../command.ts";
import { apiErrorText } from "./builder.ts";
import { cordonNodes, NODE_FLAGS, selectNodes } from "./cordon.ts";
import { goDuration } from "../../sim/duration.ts";
import { goneCheck, parseGoDuration, waitUntil } from "./wait.ts";
import { isPodTerminal } from "../../api/pod/util.ts";

const FATAL = {
  daemonSet: "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)",
  localStorage: "Pods with local storage (use --delete-emptydir-data to override)",
  // v1.32's text includes "cannot delete", which drain prefixes again ("cannot delete cannot delete Pods ...").
  unmanaged: "cannot delete Pods that declare no controller (use --force to override)",
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
  opts: { force: boolean; ignoreDaemonsets: boolean; deleteEmptyDir: boolean; daemonSetExists?: (namespace: string, name: string) => boolean },
): { pods: KObject[]; warnings: string; errors: string[] } {
  const fatal: Record<string, string[]> = {};
  const warn: Record<string, string[]> = {};
  // Messages other than the fixed ones (an orphaned DaemonSet pod's NotFound), in order of appearance.
  const otherFatal = new Map<string, string[]>();
  const otherWarn = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, msg: string, ref: string) => m.set(msg, [...(m.get(msg) ?? []), ref]);
  const decisions: PodDecision[] = [];
  for (const pod of pods) {
    const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (pod.metadata.annotations?.["kubernetes.io/config.mirror"]) continue;
    const terminal = isPodTerminal(pod);
    const controller = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
    if (controller?.kind === "DaemonSet" && !terminal) {
      // daemonSetFilter: a pod whose DaemonSet is gone is an orphan, deleted (with a warning) only with --force.
      if (opts.daemonSetExists && !opts.daemonSetExists(pod.metadata.namespace!, controller.name)) {
        const msg = `daemonsets.apps ${JSON.stringify(controller.name)} not found`;
        if (opts.force) {
          add(otherWarn, msg, ref);
          decisions.push({ pod, del: true });
        } else add(otherFatal, msg, ref);
        continue;
      }
      if (opts.ignoreDaemonsets) (warn.daemonSet ??= []).push(ref);
      else (fatal.daemonSet ??= []).push(ref);
      continue;
    }
    const emptyDir = (pod.spec?.volumes ?? []).some((v: Volume) => v.emptyDir);
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
  for (const [msg, refs] of otherFatal) errors.push(`cannot delete ${msg}: ${refs.join(", ")}`);
  const warningParts = order.filter((k) => warn[k]).map((k) => `${WARNING[k]}: ${warn[k].join(", ")}`);
  for (const [msg, refs] of otherWarn) warningParts.push(`${msg}: ${refs.join(", ")}`);
  const warnings = warningParts.join("; ");
  return { pods: decisions.filter((d) => d.del).map((d) => d.pod), warnings, errors };
}

/** Retry interval of drain's evictions refused by a PodDisruptionBudget (429). */
const EVICTION_RETRY_MS = 5_000;
/** The longest a drain without --timeout waits in simulated time (kubectl would wait forever). */
const MAX_DRAIN_MS = 60 * 60_000;


/**
 * drain's evictPods: evicts each pod through the pods/eviction subresource, printing
 * `evicting pod ns/name` at each attempt; a PodDisruptionBudget's refusal (429) is printed and
 * retried every 5 s, on the simulated clock, until the global --timeout. Returns the errors.
 */
function evictAll(inv: Invocation, pods: KObject[], grace: number | undefined, timeoutMs: number, disableEviction: boolean, dry: boolean): { evicted: KObject[]; errors: string[] } {
  const { ctx } = inv;
  const deadline = ctx.clock.now() + (timeoutMs > 0 ? timeoutMs : MAX_DRAIN_MS);
  const evicted: KObject[] = [];
  const errors: string[] = [];
  let waiting = [...pods];
  for (;;) {
    const retry: KObject[] = [];
    for (const pod of waiting) {
      const ns = pod.metadata.namespace!;
      const name = pod.metadata.name!;
      inv.out(`evicting pod ${ns}/${name}`);
      if (dry) continue;
      try {
        if (disableEviction) ctx.api.delete("Pod", ns, name, { gracePeriodSeconds: grace });
        else evictPod(ctx.api, ns, name, { gracePeriodSeconds: grace });
        evicted.push(pod);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        if (e.reason === "NotFound") continue;
        if (e.reason === "TooManyRequests") {
          inv.err(`error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)} (will retry after 5s): ${e.message}`);
          retry.push(pod);
          continue;
        }
        errors.push(`error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)}: ${e.message}`);
      }
    }
    if (retry.length === 0) break;
    const wakeAt = ctx.clock.now() + EVICTION_RETRY_MS;
    if (wakeAt > deadline) {
      waitUntil(ctx, () => false, Math.max(0, deadline - ctx.clock.now()));
      for (const pod of retry) {
        errors.push(`error when evicting pods/${JSON.stringify(pod.metadata.name)} -n ${JSON.stringify(pod.metadata.namespace)}: global timeout reached: ${goDuration(timeoutMs > 0 ? timeoutMs : MAX_DRAIN_MS)}`);
      }
      break;
    }
    waitUntil(ctx, () => false, EVICTION_RETRY_MS);
    waiting = retry;
  }
  return { evicted, errors };
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
      deleteEmptyDir: f["delete-emptydir-data"],
      daemonSetExists: (ns, ds) => inv.ctx.api.get("DaemonSet", ns, ds) !== undefined,
    });
    if (list.errors.length > 0) {
      const msg = list.errors.length === 1 ? list.errors[0] : `[${list.errors.join(", ")}]`;
      inv.err(`error: unable to drain node ${JSON.stringify(name)} due to error: ${msg}, continuing command...`);
      remaining.push(name);
      fatalText = msg;
      continue;
    }
    if (list.warnings) inv.err(`Warning: ${list.warnings}`);
    const { evicted, errors: evictErrors } = evictAll(inv, list.pods, grace, timeoutMs, !!f["disable-eviction"], dry);
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
    if (evictErrors.length > 0) {
      const msg = evictErrors.length === 1 ? evictErrors[0] : `[${evictErrors.join(", ")}]`;
      const pending = inv.ctx.api.list("Pod", { fieldSelector: (p) => p.spec?.nodeName === name }).filter((p) => list.pods.some((x) => x.metadata.uid === p.metadata.uid));
      if (pending.length > 0) {
        inv.err(`There are pending pods in node ${JSON.stringify(name)} when an error occurred: ${msg}`);
        for (const p of pending) inv.err(`pod/${p.metadata.name}`);
      }
      inv.err(`error: unable to drain node ${JSON.stringify(name)} due to error: ${msg}, continuing command...`);
      remaining.push(name);
      fatalText = evictErrors.join("\n");
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
