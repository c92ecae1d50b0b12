/**
 * The legacy service account token controller (pkg/controller/serviceaccount/tokens_controller.go,
 * v1.32, kube-controller-manager's `serviceaccount-token-controller`), the part v1.32 still runs:
 * it no longer makes a token Secret for every account, but fills the ones users make.
 * - a Secret of type `kubernetes.io/service-account-token` annotated
 *   `kubernetes.io/service-account.name` (validation requires it) whose account exists (and has the
 *   uid of the `kubernetes.io/service-account.uid` annotation, when there is one) gets `ca.crt` (the
 *   cluster's CA), `namespace` and `token` (a JWT of the legacy claims, issuer
 *   `kubernetes/serviceaccount`, no expiry) where they are missing or wrong, and both annotations;
 * - such a Secret whose account does not exist is deleted ("Any tokens for non-existent service
 *   accounts will be cleaned up by the token controller"), and deleting an account deletes the
 *   token Secrets that name it (deleteTokens);
 * - syncSecret works on the informer's copy and updates only when the live Secret has the same
 *   resourceVersion (else the update event that follows syncs it again).
 * Secrets of other types are not looked at (the informer's filter).
 */
import type { ClusterContext, Component } from "../../context.ts";
import { ApiError } from "../../api/errors.ts";
import type { Secret, ServiceAccount } from "../../api/types.gen.ts";
import type { KObject } from "../../api/types.ts";
import { legacyClaims } from "../../api/serviceaccount/claims.ts";
import { generateToken } from "../../api/serviceaccount/jwt.ts";
import { clusterSigningCA, onClusterCAChange } from "../certificates/signer.ts";
import { Controller } from "../controller.ts";
import { splitKey } from "../queue.ts";

export const SECRET_TYPE_SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";
export const SERVICE_ACCOUNT_NAME_KEY = "kubernetes.io/service-account.name";
export const SERVICE_ACCOUNT_UID_KEY = "kubernetes.io/service-account.uid";

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** The account a token Secret names (name, and uid when annotated). */
function secretAccount(secret: KObject): { name: string; uid: string } {
  return { name: secret.metadata.annotations?.[SERVICE_ACCOUNT_NAME_KEY] ?? "", uid: secret.metadata.annotations?.[SERVICE_ACCOUNT_UID_KEY] ?? "" };
}

export class TokensController extends Controller {
  readonly name = "serviceaccount-token-controller";
  /** syncServiceAccountQueue: keys ns/name of accounts (their uid kept beside, for deleteTokens). */
  private readonly syncServiceAccountQueue = this.newQueue((key) => this.syncServiceAccount(key));
  private readonly saUIDs = new Map<string, string>();

  /** @param fixedRootCA the `ca.crt` of token Secrets; by default the cluster's CA (signer.ts's clusterSigningCA), read at each sync. */
  constructor(
    ctx: ClusterContext,
    private readonly fixedRootCA?: string,
  ) {
    super(ctx);
  }

  /** The CA bundle token Secrets carry (--root-ca-file). */
  get rootCA(): string {
    return this.fixedRootCA ?? clusterSigningCA(this.ctx).certPEM;
  }

  start(): void {
    this.watch("ServiceAccount", (ev) => {
      const key = this.keyOf(ev.object);
      this.saUIDs.set(key, ev.object.metadata.uid!);
      this.syncServiceAccountQueue.add(key);
    });
    this.watch("Secret", (ev) => {
      if (ev.object.type !== SECRET_TYPE_SERVICE_ACCOUNT_TOKEN) return;
      this.enqueue(ev.object);
    });
    // A new CA: every token Secret again (secretUpdateNeeded compares its ca.crt), as the informer's
    // initial list of a kube-controller-manager restarted with another --root-ca-file.
    if (this.fixedRootCA === undefined) onClusterCAChange(this.ctx, () => {
      for (const s of this.ctx.api.list("Secret")) if (s.type === SECRET_TYPE_SERVICE_ACCOUNT_TOKEN) this.enqueue(s);
    });
  }

