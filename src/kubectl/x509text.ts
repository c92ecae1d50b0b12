/**
 * X.509 structures as OpenSSL 3.0 reads and prints them: the DER of a certificate and of a PKCS#10
 * certificate request taken apart (with node-forge's ASN.1 decoder, the project's X.509 codec), and
 * their `-text` dumps, names and dates in OpenSSL's formats (crypto/x509/t_x509.c, t_req.c,
 * v3_*.c's i2v/i2r functions, X509_NAME_print_ex with XN_FLAG_ONELINE, ASN1_TIME_print). Covers
 * what the user's machine makes and the cluster's signers issue: RSA keys, sha256WithRSAEncryption,
 * and the key usage, extended key usage, basic constraints, key identifier and subject alternative
 * name extensions; anything else prints as OpenSSL prints an extension it cannot decode.
 */
import { createRequire } from "node:module";
import type Forge from "node-forge";

let forgeModule: typeof Forge | undefined;
const forge = (): typeof Forge => (forgeModule ??= createRequire(import.meta.url)("node-forge") as typeof Forge);
type Asn1 = Forge.asn1.Asn1;

// decodeBitStrings off: a BIT STRING holding DER (a public key) keeps its bytes (the typings know only `strict`).
const fromDer = (b: Buffer): Asn1 => (forge().asn1.fromDer as unknown as (b: Forge.util.ByteStringBuffer, o: object) => Asn1)(forge().util.createBuffer(b.toString("binary")), { decodeBitStrings: false });
const derOf = (a: Asn1): Buffer => Buffer.from(forge().asn1.toDer(a).getBytes(), "binary");
const oidOf = (a: Asn1): string => forge().asn1.derToOid(forge().util.createBuffer(a.value as string));
const bytesOf = (a: Asn1): Buffer => Buffer.from(a.value as string, "binary");
const children = (a: Asn1): Asn1[] => a.value as Asn1[];

/** The DER of every PEM block with `label` in `text`, in order. */
export function pemBlocks(text: string, label: string): Buffer[] {
  const out: Buffer[] = [];
  const re = new RegExp(`-----BEGIN ${label}-----\\r?\\n([A-Za-z0-9+/=\\r\\n]*?)-----END ${label}-----`, "g");
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64"));
  return out;
}

