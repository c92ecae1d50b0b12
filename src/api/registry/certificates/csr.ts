/**
 * The CertificateSigningRequest registry (pkg/registry/certificates/certificates/strategy.go and
 * pkg/apis/certificates/validation/validation.go, v1.32), as admission plugins of the store:
 *
 * - create (csrStrategy.PrepareForCreate): the status is reset to `{}`, and spec.username, uid,
 *   groups and extra are the requester's (../../authorization/requester.ts), whatever the request
 *   said;
 * - update of the main resource (PrepareForUpdate): spec and status stay as stored;
 * - the `status` subresource (csrStatusStrategy, what the signers write): the spec stays, the
 *   Approved and Denied conditions stay as stored when their count is unchanged
 *   (preserveConditionInstances), and condition timestamps are filled in (populateConditionTimestamps:
 *   lastUpdateTime now when missing; lastTransitionTime the stored one of a condition of the same
 *   type and status, else now);
 * - the `approval` subresource (csrApprovalStrategy, what `kubectl certificate approve|deny` writes):
 *   only the conditions change (timestamps filled in as above); spec and certificate stay;
 * - validation (validateCertificateSigningRequest and validateCertificateSigningRequestUpdate):
 *   the request must be a PEM `CERTIFICATE REQUEST` whose signature checks, usages of the known
 *   values without duplicates, a signerName of the form `example.com/name` (ValidateSignerName,
 *   not the legacy one), expirationSeconds of at least 600, well-formed conditions (types, `True`
 *   only for Approved/Denied/Failed, Approved and Denied exclusive, no duplicate types), a
 *   certificate of CERTIFICATE PEM blocks; an update may not remove an Approved, Denied or Failed
 *   condition, the status subresource may not add an Approved or Denied one, only the status
 *   subresource may set the certificate, and never change one already issued. Names are not
 *   checked beyond being given (ValidateCertificateRequestName accepts any).
 */
import { createPublicKey, verify, X509Certificate } from "node:crypto";
import { invalidError } from "../../errors.ts";
import type { AdmissionPlugin, ApiServer } from "../../store.ts";
import type { KObject } from "../../types.ts";
import { currentRequester } from "../../authorization/requester.ts";
import { registerValidation } from "../../validation/index.ts";
import { F, GoRepr, type Errs } from "../../validation/field.ts";
import { validateObjectMeta } from "../../validation/meta.ts";
import { DNS1123LabelMaxLength, DNS1123SubdomainMaxLength, IsDNS1123Label, IsDNS1123Subdomain } from "../../validation/names.ts";

export const KUBE_APISERVER_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";
/** certificates.LegacyUnknownSignerName: not accepted through certificates.k8s.io/v1. */
export const LEGACY_UNKNOWN_SIGNER = "kubernetes.io/legacy-unknown";

/** certificates.KeyUsage values (pkg/apis/certificates/types.go), sorted as sets.String.List() gives them. */
export const KEY_USAGES = [
  "signing", "digital signature", "content commitment", "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign",
  "encipher only", "decipher only", "any", "server auth", "client auth", "code signing", "email protection", "s/mime", "ipsec end system",
  "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc", "netscape sgc",
].sort();

/** Condition types that may only have status True (trueConditionTypes). */
const TRUE_ONLY_TYPES = new Set(["Approved", "Denied", "Failed"]);

/** The DER of the first PEM block of `label` in `text`, or undefined. */
export function pemBlock(text: string, label: string): Buffer | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]*?)-----END \1-----/.exec(text);
  if (!m || m[1] !== label) return undefined;
  return Buffer.from(m[2]!.replace(/\s+/g, ""), "base64");
}

/** Go's %#v of a []byte: `[]byte{0x2d, 0x2d, …}`, `[]byte(nil)` for a missing one. */
function goBytes(b: Buffer | undefined): GoRepr {
  if (!b) return new GoRepr("[]byte(nil)");
  return new GoRepr(`[]byte{${[...b].map((x) => "0x" + x.toString(16)).join(", ")}}`);
}