  /** syncServiceAccount: an account that is gone takes its token Secrets with it. */
  private syncServiceAccount(key: string): void {
    const [ns, name] = splitKey(key);
    const uid = this.saUIDs.get(key) ?? "";
    const sa = this.getServiceAccount(ns!, name, uid);
    if (sa) return;
    this.saUIDs.delete(key);
    for (const s of this.ctx.api.list("Secret", { namespace: ns })) {
      if (s.type !== SECRET_TYPE_SERVICE_ACCOUNT_TOKEN) continue;
      const ref = secretAccount(s);
      if (ref.name !== name || (ref.uid && uid && ref.uid !== uid)) continue;
      this.deleteToken(ns!, s.metadata.name!, s.metadata.uid!);
    }
  }

  /** getServiceAccount: the account, if it exists with the uid asked for (any uid when none is). */
  private getServiceAccount(ns: string, name: string, uid: string): ServiceAccount | undefined {
    const sa = this.ctx.api.get("ServiceAccount", ns, name) as ServiceAccount | undefined;
    if (!sa || (uid && sa.metadata.uid !== uid)) return undefined;
    return sa;
  }

  private deleteToken(ns: string, name: string, uid: string): void {
    const s = this.ctx.api.get("Secret", ns, name);
    if (!s || s.metadata.uid !== uid) return;
    try {
      this.ctx.api.delete("Secret", ns, name);
    } catch (e) {
      if (!(e instanceof ApiError) || e.reason !== "NotFound") throw e;
    }
  }

  /** syncSecret. */
  protected override syncHandler(key: string): void | Error {
    const [ns, name] = splitKey(key);
    const secret = this.ctx.api.get("Secret", ns, name) as Secret | undefined;
    // A deleted token Secret: upstream removes its reference from the account's secrets, which
    // v1.32 no longer adds for user-made Secrets; nothing to do.
    if (!secret || secret.type !== SECRET_TYPE_SERVICE_ACCOUNT_TOKEN) return;
    const ref = secretAccount(secret);
    const sa = this.getServiceAccount(ns!, ref.name, ref.uid);
    if (!sa) {
      this.deleteToken(ns!, name, secret.metadata.uid!);
      return;
    }
    return this.generateTokenIfNeeded(sa, secret);
  }

  /** secretUpdateNeeded: [needsCA, needsNamespace, needsToken]. */
  private secretUpdateNeeded(secret: Secret): [boolean, boolean, boolean] {
    const data = secret.data ?? {};
    const needsCA = this.rootCA.length > 0 && data["ca.crt"] !== b64(this.rootCA);
    const needsNamespace = !data.namespace;
    const needsToken = !data.token;
    return [needsCA, needsNamespace, needsToken];
  }

  private generateTokenIfNeeded(sa: ServiceAccount, cached: Secret): void | Error {
    if (!this.secretUpdateNeeded(cached).some(Boolean)) return;
    const live = this.ctx.api.get("Secret", cached.metadata.namespace, cached.metadata.name!) as Secret | undefined;
    // Our view of the secret is not up to date: the update event that follows gets to try again.
    if (!live || live.metadata.resourceVersion !== cached.metadata.resourceVersion) return;
    const [needsCA, needsNamespace, needsToken] = this.secretUpdateNeeded(live);
    const data: Record<string, string> = { ...(live.data ?? {}) };
    if (needsCA) data["ca.crt"] = b64(this.rootCA);
    if (needsNamespace) data.namespace = b64(live.metadata.namespace!);
    if (needsToken) data.token = b64(generateToken(legacyClaims(sa, live)));
    const updated: KObject = {
      ...live,
      metadata: { ...live.metadata, annotations: { ...live.metadata.annotations, [SERVICE_ACCOUNT_NAME_KEY]: sa.metadata.name!, [SERVICE_ACCOUNT_UID_KEY]: sa.metadata.uid! } },
      data,
    };
    try {
      this.ctx.api.update(updated);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // The secret is gone: nothing to retry.
      if (e.reason === "NotFound") return;
      return e;
    }
  }
}

export function tokensController(ctx: ClusterContext): Component {
  return new TokensController(ctx);
}
