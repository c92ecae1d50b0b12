/**
 * The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go, v1.32), on
 * pod creation:
 * 1. `serviceAccountName` defaults to `default` (and the deprecated `serviceAccount` mirrors it);
 * 2. the account must exist, else `pods "<name>" is forbidden: error looking up service account
 *    <ns>/<sa>: serviceaccount "<sa>" not found` (a ReplicaSet's FailedCreate event carries it);
 * 3. unless automounting is off (the pod's `automountServiceAccountToken` wins over the account's,
 *    default true), the projected token volume `kube-api-access-<5 chars>` (or the pod's own
 *    `kube-api-access-*` volume) is mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount
 *    in every init and app container that mounts nothing there, the volume added when one needs it;
 * 4. a pod without imagePullSecrets gets the account's;
 * 5. Validate: an account annotated `kubernetes.io/enforce-mountable-secrets: "true"` limits the
 *    secrets the pod may use (volumes, env, envFrom, imagePullSecrets) to those it lists.
 *
 * A missing `default` account: upstream retries the lookup 10 times 100-200 ms apart, since the
 * ServiceAccounts controller creates it within milliseconds of the namespace (or of its deletion);
 * here the controller creates it at the same simulated instant, after the request that made the
 * namespace, so a pod created in the same request burst (a manifest with the Namespace and its
 * pods) is admitted as the retry would admit it: with the empty account the controller creates
 * (docs/divergences.md).
 */
import { ApiError } from "../errors.ts";
import type { AdmissionAttributes, AdmissionPlugin, ApiServer } from "../store.ts";
import type { Container, LocalObjectReference, Pod, ServiceAccount, Volume } from "../types.gen.ts";
import type { KObject } from "../types.ts";

export const SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
export const DEFAULT_SERVICE_ACCOUNT_NAME = "default";
export const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = "kubernetes.io/enforce-mountable-secrets";
export const SERVICE_ACCOUNT_VOLUME_NAME = "kube-api-access";
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: 1 hour + 7 s. */
const TOKEN_EXPIRATION_SECONDS = 3607;

/** admission.NewForbidden's name: the object's name, or its generateName before one is generated. */
function forbidden(pod: KObject, attrs: AdmissionAttributes, message: string): ApiError {
  const name = attrs.name || pod.metadata.generateName || pod.metadata.name || "Unknown";
  return new ApiError("Forbidden", `pods ${JSON.stringify(name)} is forbidden: ${message}`);
}

/** getServiceAccount: the account, or the NotFound error's text. */
function getServiceAccount(api: ApiServer, ns: string, name: string): ServiceAccount | string {
  const sa = api.get("ServiceAccount", ns, name) as ServiceAccount | undefined;
  if (sa) return sa;
  // The retried lookup of `default` finds what the ServiceAccounts controller creates (see above).
  if (name === DEFAULT_SERVICE_ACCOUNT_NAME && (api.get("Namespace", undefined, ns)?.status?.phase ?? "Active") === "Active") {
    return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: ns } };
  }
  return `serviceaccount ${JSON.stringify(name)} not found`;
}

/** shouldAutomount: the pod's preference wins, then the account's, default true. */
export function shouldAutomount(sa: ServiceAccount, spec: { automountServiceAccountToken?: boolean }): boolean {
  return spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
}

function enforceMountableSecrets(sa: ServiceAccount): boolean {
  const v = sa.metadata?.annotations?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION];
  return v !== undefined && /^(1|t|T|TRUE|true|True)$/.test(v);
}

/** limitSecretReferences: the first reference to a secret the account does not list, in upstream's words. */
export function limitSecretReferences(sa: ServiceAccount, spec: Pod["spec"] & object): string | undefined {
  const mountable = new Set((sa.secrets ?? []).map((s) => s.name));
  const name = sa.metadata?.name;
  for (const v of spec.volumes ?? []) {
    if (v.secret && !mountable.has(v.secret.secretName)) return `volume with secret.secretName="${v.secret.secretName}" is not allowed because service account ${name} does not reference that secret`;
  }
  const check = (cs: Container[] | undefined, what: string) => {
    for (const c of cs ?? []) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !mountable.has(ref.name)) return `${what} ${c.name} with envVar ${e.name} referencing secret.secretName="${ref.name}" is not allowed because service account ${name} does not reference that secret`;
      }
      for (const ef of c.envFrom ?? []) {
        if (ef.secretRef && !mountable.has(ef.secretRef.name)) return `${what} ${c.name} with envFrom referencing secret.secretName="${ef.secretRef.name}" is not allowed because service account ${name} does not reference that secret`;
      }
    }
    return undefined;
  };
  const bad = check(spec.initContainers, "init container") ?? check(spec.containers, "container");
  if (bad) return bad;
  const pull = new Set((sa.imagePullSecrets ?? []).map((s) => s.name));
  for (const [i, ref] of (spec.imagePullSecrets ?? []).entries()) {
    if (!pull.has(ref.name)) return `imagePullSecrets[${i}].name="${ref.name}" is not allowed because service account ${name} does not reference that imagePullSecret`;
  }
  return undefined;
}

