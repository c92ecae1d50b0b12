/**
 * The pod registry's warnings (pkg/api/pod/warnings.go GetWarningsForPod and
 * GetWarningsForPodTemplate, v1.32): a Pod's strategy and those of the workloads with a pod
 * template (Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob,
 * PodTemplate) add them to a create or an update of the main resource after validation
 * (rest.BeforeCreate's WarningsOnCreate, BeforeUpdate's WarningsOnUpdate), before validating
 * admission. Ported so far: deprecated node labels in nodeSelector, node affinity and topology
 * spread constraints (pkg/api/node GetNodeLabelDeprecatedMessage, GetWarningsForNodeSelectorTerm),
 * a null topology spread labelSelector, the deprecated annotations (critical-pod, sysctls, the
 * seccomp pod and container annotations without their fields), the deprecated volume plugins,
 * fractional byte values of memory and ephemeral-storage, and env entries that hide an earlier
 * one. The rest of warnings.go (ports, emptyDir sizes, duplicate hostAliases and imagePullSecrets,
 * projected paths, template AppArmor annotations) is not here yet (docs/divergences.md).
 */
import type { AdmissionPlugin } from "../store.ts";
import type { KObject } from "../types.ts";
import type { Container, EnvVar, NodeSelectorTerm, ObjectMeta, PodSpec, PodTemplateSpec, PreferredSchedulingTerm, TopologySpreadConstraint, Volume } from "../types.gen.ts";
import { parseQuantity } from "../quantity.ts";

/** pkg/api/node/util.go deprecatedNodeLabels. */
const DEPRECATED_NODE_LABELS: Readonly<Record<string, string>> = {
  "beta.kubernetes.io/arch": `deprecated since v1.14; use "kubernetes.io/arch" instead`,
  "beta.kubernetes.io/os": `deprecated since v1.14; use "kubernetes.io/os" instead`,
  "failure-domain.beta.kubernetes.io/region": `deprecated since v1.17; use "topology.kubernetes.io/region" instead`,
  "failure-domain.beta.kubernetes.io/zone": `deprecated since v1.17; use "topology.kubernetes.io/zone" instead`,
  "beta.kubernetes.io/instance-type": `deprecated since v1.17; use "node.kubernetes.io/instance-type" instead`,
};

const DEPRECATED_ANNOTATIONS: ReadonlyArray<{ key: string; message: string }> = [
  { key: "scheduler.alpha.kubernetes.io/critical-pod", message: `non-functional in v1.16+; use the "priorityClassName" field instead` },
  { key: "security.alpha.kubernetes.io/sysctls", message: `non-functional in v1.11+; use the "sysctls" field instead` },
  { key: "security.alpha.kubernetes.io/unsafe-sysctls", message: `non-functional in v1.11+; use the "sysctls" field instead` },
];

const DEPRECATED_VOLUMES: ReadonlyArray<[string, string]> = [
  ["photonPersistentDisk", "deprecated in v1.11, non-functional in v1.16+"],
  ["gitRepo", "deprecated in v1.11"],
  ["scaleIO", "deprecated in v1.16, non-functional in v1.22+"],
  ["flocker", "deprecated in v1.22, non-functional in v1.25+"],
  ["storageOS", "deprecated in v1.22, non-functional in v1.25+"],
  ["quobyte", "deprecated in v1.22, non-functional in v1.25+"],
  ["glusterfs", "deprecated in v1.25, non-functional in v1.26+"],
  ["cephfs", "deprecated in v1.28, non-functional in v1.31+"],
  ["rbd", "deprecated in v1.28, non-functional in v1.31+"],
];

const SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

