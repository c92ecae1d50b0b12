/**
 * The admission chain of the simulated kube-apiserver, in kube-apiserver's order:
 * 1. defaulting (done when the request body is decoded);
 * 2. mutating admission plugins, in the order of kube-apiserver's AllOrderedPlugins:
 *    LimitRanger (defaults), ServiceAccount, Priority, DefaultTolerationSeconds, DefaultStorageClass,
 *    StorageObjectInUseProtection, DefaultIngressClass, MutatingAdmissionWebhook (webhook/mutating.ts:
 *    when a webhook changed the object, the chain runs once more, as admission.reinvoker);
 * 3. the registry's PrepareForCreate (the fields of gates off in v1.32 dropped, pod status and QoS class, the pod's AppArmor
 *    field and annotation synced, the Job's selector, the
 *    DaemonSet's template generation, the Namespace's finalizer) and the Service REST's ClusterIP allocation (../registry/core/service/alloc.ts);
 * 4. validation;
 * 5. validating admission plugins: LimitRanger (min, max, ratio), PodSecurity (podsecurity/),
 *    ValidatingAdmissionPolicy (validatingadmissionpolicy/), ValidatingAdmissionWebhook
 *    (webhook/validating.ts), ResourceQuota.
 */
import type { AdmissionPlugin } from "../store.ts";
import { defaulting } from "./defaults.ts";
import { defaultTolerationSeconds } from "./defaulttolerationseconds.ts";
import { dropDisabledFields } from "./dropdisabled.ts";
import { podStatusOnCreate } from "./podstatus.ts";
import { podAppArmorVersionSkew } from "./apparmor.ts";
import { podWarnings } from "./podwarnings.ts";
import { daemonSetPrepare, jobPrepareForCreate, namespacePrepareForCreate } from "./prepare.ts";
import { priorityAdmission } from "./priority.ts";
import { serviceAccountAdmission } from "./serviceaccount.ts";
import { defaultStorageClass, storageObjectInUseProtection } from "./storage.ts";
import { defaultIngressClassAdmission } from "./defaultingressclass.ts";
import { validation } from "./validation.ts";
import { limitRanger, limitRangerValidation } from "./limitranger.ts";
import { resourceQuotaAdmission } from "./resourcequota.ts";
import { podSecurityAdmission } from "./podsecurity/plugin.ts";
import { validatingAdmissionPolicy } from "./validatingadmissionpolicy/plugin.ts";
import { validatingAdmissionWebhook } from "./webhook/validating.ts";
import { mutatingAdmissionWebhook } from "./webhook/mutating.ts";
import { crdStrategy, customResourceValidation } from "../apiextensions/handler.ts";
import { serviceClusterIPAllocation } from "../registry/core/service/alloc.ts";
import { certificateSigningRequestStatusStrategy, certificateSigningRequestStrategy } from "../registry/certificates/csr.ts";

/**
 * The default plugins, in order: a new array of the same plugin objects at every call (one list per
 * cluster). The objects are made once per process (issue #19 §5: the three `inertWhenNone` copies and
 * the webhook's reinvocation plugin were made anew at every cluster's start, ~3 % of a start and
 * close): every plugin is its module's constant or, for the mutating webhook's reinvocation, made
 * from them, and none keeps anything of a cluster (each method is given the server).
 */
export function defaultAdmissionPlugins(): AdmissionPlugin[] {
  return [...(builtDefaults ??= buildDefaultAdmissionPlugins())];
}
let builtDefaults: readonly AdmissionPlugin[] | undefined;

function buildDefaultAdmissionPlugins(): AdmissionPlugin[] {
  // Mutating admission in kube-apiserver's order: LimitRanger before ServiceAccount and Priority.
  const mutating = [limitRanger, serviceAccountAdmission, priorityAdmission, defaultTolerationSeconds, defaultStorageClass, storageObjectInUseProtection, defaultIngressClassAdmission];
  return [
    defaulting,
    ...mutating,
    // The last mutating plugin; its reinvocation runs the ones before it again.
    mutatingAdmissionWebhook(mutating, defaulting),
    dropDisabledFields,
    podStatusOnCreate,
    podAppArmorVersionSkew,
    jobPrepareForCreate,
    daemonSetPrepare,
    namespacePrepareForCreate,
    certificateSigningRequestStrategy,
    certificateSigningRequestStatusStrategy,
    // The Service registry allocates the ClusterIP before the object is validated and stored.
    serviceClusterIPAllocation,
    validation,
    // The registry's WarningsOnCreate / WarningsOnUpdate, after its validation (rest.BeforeCreate).
    podWarnings,
    crdStrategy,
    customResourceValidation,
    // Validating admission runs after the registry's validation; ResourceQuota is the last plugin.
    limitRangerValidation,
    podSecurityAdmission,
    validatingAdmissionPolicy,
    validatingAdmissionWebhook,
    resourceQuotaAdmission,
  ].map(inertWhenNone);
}

/**
 * The plugins whose every method's first step returns when no object of a kind exists (`if
 * (api.count(kind) === 0) return`), by plugin name, and that kind: ValidatingAdmissionPolicy and the
 * admission webhooks (their files are another branch's).
 */
const INERT_WHEN_NONE: Readonly<Record<string, string>> = {
  ValidatingAdmissionPolicy: "ValidatingAdmissionPolicy",
  ValidatingAdmissionWebhook: "ValidatingWebhookConfiguration",
  MutatingAdmissionWebhook: "MutatingWebhookConfiguration",
};

/**
 * Such a plugin with `inertFor` saying so (issue #19's deferred Events: inert for every kind while
 * none exists), the same plugin's methods otherwise; every other plugin as it is.
 */
function inertWhenNone(p: AdmissionPlugin): AdmissionPlugin {
  const kind = Object.hasOwn(INERT_WHEN_NONE, p.name) ? INERT_WHEN_NONE[p.name] : undefined;
  if (kind === undefined || p.inertFor !== undefined) return p;
  return { ...p, inertFor: (_k, api) => api.count(kind) === 0 };
}
