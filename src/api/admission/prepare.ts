/**
 * The registries' PrepareForCreate steps that change what is stored (after the mutating plugins,
 * as in kube-apiserver's generic store): the Job's generated selector and labels, and the
 * Namespace's `kubernetes` finalizer.
 */
import type { AdmissionPlugin } from "../store.ts";
import { JOB_LABELS_ALIASED, type JobLabelsMark } from "./defaults.ts";

export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
export const LEGACY_CONTROLLER_UID_LABEL = "controller-uid";
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const LEGACY_JOB_NAME_LABEL = "job-name";

const sorted = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** pkg/registry/batch/job/strategy.go generateSelector (unless spec.manualSelector). */
export const jobPrepareForCreate: AdmissionPlugin = {
  name: "JobPrepareForCreate",
  inertFor: (kind) => kind !== "Job",
  mutate(job, op) {
    if (job.kind !== "Job") return;
    const aliased = (job as JobLabelsMark)[JOB_LABELS_ALIASED] === true;
    delete (job as JobLabelsMark)[JOB_LABELS_ALIASED];
    if (op !== "CREATE") return;
    const spec = job.spec;
    if (spec?.manualSelector === true) {
      // Read back from storage, SetDefaults_Job runs again: labels still empty take the template's.
      const tpl = spec.template?.metadata?.labels;
      if (tpl && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = sorted(tpl);
      return;
    }
    spec.template = spec.template ?? {};
    spec.template.metadata = spec.template.metadata ?? {};
    const labels: Record<string, string> = { ...(spec.template.metadata.labels ?? {}) };
    for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(k in labels)) labels[k] = job.metadata.name!;
    for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(k in labels)) labels[k] = job.metadata.uid!;
    spec.template.metadata.labels = sorted(labels);
    // Defaulting made the Job's labels the very map of its template's labels (Go shares it), so they
    // gain the same keys; Job labels still empty take the template's when the stored object is read
    // back (SetDefaults_Job runs again on decoding), so a Job without labels carries them too.
    if (aliased || Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = sorted(labels);
    spec.selector = spec.selector ?? {};
    spec.selector.matchLabels = spec.selector.matchLabels ?? {};
    if (!(CONTROLLER_UID_LABEL in spec.selector.matchLabels)) spec.selector.matchLabels[CONTROLLER_UID_LABEL] = job.metadata.uid!;
  },
};

/** pkg/registry/core/namespace/strategy.go PrepareForCreate: the `kubernetes` finalizer, phase Active. */
export const namespacePrepareForCreate: AdmissionPlugin = {
  name: "NamespacePrepareForCreate",
  inertFor: (kind) => kind !== "Namespace",
  mutate(ns, op) {
    if (ns.kind !== "Namespace" || op !== "CREATE") return;
    ns.spec = ns.spec ?? {};
    const finalizers: string[] = Array.isArray(ns.spec.finalizers) ? ns.spec.finalizers : [];
    if (!finalizers.includes("kubernetes")) finalizers.push("kubernetes");
    ns.spec.finalizers = finalizers;
    ns.status = { phase: "Active" };
  },
};

/** apps.DeprecatedTemplateGeneration, the annotation through which apps/v1 exposes the DaemonSet's templateGeneration. */
export const DAEMONSET_TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

/**
 * pkg/registry/apps/daemonset/strategy.go PrepareForCreate/PrepareForUpdate: the template
 * generation starts at 1 and goes up by one whenever the pod template changes; apps/v1 carries it
 * in the annotation `deprecated.daemonset.template.generation`.
 */
export const daemonSetPrepare: AdmissionPlugin = {
  name: "DaemonSetPrepare",
  inertFor: (kind) => kind !== "DaemonSet",
  mutate(ds, op, old) {
    if (ds.kind !== "DaemonSet") return;
    let generation = 1;
    if (op === "UPDATE" && old) {
      const before = Number(old.metadata.annotations?.[DAEMONSET_TEMPLATE_GENERATION_ANNOTATION] ?? 1) || 1;
      generation = jsonEqualTemplates(old.spec?.template, ds.spec?.template) ? before : before + 1;
    } else if (op !== "CREATE") return;
    ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [DAEMONSET_TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
  },
};

function jsonEqualTemplates(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
