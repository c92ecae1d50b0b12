/**
 * The claims of a service account token (pkg/serviceaccount/claims.go, v1.32): `sub`
 * `system:serviceaccount:<ns>:<name>`, `aud`, `iat` = `nbf` = now and `exp` = now + the lifetime
 * (whole seconds), `jti` (ServiceAccountTokenJTI, beta and on since v1.30), and the private
 * `kubernetes.io` block: the namespace, the service account's name and uid, the object the token is
 * bound to (a pod, with its node when the pod is bound to one (ServiceAccountTokenPodNodeInfo); a
 * secret; or a node), and `warnafter` for the kubelet's tokens whose lifetime the API server
 * extended. `iss` is added by the signer (jwt.ts). The legacy Secret-based tokens have their own
 * claims (legacyClaims).
 */
import type { Node, Pod, Secret, ServiceAccount } from "../types.gen.ts";
import { SERVICE_ACCOUNT_ISSUER } from "./jwt.ts";

interface Ref {
  name?: string;
  uid?: string;
}

/** A `ref` as JSON marshals it: name and uid, each left out when empty (omitempty). */
function ref(o: { metadata: { name?: string; uid?: string } }): Ref {
  const r: Ref = {};
  if (o.metadata.name) r.name = o.metadata.name;
  if (o.metadata.uid) r.uid = o.metadata.uid;
  return r;
}

/** apiserverserviceaccount.MakeUsername. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export interface ClaimsInput {
  sa: ServiceAccount;
  pod?: Pod;
  secret?: Secret;
  node?: Pick<Node, "metadata">;
  expirationSeconds: number;
  /** Seconds after which a client of an extended token is warned (0: none). */
  warnAfterSeconds?: number;
  audiences: readonly string[];
  nowMs: number;
  jti: string;
}

/** Claims: the public claims and the private ones, merged as the signer marshals them, with `iss`. */
export function claims(c: ClaimsInput): Record<string, unknown> {
  if (c.secret && (c.pod || c.node)) throw new Error("internal error, token can only be bound to one object type");
  const now = Math.floor(c.nowMs / 1000);
  const k8s: Record<string, unknown> = {
    namespace: c.sa.metadata.namespace,
    serviceaccount: ref(c.sa),
  };
  if (c.pod) {
    k8s.pod = ref(c.pod);
    if (c.node) k8s.node = ref(c.node);
  } else if (c.secret) k8s.secret = ref(c.secret);
  else if (c.node) k8s.node = ref(c.node);
  if (c.warnAfterSeconds) k8s.warnafter = now + c.warnAfterSeconds;
  return {
    aud: [...c.audiences],
    exp: now + c.expirationSeconds,
    iat: now,
    iss: SERVICE_ACCOUNT_ISSUER,
    jti: c.jti,
    "kubernetes.io": k8s,
    nbf: now,
    sub: serviceAccountUsername(c.sa.metadata.namespace!, c.sa.metadata.name!),
  };
}

/**
 * LegacyClaims: the claims of a token a Secret of type kubernetes.io/service-account-token holds
 * (the legacy token controller's), no expiry: `iss` "kubernetes/serviceaccount" and the
 * `kubernetes.io/serviceaccount/*` claims.
 */
export function legacyClaims(sa: ServiceAccount, secret: Secret): Record<string, unknown> {
  return {
    iss: "kubernetes/serviceaccount",
    "kubernetes.io/serviceaccount/namespace": sa.metadata.namespace,
    "kubernetes.io/serviceaccount/secret.name": secret.metadata.name,
    "kubernetes.io/serviceaccount/service-account.name": sa.metadata.name,
    "kubernetes.io/serviceaccount/service-account.uid": sa.metadata.uid,
    sub: serviceAccountUsername(sa.metadata.namespace!, sa.metadata.name!),
  };
}