/** PEM as OpenSSL writes it: base64 in lines of 64. */
export function toPEM(label: string, der: Buffer): string {
  return `-----BEGIN ${label}-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

/** OpenSSL's short names of the attribute types a distinguished name may hold (obj_dat.h). */
const SHORT_NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "street",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.5": "serialNumber",
  "2.5.4.17": "postalCode",
  "2.5.4.4": "SN",
  "2.5.4.42": "GN",
  "2.5.4.12": "title",
  "2.5.4.46": "dnQualifier",
  "1.2.840.113549.1.9.1": "emailAddress",
  "0.9.2342.19200300.100.1.25": "DC",
  "0.9.2342.19200300.100.1.1": "UID",
};
const BY_SHORT_NAME = new Map(Object.entries(SHORT_NAMES).map(([k, v]) => [v, k]));

/** The OID of an attribute type OpenSSL knows by `name` (short name, or a dotted OID), or undefined. */
export function attributeOid(name: string): string | undefined {
  if (/^\d+(\.\d+)+$/.test(name)) return name;
  return BY_SHORT_NAME.get(name) ?? { commonName: "2.5.4.3", countryName: "2.5.4.6", localityName: "2.5.4.7", stateOrProvinceName: "2.5.4.8", organizationName: "2.5.4.10", organizationalUnitName: "2.5.4.11" }[name];
}

/** One attribute of a name: its type and its string value, with the ASN.1 string type it was encoded as. */
export interface NameAttribute {
  oid: string;
  value: string;
}

/** A name's RDNs, each a set of attributes (usually one). */
export type Name = NameAttribute[][];

function nameFrom(a: Asn1): Name {
  return children(a).map((rdn) =>
    children(rdn).map((atv) => {
      const [o, v] = children(atv);
      const raw = v!.value as string;
      return { oid: oidOf(o!), value: v!.type === forge().asn1.Type.UTF8 ? forge().util.decodeUtf8(raw) : raw };
    }),
  );
}

/** ASN1_STRFLGS_ESC_2253 with ESC_CTRL: what XN_FLAG_ONELINE escapes in a value. */
function escapeValue(v: string): string {
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    const code = c.charCodeAt(0);
    if (',+"\\<>;'.includes(c) || (i === 0 && (c === "#" || c === " ")) || (i === v.length - 1 && c === " ")) out += "\\" + c;
    else if (code < 0x20 || code === 0x7f) out += "\\" + code.toString(16).toUpperCase().padStart(2, "0");
    else out += c;
  }
  return out;
}

/** X509_NAME_print_ex(XN_FLAG_ONELINE): `CN = myuser, O = dev`, attributes of one RDN joined with ` + `. */
export function formatName(name: Name): string {
  return name.map((rdn) => rdn.map((a) => `${SHORT_NAMES[a.oid] ?? a.oid} = ${escapeValue(a.value)}`).join(" + ")).join(", ");
}

/** The common name and organizations of a name (what kube-apiserver's x509 authenticator reads). */
export function userOfName(name: Name): { commonName: string; organizations: string[] } {
  const flat = name.flat();
  return { commonName: flat.filter((a) => a.oid === "2.5.4.3").map((a) => a.value).pop() ?? "", organizations: flat.filter((a) => a.oid === "2.5.4.10").map((a) => a.value) };
}

export interface Extension {
  oid: string;
  critical: boolean;
  value: Buffer;
}

export interface PublicKeyInfo {
  algorithmOid: string;
  /** RSA: the modulus and public exponent. */
  modulus?: bigint;
  exponent?: bigint;
  der: Buffer;
}

function publicKeyFrom(spki: Asn1): PublicKeyInfo {
  const [alg, bits] = children(spki);
  const algorithmOid = oidOf(children(alg!)[0]!);
  const info: PublicKeyInfo = { algorithmOid, der: derOf(spki) };
  if (algorithmOid === "1.2.840.113549.1.1.1") {
    const key = fromDer(bytesOf(bits!).subarray(1));
    const [n, e] = children(key);
    info.modulus = BigInt("0x" + (bytesOf(n!).toString("hex") || "0"));
    info.exponent = BigInt("0x" + (bytesOf(e!).toString("hex") || "0"));
  }
  return info;
}

function extensionsFrom(seq: Asn1): Extension[] {
  return children(seq).map((ext) => {
    const parts = children(ext);
    const critical = parts.length === 3 && (parts[1]!.value as string) !== "\u0000";
    return { oid: oidOf(parts[0]!), critical, value: bytesOf(parts[parts.length - 1]!) };
  });
}

export interface Certificate {
  der: Buffer;
  version: number;
  serial: Buffer;
  signatureOid: string;
  issuer: Name;
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  publicKey: PublicKeyInfo;
  extensions: Extension[];
  signature: Buffer;
  /** The DER of the signed part (TBSCertificate). */
  tbs: Buffer;
}

function timeFrom(a: Asn1): Date {
  const s = a.value as string;
  return a.type === forge().asn1.Type.UTCTIME ? forge().asn1.utcTimeToDate(s) : forge().asn1.generalizedTimeToDate(s);
}

/** A certificate's DER taken apart; throws when it is no certificate. */
export function parseCertificateDer(der: Buffer): Certificate {
  const top = children(fromDer(der));
  const tbsParts = children(top[0]!);
  let i = 0;
  let version = 1;
  if (tbsParts[0]!.tagClass === forge().asn1.Class.CONTEXT_SPECIFIC && tbsParts[0]!.type === 0) {
    version = Number(BigInt("0x" + bytesOf(children(tbsParts[0]!)[0]!).toString("hex"))) + 1;
    i = 1;
  }
  const serial = bytesOf(tbsParts[i]!);
  const validity = children(tbsParts[i + 3]!);
  const extsWrap = tbsParts.slice(i + 6).find((p) => p.tagClass === forge().asn1.Class.CONTEXT_SPECIFIC && p.type === 3);
  return {
    der,
    version,
    serial,
    signatureOid: oidOf(children(tbsParts[i + 1]!)[0]!),
    issuer: nameFrom(tbsParts[i + 2]!),
    notBefore: timeFrom(validity[0]!),
    notAfter: timeFrom(validity[1]!),
    subject: nameFrom(tbsParts[i + 4]!),
    publicKey: publicKeyFrom(tbsParts[i + 5]!),
    extensions: extsWrap ? extensionsFrom(children(extsWrap)[0]!) : [],
    signature: bytesOf(top[2]!).subarray(1),
    tbs: derOf(top[0]!),
  };
}

export interface CertificateRequest {
  der: Buffer;
  version: number;
  subject: Name;
  publicKey: PublicKeyInfo;
  /** The attributes: the extension request's extensions, and whether any attribute is there at all. */
  attributes: { oid: string }[];
  extensions?: Extension[];
  signatureOid: string;
  signature: Buffer;
  /** The DER of the signed part (CertificationRequestInfo). */
  info: Buffer;
}

/** A PKCS#10 request's DER taken apart; throws when it is none. */
export function parseRequestDer(der: Buffer): CertificateRequest {
  const top = children(fromDer(der));
  const [v, subject, spki, attrs] = children(top[0]!);
  const all = attrs ? children(attrs).map((a) => ({ oid: oidOf(children(a)[0]!), values: children(children(a)[1]!) })) : [];
  const attributes = all.map((a) => ({ oid: a.oid }));
  const extReq = all.find((a) => a.oid === "1.2.840.113549.1.9.14");
  return {
    der,
    version: Number(BigInt("0x" + (bytesOf(v!).toString("hex") || "0"))),
    subject: nameFrom(subject!),
    publicKey: publicKeyFrom(spki!),
    attributes,
    extensions: extReq && extReq.values[0] ? extensionsFrom(extReq.values[0]) : undefined,
    signatureOid: oidOf(children(top[1]!)[0]!),
    signature: bytesOf(top[2]!).subarray(1),
    info: derOf(top[0]!),
  };
}

const SIGNATURE_NAMES: Record<string, string> = {
  "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
  "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
  "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
  "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
  "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
  "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
};
const KEY_ALGORITHMS: Record<string, string> = { "1.2.840.113549.1.1.1": "rsaEncryption", "1.2.840.10045.2.1": "id-ecPublicKey", "1.3.101.112": "ED25519" };

/** Bytes as `aa:bb:…`, `perLine` to a line, each line indented (the last without its colon). */
function hexLines(b: Buffer, perLine: number, indent: number, upper = false): string {
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0"));
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += perLine) lines.push(" ".repeat(indent) + hex.slice(i, i + perLine).join(":") + (i + perLine < hex.length ? ":" : ""));
  const text = lines.join("\n");
  return upper ? text.toUpperCase() : text;
}

function bigBytes(n: bigint): Buffer {
  let h = n.toString(16);
  if (h.length % 2) h = "0" + h;
  return Buffer.from(h, "hex");
}

/** The public key block of `-text` (RSA as OpenSSL's rsa_pub_print), at `indent` spaces. */
function publicKeyText(pk: PublicKeyInfo, indent: number): string {
  const pad = " ".repeat(indent);
  const lines = [`${pad}Public Key Algorithm: ${KEY_ALGORITHMS[pk.algorithmOid] ?? pk.algorithmOid}`];
  if (pk.modulus !== undefined && pk.exponent !== undefined) {
    let mod = bigBytes(pk.modulus);
    const bits = pk.modulus.toString(2).length;
    if (mod[0]! & 0x80) mod = Buffer.concat([Buffer.from([0]), mod]);
    lines.push(`${pad}    Public-Key: (${bits} bit)`, `${pad}    Modulus:`, hexLines(mod, 15, indent + 8), `${pad}    Exponent: ${pk.exponent} (0x${pk.exponent.toString(16)})`);
  } else lines.push(`${pad}    Unable to load Public Key`);
  return lines.join("\n");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** ASN1_TIME_print: `Jan  1 00:00:00 2024 GMT`. */
export function formatTime(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

const EXTENSION_NAMES: Record<string, string> = {
  "2.5.29.15": "X509v3 Key Usage",
  "2.5.29.37": "X509v3 Extended Key Usage",
  "2.5.29.19": "X509v3 Basic Constraints",
  "2.5.29.14": "X509v3 Subject Key Identifier",
  "2.5.29.35": "X509v3 Authority Key Identifier",
  "2.5.29.17": "X509v3 Subject Alternative Name",
};
const KEY_USAGE_NAMES = ["Digital Signature", "Non Repudiation", "Key Encipherment", "Data Encipherment", "Key Agreement", "Certificate Sign", "CRL Sign", "Encipher Only", "Decipher Only"];
const EXT_KEY_USAGE_NAMES: Record<string, string> = {
  "1.3.6.1.5.5.7.3.1": "TLS Web Server Authentication",
  "1.3.6.1.5.5.7.3.2": "TLS Web Client Authentication",
  "1.3.6.1.5.5.7.3.3": "Code Signing",
  "1.3.6.1.5.5.7.3.4": "E-mail Protection",
  "1.3.6.1.5.5.7.3.5": "IPSec End System",
  "1.3.6.1.5.5.7.3.6": "IPSec Tunnel",
  "1.3.6.1.5.5.7.3.7": "IPSec User",
  "1.3.6.1.5.5.7.3.8": "Time Stamping",
  "1.3.6.1.5.5.7.3.9": "OCSP Signing",
  "2.5.29.37.0": "Any Extended Key Usage",
  "1.3.6.1.4.1.311.10.3.3": "Microsoft Server Gated Crypto",
  "2.16.840.1.113730.4.1": "Netscape Server Gated Crypto",
};

/** The value lines of one extension (X509V3_EXT_print), at `indent` spaces. */
function extensionValue(ext: Extension, indent: number): string {
  const pad = " ".repeat(indent);
  const v = fromDer(ext.value);
  switch (ext.oid) {
    case "2.5.29.15": {
      const raw = bytesOf(v);
      const bytes = raw.subarray(1);
      const names = KEY_USAGE_NAMES.filter((_, bit) => bit < bytes.length * 8 && (bytes[bit >> 3]! & (0x80 >> (bit & 7))) !== 0);
      return pad + names.join(", ");
    }
    case "2.5.29.37":
      return pad + children(v).map((o) => EXT_KEY_USAGE_NAMES[oidOf(o)] ?? oidOf(o)).join(", ");
    case "2.5.29.19": {
      const parts = children(v);
      const ca = parts[0]?.type === forge().asn1.Type.BOOLEAN && (parts[0].value as string) !== "\u0000";
      const len = parts.find((p) => p.type === forge().asn1.Type.INTEGER);
      return pad + `CA:${ca ? "TRUE" : "FALSE"}` + (len ? `, pathlen:${BigInt("0x" + (bytesOf(len).toString("hex") || "0"))}` : "");
    }
    case "2.5.29.14":
      return hexLines(bytesOf(v), Infinity, indent, true);
    case "2.5.29.35": {
      const keyId = children(v).find((p) => p.tagClass === forge().asn1.Class.CONTEXT_SPECIFIC && p.type === 0);
      return keyId ? hexLines(bytesOf(keyId), Infinity, indent, true) : pad;
    }
    case "2.5.29.17":
      return (
        pad +
        children(v)
          .map((gn) => {
            const raw = gn.value as string;
            if (gn.type === 2) return `DNS:${raw}`;
            if (gn.type === 1) return `email:${raw}`;
            if (gn.type === 6) return `URI:${raw}`;
            if (gn.type === 7) return `IP Address:${(forge().util as unknown as { bytesToIP(b: string): string }).bytesToIP(raw).toUpperCase()}`;
            return "othername:<unsupported>";
          })
          .join(", ")
      );
    default:
      return hexLines(ext.value, 16, indent).replace(/^ +/, (s) => s) + "";
  }
}

function extensionsText(exts: Extension[], indent: number): string {
  const pad = " ".repeat(indent);
  return exts
    .map((e) => `${pad}${EXTENSION_NAMES[e.oid] ?? e.oid}: ${e.critical ? "critical" : ""}\n${extensionValue(e, indent + 4)}`)
    .join("\n");
}

/** The serial number line(s) of X509_print_ex. */
function serialText(serial: Buffer): string {
  if (serial.length <= 8) {
    const n = BigInt("0x" + (serial.toString("hex") || "0"));
    return `        Serial Number: ${n} (0x${n.toString(16)})`;
  }
  let b = serial;
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  return `        Serial Number:\n${hexLines(b, Infinity, 12)}`;
}

/** `openssl x509 -noout -text`. */
export function certificateText(c: Certificate): string {
  const lines = [
    "Certificate:",
    "    Data:",
    `        Version: ${c.version} (0x${(c.version - 1).toString(16)})`,
    serialText(c.serial),
    `        Signature Algorithm: ${SIGNATURE_NAMES[c.signatureOid] ?? c.signatureOid}`,
    `        Issuer: ${formatName(c.issuer)}`,
    "        Validity",
    `            Not Before: ${formatTime(c.notBefore)}`,
    `            Not After : ${formatTime(c.notAfter)}`,
    `        Subject: ${formatName(c.subject)}`,
    "        Subject Public Key Info:",
    publicKeyText(c.publicKey, 12),
  ];
  if (c.extensions.length) lines.push("        X509v3 extensions:", extensionsText(c.extensions, 12));
  lines.push(`    Signature Algorithm: ${SIGNATURE_NAMES[c.signatureOid] ?? c.signatureOid}`, "    Signature Value:", hexLines(c.signature, 18, 8));
  return lines.join("\n") + "\n";
}

/** `openssl req -noout -text`. */
export function requestText(r: CertificateRequest): string {
  const lines = [
    "Certificate Request:",
    "    Data:",
    `        Version: ${r.version + 1} (0x${r.version.toString(16)})`,
    `        Subject: ${formatName(r.subject)}`,
    "        Subject Public Key Info:",
    publicKeyText(r.publicKey, 12),
    "        Attributes:",
  ];
  const others = r.attributes.filter((a) => a.oid !== "1.2.840.113549.1.9.14");
  if (r.attributes.length === 0) lines.push("            (none)");
  for (const a of others) lines.push(`            ${a.oid}:unable to print attribute`);
  // X509_REQ_print_ex prints the heading of the extension request whether or not it has any.
  lines.push("            Requested Extensions:");
  if (r.extensions?.length) lines.push(extensionsText(r.extensions, 16));
  lines.push(`    Signature Algorithm: ${SIGNATURE_NAMES[r.signatureOid] ?? r.signatureOid}`, "    Signature Value:", hexLines(r.signature, 18, 8));
  return lines.join("\n") + "\n";
}
