/**
 * The CertificateSigningRequest registry (pkg/registry/certificates/certificates/strategy.go and
 * pkg/apis/certificates/validation/validation.go, v1.32), as an admission plugin of the store:
 *
 * - create (csrStrategy.PrepareForCreate): the status is dropped, and spec.username, uid, groups and
 *   extra are the requester's (./../../authorization/requester.ts), whatever the request said;
 * - update of the main resource: spec and status stay as stored (only metadata changes);
 * - status writes (csrStatusStrategy, csrApprovalStrategy: `kubectl certificate approve` and the
 *   signers): the spec stays, and each condition gets its lastUpdateTime and lastTransitionTime
 *   (populateConditionTimestamps: now when missing, the old transition time when the status of a
 *   condition of that type did not change);
 * - validation: the request must be a PEM `CERTIFICATE REQUEST` that parses, with signerName,
 *   usages of the known values, and expirationSeconds of at least 600.
 */
import { createPublicKey, verify } from "node:crypto";
import type { AdmissionPlugin } from "../../store.ts";
import type { KObject } from "../../types.ts";
import { currentRequester } from "../../authorization/requester.ts";
import { registerValidation } from "../../validation/index.ts";
import { F, GoRepr, type Errs } from "../../validation/field.ts";
import { NameIsDNSSubdomain, validateObjectMeta } from "../../validation/meta.ts";

export const KUBE_APISERVER_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";

/** certificates.KeyUsage values (pkg/apis/certificates/types.go), in upstream's allowedUsages order. */
export const KEY_USAGES = [
  "signing", "digital signature", "content commitment", "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign",
  "encipher only", "decipher only", "any", "server auth", "client auth", "code signing", "email protection", "s/mime", "ipsec end system",
  "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc", "netscape sgc",
];

/** The DER of the first PEM block of `label` in `text`, or undefined. */
export function pemBlock(text: string, label: string): Buffer | undefined {
  const m = new RegExp(`-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n([A-Za-z0-9+/=\\r\\n]*?)-----END \\1-----`).exec(text);
  if (!m || m[1] !== label) return undefined;
  return Buffer.from(m[2]!.replace(/\s+/g, ""), "base64");
}

/** Go's %#v of a []byte: `[]byte{0x2d, 0x2d, …}`. */
function goBytes(b: Buffer): GoRepr {
  return new GoRepr(`[]byte{${[...b].map((x) => "0x" + x.toString(16)).join(", ")}}`);
}

/** The bytes of spec.request (a base64 string in the object, as the API serialises []byte). */
export function requestBytes(csr: KObject): Buffer {
  const r = csr.spec?.request;
  return typeof r === "string" ? Buffer.from(r, "base64") : Buffer.alloc(0);
}

/** validateCSR: ParseCSR's checks on spec.request (a PEM block of the right type whose DER parses and self-verifies). */
function validateRequest(raw: Buffer): string | undefined {
  const text = raw.toString("latin1");
  const m = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text);
  if (!m) return "PEM block type must be CERTIFICATE REQUEST";
  if (m[1] !== "CERTIFICATE REQUEST") return "PEM block type must be CERTIFICATE REQUEST";
  const der = pemBlock(text, "CERTIFICATE REQUEST");
  if (!der || !selfSigned(der)) return "asn1: structure error: tags don't match";
  return undefined;
}

/** A DER PKCS#10 request's parts (info, SPKI, signature) and whether its signature verifies. */
function selfSigned(der: Buffer): boolean {
  try {
    const [info, alg, sig] = readSequence(der, 0).items;
    const infoItems = readSequence(der, info!.start).items;
    const spki = der.subarray(infoItems[2]!.start, infoItems[2]!.end);
    const algOid = der.subarray(readSequence(der, alg!.start).items[0]!.start, readSequence(der, alg!.start).items[0]!.end).toString("hex");
    const hash = { "06092a864886f70d01010b": "sha256", "06092a864886f70d01010c": "sha384", "06092a864886f70d01010d": "sha512", "06092a864886f70d010105": "sha1" }[algOid];
    const key = createPublicKey({ key: spki, format: "der", type: "spki" });
    const sigBytes = der.subarray(sig!.contentStart + 1, sig!.end);
    return verify(hash ?? null, der.subarray(info!.start, info!.end), key, sigBytes);
  } catch {
    return false;
  }
}

