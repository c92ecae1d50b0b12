/**
 * Pod Security Admission's decisions (k8s.io/pod-security-admission/admission/admission.go,
 * v0.32.4), over any source of namespaces and pods:
 * - a namespace's labels must parse (on create; on update when they changed), and a stricter
 *   enforce level or another enforce version is tried on the namespace's existing pods, whose
 *   violations come back as warnings (`existing pods in namespace "x" violate the new PodSecurity
 *   enforce level "restricted:latest"`, then `<pod> (and N other pods): <reasons>`);
 * - a pod (create, or an update that changes an image or the containers) is refused when it
 *   violates the enforce level (`violates PodSecurity "restricted:latest": …`), and warned about
 *   when it violates the warn level;
 * - a workload (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController,
 *   PodTemplate) is never refused: its pod template only draws the warn level's warning.
 * The audit level's verdict becomes audit annotations, which only an audit log would show.
 */
import type { KObject, ObjectMeta } from "../../types.ts";
import type { Container, EphemeralContainer, Pod, PodSpec, PodTemplateSpec } from "../../types.gen.ts";
import { type FieldError } from "../../errors.ts";
import {
  AUDIT_LEVEL_LABEL,
  AUDIT_VERSION_LABEL,
  AUDIT_VIOLATIONS_ANNOTATION_KEY,
  compareLevels,
  DEFAULT_POLICY,
  ENFORCE_LEVEL_LABEL,
  ENFORCE_VERSION_LABEL,
  ENFORCED_POLICY_ANNOTATION_KEY,
  equivalentPolicy,
  EXEMPTION_REASON_ANNOTATION_KEY,
  fullyPrivileged,
  LEVEL_PRIVILEGED,
  type LevelVersion,
  levelVersionString,
  type Policy,
  policyToEvaluate,
  sameLevelVersion,
  sameVersion,
  WARN_LEVEL_LABEL,
  WARN_VERSION_LABEL,
} from "./api.ts";
import { type AggregateCheckResult, aggregateCheckResults, forbiddenDetail, forbiddenReason } from "./policy/checks.ts";
import type { Evaluator } from "./policy/registry.ts";

/** PodSecurityConfiguration: the defaults for unlabelled modes, and what is exempt. */
export interface PodSecurityConfiguration {
  defaults: Policy;
  exemptions: { usernames: string[]; runtimeClasses: string[]; namespaces: string[] };
}

/** kube-apiserver without an AdmissionConfiguration for PodSecurity (kubeadm, kind): privileged:latest, no exemptions. */
export const DEFAULT_CONFIGURATION: PodSecurityConfiguration = Object.freeze({
  defaults: DEFAULT_POLICY,
  exemptions: Object.freeze({ usernames: [], runtimeClasses: [], namespaces: [] }),
});

/** What a request is, as the admission library sees it (api.Attributes). */
export interface Attributes {
  /** `pods`, `namespaces`, `deployments`… */
  resource: string;
  group: string;
  subresource: string;
  operation: "CREATE" | "UPDATE";
  namespace: string;
  name: string;
  username?: string;
  object: KObject;
  oldObject?: KObject;
}

/** The library's AdmissionResponse, as the in-tree plugin turns it into an error or warnings. */
export type Response =
  | { allowed: true; warnings: string[]; auditAnnotations: Record<string, string> }
  | { allowed: false; warnings: string[]; auditAnnotations: Record<string, string>; forbidden?: string; invalid?: FieldError[] };

const allowed = (auditAnnotations: Record<string, string> = {}, warnings: string[] = []): Response => ({ allowed: true, warnings, auditAnnotations });

export interface NamespaceGetter {
  getNamespace(name: string): KObject | undefined;
}

export interface PodLister {
  listPods(namespace: string): KObject[];
}

const DEFAULT_NAMESPACE_MAX_PODS_TO_CHECK = 3000;

/** defaultPodSpecResources: the pod-controller resources whose template is evaluated. */
export const POD_SPEC_RESOURCES = new Set(["/pods", "/replicationcontrollers", "/podtemplates", "apps/replicasets", "apps/deployments", "apps/statefulsets", "apps/daemonsets", "batch/jobs", "batch/cronjobs"]);

