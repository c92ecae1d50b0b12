/**
 * The service-account token authenticator (pkg/serviceaccount/jwt.go JWTTokenAuthenticator with
 * claims.go's Validate, v1.32, bound tokens only): a bearer token is a service account's when it is
 * an RS256 JWS signed with the cluster's key (jwt.ts), issued by the cluster's issuer for one of the
 * API audiences, not expired nor before its nbf (60 s leeway, as upstream), and the account, and
 * the pod, secret or node it is bound to, still exist with the token's uids. The user is
 * `system:serviceaccount:<ns>:<name>` in `system:serviceaccounts`, `system:serviceaccounts:<ns>`
 * and `system:authenticated`, with the account's uid and the extra `authentication.kubernetes.io/*`
 * attributes (credential-id, pod, node).
 */
import { createPublicKey, verify } from "node:crypto";
import type { ApiServer } from "../store.ts";
import { ALL_AUTHENTICATED, serviceAccountGroups, serviceAccountUsername, type UserInfo } from "../authorization/user.ts";
import { API_AUDIENCES, SERVICE_ACCOUNT_ISSUER, signingKey } from "./jwt.ts";

const LEEWAY_SECONDS = 60;

let publicKey: ReturnType<typeof createPublicKey> | undefined;

interface Ref {
  name?: string;
  uid?: string;
}

/** The user a service account's token authenticates, or undefined when it is not a valid one. */
export function authenticateServiceAccountToken(api: ApiServer, token: string): UserInfo | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  let header: Record<string, unknown>;
  let c: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
    c = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (header.alg !== "RS256" || c.iss !== SERVICE_ACCOUNT_ISSUER) return undefined;
  publicKey ??= createPublicKey(signingKey().publicKeyPem);
  if (!verify("sha256", Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2]!, "base64url"))) return undefined;
  const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (!aud.some((a) => API_AUDIENCES.includes(String(a)))) return undefined;
  const now = Math.floor(api.clock.now() / 1000);
  if (typeof c.exp === "number" && now > c.exp + LEEWAY_SECONDS) return undefined;
  if (typeof c.nbf === "number" && now < c.nbf - LEEWAY_SECONDS) return undefined;
  const k8s = (c["kubernetes.io"] ?? {}) as { namespace?: string; serviceaccount?: Ref; pod?: Ref; secret?: Ref; node?: Ref };
  const ns = k8s.namespace ?? "";
  const saRef = k8s.serviceaccount ?? {};
  const sa = saRef.name ? api.get("ServiceAccount", ns, saRef.name) : undefined;
  if (!sa || sa.metadata.uid !== saRef.uid || sa.metadata.deletionTimestamp) return undefined;
  const extra: Record<string, string[]> = {};
  if (typeof c.jti === "string") extra["authentication.kubernetes.io/credential-id"] = [`JTI=${c.jti}`];
  if (k8s.pod) {
    const pod = api.get("Pod", ns, k8s.pod.name ?? "");
    if (!pod || pod.metadata.uid !== k8s.pod.uid || pod.metadata.deletionTimestamp) return undefined;
    extra["authentication.kubernetes.io/pod-name"] = [k8s.pod.name!];
    extra["authentication.kubernetes.io/pod-uid"] = [k8s.pod.uid!];
  }
  if (k8s.secret) {
    const secret = api.get("Secret", ns, k8s.secret.name ?? "");
    if (!secret || secret.metadata.uid !== k8s.secret.uid || secret.metadata.deletionTimestamp) return undefined;
  }
  if (k8s.node) {
    extra["authentication.kubernetes.io/node-name"] = [k8s.node.name ?? ""];
    extra["authentication.kubernetes.io/node-uid"] = [k8s.node.uid ?? ""];
  }
  return {
    name: serviceAccountUsername(ns, saRef.name!),
    uid: saRef.uid,
    groups: [...serviceAccountGroups(ns), ALL_AUTHENTICATED],
    extra,
  };
}