/** The bytes of spec.request (a base64 string in the object, as the API serialises []byte). */
export function requestBytes(csr: KObject): Buffer {
  const r = csr.spec?.request;
  return typeof r === "string" ? Buffer.from(r, "base64") : Buffer.alloc(0);
}

/**
 * validateCSR: ParseCSR (the first PEM block must be a `CERTIFICATE REQUEST`), x509.ParseCertificateRequest
 * and CheckSignature. The error's text, or undefined.
 */
export function requestError(raw: Buffer): string | undefined {
  const text = raw.toString("latin1");
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[A-Za-z0-9+/=\r\n]*?-----END \1-----/.exec(text);
  if (!m || m[1] !== "CERTIFICATE REQUEST") return "PEM block type must be CERTIFICATE REQUEST";
  const der = pemBlock(text, "CERTIFICATE REQUEST")!;
  let parts: ReturnType<typeof requestParts>;
  try {
    parts = requestParts(der);
  } catch {
    // encoding/asn1's error names the tags it met; the first words are kept (docs/divergences.md).
    return "asn1: structure error: tags don't match";
  }
  return parts.verified ? undefined : parts.failure;
}

/** A DER PKCS#10 request's signature check: whether it verifies, and x509's error when not. */
function requestParts(der: Buffer): { verified: boolean; failure: string } {
  const [info, alg, sig] = readSequence(der, 0).items;
  const infoItems = readSequence(der, info!.start).items;
  const spki = der.subarray(infoItems[2]!.start, infoItems[2]!.end);
  const algId = readSequence(der, alg!.start).items[0]!;
  const algOid = der.subarray(algId.start, algId.end).toString("hex");
  const key = createPublicKey({ key: spki, format: "der", type: "spki" });
  const sigBytes = der.subarray(sig!.contentStart + 1, sig!.end);
  // CheckSignature's errors: rsa.VerifyPKCS1v15's, and x509's own for ECDSA and Ed25519.
  const failure = key.asymmetricKeyType === "ec" ? "x509: ECDSA verification failure" : key.asymmetricKeyType === "ed25519" ? "x509: Ed25519 verification failure" : "crypto/rsa: verification error";
  const hash = SIGNATURE_HASHES[algOid];
  if (hash === undefined) return { verified: false, failure: "x509: cannot verify signature: algorithm unimplemented" };
  try {
    return { verified: verify(hash, der.subarray(info!.start, info!.end), key, sigBytes), failure };
  } catch {
    return { verified: false, failure };
  }
}

/** Signature algorithm OIDs (DER with tag) and their hash (null: Ed25519 signs the message itself). */
const SIGNATURE_HASHES: Record<string, string | null> = {
  "06092a864886f70d01010b": "sha256",
  "06092a864886f70d01010c": "sha384",
  "06092a864886f70d01010d": "sha512",
  "06092a864886f70d010105": "sha1",
  "06082a8648ce3d040302": "sha256",
  "06082a8648ce3d040303": "sha384",
  "06082a8648ce3d040304": "sha512",
  "06032b6570": null,
};

