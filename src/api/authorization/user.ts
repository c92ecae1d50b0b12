/**
 * Who makes a request (k8s.io/apiserver/pkg/authentication/user: user.Info and its well-known
 * groups; pkg/authentication/serviceaccount: the service-account usernames and groups), and who the
 * scenario's kubectl is.
 */

/** user.Info. */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  /** Extra attributes (a service-account token's `authentication.kubernetes.io/*`), by key. */
  extra?: Record<string, string[]>;
}

/** user.SystemPrivilegedGroup: every request of a member is allowed, whatever RBAC says. */
export const SYSTEM_PRIVILEGED_GROUP = "system:masters";
export const ALL_AUTHENTICATED = "system:authenticated";
export const ALL_UNAUTHENTICATED = "system:unauthenticated";
export const ANONYMOUS = "system:anonymous";

const SA_USERNAME_PREFIX = "system:serviceaccount:";
/** serviceaccount.AllServiceAccountsGroup. */
export const ALL_SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";

/** serviceaccount.MakeUsername. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_USERNAME_PREFIX}${namespace}:${name}`;
}

/** serviceaccount.MakeGroupNames: `system:serviceaccounts` and `system:serviceaccounts:<namespace>`. */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${namespace}`];
}

/** serviceaccount.SplitUsername: the namespace and name of a service account's username, or undefined. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_USERNAME_PREFIX)) return undefined;
  const parts = username.slice(SA_USERNAME_PREFIX.length).split(":");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** serviceaccount.MatchesUsername, without building the username. */
export function matchesServiceAccountUsername(namespace: string, name: string, username: string): boolean {
  return username === SA_USERNAME_PREFIX + namespace + ":" + name;
}

/**
 * The user of the scenario's kubectl: kind's admin kubeconfig (kubeadm's admin.conf). Since v1.29
 * kubeadm gives `kubernetes-admin` the group `kubeadm:cluster-admins`, which its ClusterRoleBinding
 * `kubeadm:cluster-admins` binds to `cluster-admin` (the super-admin.conf user alone is in
 * system:masters); the authenticator adds system:authenticated. `kubectl auth whoami` on kind prints
 * this user.
 */
export const KUBERNETES_ADMIN: UserInfo = Object.freeze({ name: "kubernetes-admin", groups: Object.freeze(["kubeadm:cluster-admins", ALL_AUTHENTICATED]) as string[] });

/**
 * The user an impersonating request acts as (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go,
 * WithImpersonation): a service account's username gets the account's groups unless groups are
 * given; every user but system:anonymous gets system:authenticated unless the groups name
 * system:authenticated or system:unauthenticated already, system:anonymous system:unauthenticated.
 */
export function impersonatedUser(username: string, groups: readonly string[], uid = ""): UserInfo {
  const out = [...groups];
  const sa = splitServiceAccountUsername(username);
  if (sa && groups.length === 0) out.push(...serviceAccountGroups(sa.namespace));
  if (username !== ANONYMOUS) {
    if (!out.includes(ALL_AUTHENTICATED) && !out.includes(ALL_UNAUTHENTICATED)) out.push(ALL_AUTHENTICATED);
  } else if (!out.includes(ALL_UNAUTHENTICATED)) out.push(ALL_UNAUTHENTICATED);
  return { name: username, groups: out, ...(uid ? { uid } : {}) };
}
