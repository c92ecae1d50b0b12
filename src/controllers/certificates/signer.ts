/**
 * kube-controller-manager's `csrsigning-kube-apiserver-client` controller
 * (pkg/controller/certificates/signer/signer.go, authority/authority.go and policies.go, v1.32):
 * a CertificateSigningRequest for `kubernetes.io/kube-apiserver-client` that is approved, not
 * failed and has no certificate yet gets one, signed by the cluster's CA:
 *
 * - the usages must be `client auth`, optionally with `digital signature` and `key encipherment`;
 *   otherwise the request gets a `Failed` condition (reason `SignerValidationFailure`, the
 *   validation's message) and no certificate;
 * - the certificate (x509.CreateCertificate from the request's subject, SANs and public key) has
 *   the usages as key usage and extended key usages (sorted as Go sorts them), basic constraints
 *   CA:FALSE, the CA's key id as authority key id, a 128-bit serial, NotBefore five minutes before
 *   now (Backdate) and NotAfter the requested duration later (spec.expirationSeconds, at least ten
 *   minutes, at most --cluster-signing-duration's default of a year); a duration under eight hours
 *   (Short) counts from now instead; never past the CA's own NotAfter.
 *
 * The CA is the cluster's (./clusterca.ts) unless the `clusterSigningCA` service names another
 * (`kube-scenario serve` registers the facade's own). The serial comes from a DRBG keyed by the
 * request's uid, so a scenario issues the same certificate on every run.
 */
import type { ClusterContext, Component } from "../../context.ts";
import { ApiError } from "../../api/errors.ts";
import type { KObject } from "../../api/types.ts";
import { KUBE_APISERVER_CLIENT_SIGNER, requestBytes } from "../../api/registry/certificates/csr.ts";
import { createCertificate, decodePrivateKey, Drbg, parseCertificate, parseCSR, serialNumber, type PrivateKey, type Subject } from "../../images/programs/certmanager/pki.ts";
import { Controller } from "../controller.ts";
import { CLUSTER_CA_KEY_PEM, CLUSTER_CA_PEM } from "./clusterca.ts";

/** A CA that signs the cluster's certificates: its certificate and private key, PEM. */
export interface SigningCA {
  certPEM: string;
  keyPEM: string;
}

declare module "../../context.ts" {
  interface ClusterServices {
    /** The CA kube-controller-manager's signers use (--cluster-signing-cert-file / -key-file). */
    clusterSigningCA: SigningCA;
    /** Components told when the cluster's CA changes (setClusterSigningCA): the root CA publishers. */
    clusterCAListeners: Array<() => void>;
  }
}

/** --cluster-signing-duration's default: 8760h. */
export const DEFAULT_CERT_TTL_MS = 8760 * 3600_000;
const BACKDATE_MS = 5 * 60_000;
const SHORT_MS = 8 * 3600_000;
const MIN_DURATION_MS = 10 * 60_000;

/** x509.ExtKeyUsage's order (Go sorts the extended key usages by it). */
const EXT_KEY_USAGE_ORDER = ["any", "server auth", "client auth", "code signing", "email protection", "s/mime", "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc", "netscape sgc"];

interface LoadedCA {
  key: PrivateKey;
  subject: Subject;
  spki: Buffer;
  notAfter: Date;
}

const loaded = new Map<string, LoadedCA>();

function loadCA(ca: SigningCA): LoadedCA {
  const id = ca.certPEM + ca.keyPEM;
  let hit = loaded.get(id);
  if (!hit) {
    const cert = parseCertificate(ca.certPEM);
    if (!cert) throw new Error("the cluster signing CA's certificate does not parse");
    hit = { key: decodePrivateKey(ca.keyPEM), subject: cert.subject, spki: cert.spki, notAfter: cert.notAfter };
    loaded.set(id, hit);
  }
  return hit;
}

/** The CA the signers of this cluster use. */
export function clusterSigningCA(ctx: ClusterContext): SigningCA {
  return ctx.services.get("clusterSigningCA") ?? { certPEM: CLUSTER_CA_PEM, keyPEM: CLUSTER_CA_KEY_PEM };
}

/**
 * Makes `ca` the cluster's CA from now on: the signers sign with it, and the controllers that
 * publish the CA (the root CA publisher's `kube-root-ca.crt` ConfigMaps, the tokens controller's
 * `ca.crt` of token Secrets) put it in what they publish, as a kube-controller-manager restarted
 * with a new --root-ca-file does on its first sync. A cluster made with `ClusterOptions.signingCA`
 * has it from its start and publishes it without a second write.
 */
export function setClusterSigningCA(ctx: ClusterContext, ca: SigningCA): void {
  const before = ctx.services.get("clusterSigningCA");
  ctx.services.set("clusterSigningCA", ca);
  if (before?.certPEM === ca.certPEM || (!before && ca.certPEM === CLUSTER_CA_PEM)) return;
  for (const listener of ctx.services.get("clusterCAListeners") ?? []) listener();
}

/** Calls `listener` whenever setClusterSigningCA changes the cluster's CA. */
export function onClusterCAChange(ctx: ClusterContext, listener: () => void): void {
  ctx.services.ensure("clusterCAListeners", () => []).push(listener);
}

