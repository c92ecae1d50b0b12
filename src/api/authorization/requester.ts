/**
 * Who makes the request being handled, for registry strategies that record it (a
 * CertificateSigningRequest's spec.username, uid, groups and extra: pkg/registry/certificates/
 * certificates/strategy.go PrepareForCreate, from request.UserFrom(ctx)). The store's writes carry
 * no user; a write made through the authorization filter (./filter.ts: an impersonated kubectl, a
 * client-certificate user, a facade client other than the admin) runs inside `asRequester`, and a
 * write outside any is the admin's (`KUBERNETES_ADMIN`, the scenario's kubectl).
 */
import { KUBERNETES_ADMIN, type UserInfo } from "./user.ts";

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