interface Tlv {
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(b: Buffer, at: number): Tlv {
  let i = at + 1;
  let len = b[i++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + b[i++]!;
  }
  if (i + len > b.length) throw new Error("truncated");
  return { start: at, contentStart: i, end: i + len };
}

function readSequence(b: Buffer, at: number): { tlv: Tlv; items: Tlv[] } {
  const tlv = readTlv(b, at);
  const items: Tlv[] = [];
  for (let i = tlv.contentStart; i < tlv.end; ) {
    const t = readTlv(b, i);
    items.push(t);
    i = t.end;
  }
  return { tlv, items };
}

/** ValidateCertificateSigningRequestCreate (v1's: usages and signerName required). */
export function validateCertificateSigningRequest(csr: KObject): Errs {
  const errs = validateObjectMeta(csr.metadata, false, NameIsDNSSubdomain);
  const spec = csr.spec ?? {};
  const raw = requestBytes(csr);
  const bad = validateRequest(raw);
  if (bad) errs.push(F.invalid("spec.request", goBytes(raw), bad));
  const usages: unknown[] = Array.isArray(spec.usages) ? spec.usages : [];
  if (usages.length === 0) errs.push(F.required("spec.usages", "usages must be provided"));
  const seen = new Set<string>();
  usages.forEach((u, i) => {
    if (typeof u !== "string" || !KEY_USAGES.includes(u)) errs.push(F.notSupported(`spec.usages[${i}]`, u, KEY_USAGES));
    else if (seen.has(u)) errs.push(F.duplicate(`spec.usages[${i}]`, u));
    else seen.add(u);
  });
  const signer = typeof spec.signerName === "string" ? spec.signerName : "";
  if (!signer) errs.push(F.required("spec.signerName", ""));
  else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[-A-Za-z0-9_.]+$/.test(signer)) {
    errs.push(F.invalid("spec.signerName", signer, "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
  }
  if (typeof spec.expirationSeconds === "number" && spec.expirationSeconds < 600) {
    errs.push(F.invalid("spec.expirationSeconds", spec.expirationSeconds, "may not specify a duration less than 600 seconds (10 minutes)"));
  }
  return errs;
}

registerValidation("CertificateSigningRequest", validateCertificateSigningRequest);

interface Condition {
  type?: string;
  status?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  [k: string]: unknown;
}

/** populateConditionTimestamps. */
function populateConditionTimestamps(next: Condition[], old: Condition[], now: string): Condition[] {
  return next.map((c) => {
    const out = { ...c };
    if (!out.lastUpdateTime) out.lastUpdateTime = now;
    if (!out.lastTransitionTime) {
      const prev = old.find((o) => o.type === c.type);
      out.lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now;
    }
    return out;
  });
}

/** The registry's strategy for CertificateSigningRequests (the main resource: create and update). */
export const certificateSigningRequestStrategy: AdmissionPlugin = {
  name: "CertificateSigningRequestStrategy",
  inertFor: (kind) => kind !== "CertificateSigningRequest",
  mutate(obj, op, old) {
    if (obj.kind !== "CertificateSigningRequest") return;
    if (op === "CREATE") {
      delete obj.status;
      const user = currentRequester();
      const spec = (obj.spec ??= {});
      spec.username = user.name;
      if (user.uid) spec.uid = user.uid;
      else delete spec.uid;
      spec.groups = [...user.groups];
      if (user.extra && Object.keys(user.extra).length) spec.extra = structuredClone(user.extra);
      else delete spec.extra;
      return;
    }
    // PrepareForUpdate: the spec cannot change (the store keeps the status of a main-resource write).
    if (old) obj.spec = structuredClone(old.spec);
  },
};

/** csrStatusStrategy / csrApprovalStrategy: a status write keeps the spec and stamps the conditions. */
export const certificateSigningRequestStatusStrategy: AdmissionPlugin = {
  name: "CertificateSigningRequestStatusStrategy",
  subresources: ["status"],
  inertFor: (kind) => kind !== "CertificateSigningRequest",
  mutate(obj, _op, old, api) {
    if (obj.kind !== "CertificateSigningRequest" || !old) return;
    obj.spec = structuredClone(old.spec);
    const conds: Condition[] = Array.isArray(obj.status?.conditions) ? obj.status.conditions : [];
    if (conds.length) obj.status = { ...obj.status, conditions: populateConditionTimestamps(conds, Array.isArray(old.status?.conditions) ? old.status.conditions : [], api.clock.nowRFC3339()) };
  },
};