/** validAPIServerClientUsages: the error's message, or undefined. */
export function apiServerClientUsagesError(usages: string[]): string | undefined {
  let hasClientAuth = false;
  for (const u of usages) {
    if (u === "digital signature" || u === "key encipherment") continue;
    if (u === "client auth") hasClientAuth = true;
    else return `invalid usage for client certificate: ${u}`;
  }
  return hasClientAuth ? undefined : "missing required usage for client certificate: client auth";
}

/** signer.duration: the requested duration within [10m, certTTL]. */
export function signingDuration(expirationSeconds: number | undefined, certTTL = DEFAULT_CERT_TTL_MS): number {
  if (expirationSeconds === undefined) return certTTL;
  const requested = expirationSeconds * 1000;
  if (requested > certTTL) return certTTL;
  if (requested < MIN_DURATION_MS) return MIN_DURATION_MS;
  return requested;
}

/** PermissiveSigningPolicy.apply's validity for a certificate signed at `now`. */
export function validity(now: number, ttl: number, signerNotAfter: Date): { notBefore: Date; notAfter: Date } {
  const notBefore = Math.floor((now - BACKDATE_MS) / 1000) * 1000;
  let notAfter = ttl < SHORT_MS ? Math.floor((now + ttl) / 1000) * 1000 : notBefore + ttl;
  if (notAfter >= signerNotAfter.getTime()) notAfter = signerNotAfter.getTime();
  return { notBefore: new Date(notBefore), notAfter: new Date(notAfter) };
}

/** CertificateAuthority.Sign with the policy: the certificate's PEM. */
export function signRequest(ca: SigningCA, csr: KObject, now: number, certTTL = DEFAULT_CERT_TTL_MS): string {
  const authority = loadCA(ca);
  const parsed = parseCSR(requestBytes(csr).toString("latin1"));
  const usages: string[] = [...(csr.spec?.usages ?? [])];
  const ext = usages.filter((u) => EXT_KEY_USAGE_ORDER.includes(u)).sort((a, b) => EXT_KEY_USAGE_ORDER.indexOf(a) - EXT_KEY_USAGE_ORDER.indexOf(b));
  const { notBefore, notAfter } = validity(now, signingDuration(csr.spec?.expirationSeconds, certTTL), authority.notAfter);
  if (now >= authority.notAfter.getTime()) throw new Error(`refusing to sign a certificate that expired in the past: NotAfter=${authority.notAfter.toISOString()}`);
  return createCertificate(
    {
      serial: serialNumber(new Drbg(`csr-serial/${csr.metadata.uid ?? csr.metadata.name}`)),
      subject: parsed.subject,
      sans: parsed.sans,
      notBefore,
      notAfter,
      isCA: false,
      // The key usage bits, then the extended key usages in Go's order (the validated usages are never empty).
      usages: [...usages.filter((u) => !EXT_KEY_USAGE_ORDER.includes(u)), ...ext],
      spki: parsed.spki,
    },
    authority.key,
    { subject: authority.subject, spki: authority.spki },
  );
}

type Condition = { type?: string; status?: string };

export class CSRSigningController extends Controller {
  readonly name = "csrsigning-kube-apiserver-client";

  start(): void {
    this.watch("CertificateSigningRequest", (ev) => {
      if (ev.type === "DELETED") return;
      this.queue.add(ev.object.metadata.name!);
    });
    for (const csr of this.ctx.api.list("CertificateSigningRequest")) this.queue.add(csr.metadata.name!);
  }

  protected override syncHandler(name: string): void | Error {
    const api = this.ctx.api;
    const csr = api.get("CertificateSigningRequest", undefined, name);
    if (!csr) return;
    const conditions: Condition[] = Array.isArray(csr.status?.conditions) ? csr.status.conditions : [];
    const hasTrue = (type: string) => conditions.some((c) => c.type === type && c.status === "True");
    // IsCertificateRequestApproved: Approved and not Denied; a certificate already issued is left alone.
    if (!hasTrue("Approved") || hasTrue("Denied") || hasTrue("Failed") || csr.status?.certificate) return;
    if (csr.spec?.signerName !== KUBE_APISERVER_CLIENT_SIGNER) return;
    const next: KObject = structuredClone(csr);
    const failure = apiServerClientUsagesError(Array.isArray(csr.spec?.usages) ? csr.spec.usages : []);
    if (failure) {
      next.status = { ...next.status, conditions: [...conditions, { type: "Failed", status: "True", reason: "SignerValidationFailure", message: failure, lastUpdateTime: this.ctx.clock.nowRFC3339() }] };
    } else {
      let pem: string;
      try {
        pem = signRequest(clusterSigningCA(this.ctx), csr, this.ctx.clock.now());
      } catch (e) {
        return e instanceof Error ? e : new Error(String(e));
      }
      next.status = { ...next.status, certificate: Buffer.from(pem).toString("base64") };
    }
    try {
      api.update(next, { subresource: "status" });
    } catch (e) {
      if (e instanceof ApiError) return e;
      throw e;
    }
  }
}

export const csrSigningController = (ctx: ClusterContext): Component => new CSRSigningController(ctx);