/** mountServiceAccountToken: the projected volume and each container's mount of it. */
function mountServiceAccountToken(api: ApiServer, pod: KObject): void {
  const spec = pod.spec;
  let tokenVolumeName = "";
  let hasTokenVolume = false;
  for (const v of (spec.volumes ?? []) as Volume[]) {
    if (v.name.startsWith(SERVICE_ACCOUNT_VOLUME_NAME + "-")) {
      tokenVolumeName = v.name;
      hasTokenVolume = true;
      break;
    }
  }
  if (!tokenVolumeName) {
    // names.SimpleNameGenerator, from a source keyed by the pod (the seed must not change names).
    const source = api.identityOf(`kube-api-access:${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? pod.metadata.generateName ?? ""}`);
    tokenVolumeName = `${SERVICE_ACCOUNT_VOLUME_NAME}-${source.suffix(5)}`;
  }
  let needsTokenVolume = false;
  for (const c of [...((spec.initContainers ?? []) as Container[]), ...((spec.containers ?? []) as Container[])]) {
    // Existing mounts at the default mount path prevent mounting of the API token.
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), { mountPath: SERVICE_ACCOUNT_MOUNT_PATH, name: tokenVolumeName, readOnly: true }];
    needsTokenVolume = true;
  }
  if (!hasTokenVolume && needsTokenVolume) {
    spec.volumes = [
      ...(spec.volumes ?? []),
      {
        name: tokenVolumeName,
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: "token" } },
            { configMap: { items: [{ key: "ca.crt", path: "ca.crt" }], name: "kube-root-ca.crt" } },
            { downwardAPI: { items: [{ fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" }, path: "namespace" }] } },
          ],
        },
      },
    ];
  }
}

export const serviceAccountAdmission: AdmissionPlugin = {
  name: "ServiceAccount",
  inertFor: (kind) => kind !== "Pod",
  mutate(pod, op, _old, api, attrs) {
    if (pod.kind !== "Pod" || op !== "CREATE") return;
    const spec = pod.spec ?? (pod.spec = {});
    // Mirror pods (created by a kubelet from a static manifest) are left alone.
    if (pod.metadata.annotations?.["kubernetes.io/config.mirror"] !== undefined) return;
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT_NAME;
    // The deprecated field mirrors the name (conversion to v1 sets it).
    spec.serviceAccount = spec.serviceAccountName;
    const ns = pod.metadata.namespace ?? "default";
    const sa = getServiceAccount(api, ns, spec.serviceAccountName);
    if (typeof sa === "string") throw forbidden(pod, attrs, `error looking up service account ${ns}/${spec.serviceAccountName}: ${sa}`);
    if (shouldAutomount(sa, spec)) mountServiceAccountToken(api, pod);
    if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) {
      spec.imagePullSecrets = sa.imagePullSecrets.map((s: LocalObjectReference) => ({ name: s.name }));
    }
  },
  validate(pod, op, _old, api, attrs) {
    if (pod.kind !== "Pod" || op !== "CREATE") return;
    if (pod.metadata.annotations?.["kubernetes.io/config.mirror"] !== undefined) return;
    const ns = pod.metadata.namespace ?? "default";
    const sa = getServiceAccount(api, ns, pod.spec?.serviceAccountName ?? DEFAULT_SERVICE_ACCOUNT_NAME);
    if (typeof sa === "string") throw forbidden(pod, attrs, `error looking up service account ${ns}/${pod.spec?.serviceAccountName}: ${sa}`);
    if (enforceMountableSecrets(sa)) {
      const bad = limitSecretReferences(sa, pod.spec);
      if (bad) throw forbidden(pod, attrs, bad);
    }
  },
};