/** DefaultPodSpecExtractor.ExtractPodSpec: the pod's own metadata and spec, or the template's. */
export function extractPodSpec(obj: KObject): { meta: ObjectMeta | undefined; spec: PodSpec | undefined } {
  if (obj.kind === "Pod") return { meta: obj.metadata, spec: obj.spec as PodSpec };
  let template: PodTemplateSpec | undefined;
  if (obj.kind === "PodTemplate") template = obj.template as PodTemplateSpec | undefined;
  else if (obj.kind === "CronJob") template = obj.spec?.jobTemplate?.spec?.template;
  else template = obj.spec?.template;
  if (!template) return { meta: undefined, spec: undefined };
  return { meta: template.metadata as ObjectMeta | undefined, spec: (template.spec ?? {}) as PodSpec };
}

export class Admission {
  /** At most this many existing pods are checked against a new enforce level. */
  namespaceMaxPodsToCheck = DEFAULT_NAMESPACE_MAX_PODS_TO_CHECK;

  constructor(
    readonly evaluator: Evaluator,
    readonly namespaces: NamespaceGetter,
    readonly pods: PodLister,
    readonly configuration: PodSecurityConfiguration = DEFAULT_CONFIGURATION,
  ) {}

  /** Validate: namespaces, pods, or a pod controller. */
  validate(attrs: Attributes): Response {
    if (attrs.group === "" && attrs.resource === "namespaces") return this.validateNamespace(attrs);
    if (attrs.group === "" && attrs.resource === "pods") return this.validatePod(attrs);
    return this.validatePodController(attrs);
  }

  policyToEvaluate(labels: Record<string, string> | undefined): { policy: Policy; errs: FieldError[] } {
    return policyToEvaluate(labels, this.configuration.defaults);
  }

  validateNamespace(attrs: Attributes): Response {
    if (attrs.subresource !== "") return allowed();
    const namespace = attrs.object;
    const labels = namespace.metadata.labels;
    const { policy: newPolicy, errs: newErrs } = this.policyToEvaluate(labels);
    if (attrs.operation === "CREATE") {
      // Require valid labels on create.
      if (newErrs.length > 0) return { allowed: false, warnings: [], auditAnnotations: {}, invalid: newErrs };
      if (this.exemptNamespace(attrs.namespace)) {
        const warning = this.exemptNamespaceWarning(namespace.metadata.name ?? "", newPolicy, labels ?? {});
        if (warning) return allowed({}, [warning]);
      }
      return allowed();
    }
    const { policy: oldPolicy, errs: oldErrs } = this.policyToEvaluate(attrs.oldObject?.metadata.labels);
    // Require valid labels on update if they have changed.
    if (newErrs.length > 0 && (oldErrs.length === 0 || JSON.stringify(newErrs) !== JSON.stringify(oldErrs))) {
      return { allowed: false, warnings: [], auditAnnotations: {}, invalid: newErrs };
    }
    // Skip dry-running pods: enforce unchanged, privileged, relaxed at the same version, or an exempt namespace.
    if (sameLevelVersion(newPolicy.enforce, oldPolicy.enforce)) return allowed();
    if (newPolicy.enforce.level === LEVEL_PRIVILEGED) return allowed();
    if (sameVersion(newPolicy.enforce.version, oldPolicy.enforce.version) && compareLevels(newPolicy.enforce.level, oldPolicy.enforce.level) < 1) return allowed();
    if (this.exemptNamespace(attrs.namespace)) {
      const warning = this.exemptNamespaceWarning(namespace.metadata.name ?? "", newPolicy, labels ?? {});
      return warning ? allowed({}, [warning]) : allowed();
    }
    return allowed({}, this.evaluatePodsInNamespace(namespace.metadata.name ?? "", newPolicy.enforce));
  }

  /** ValidatePod: enforce, audit and warn, on create and on updates that matter. */
  validatePod(attrs: Attributes): Response {
    if (IGNORED_POD_SUBRESOURCES.has(attrs.subresource)) return allowed();
    if (this.exemptNamespace(attrs.namespace)) return allowed({ [EXEMPTION_REASON_ANNOTATION_KEY]: "namespace" });
    if (this.exemptUser(attrs.username)) return allowed({ [EXEMPTION_REASON_ANNOTATION_KEY]: "user" });
    const namespace = this.namespaces.getNamespace(attrs.namespace);
    const { policy, errs } = this.policyToEvaluate(namespace?.metadata.labels);
    if (errs.length === 0 && fullyPrivileged(policy)) return allowed({ [ENFORCED_POLICY_ANNOTATION_KEY]: levelVersionString(policy.enforce) });
    const pod = attrs.object as Pod;
    if (attrs.operation === "UPDATE" && attrs.oldObject && !isSignificantPodUpdate(pod, attrs.oldObject as Pod)) {
      // Nothing we care about changed, so always allow the update.
      return allowed();
    }
    return this.evaluatePod(policy, errs, pod.metadata, pod.spec ?? ({} as PodSpec), true);
  }