/** The quantity's canonical text when its value in milli-units is not whole units (value.MilliValue() % 1000 != 0). */
function fractional(v: unknown): string | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  try {
    const q = parseQuantity(v);
    return q.milliValue() % 1000 !== 0 ? q.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** warningsForPodSpecAndMeta: `prefix` is "" for a Pod, "spec.template." for a template. */
export function podSpecWarnings(prefix: string, spec: PodSpec | undefined, meta: ObjectMeta | undefined): string[] {
  const out: string[] = [];
  if (!spec) return out;
  const p = (s: string) => `${prefix}${s}`;
  for (const k of Object.keys(spec.nodeSelector ?? {})) {
    const msg = DEPRECATED_NODE_LABELS[k];
    if (msg) out.push(`${p("spec.nodeSelector")}[${k}]: ${msg}`);
  }
  const na = spec.affinity?.nodeAffinity;
  if (na) {
    const term = (t: NodeSelectorTerm | undefined, path: string) =>
      (t?.matchExpressions ?? []).forEach((e, i: number) => {
        const msg = DEPRECATED_NODE_LABELS[e?.key ?? ""];
        if (msg) out.push(`${path}.matchExpressions[${i}].key: ${e.key} is ${msg}`);
      });
    (na.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).forEach((t: NodeSelectorTerm, i: number) =>
      term(t, `${p("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")}[${i}]`),
    );
    (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t: PreferredSchedulingTerm, i: number) =>
      term(t?.preference, `${p("spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution")}[${i}].preference`),
    );
  }
  (spec.topologySpreadConstraints ?? []).forEach((t: TopologySpreadConstraint, i: number) => {
    const msg = DEPRECATED_NODE_LABELS[t?.topologyKey ?? ""];
    if (msg) out.push(`${p("spec.topologySpreadConstraints")}[${i}].topologyKey: ${t.topologyKey} is ${msg}`);
    if (t?.labelSelector === undefined || t?.labelSelector === null) out.push(`${p("spec.topologySpreadConstraints")}[${i}].labelSelector: a null labelSelector results in matching no pod`);
  });
  const annotations: Record<string, string> = meta?.annotations ?? {};
  for (const d of DEPRECATED_ANNOTATIONS) {
    if (Object.hasOwn(annotations, d.key)) out.push(`${p("metadata.annotations")}[${d.key}]: ${d.message}`);
  }
  (spec.volumes ?? []).forEach((v: Volume, i: number) => {
    for (const [field, msg] of DEPRECATED_VOLUMES) if ((v as unknown as Record<string, unknown>)?.[field]) out.push(`${p("spec.volumes")}[${i}].${field}: ${msg}`);
  });
  for (const r of ["memory", "ephemeral-storage"]) {
    const f = fractional((spec.overhead as Record<string, unknown> | undefined)?.[r]);
    if (f !== undefined) out.push(`${p("spec.overhead")}[${r}]: fractional byte value "${f}" is invalid, must be an integer`);
  }
  if (!spec.securityContext?.seccompProfile && Object.hasOwn(annotations, SECCOMP_POD)) {
    out.push(`${p("metadata.annotations")}[${SECCOMP_POD}]: non-functional in v1.27+; use the "seccompProfile" field instead`);
  }
  // pods.VisitContainersWithPath: init containers, containers, ephemeral containers.
  const visit = (list: Container[] | undefined, field: string) =>
    (list ?? []).forEach((c: Container, i: number) => {
      const cp = `${p("spec")}.${field}[${i}]`;
      const key = SECCOMP_CONTAINER_PREFIX + c?.name;
      if (!c?.securityContext?.seccompProfile && Object.hasOwn(annotations, key)) {
        out.push(`${p("metadata.annotations")}[${key}]: non-functional in v1.27+; use the "seccompProfile" field instead`);
      }
      for (const [kind, r] of [["limits", "memory"], ["requests", "memory"], ["limits", "ephemeral-storage"], ["requests", "ephemeral-storage"]] as const) {
        const f = fractional((c?.resources?.[kind] as Record<string, unknown> | undefined)?.[r]);
        if (f !== undefined) out.push(`${cp}.resources.${kind}[${r}]: fractional byte value "${f}" is invalid, must be an integer`);
      }
      const env: EnvVar[] = c?.env ?? [];
      if (env.length > 1) {
        const seen = new Set<string>();
        env.forEach((e: EnvVar, j: number) => {
          if (!seen.has(e?.name)) {
            seen.add(e?.name);
            return;
          }
          const ref = `$(${e.name})`;
          const value: string = e.value ?? "";
          if (e.valueFrom || value === ref || !value.includes(ref)) out.push(`${cp}.env[${j}]: hides previous definition of "${e.name}", which may be dropped when using apply`);
        });
      }
    });
  visit(spec.initContainers, "initContainers");
  visit(spec.containers, "containers");
  visit(spec.ephemeralContainers as Container[] | undefined, "ephemeralContainers");
  return out;
}

/** Where each kind keeps its pod template, as the field path its strategy's warnings name. */
const TEMPLATE_OF: Readonly<Record<string, (o: KObject) => [string, PodTemplateSpec | undefined] | undefined>> = {
  Deployment: (o) => ["spec.template.", o.spec?.template],
  ReplicaSet: (o) => ["spec.template.", o.spec?.template],
  ReplicationController: (o) => ["spec.template.", o.spec?.template],
  StatefulSet: (o) => ["spec.template.", o.spec?.template],
  DaemonSet: (o) => ["spec.template.", o.spec?.template],
  Job: (o) => ["spec.template.", o.spec?.template],
  CronJob: (o) => ["spec.jobTemplate.spec.template.", o.spec?.jobTemplate?.spec?.template],
  PodTemplate: (o) => ["template.", o.template],
};

/** The warnings of a Pod or a pod template of `obj` (none for other kinds). */
export function warningsFor(obj: KObject): string[] {
  if (obj.kind === "Pod") return podSpecWarnings("", obj.spec, obj.metadata);
  const t = TEMPLATE_OF[obj.kind]?.(obj);
  if (!t || !t[1]) return [];
  return podSpecWarnings(t[0], t[1].spec, t[1].metadata);
}

export const podWarnings: AdmissionPlugin = {
  name: "PodWarnings",
  inertFor: (kind) => kind !== "Pod" && !(kind in TEMPLATE_OF),
  validate(obj, op, _old, _api, attrs) {
    if (op !== "CREATE" && op !== "UPDATE") return;
    if (!attrs.warnings) return;
    for (const w of warningsFor(obj)) if (!attrs.warnings.includes(w)) attrs.warnings.push(w);
  },
};
