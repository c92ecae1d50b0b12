/**
 * The serviceaccounts/token subresource (pkg/registry/core/serviceaccount/storage/token.go, v1.32,
 * TokenREST.Create): a TokenRequest (authentication.k8s.io/v1) for a ServiceAccount is answered with
 * a signed token (src/api/serviceaccount). In order:
 * - the body's name and namespace, when set, must be the account's; the account must exist
 *   (`serviceaccounts "x" not found`);
 * - audiences default to the API server's; expirationSeconds (defaulted to 3600) must be at least
 *   10 minutes and at most 2^32 seconds (ValidateTokenRequest);
 * - a bound object (Pod, Secret or Node of the core group) must exist, a pod must run as the
 *   account, a given uid must be the object's; a pod-bound token names the pod's node as well;
 * - a pod-bound token of exactly 3607 s for the API server's audiences (the kubelet's projected
 *   token) is extended to a year, its `warnafter` at the requested lifetime
 *   (--service-account-extend-token-expiration, on by default);
 * - status: the token, and expirationTimestamp = now + the requested lifetime.
 * Nothing is stored. The kubelet asks here for projected tokens (volumemanager/volumes.ts) as it
 * asks kube-apiserver; `kubectl create token` and the facade's POST reach it too.
 */
import { ApiError, invalidError, newConflict, fieldErr, type FieldError } from "../../../errors.ts";
import type { ApiServer } from "../../../store.ts";
import type { Node, Pod, Secret, ServiceAccount } from "../../../types.gen.ts";
import type { JSONObject } from "../../../types.ts";
import { claims } from "../../../serviceaccount/claims.ts";
import { API_AUDIENCES, SignedToken } from "../../../serviceaccount/jwt.ts";

/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607;
/** serviceaccount.ExpirationExtensionSeconds: a year. */
export const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;
/** SetDefaults_TokenRequestSpec. */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

export interface BoundObjectReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
}

export interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: BoundObjectReference;
}

export interface TokenRequest {
  apiVersion: "authentication.k8s.io/v1";
  kind: "TokenRequest";
  metadata: { name?: string; namespace?: string; creationTimestamp?: string | null; uid?: string };
  spec: { audiences: string[]; boundObjectRef?: BoundObjectReference; expirationSeconds: number };
  status: { token: string; expirationTimestamp: string };
}

const GROUP = "authentication.k8s.io";

function badRequest(message: string): ApiError {
  return new ApiError("BadRequest", message);
}

/** The TokenRequest a request body holds (metadata and spec), checked for shape. */
export function tokenRequestFromBody(body: JSONObject): { metadata: { name?: string; namespace?: string }; spec: TokenRequestSpec } {
  const meta = (body.metadata ?? {}) as { name?: string; namespace?: string };
  const spec = { ...((body.spec ?? {}) as TokenRequestSpec) };
  // A protobuf body names the reference's fields as go-to-protobuf does (aPIVersion, uID).
  const ref = spec.boundObjectRef as (BoundObjectReference & { aPIVersion?: string; uID?: string }) | undefined;
  if (ref) {
    const { aPIVersion, uID, ...rest } = ref;
    spec.boundObjectRef = { ...rest, ...(rest.apiVersion ?? aPIVersion ? { apiVersion: rest.apiVersion ?? aPIVersion } : {}), ...(rest.uid ?? uID ? { uid: rest.uid ?? uID } : {}) };
  }
  return { metadata: meta, spec };
}

type TokenRequestInput = { metadata?: { name?: string; namespace?: string }; spec?: TokenRequestSpec };

/** TokenREST.Create: the TokenRequest with its token. */
export function createToken(api: ApiServer, namespace: string, name: string, req: TokenRequestInput = {}): TokenRequest {
  const { response, token } = requestToken(api, namespace, name, req);
  return { ...response, status: { token: token.value, expirationTimestamp: response.status.expirationTimestamp } };
}

/**
 * TokenREST.Create with the token signed when first read (SignedToken): what the kubelet asks for,
 * since most projected tokens are never read in a simulation. Same checks, claims and bytes.
 */
