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

/** GenerateToken: the signed JWT of `claims` (the public and private claims merged, `iss` included). */
export function generateToken(claims: Record<string, unknown>): string {
  const k = signingKey();
  const header = Buffer.from(JSON.stringify({ alg: "RS256", kid: k.kid })).toString("base64url");
  const payload = Buffer.from(marshalSorted(claims)).toString("base64url");
  const input = `${header}.${payload}`;
  return `${input}.${sign("sha256", Buffer.from(input), k.privateKey).toString("base64url")}`;
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
