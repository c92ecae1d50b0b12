/**
 * The registries' PrepareForCreate steps that change what is stored (after the mutating plugins,
 * as in kube-apiserver's generic store): the Job's generated selector and labels, and the
 * Namespace's `kubernetes` finalizer.
 */
import type { AdmissionPlugin } from "../store.ts";
import { JOB_LABELS_ALIASED } from "./defaults.ts";

export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
export const LEGACY_CONTROLLER_UID_LABEL = "controller-uid";
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const LEGACY_JOB_NAME_LABEL = "job-name";

const sorted = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** pkg/registry/batch/job/strategy.go generateSelector (unless spec.manualSelector). */
export const jobPrepareForCreate: AdmissionPlugin = {
  name: "JobPrepareForCreate",
  mutate(job, op) {
    if (job.kind !== "Job") return;
    const aliased = (job as any)[JOB_LABELS_ALIASED] === true;
    delete (job as any)[JOB_LABELS_ALIASED];
    if (op !== "CREATE") return;
    const spec = job.spec;
    if (spec?.manualSelector === true) return;
    spec.template = spec.template ?? {};
    spec.template.metadata = spec.template.metadata ?? {};
    const labels: Record<string, string> = { ...(spec.template.metadata.labels ?? {}) };
    for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(k in labels)) labels[k] = job.metadata.name!;
    for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(k in labels)) labels[k] = job.metadata.uid!;
    spec.template.metadata.labels = sorted(labels);
    // Defaulting made the Job's labels the very map of its template's labels (Go shares it), so they gain the same keys.
    if (aliased) job.metadata.labels = sorted(labels);
    spec.selector = spec.selector ?? {};
    spec.selector.matchLabels = spec.selector.matchLabels ?? {};
    if (!(CONTROLLER_UID_LABEL in spec.selector.matchLabels)) spec.selector.matchLabels[CONTROLLER_UID_LABEL] = job.metadata.uid!;
  },
};

/** pkg/registry/core/namespace/strategy.go PrepareForCreate: the `kubernetes` finalizer, phase Active. */
export const namespacePrepareForCreate: AdmissionPlugin = {
  name: "NamespacePrepareForCreate",
  mutate(ns, op) {
    if (ns.kind !== "Namespace" || op !== "CREATE") return;
    ns.spec = ns.spec ?? {};
    const finalizers: string[] = Array.isArray(ns.spec.finalizers) ? ns.spec.finalizers : [];
    if (!finalizers.includes("kubernetes")) finalizers.push("kubernetes");
    ns.spec.finalizers = finalizers;
    ns.status = { phase: "Active" };
  },
};
