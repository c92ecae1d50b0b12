/**
 * The DaemonSet helpers of pkg/controller/daemon/util/daemonset_util.go (v1.32) and the node
 * predicates of daemon_controller.go (NodeShouldRunDaemonPod, NewPod, predicates): the tolerations
 * every daemon pod gets, the pod template with its revision labels, the node-name affinity that
 * pins a daemon pod to its node, and the update-strategy counts.
 */
import type { KObject } from "../../api/types.ts";
import type { Affinity, NodeSelectorTerm, ObjectMeta, PodSpec, PodTemplateSpec, RollingUpdateDaemonSet, Taint } from "../../api/types.gen.ts";
import { findMatchingUntoleratedTaint } from "../../api/helper/toleration.ts";
import { requiredNodeAffinity } from "../../scheduler/plugins/nodeaffinity.ts";
import { scaledValue } from "../deploymentutil.ts";

/** apps.DefaultDaemonSetUniqueLabelKey (= ControllerRevisionHashLabelKey). */
export const DAEMONSET_HASH_LABEL = "controller-revision-hash";
/** extensions.DaemonSetTemplateGenerationKey: the template generation, as a pod label. */
export const TEMPLATE_GENERATION_LABEL = "pod-template-generation";
/** apps.DeprecatedTemplateGeneration: the DaemonSet's template generation, kept by its registry. */
export const TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

export const TAINT_NODE_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_NODE_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_NODE_DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
export const TAINT_NODE_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
export const TAINT_NODE_PID_PRESSURE = "node.kubernetes.io/pid-pressure";
export const TAINT_NODE_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
export const TAINT_NODE_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Toleration.MatchToleration: same key, operator, value and effect. */
function matchToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? "") === (b.key ?? "") && (a.operator ?? "") === (b.operator ?? "") && (a.value ?? "") === (b.value ?? "") && (a.effect ?? "") === (b.effect ?? "");
}

/**
 * v1helper.AddOrUpdateTolerationInPodSpec: replaces a toleration that matches `t` (unless it is
 * already the same), or appends `t`. Returns whether the spec changed.
 */
export function addOrUpdateToleration(spec: { tolerations?: Toleration[] }, t: Toleration): boolean {
  const list = spec.tolerations ?? [];
  const out: Toleration[] = [];
  let updated = false;
  for (const old of list) {
    if (matchToleration(old, t)) {
      if ((old.tolerationSeconds ?? null) === (t.tolerationSeconds ?? null)) return false;
      out.push(t);
      updated = true;
      continue;
    }
    out.push(old);
  }
  if (!updated) out.push(t);
  spec.tolerations = out;
  return true;
}

/** AddOrUpdateDaemonPodTolerations: daemon pods survive node problems and unschedulable nodes. */
export function addOrUpdateDaemonPodTolerations(spec: { tolerations?: Toleration[]; hostNetwork?: boolean }): void {
  addOrUpdateToleration(spec, { key: TAINT_NODE_NOT_READY, operator: "Exists", effect: "NoExecute" });
  addOrUpdateToleration(spec, { key: TAINT_NODE_UNREACHABLE, operator: "Exists", effect: "NoExecute" });
  addOrUpdateToleration(spec, { key: TAINT_NODE_DISK_PRESSURE, operator: "Exists", effect: "NoSchedule" });
  addOrUpdateToleration(spec, { key: TAINT_NODE_MEMORY_PRESSURE, operator: "Exists", effect: "NoSchedule" });
  addOrUpdateToleration(spec, { key: TAINT_NODE_PID_PRESSURE, operator: "Exists", effect: "NoSchedule" });
  addOrUpdateToleration(spec, { key: TAINT_NODE_UNSCHEDULABLE, operator: "Exists", effect: "NoSchedule" });
  if (spec.hostNetwork) addOrUpdateToleration(spec, { key: TAINT_NODE_NETWORK_UNAVAILABLE, operator: "Exists", effect: "NoSchedule" });
}

/** GetTemplateGeneration: the deprecated annotation as a number, undefined when absent or unparsable. */
export function getTemplateGeneration(ds: KObject): number | undefined {
  const v = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

const sortedLabels = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** CreatePodTemplate: the template with the daemon tolerations, the generation and the hash labels. */
export function createPodTemplate(template: PodTemplateSpec | undefined, generation: number | undefined, hash: string): DaemonPodTemplate {
  const t: PodTemplateSpec = structuredClone(template ?? {});
  t.metadata = t.metadata ?? {};
  t.spec = t.spec ?? ({} as PodSpec); // validation gives a DaemonSet's template containers; an empty spec stays empty
  addOrUpdateDaemonPodTolerations(t.spec);
  const labels: Record<string, string> = { ...(t.metadata.labels ?? {}) };
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash) labels[DAEMONSET_HASH_LABEL] = hash;
  t.metadata.labels = sortedLabels(labels);
  return t as DaemonPodTemplate;
}

/** The template createPodTemplate returns: metadata and spec always there. */
export type DaemonPodTemplate = PodTemplateSpec & { metadata: ObjectMeta; spec: PodSpec };

/** IsPodUpdated: the pod carries the current hash (or, for old pods, the current template generation). */
export function isPodUpdated(pod: KObject, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation);
  const hashMatches = hash.length > 0 && labels[DAEMONSET_HASH_LABEL] === hash;
  return hashMatches || templateMatches;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes `metadata.name In [node]`. */
