/**
 * A program's Kubernetes client as client-go's in-cluster config makes it (rest.InClusterConfig):
 * the API server at `kubernetes.default.svc`, authenticated with the pod's service-account token
 * (`/var/run/secrets/kubernetes.io/serviceaccount/token`), so every request is the service
 * account's (`system:serviceaccount:<ns>:<name>`, groups `system:serviceaccounts`,
 * `system:serviceaccounts:<ns>`, `system:authenticated`) and goes through RBAC
 * (src/api/authorization/filter.ts): a Role the manifest forgot is a 403, as on a real cluster.
 * A pod that does not mount the token (`automountServiceAccountToken: false`) has no client.
 */
import type { ApiServer } from "../api/store.ts";
import type { Pod } from "../api/types.gen.ts";
import { authorizedApi } from "../api/authorization/filter.ts";
import { ALL_AUTHENTICATED, serviceAccountGroups, serviceAccountUsername } from "../api/authorization/user.ts";

/** The API as the pod's service account reaches it, or an error saying why there is none. */
export function inClusterClient(api: ApiServer | undefined, pod: Pod): ApiServer | Error {
  if (!api) return new Error("unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined");
  const ns = pod.metadata?.namespace ?? "default";
  const sa = pod.spec?.serviceAccountName || "default";
  const mounted = (pod.spec?.volumes ?? []).some((v) => v.name.startsWith("kube-api-access-"));
  if (!mounted) return new Error("open /var/run/secrets/kubernetes.io/serviceaccount/token: no such file or directory");
  return authorizedApi(api, { name: serviceAccountUsername(ns, sa), groups: [...serviceAccountGroups(ns), ALL_AUTHENTICATED] });
}
