/**
 * Service account tokens as kube-apiserver signs them (pkg/serviceaccount/jwt.go, v1.32): a JWS in
 * compact form, RS256 over the claims, header `{"alg":"RS256","kid":<key id>}` where the key id is
 * the unpadded base64url SHA-256 of the public key's PKIX DER (keyIDFromPublicKey). The claims are
 * marshalled as go-jose does (claims.ts: every object's keys in sorted order). RSASSA-PKCS1-v1_5 is
 * deterministic, so the same claims give the same token byte for byte.
 *
 * The key is the simulation's fixed one (signingkey.ts, derived from a keyed source); signing uses
 * Node's crypto (node-forge made the key; its pure-JavaScript signing is ~100 times slower).
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import { SERVICE_ACCOUNT_SIGNING_KEY_PEM } from "./signingkey.ts";

/** kube-apiserver's --service-account-issuer (kubeadm, kind). */
export const SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";
/** The API server's audiences (--api-audiences defaults to the issuer). */
export const API_AUDIENCES: readonly string[] = [SERVICE_ACCOUNT_ISSUER];

let key: { privateKey: KeyObject; kid: string; publicKeyPem: string } | undefined;

/** The signing key, its key id and public key (PEM, what --service-account-key-file holds): made once per process. */
export function signingKey(): { privateKey: KeyObject; kid: string; publicKeyPem: string } {
  if (!key) {
    const privateKey = createPrivateKey(SERVICE_ACCOUNT_SIGNING_KEY_PEM);
    const pub = createPublicKey(privateKey);
    const der = pub.export({ type: "spki", format: "der" });
    key = { privateKey, kid: createHash("sha256").update(der).digest("base64url"), publicKeyPem: String(pub.export({ type: "spki", format: "pem" })) };
  }
  return key;
}

/** JSON with every object's keys sorted, as go-jose marshals claims (through a map). */
export function marshalSorted(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(marshalSorted).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${marshalSorted(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * A token whose claims are fixed and whose signature is computed when the token is first read: the
 * kubelet requests one per projected volume and refresh, and most are never read by anything in a
 * simulation, while an RSA signature costs about a millisecond. The signature is a function of the
 * header and claims alone (RSASSA-PKCS1-v1_5), so when it is computed changes no byte. The claims
 * may be given as a function of what was fixed at the request (frozen objects, the instant, the
 * jti): they are then marshalled when the token is first read, too (issue #19: the kubelet's
 * refresh of every pod's token at 80 % of its lifetime).
 */
export class SignedToken {
  private signed: string | undefined;
  private input: string | undefined;
  private claims: (() => Record<string, unknown>) | undefined;

  constructor(
    /** `<header>.<claims>`, base64url (what is signed), or the claims to marshal when first read. */
    input: string | (() => Record<string, unknown>),
  ) {
    if (typeof input === "string") this.input = input;
    else this.claims = input;
  }

  /** `<header>.<claims>`, base64url: what is signed. */
  get signingInput(): string {
    if (this.input === undefined) {
      this.input = `${header()}.${Buffer.from(marshalSorted(this.claims!())).toString("base64url")}`;
      this.claims = undefined;
    }
    return this.input;
  }

  get value(): string {
    return (this.signed ??= `${this.signingInput}.${sign("sha256", Buffer.from(this.signingInput), signingKey().privateKey).toString("base64url")}`);
  }
}

let headerText: string | undefined;

/** The JWS header, base64url: the same for every token (the key is fixed). */
function header(): string {
  return (headerText ??= Buffer.from(JSON.stringify({ alg: "RS256", kid: signingKey().kid })).toString("base64url"));
}

/** The token of `claims` (the public and private claims merged, `iss` included), signed when read. */
export function prepareToken(claims: Record<string, unknown>): SignedToken {
  return new SignedToken(`${header()}.${Buffer.from(marshalSorted(claims)).toString("base64url")}`);
}

/** GenerateToken: the signed JWT of `claims`. */
export function generateToken(claims: Record<string, unknown>): string {
  return prepareToken(claims).value;
}

/** The header and claims of a compact JWS, undefined when it is not one (what jwt.io shows). */
export function decodeToken(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    return { header: JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")), claims: JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) };
  } catch {
    return undefined;
  }
}
