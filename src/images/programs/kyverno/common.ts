/**
 * What Kyverno's programs share (github.com/kyverno/kyverno at v1.14.5): logr's text lines
 * (`--loggingFormat=text`), the serving certificates each webhook server makes for its Service
 * (pkg/tls renewer.go), and the storage keys of Kyverno's resources.
 */
import type { ApiServer } from "../../../api/store.ts";
import type { KObject } from "../../../api/types.ts";
import { b64 } from "../certmanager/common.ts";
import { createCertificate, Drbg, encodePrivateKey, rsaKey, serialNumber } from "../certmanager/pki.ts";
import { glogPrefix } from "../goflags.ts";

export const CLUSTER_POLICIES = "clusterpolicies.kyverno.io";
export const POLICIES = "policies.kyverno.io";
export const UPDATE_REQUESTS = "updaterequests.kyverno.io";

/** A logr line through klog's text format: `I1207 12:00:00.000000       1 file.go:12] "msg" k="v"`. */
export function klogText(ms: number, level: "I" | "E", where: string, msg: string, kv: Record<string, string> = {}): string {
  const pairs = Object.entries(kv)
    .map(([k, v]) => ` ${k}=${JSON.stringify(v)}`)
    .join("");
  return `${glogPrefix(ms, level, where)}${JSON.stringify(msg)}${pairs}`;
}

function tlsSecret(ns: string, name: string, certPEM: string, keyPEM: string): KObject {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns, labels: { "cert.kyverno.io/managed-by": "kyverno" } }, type: "kubernetes.io/tls", data: { "tls.crt": b64(certPEM), "tls.key": b64(keyPEM) } } as unknown as KObject;
}

/**
 * certRenewer.RenewCA / RenewTLS: the CA Secret (`*.kyverno.svc`, RSA 2048, valid a year) and the
 * serving pair for `<svc>.<ns>.svc` (its DNS names `<svc>`, `<svc>.<ns>`, `<svc>.<ns>.svc`, valid
 * 150 days, the CA appended), created when missing. Returns the CA's PEM (the webhooks' caBundle).
 */
export function ensureCertificates(client: ApiServer, ns: string, svc: string, caName: string, pairName: string, nowMs: number): string | Error {
  const now = Math.floor(nowMs / 1000) * 1000;
  try {
    let ca = client.get("Secret", ns, caName);
    const caKey = rsaKey(`kyverno-ca/${ns}/${caName}`);
    if (!ca) {
      const pem = createCertificate({ serial: serialNumber(new Drbg(`kyverno-ca-serial/${ns}/${caName}`)), subject: { commonName: "*.kyverno.svc" }, sans: {}, notBefore: new Date(now), notAfter: new Date(now + 365 * 24 * 3_600_000), isCA: true, usages: ["digital signature", "key encipherment", "cert sign"], spki: caKey.spki }, caKey);
      ca = client.create(tlsSecret(ns, caName, pem, encodePrivateKey(caKey)));
    }
    const caPEM = Buffer.from(((ca.data ?? {}) as Record<string, string>)["tls.crt"] ?? "", "base64").toString("utf8");
    if (!client.get("Secret", ns, pairName)) {
      const key = rsaKey(`kyverno-tls/${ns}/${pairName}`);
      const host = `${svc}.${ns}.svc`;
      const pem = createCertificate({ serial: serialNumber(new Drbg(`kyverno-tls-serial/${ns}/${pairName}`)), subject: { commonName: host }, sans: { dnsNames: [svc, `${svc}.${ns}`, host] }, notBefore: new Date(now), notAfter: new Date(now + 150 * 24 * 3_600_000), isCA: false, usages: ["digital signature", "key encipherment", "server auth"], spki: key.spki }, caKey, { subject: { commonName: "*.kyverno.svc" }, spki: caKey.spki });
      client.create(tlsSecret(ns, pairName, pem + caPEM, encodePrivateKey(key)));
    }
    return caPEM;
  } catch (e) {
    return e as Error;
  }
}

/** A generic webhook controller's configuration (pkg/controllers/generic/webhook build): one webhook `<svc>.<ns>.svc`. */
export function genericValidatingConfiguration(opts: { name: string; svc: string; ns: string; path: string; port: number; caPEM: string; rules: object[]; failurePolicy: "Fail" | "Ignore"; objectSelector?: object; annotations?: Record<string, string>; labels?: Record<string, string> }): KObject {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: opts.name, labels: { ...(opts.labels ?? {}), "webhook.kyverno.io/managed-by": "kyverno" }, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    webhooks: [
      {
        admissionReviewVersions: ["v1"],
        clientConfig: { caBundle: b64(opts.caPEM), service: { name: opts.svc, namespace: opts.ns, path: opts.path, port: opts.port } },
        failurePolicy: opts.failurePolicy,
        name: `${opts.svc}.${opts.ns}.svc`,
        ...(opts.objectSelector ? { objectSelector: opts.objectSelector } : {}),
        rules: opts.rules,
        sideEffects: "None",
      },
    ],
  } as unknown as KObject;
}

/** JSON with object keys sorted: two values compare equal whatever the order their keys were written in. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}