export function replaceDaemonSetPodNodeNameNodeAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const term: NodeSelectorTerm = { matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] };
  const selector = { nodeSelectorTerms: [term] };
  const a: Affinity = affinity ? structuredClone(affinity) : {};
  if (!a.nodeAffinity) {
    a.nodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution: selector };
    return a;
  }
  if (!a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution) {
    a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = selector;
    return a;
  }
  a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms = [term];
  return a;
}

/**
 * GetTargetNodeName: spec.nodeName, or for a pod not yet bound the node its `metadata.name`
 * affinity names; undefined when neither says.
 */
export function getTargetNodeName(pod: KObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms: NodeSelectorTerm[] = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const e of term.matchFields ?? []) {
      if (e.key === "metadata.name" && e.operator === "In") return e.values?.length === 1 ? e.values[0] : undefined;
    }
  }
  return undefined;
}

function rollingUpdate(ds: KObject): RollingUpdateDaemonSet | undefined {
  if ((ds.spec?.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") return undefined;
  return ds.spec?.updateStrategy?.rollingUpdate;
}

/** SurgeCount: maxSurge scaled against the nodes to schedule, rounded up (0 unless RollingUpdate). */
export function surgeCount(ds: KObject, numberToSchedule: number): number {
  const r = rollingUpdate(ds);
  if (!r || r.maxSurge === undefined || r.maxSurge === null) return 0;
  return scaledValue(r.maxSurge, numberToSchedule, true);
}

/** UnavailableCount: maxUnavailable scaled against the nodes to schedule, rounded up. */
export function unavailableCount(ds: KObject, numberToSchedule: number): number {
  const r = rollingUpdate(ds);
  if (!r || r.maxUnavailable === undefined || r.maxUnavailable === null) return 0;
  return scaledValue(r.maxUnavailable, numberToSchedule, true);
}

/** AllowsSurge: a surge of at least one pod when scaled against one node. */
export function allowsSurge(ds: KObject): boolean {
  try {
    return surgeCount(ds, 1) !== 0;
  } catch {
    return false;
  }
}

/** NewPod: the daemon pod for a node, as the predicates see it (template, node name, daemon tolerations). */
export function newPod(ds: KObject, nodeName: string): KObject {
  const spec = structuredClone(ds.spec?.template?.spec ?? {});
  spec.nodeName = nodeName;
  addOrUpdateDaemonPodTolerations(spec);
  return { apiVersion: "v1", kind: "Pod", metadata: { ...(ds.spec?.template?.metadata ?? {}), namespace: ds.metadata.namespace }, spec };
}

/** The parts of a DaemonSet that NodeShouldRunDaemonPod reads, computed once per DaemonSet version. */
interface DaemonPodShape {
  nodeName: string;
  affinity: (n: { name: string; labels: Record<string, string> }) => boolean;
  tolerations: Toleration[];
}
const shapes = new WeakMap<object, DaemonPodShape>();

function shapeOf(ds: KObject): DaemonPodShape {
  const spec = ds.spec ?? {};
  const cached = Object.isFrozen(spec) ? shapes.get(spec) : undefined;
  if (cached) return cached;
  const pod = newPod(ds, "");
  const shape = { nodeName: ds.spec?.template?.spec?.nodeName ?? "", affinity: requiredNodeAffinity(pod), tolerations: pod.spec.tolerations ?? [] };
  if (Object.isFrozen(spec)) shapes.set(spec, shape);
  return shape;
}

/**
 * NodeShouldRunDaemonPod: `shouldRun` — a daemon pod should be created on the node (node name,
 * required node affinity and selector, NoSchedule/NoExecute taints tolerated);
 * `shouldContinueRunning` — an existing daemon pod may stay (only NoExecute taints evict it).
 */
export function nodeShouldRunDaemonPod(node: KObject, ds: KObject): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const shape = shapeOf(ds);
  const name = node.metadata.name!;
  if (shape.nodeName && shape.nodeName !== name) return { shouldRun: false, shouldContinueRunning: false };
  if (!shape.affinity({ name, labels: node.metadata.labels ?? {} })) return { shouldRun: false, shouldContinueRunning: false };
  const taints: Taint[] = node.spec?.taints ?? [];
  if (taints.length === 0) return { shouldRun: true, shouldContinueRunning: true };
  const untolerated = findMatchingUntoleratedTaint(taints, shape.tolerations, (t) => t.effect === "NoExecute" || t.effect === "NoSchedule");
  if (untolerated) {
    const noExecute = findMatchingUntoleratedTaint(taints, shape.tolerations, (t) => t.effect === "NoExecute");
    return { shouldRun: false, shouldContinueRunning: !noExecute };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** podByCreationTimestampAndPhase: bound pods first, then oldest first, then by name. */
export function compareByCreationTimestampAndPhase(a: KObject, b: KObject): number {
  const na = !!a.spec?.nodeName;
  const nb = !!b.spec?.nodeName;
  if (na !== nb) return na ? -1 : 1;
  const ca = a.metadata.creationTimestamp ?? "";
  const cb = b.metadata.creationTimestamp ?? "";
  if (ca === cb) return (a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1;
  return Date.parse(ca) - Date.parse(cb);
}
