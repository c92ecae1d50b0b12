/**
 * Who makes the request being handled (request.UserFrom(ctx)), for what reads it: registry
 * strategies that record it (a CertificateSigningRequest's spec.username, uid, groups and extra:
 * pkg/registry/certificates/certificates/strategy.go PrepareForCreate) and admission (the
 * AdmissionReview's and a ValidatingAdmissionPolicy's `request.userInfo`). The store's writes carry
 * no user; a write made through the authorization filter (./filter.ts: an impersonated kubectl, a
 * service account's token, a client-certificate user, a facade client other than the admin) runs
 * inside `asRequester` with the user RBAC authorized, a controller's work with its own identity
 * (`controllerRequester`, src/controllers/controller.ts), and a write outside any is the admin's
 * (`KUBERNETES_ADMIN`, the scenario's kubectl).
 */
import { ALL_AUTHENTICATED, KUBERNETES_ADMIN, serviceAccountGroups, serviceAccountUsername, type UserInfo } from "./user.ts";

let current: UserInfo | undefined;

/** Runs `fn` as a request of `user` (nested calls restore the outer requester). */
export function asRequester<T>(user: UserInfo, fn: () => T): T {
  const outer = current;
  current = user;
  try {
    return fn();
  } finally {
    current = outer;
  }
}

/** The user of the request being handled: the admin outside any `asRequester`. */
export function currentRequester(): UserInfo {
  return current ?? KUBERNETES_ADMIN;
}

/**
 * authenticationv1.UserInfo of the request being handled, as admission sends it (the
 * AdmissionReview's `request.userInfo`, request/admissionreview.go; a ValidatingAdmissionPolicy's
 * `request.userInfo`, cel.CreateAdmissionRequest): username, uid, groups, extra, each left out when
 * empty (omitempty).
 */
export function requestUserInfo(user: UserInfo = currentRequester()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (user.name) out.username = user.name;
  if (user.uid) out.uid = user.uid;
  if (user.groups.length > 0) out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length > 0) out.extra = Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]]));
  return out;
}

/**
 * The service account each controller of kube-controller-manager authenticates as: kind runs it
 * with --use-service-account-credentials, so each controller's client is its own service account in
 * kube-system (ControllerClientBuilder.ClientOrDie(name) in cmd/kube-controller-manager/app/*.go),
 * the account the bootstrap policy binds to `system:controller:<name>`
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/controller_policy.go). Keys are the simulation's
 * component names (Controller.name). The taint eviction controller keeps the node controller's
 * account ("taint-manager uses existing cluster role from node-controller"); the tokens controller
 * uses the controller manager's own credentials (rootClientBuilder).
 */
const CONTROLLER_SERVICE_ACCOUNTS: Readonly<Record<string, string>> = {
  "replicaset-controller": "replicaset-controller",
  "replication-controller": "replication-controller",
  "deployment-controller": "deployment-controller",
  "statefulset-controller": "statefulset-controller",
  "daemonset-controller": "daemon-set-controller",
  "job-controller": "job-controller",
  "cronjob-controller": "cronjob-controller",
  "endpoints-controller": "endpoint-controller",
  "endpointslice-controller": "endpointslice-controller",
  "garbage-collector-controller": "generic-garbage-collector",
  "namespace-controller": "namespace-controller",
  "node-lifecycle-controller": "node-controller",
  "taint-eviction-controller": "node-controller",
  "pod-garbage-collector": "pod-garbage-collector",
  "horizontal-pod-autoscaler": "horizontal-pod-autoscaler",
  "disruption-controller": "disruption-controller",
  "ttl-after-finished-controller": "ttl-after-finished-controller",
  "serviceaccount-controller": "service-account-controller",
  "root-ca-cert-publisher": "root-ca-cert-publisher",
  "resourcequota-controller": "resourcequota-controller",
  "clusterrole-aggregation-controller": "clusterrole-aggregation-controller",
  "persistentvolume-binder-controller": "persistent-volume-binder",
  "pvc-protection-controller": "pvc-protection-controller",
  "pv-protection-controller": "pv-protection-controller",
  "csrsigning-kube-apiserver-client": "certificate-controller",
};

/** kube-controller-manager's own user (its kubeconfig's client certificate: CN system:kube-controller-manager, no group). */
export const KUBE_CONTROLLER_MANAGER: UserInfo = Object.freeze({ name: "system:kube-controller-manager", groups: Object.freeze([ALL_AUTHENTICATED]) as string[] });
/** kube-apiserver's loopback client (its own controllers: the `kubernetes` Service, the aggregator's APIService availability). */
export const KUBE_APISERVER_LOOPBACK: UserInfo = Object.freeze({ name: "system:apiserver", groups: Object.freeze(["system:authenticated", "system:masters"]) as string[] });

/**
 * Components that run in the API server rather than the controller manager, and add-ons that run
 * as a pod's service account (the ingress-nginx controller, the local-path provisioner).
 */
const OTHER_COMPONENTS: Readonly<Record<string, UserInfo>> = {
  "kubernetes-service": KUBE_APISERVER_LOOPBACK,
  "apiservice-available": KUBE_APISERVER_LOOPBACK,
  "serviceaccount-token-controller": KUBE_CONTROLLER_MANAGER,
  "ingress-nginx": serviceAccountUser("ingress-nginx", "ingress-nginx"),
  "local-path-provisioner": serviceAccountUser("local-path-storage", "local-path-provisioner-service-account"),
};

/** A service account's user as the token authenticator gives it (name and groups; the uid and a token's extra are the token's). */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return Object.freeze({ name: serviceAccountUsername(namespace, name), groups: Object.freeze([...serviceAccountGroups(namespace), ALL_AUTHENTICATED]) as string[] });
}

const controllerUsers = new Map<string, UserInfo>();

/** The user a controller's requests authenticate as (see CONTROLLER_SERVICE_ACCOUNTS), by its component name; the controller manager's own for one not listed. */
export function controllerRequester(component: string): UserInfo {
  let u = controllerUsers.get(component);
  if (u === undefined) {
    const sa = CONTROLLER_SERVICE_ACCOUNTS[component];
    u = sa !== undefined ? serviceAccountUser("kube-system", sa) : OTHER_COMPONENTS[component] ?? KUBE_CONTROLLER_MANAGER;
    controllerUsers.set(component, u);
  }
  return u;
}

/** The kubelet of a node (its client certificate: CN system:node:<name>, O system:nodes). */
export function nodeRequester(nodeName: string): UserInfo {
  return { name: `system:node:${nodeName}`, groups: ["system:nodes", ALL_AUTHENTICATED] };
}
