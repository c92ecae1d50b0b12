/**
 * The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount): on pod creation it
 * sets `serviceAccountName` (default `default`), and, unless automounting is off, adds the
 * projected token volume `kube-api-access-<5 random chars>` and mounts it read-only at
 * /var/run/secrets/kubernetes.io/serviceaccount in every container.
 */
import { ApiError } from "../errors.ts";
import type { AdmissionPlugin } from "../store.ts";
import type { Container, Volume } from "../types.gen.ts";

export const SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
const TOKEN_EXPIRATION_SECONDS = 3607;

export const serviceAccountAdmission: AdmissionPlugin = {
  name: "ServiceAccount",
  mutate(pod, op, _old, api) {
    if (pod.kind !== "Pod" || op !== "CREATE") return;
    const spec = pod.spec ?? (pod.spec = {});
    // Mirror pods (created by a kubelet from a static manifest) are left alone.
    if (pod.metadata.annotations?.["kubernetes.io/config.mirror"] !== undefined) return;
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || "default";
    // The deprecated field mirrors the name (conversion to v1 sets it).
    spec.serviceAccount = spec.serviceAccountName;
    const ns = pod.metadata.namespace ?? "default";
    const sa = api.get("ServiceAccount", ns, spec.serviceAccountName);
    // Each namespace's `default` account is created by the service account controller; it is taken as present.
    if (!sa && spec.serviceAccountName !== "default") {
      throw new ApiError(
        "Forbidden",
        `pods ${JSON.stringify(pod.metadata.name ?? "")} is forbidden: error looking up service account ${ns}/${spec.serviceAccountName}: serviceaccount ${JSON.stringify(spec.serviceAccountName)} not found`,
      );
    }
    const automount = spec.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true;
    if (!automount) return;
    const containers: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    // A pod that already mounts something at the token path gets no token volume.
    if (containers.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH))) return;
    const existing = new Set((spec.volumes ?? []).map((v: Volume) => v.name));
    let name: string;
    const source = api.identityOf(`kube-api-access:${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? pod.metadata.generateName ?? ""}`);
    do name = `kube-api-access-${source.suffix(5)}`;
    while (existing.has(name));
    spec.volumes = [
      ...(spec.volumes ?? []),
      {
        name,
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
    for (const c of containers) {
      c.volumeMounts = [...(c.volumeMounts ?? []), { mountPath: SERVICE_ACCOUNT_MOUNT_PATH, name, readOnly: true }];
    }
  },
};
