/**
 * The PodSecurity admission plugin of kube-apiserver (plugin/pkg/admission/security/podsecurity/
 * admission.go, v1.32): a validating plugin on create and update of pods, namespaces and the
 * pod-controller resources, over the API server's own namespaces and pods. The library's
 * warnings become the request's warnings (kubectl prints `Warning: …`, the facade sends
 * `Warning: 299 - "…"`); a refusal becomes the API's Forbidden (`pods "x" is forbidden: violates
 * PodSecurity "restricted:latest": …`) or, for namespace labels that do not parse, Invalid (`The
 * Namespace "x" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: …`).
 * Audit annotations have nowhere to go: the simulation keeps no audit log (docs/divergences.md).
 *
 * Cheap when a namespace has no pod-security labels (the cluster's default, privileged in all
 * three modes): one namespace lookup and a scan of its labels, remembered per stored namespace.
 */
import { invalidError, newForbidden } from "../../errors.ts";
import type { AdmissionPlugin, ApiServer } from "../../store.ts";
import type { KObject } from "../../types.ts";
import { fullyPrivileged, hasPodSecurityLabels, policyToEvaluate } from "./api.ts";
import { Admission, DEFAULT_CONFIGURATION } from "./admission.ts";
import { defaultEvaluator } from "./policy/index.ts";

/** Whether a stored namespace's labels leave every mode at the (privileged) defaults, per namespace object (frozen, replaced on change). */
const privilegedNamespaces = new WeakMap<KObject, boolean>();

function namespaceIsPrivileged(ns: KObject): boolean {
  let p = privilegedNamespaces.get(ns);
  if (p === undefined) {
    const labels = ns.metadata.labels;
    if (!hasPodSecurityLabels(labels)) p = fullyPrivileged(DEFAULT_CONFIGURATION.defaults);
    else {
      const { policy, errs } = policyToEvaluate(labels, DEFAULT_CONFIGURATION.defaults);
      p = errs.length === 0 && fullyPrivileged(policy);
    }
    privilegedNamespaces.set(ns, p);
  }
  return p;
}

const admissionByServer = new WeakMap<ApiServer, Admission>();

function admissionOf(api: ApiServer): Admission {
  let a = admissionByServer.get(api);
  if (!a) {
    a = new Admission(
      defaultEvaluator(),
      { getNamespace: (name) => api.get("Namespace", undefined, name) },
      { listPods: (namespace) => api.list("Pod", { namespace }) },
      DEFAULT_CONFIGURATION,
    );
    admissionByServer.set(api, a);
  }
  return a;
}

/**
 * The kinds of the resources the plugin evaluates: namespaces, pods and admission.ts's
 * POD_SPEC_RESOURCES (built-in kinds only: the plugin does not run for custom resources).
 */
const KINDS = new Set(["Namespace", "Pod", "ReplicationController", "PodTemplate", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]);

export const podSecurityAdmission: AdmissionPlugin = {
  name: "PodSecurity",
  inertFor: (kind) => !KINDS.has(kind),
  validate(obj, op, old, api, attrs) {
    // First the kind (a set lookup, no allocation): most writes (events, leases, endpoints) stop here.
    if (!KINDS.has(obj.kind) || (op !== "CREATE" && op !== "UPDATE")) return;
    const r = attrs.resource;
    // A built-in kind names its group and resource (admission.ts's POD_SPEC_RESOURCES, by kind).
    const isNamespace = obj.kind === "Namespace";
    if (!isNamespace) {
      // The fast path: a namespace without pod-security labels is privileged in every mode (and an
      // unparsable label is not privileged, so it is evaluated and reported as upstream does).
      const ns = api.get("Namespace", undefined, obj.metadata.namespace ?? "");
      if (!ns || namespaceIsPrivileged(ns)) return;
    }
    const response = admissionOf(api).validate({
      resource: r.plural,
      group: r.group,
      subresource: "",
      operation: op,
      namespace: isNamespace ? obj.metadata.name ?? "" : obj.metadata.namespace ?? "",
      name: obj.metadata.name || attrs.name,
      object: obj,
      oldObject: old,
    });
    for (const w of response.warnings) attrs.warnings?.push(w);
    if (response.allowed) return;
    const name = obj.metadata.name || attrs.name;
    if (response.invalid) throw invalidError(r.kind, name, response.invalid, r.group);
    throw newForbidden({ plural: r.plural, group: r.group }, name, response.forbidden ?? "Not allowed by PodSecurity");
  },
};