export function requestToken(api: ApiServer, namespace: string, name: string, req: TokenRequestInput = {}): { response: Omit<TokenRequest, "status"> & { status: { expirationTimestamp: string } }; token: SignedToken } {
  const meta = req.metadata ?? {};
  const spec = req.spec ?? {};
  if (meta.name && meta.name !== name) throw invalidError("TokenRequest", name, [fieldErr.invalid("metadata.name", meta.name, "must match the service account name if specified")], GROUP);
  if (meta.namespace && meta.namespace !== namespace) {
    throw invalidError("TokenRequest", name, [fieldErr.invalid("metadata.namespace", meta.namespace, "must match the service account namespace if specified")], GROUP);
  }
  const sa = api.getOrThrow("ServiceAccount", namespace, name) as ServiceAccount;
  const audiences = spec.audiences?.length ? [...spec.audiences] : [...API_AUDIENCES];
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
  const nowMs = api.clock.now();
  const errs: FieldError[] = [];
  if (expirationSeconds < 600) errs.push(fieldErr.invalid("spec.expirationSeconds", expirationSeconds, "may not specify a duration less than 10 minutes"));
  if (expirationSeconds > 2 ** 32) errs.push(fieldErr.invalid("spec.expirationSeconds", expirationSeconds, "may not specify a duration larger than 2^32 seconds"));
  if (errs.length) throw invalidError("TokenRequest", "", errs, GROUP);

  let pod: Pod | undefined;
  let node: Pick<Node, "metadata"> | undefined;
  let secret: Secret | undefined;
  const ref = spec.boundObjectRef;
  if (ref) {
    const group = (ref.apiVersion ?? "").includes("/") ? ref.apiVersion!.split("/")[0] : "";
    let uid: string | undefined;
    if (group === "" && ref.kind === "Pod") {
      pod = api.getOrThrow("Pod", namespace, ref.name ?? "") as Pod;
      if (name !== pod.spec?.serviceAccountName) throw badRequest(`cannot bind token for serviceaccount ${JSON.stringify(name)} to pod running with different serviceaccount name.`);
      uid = pod.metadata.uid;
      const nodeName = pod.spec?.nodeName;
      // ServiceAccountTokenPodNodeInfo: the pod's node, by name alone when the Node is gone.
      if (nodeName) node = (api.get("Node", undefined, nodeName) as Node | undefined) ?? { metadata: { name: nodeName } };
    } else if (group === "" && ref.kind === "Node") {
      node = api.getOrThrow("Node", undefined, ref.name ?? "") as Node;
      uid = node.metadata.uid;
    } else if (group === "" && ref.kind === "Secret") {
      secret = api.getOrThrow("Secret", namespace, ref.name ?? "") as Secret;
      uid = secret.metadata.uid;
    } else {
      const [g, v] = (ref.apiVersion ?? "").includes("/") ? ref.apiVersion!.split("/") : ["", ref.apiVersion ?? ""];
      throw badRequest(`cannot bind token to object of type ${g ? `${g}/${v}` : `/${v}`}, Kind=${ref.kind ?? ""}`);
    }
    if (ref.uid && ref.uid !== uid) {
      throw newConflict({ plural: ref.kind!, group }, ref.name ?? "", `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
  }

  // Extend the kubelet's projected tokens (pod-bound, 3607 s, API audiences): warn after, fail a year later.
  let exp = expirationSeconds;
  let warnAfter = 0;
  if (pod && expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS && audiences.every((a) => API_AUDIENCES.includes(a))) {
    warnAfter = exp;
    exp = EXPIRATION_EXTENSION_SECONDS;
  }
  // The jti's source is taken now (identities are counted per key); its uuid, the claims and their
  // marshalling wait for the token's first read: they depend only on what is fixed here (stored
  // objects are frozen), so the bytes are the same.
  const jti = api.nextIdentity(`jti:${namespace}/${name}`);
  const token = new SignedToken(() => claims({ sa, pod, secret, node, expirationSeconds: exp, warnAfterSeconds: warnAfter, audiences, nowMs, jti: jti.uuid() }));
  return {
    response: {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      metadata: { name: sa.metadata.name, namespace: sa.metadata.namespace, creationTimestamp: new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace(".000Z", "Z") },
      spec: { audiences, ...(ref ? { boundObjectRef: { ...ref } } : {}), expirationSeconds },
      status: { expirationTimestamp: new Date((Math.floor(nowMs / 1000) + expirationSeconds) * 1000).toISOString().replace(".000Z", "Z") },
    },
    token,
  };
}