  /** ValidatePodController: the warn and audit levels on a workload's pod template; never refused. */
  validatePodController(attrs: Attributes): Response {
    if (attrs.subresource !== "") return allowed();
    if (this.exemptNamespace(attrs.namespace)) return allowed({ [EXEMPTION_REASON_ANNOTATION_KEY]: "namespace" });
    if (this.exemptUser(attrs.username)) return allowed({ [EXEMPTION_REASON_ANNOTATION_KEY]: "user" });
    const namespace = this.namespaces.getNamespace(attrs.namespace);
    if (!namespace) return allowed({ error: `failed to lookup namespace ${JSON.stringify(attrs.namespace)}` });
    const { policy, errs } = this.policyToEvaluate(namespace.metadata.labels);
    if (errs.length === 0 && policy.warn.level === LEVEL_PRIVILEGED && policy.audit.level === LEVEL_PRIVILEGED) return allowed();
    const { meta, spec } = extractPodSpec(attrs.object);
    // A controller with an optional pod spec that has none is not evaluated.
    if (!meta && !spec) return allowed();
    return this.evaluatePod(policy, errs, meta, spec ?? ({} as PodSpec), false);
  }

  /** EvaluatePod: the enforce level only when `enforce`; no warnings on a request refused anyway. */
  evaluatePod(policy: Policy, policyErrs: FieldError[], meta: ObjectMeta | undefined, spec: PodSpec, enforce: boolean): Response {
    if (this.exemptRuntimeClass(spec.runtimeClassName)) return allowed({ [EXEMPTION_REASON_ANNOTATION_KEY]: "runtimeClass" });
    const auditAnnotations: Record<string, string> = {};
    if (policyErrs.length > 0) auditAnnotations.error = `Failed to parse policy: ${policyErrs.map((e) => `${e.field}: ${e.detail}`).join(", ")}`;
    const cached: Array<[LevelVersion, AggregateCheckResult]> = [];
    const evaluate = (lv: LevelVersion): AggregateCheckResult => {
      const hit = cached.find(([k]) => sameLevelVersion(k, lv));
      if (hit) return hit[1];
      const r = aggregateCheckResults(this.evaluator.evaluatePod(lv, meta, spec));
      cached.push([lv, r]);
      return r;
    };
    let forbidden: string | undefined;
    if (enforce) {
      auditAnnotations[ENFORCED_POLICY_ANNOTATION_KEY] = levelVersionString(policy.enforce);
      const result = evaluate(policy.enforce);
      if (!result.allowed) forbidden = `violates PodSecurity ${JSON.stringify(levelVersionString(policy.enforce))}: ${forbiddenDetail(result)}`;
    }
    const audit = evaluate(policy.audit);
    if (!audit.allowed) auditAnnotations[AUDIT_VIOLATIONS_ANNOTATION_KEY] = `would violate PodSecurity ${JSON.stringify(levelVersionString(policy.audit))}: ${forbiddenDetail(audit)}`;
    if (forbidden !== undefined) return { allowed: false, warnings: [], auditAnnotations, forbidden };
    const warnings: string[] = [];
    const warn = evaluate(policy.warn);
    if (!warn.allowed) warnings.push(`would violate PodSecurity ${JSON.stringify(levelVersionString(policy.warn))}: ${forbiddenDetail(warn)}`);
    return allowed(auditAnnotations, warnings);
  }

  /**
   * EvaluatePodsInNamespace: the namespace's pods against a new enforce level, one pod of each
   * controller first, at most namespaceMaxPodsToCheck of them; pods with the same reasons are
   * counted under the lexically first one's name.
   */
  evaluatePodsInNamespace(namespace: string, enforce: LevelVersion): string[] {
    const pods = this.prioritizePods(this.pods.listPods(namespace));
    const totalPods = pods.length;
    const checked = pods.slice(0, this.namespaceMaxPodsToCheck);
    const podWarnings: string[] = [];
    const counts = new Map<string, { podName: string; podCount: number }>();
    for (const pod of checked) {
      const r = aggregateCheckResults(this.evaluator.evaluatePod(enforce, pod.metadata, pod.spec as PodSpec));
      if (r.allowed) continue;
      const warning = forbiddenReason(r);
      const name = pod.metadata.name ?? "";
      const c = counts.get(warning);
      if (!c) {
        podWarnings.push(warning);
        counts.set(warning, { podName: name, podCount: 1 });
      } else {
        if (name < c.podName) c.podName = name;
        c.podCount++;
      }
    }
    const warnings: string[] = [];
    if (checked.length < totalPods) warnings.push(`new PodSecurity enforce level only checked against the first ${checked.length} of ${totalPods} existing pods`);
    if (podWarnings.length > 0) warnings.push(`existing pods in namespace ${JSON.stringify(namespace)} violate the new PodSecurity enforce level ${JSON.stringify(levelVersionString(enforce))}`);
    const decorated = podWarnings.map((w) => {
      const c = counts.get(w)!;
      if (c.podCount === 1) return `${c.podName}: ${w}`;
      if (c.podCount === 2) return `${c.podName} (and 1 other pod): ${w}`;
      return `${c.podName} (and ${c.podCount - 1} other pods): ${w}`;
    });
    decorated.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return [...warnings, ...decorated];
  }