interface Tlv {
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(b: Buffer, at: number): Tlv {
  if (at + 2 > b.length) throw new Error("truncated");
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
  if (b[at] !== 0x30) throw new Error("not a SEQUENCE");
  const tlv = readTlv(b, at);
  const items: Tlv[] = [];
  for (let i = tlv.contentStart; i < tlv.end; ) {
    const t = readTlv(b, i);
    items.push(t);
    i = t.end;
  }
  return { tlv, items };
}

/** validateCertificate: status.certificate, when set, is CERTIFICATE PEM blocks without headers that parse. */
export function certificateError(pemData: Buffer): string | undefined {
  if (pemData.length === 0) return undefined;
  const re = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
  let blocks = 0;
  for (let m = re.exec(pemData.toString("latin1")); m; m = re.exec(pemData.toString("latin1"))) {
    if (m[1] !== "CERTIFICATE") return `only CERTIFICATE PEM blocks are allowed, found ${JSON.stringify(m[1])}`;
    if (m[2]!.includes(":")) return "no PEM block headers are permitted";
    blocks++;
    try {
      new X509Certificate(Buffer.from(m[2]!.replace(/\s+/g, ""), "base64"));
    } catch {
      return "x509: malformed certificate";
    }
  }
  return blocks === 0 ? "must contain at least one CERTIFICATE PEM block" : undefined;
}

/** apivalidation.ValidateSignerName (pkg/apis/core/validation). */
export function validateSignerName(path: string, signerName: string): Errs {
  if (signerName.length === 0) return [F.required(path, "")];
  const segments = signerName.split("/");
  if (segments.length !== 2) return [F.invalid(path, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const errs: Errs = [];
  const [domain, rest] = segments as [string, string];
  if (domain.length > DNS1123SubdomainMaxLength) errs.push(F.tooLong(path, DNS1123SubdomainMaxLength));
  const domainLabels = domain.split(".");
  for (const lbl of domainLabels) {
    const msgs = IsDNS1123Label(lbl);
    if (msgs.length) {
      for (const msg of msgs) errs.push(F.invalid(path, domain, `validating label ${JSON.stringify(lbl)}: ${msg}`));
      break;
    }
  }
  if (domainLabels.length < 2) errs.push(F.invalid(path, domain, "should be a domain with at least two segments separated by dots"));
  for (const lbl of rest.split(".")) {
    const msgs = IsDNS1123Subdomain(lbl);
    if (msgs.length) {
      for (const msg of msgs) errs.push(F.invalid(path, rest, `validating label ${JSON.stringify(lbl)}: ${msg}`));
      break;
    }
  }
  const maxSignerNameLength = DNS1123SubdomainMaxLength + (DNS1123SubdomainMaxLength + DNS1123LabelMaxLength + 1) + 1;
  if (signerName.length > maxSignerNameLength) errs.push(F.tooLong(path, maxSignerNameLength));
  return errs;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  [k: string]: unknown;
}

const conditionsOf = (csr: KObject | undefined): Condition[] => (Array.isArray(csr?.status?.conditions) ? csr.status.conditions : []);
const usagesOf = (csr: KObject | undefined): unknown[] => (Array.isArray(csr?.spec?.usages) ? csr.spec.usages : []);
const certificateOf = (csr: KObject | undefined): Buffer => (typeof csr?.status?.certificate === "string" ? Buffer.from(csr.status.certificate, "base64") : Buffer.alloc(0));

/** certificateValidationOptions: what an update path allows, and what the stored object tolerates. */
export interface ValidationOptions {
  allowSettingApprovalConditions?: boolean;
  allowSettingCertificate?: boolean;
  allowBothApprovedAndDenied?: boolean;
  allowLegacySignerName?: boolean;
  allowDuplicateConditionTypes?: boolean;
  allowEmptyConditionType?: boolean;
  allowArbitraryCertificate?: boolean;
  allowUnknownUsages?: boolean;
  allowDuplicateUsages?: boolean;
}

/** getValidationOptions: the compatibility allowances the stored object (`old`, none on create) grants. */
function validationOptions(csr: KObject, old: KObject | undefined): ValidationOptions {
  if (!old) return {};
  const oc = conditionsOf(old);
  const types = oc.map((c) => c.type ?? "");
  const usages = usagesOf(old);
  return {
    allowBothApprovedAndDenied: types.includes("Approved") && types.includes("Denied"),
    allowLegacySignerName: old.spec?.signerName === LEGACY_UNKNOWN_SIGNER,
    allowDuplicateConditionTypes: new Set(types).size !== types.length,
    allowEmptyConditionType: types.includes(""),
    allowArbitraryCertificate: certificateOf(csr).equals(certificateOf(old)) || certificateError(certificateOf(old)) !== undefined,
    allowUnknownUsages: usages.some((u) => typeof u !== "string" || !KEY_USAGES.includes(u)),
    allowDuplicateUsages: new Set(usages).size !== usages.length,
  };
}

/** validateCertificateSigningRequest with the options of the path. */
function validateCSR(csr: KObject, opts: ValidationOptions): Errs {
  const errs = validateObjectMeta(csr.metadata, false, () => []);
  const spec = csr.spec ?? {};
  const raw = typeof spec.request === "string" ? Buffer.from(spec.request, "base64") : undefined;
  const bad = requestError(raw ?? Buffer.alloc(0));
  if (bad) errs.push(F.invalid("spec.request", goBytes(raw), bad));
  const usages = usagesOf(csr);
  if (usages.length === 0) errs.push(F.required("spec.usages", ""));
  if (!opts.allowUnknownUsages) {
    usages.forEach((u, i) => {
      if (typeof u !== "string" || !KEY_USAGES.includes(u)) errs.push(F.notSupported(`spec.usages[${i}]`, u, KEY_USAGES));
    });
  }
  if (!opts.allowDuplicateUsages) {
    const seen = new Set<unknown>();
    usages.forEach((u, i) => {
      if (seen.has(u)) errs.push(F.duplicate(`spec.usages[${i}]`, u));
      seen.add(u);
    });
  }
  const signer = typeof spec.signerName === "string" ? spec.signerName : "";
  if (!opts.allowLegacySignerName && signer === LEGACY_UNKNOWN_SIGNER) errs.push(F.invalid("spec.signerName", signer, "the legacy signerName is not allowed via this API version"));
  else errs.push(...validateSignerName("spec.signerName", signer));
  if (typeof spec.expirationSeconds === "number" && spec.expirationSeconds < 600) {
    errs.push(F.invalid("spec.expirationSeconds", spec.expirationSeconds, "may not specify a duration less than 600 seconds (10 minutes)"));
  }
  errs.push(...validateConditions(csr, opts));
  if (!opts.allowArbitraryCertificate) {
    const bad = certificateError(certificateOf(csr));
    if (bad) errs.push(F.invalid("status.certificate", "<certificate data>", bad));
  }
  return errs;
}

/** validateConditions. */
function validateConditions(csr: KObject, opts: ValidationOptions): Errs {
  const errs: Errs = [];
  const seen = new Set<string>();
  let hasApproved = false;
  let hasDenied = false;
  conditionsOf(csr).forEach((c, i) => {
    const path = `status.conditions[${i}]`;
    const type = c.type ?? "";
    if (!opts.allowEmptyConditionType && type === "") errs.push(F.required(`${path}.type`, ""));
    const allowed = TRUE_ONLY_TYPES.has(type) ? ["True"] : ["False", "True", "Unknown"];
    if (!c.status) errs.push(F.required(`${path}.status`, ""));
    else if (!allowed.includes(c.status)) errs.push(F.notSupported(`${path}.status`, c.status, allowed));
    if (!opts.allowBothApprovedAndDenied) {
      if (type === "Approved") {
        hasApproved = true;
        if (hasDenied) errs.push(F.invalid(`${path}.type`, type, "Approved and Denied conditions are mutually exclusive"));
      } else if (type === "Denied") {
        hasDenied = true;
        if (hasApproved) errs.push(F.invalid(`${path}.type`, type, "Approved and Denied conditions are mutually exclusive"));
      }
    }
    if (!opts.allowDuplicateConditionTypes) {
      if (seen.has(type)) errs.push(F.duplicate(`${path}.type`, type));
      seen.add(type);
    }
  });
  return errs;
}

/** ValidateCertificateSigningRequestCreate. */
export function validateCertificateSigningRequest(csr: KObject): Errs {
  return validateCSR(csr, validationOptions(csr, undefined));
}

registerValidation("CertificateSigningRequest", validateCertificateSigningRequest);

/**
 * validateCertificateSigningRequestUpdate for the path: "" (ValidateCertificateSigningRequestUpdate),
 * `status` (…StatusUpdate: the certificate may be set) or `approval` (…ApprovalUpdate: Approved and
 * Denied conditions may be set).
 */
export function validateCertificateSigningRequestUpdate(csr: KObject, old: KObject, path: "" | "status" | "approval" = ""): Errs {
  const opts = { ...validationOptions(csr, old), allowSettingCertificate: path === "status", allowSettingApprovalConditions: path === "approval" };
  const errs = validateCSR(csr, opts);
  const count = (o: KObject, t: string) => conditionsOf(o).filter((c) => c.type === t).length;
  for (const t of ["Approved", "Denied", "Failed"]) {
    if (count(csr, t) < count(old, t)) errs.push(F.forbidden("status.conditions", `updates may not remove a condition of type ${JSON.stringify(t)}`));
  }
  if (!opts.allowSettingApprovalConditions) {
    for (const t of ["Approved", "Denied"]) {
      // A change of such a condition with the count kept ("updates may not modify a condition of
      // type …" and cmp.Diff's text) cannot happen here: the main resource's update keeps the
      // stored status, and the status subresource keeps these conditions as stored.
      if (count(csr, t) > count(old, t)) errs.push(F.forbidden("status.conditions", `updates may not add a condition of type ${JSON.stringify(t)}`));
    }
  }
  if (!certificateOf(csr).equals(certificateOf(old))) {
    if (!opts.allowSettingCertificate) errs.push(F.forbidden("status.certificate", "updates may not set certificate content"));
    else if (certificateOf(old).length > 0) errs.push(F.forbidden("status.certificate", "updates may not modify existing certificate content"));
  }
  return errs;
}

/** preserveConditionInstances: the stored conditions of `type` replace the new ones when there are as many. */
function preserveConditionInstances(next: Condition[], old: Condition[], type: string): void {
  const oldIdx = old.flatMap((c, i) => (c.type === type ? [i] : []));
  const newIdx = next.flatMap((c, i) => (c.type === type ? [i] : []));
  if (oldIdx.length !== newIdx.length) return;
  oldIdx.forEach((o, k) => (next[newIdx[k]!] = structuredClone(old[o]!)));
}

/** populateConditionTimestamps. */
export function populateConditionTimestamps(next: Condition[], old: Condition[], now: string): Condition[] {
  return next.map((c) => {
    const out = { ...c };
    if (!out.lastUpdateTime) out.lastUpdateTime = now;
    if (!out.lastTransitionTime) {
      const prev = old.find((o) => o.type === c.type && o.status === c.status && o.lastTransitionTime);
      out.lastTransitionTime = prev ? prev.lastTransitionTime : now;
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
      // Be explicit that users cannot create pre-approved certificate requests.
      obj.status = {};
      const user = currentRequester();
      const spec = (obj.spec ??= {});
      spec.username = user.name;
      if (user.uid) spec.uid = user.uid;
      else delete spec.uid;
      if (user.groups.length) spec.groups = [...user.groups];
      else delete spec.groups;
      if (user.extra && Object.keys(user.extra).length) spec.extra = structuredClone(user.extra);
      else delete spec.extra;
      return;
    }
    // PrepareForUpdate: spec and status stay as stored (the store keeps the status of a main-resource write).
    if (old) {
      obj.spec = structuredClone(old.spec);
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
    }
  },
};

/** csrStatusStrategy and csrApprovalStrategy: PrepareForUpdate and ValidateUpdate of the two subresources. */
export const certificateSigningRequestStatusStrategy: AdmissionPlugin = {
  name: "CertificateSigningRequestStatusStrategy",
  subresources: ["status", "approval"],
  inertFor: (kind) => kind !== "CertificateSigningRequest",
  mutate(obj, _op, old, api, attrs) {
    if (obj.kind !== "CertificateSigningRequest" || !old) return;
    obj.spec = structuredClone(old.spec);
    const now = api.clock.nowRFC3339();
    const next = structuredClone(conditionsOf(obj));
    const stored = conditionsOf(old);
    if (attrs.subresource === "approval") {
      // Only the conditions change.
      const status = { ...(old.status ?? {}) };
      if (next.length) status.conditions = populateConditionTimestamps(next, stored, now);
      else delete status.conditions;
      obj.status = status;
      return;
    }
    preserveConditionInstances(next, stored, "Approved");
    preserveConditionInstances(next, stored, "Denied");
    if (next.length) obj.status = { ...(obj.status ?? {}), conditions: populateConditionTimestamps(next, stored, now) };
  },
  validate(obj, _op, old, api: ApiServer, attrs) {
    if (obj.kind !== "CertificateSigningRequest" || !old) return;
    const path = attrs.subresource === "approval" ? "approval" : "status";
    const errs = validateCertificateSigningRequestUpdate(obj, old, path);
    if (errs.length) throw invalidError(obj.kind, obj.metadata.name ?? "", errs, api.resource(api.keyOf(obj)).group);
  },
};