  /** prioritizePods: runtime-class-exempt pods out; one pod per controller first, the controllers' other pods after. */
  prioritizePods(pods: KObject[]): KObject[] {
    const prioritized: KObject[] = [];
    const duplicates: KObject[] = [];
    const evaluated = new Set<string>();
    for (const pod of pods) {
      if (this.exemptRuntimeClass(pod.spec?.runtimeClassName)) continue;
      const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
      if (!owner) prioritized.push(pod);
      else if (evaluated.has(owner.uid)) duplicates.push(pod);
      else {
        prioritized.push(pod);
        evaluated.add(owner.uid);
      }
    }
    return [...prioritized, ...duplicates];
  }

  exemptNamespace(namespace: string): boolean {
    return namespace !== "" && this.configuration.exemptions.namespaces.includes(namespace);
  }

  exemptUser(username: string | undefined): boolean {
    return !!username && this.configuration.exemptions.usernames.includes(username);
  }

  exemptRuntimeClass(runtimeClass: string | undefined | null): boolean {
    return !!runtimeClass && this.configuration.exemptions.runtimeClasses.includes(runtimeClass);
  }

  /** exemptNamespaceWarning: an exempt namespace labelled with a policy other than the defaults. */
  exemptNamespaceWarning(namespace: string, policy: Policy, labels: Record<string, string>): string {
    if (fullyPrivileged(policy) || equivalentPolicy(policy, this.configuration.defaults)) return "";
    const parts: string[] = [];
    if (policy.enforce.level !== LEVEL_PRIVILEGED && (ENFORCE_LEVEL_LABEL in labels || ENFORCE_VERSION_LABEL in labels)) parts.push(`enforce=${levelVersionString(policy.enforce)}`);
    if (policy.audit.level !== LEVEL_PRIVILEGED && (AUDIT_LEVEL_LABEL in labels || AUDIT_VERSION_LABEL in labels)) parts.push(`audit=${levelVersionString(policy.audit)}`);
    if (policy.warn.level !== LEVEL_PRIVILEGED && (WARN_LEVEL_LABEL in labels || WARN_VERSION_LABEL in labels)) parts.push(`warn=${levelVersionString(policy.warn)}`);
    return `namespace ${JSON.stringify(namespace)} is exempt from Pod Security, and the policy (${parts.join(", ")}) will be ignored`;
  }
}

/** ignoredPodSubresources: any other pod subresource is evaluated (fails safe). */
const IGNORED_POD_SUBRESOURCES = new Set(["exec", "attach", "binding", "eviction", "log", "portforward", "proxy", "status"]);

/**
 * isSignificantPodUpdate: only a change of the containers' number or images (or an ephemeral
 * container added or changed) is evaluated; other pod updates are always allowed.
 */
export function isSignificantPodUpdate(pod: Pod, oldPod: Pod): boolean {
  const cs = pod.spec?.containers ?? [];
  const oldCs = oldPod.spec?.containers ?? [];
  const ics = pod.spec?.initContainers ?? [];
  const oldIcs = oldPod.spec?.initContainers ?? [];
  if (cs.length !== oldCs.length || ics.length !== oldIcs.length) return true;
  const changed = (c: Container | EphemeralContainer, o: Container | EphemeralContainer) => c.image !== o.image;
  for (let i = 0; i < cs.length; i++) if (changed(cs[i]!, oldCs[i]!)) return true;
  for (let i = 0; i < ics.length; i++) if (changed(ics[i]!, oldIcs[i]!)) return true;
  for (const c of pod.spec?.ephemeralContainers ?? []) {
    const old = oldPod.spec?.ephemeralContainers?.find((o) => o.name === c.name);
    if (!old || changed(c, old)) return true;
  }
  return false;
}
