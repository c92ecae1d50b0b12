/**
 * The X.509 work cert-manager does (pkg/util/pki at v1.16.1: GeneratePrivateKeyForCertificate,
 * GenerateCSR, CertificateTemplateFromCertificateRequest, SignCertificate, EncodePrivateKey), with
 * real keys and real DER, deterministic: every random draw (key material, serial numbers, ECDSA
 * nonces) comes from a DRBG seeded by the scenario's keyed randomness (`keyedRandom(key)`), so the
 * same feature gives the same bytes on every run and the same key in every scenario that names the
 * same object.
 *
 * - Keys: RSA (default 2048 bits, e = 65537; the primes are the DRBG's candidates that OpenSSL's
 *   primality test accepts, `crypto.checkPrimeSync`) and ECDSA P-256/P-384/P-521 (a scalar from the
 *   DRBG, the public point from OpenSSL's ECDH). Node's crypto holds them (KeyObject) and exports
 *   them as cert-manager encodes them: PKCS#1 `RSA PRIVATE KEY`, SEC 1 `EC PRIVATE KEY`, or PKCS#8.
 * - Signatures: RSA PKCS#1 v1.5 by Node's crypto (deterministic by nature); ECDSA with a nonce from
 *   the DRBG keyed by the key and the message (in the manner of RFC 6979), its point computed by
 *   OpenSSL's ECDH and the rest with BigInt arithmetic; Node's crypto verifies both (the tests).
 * - Structures: node-forge's ASN.1 DER encoder (already the project's X.509 encoder: src/server/
 *   servingcert.ts; Node's crypto parses certificates but cannot build them). The fields are laid
 *   out as Go's crypto/x509 lays them out: the RDN order of pkix.Name, PrintableString where the
 *   value allows it, UTCTime before 2050, the extensions in CreateCertificate's order (key usage,
 *   extended key usage, basic constraints, subject key id for CAs, authority key id when the issuer
 *   is another certificate, SANs, critical when the subject is empty).
 */
import { checkPrimeSync, createECDH, createHash, createHmac, createPrivateKey, createPublicKey, sign as nodeSign, X509Certificate, type KeyObject } from "node:crypto";
import { createRequire } from "node:module";
import { isIP } from "node:net";
import type Forge from "node-forge";
import { keyedRandom } from "../../../sim/random.ts";

/**
 * node-forge, required at its first use: loading it (~40 modules, 30-50 ms of CPU) was part of every
 * Cucumber start, and only a scenario with cert-manager (or the facade's serving certificate,
 * src/server/servingcert.ts) encodes X.509. The same module object the import gave.
 */
let forgeModule: typeof Forge | undefined;
const forge = (): typeof Forge => (forgeModule ??= createRequire(import.meta.url)("node-forge") as typeof Forge);
const asn1 = (): typeof Forge.asn1 => forge().asn1;
type Asn1 = Forge.asn1.Asn1;

/** A deterministic byte source: HMAC-SHA256 in counter mode over a seed drawn from keyedRandom(key). */
export class Drbg {
  private counter = 0;
  private readonly seed: string;
  constructor(key: string) {
    this.seed = keyedRandom(key).hex(64) + "\u0000" + key;
  }
  bytes(n: number): Buffer {
    const out: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const block = createHmac("sha256", this.seed).update(String(this.counter++)).digest();
      out.push(block);
      have += block.length;
    }
    return Buffer.concat(out).subarray(0, n);
  }
}

const big = (b: Buffer) => BigInt("0x" + (b.toString("hex") || "0"));
function toBuf(n: bigint, len?: number): Buffer {
  let h = n.toString(16);
  if (h.length % 2) h = "0" + h;
  const b = Buffer.from(h, "hex");
  if (len === undefined || b.length >= len) return b;
  return Buffer.concat([Buffer.alloc(len - b.length), b]);
}
const b64url = (b: Buffer) => b.toString("base64url");

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

function modInv(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

export type KeyAlgorithm = "RSA" | "ECDSA" | "Ed25519";

/** A private key and what cert-manager needs of it. */
export interface PrivateKey {
  algorithm: KeyAlgorithm;
  /** RSA: modulus bits; ECDSA: the curve's size (256, 384, 521). */
  size: number;
  key: KeyObject;
  /** The DER of the SubjectPublicKeyInfo. */
  spki: Buffer;
  /** ECDSA: the scalar (for signing with a derived nonce). */
  d?: bigint;
}

const CURVES: Record<number, { node: string; jwk: string; n: bigint; bytes: number; hash: string; sigOid: string }> = {
  256: { node: "prime256v1", jwk: "P-256", n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, bytes: 32, hash: "sha256", sigOid: "1.2.840.10045.4.3.2" },
  384: { node: "secp384r1", jwk: "P-384", n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n, bytes: 48, hash: "sha384", sigOid: "1.2.840.10045.4.3.3" },
  521: { node: "secp521r1", jwk: "P-521", n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n, bytes: 66, hash: "sha512", sigOid: "1.2.840.10045.4.3.4" },
};

const rsaCache = new Map<string, PrivateKey>();

const SMALL_PRIMES: number[] = [];
for (let n = 3; n < 4096; n += 2) if (SMALL_PRIMES.every((p) => n % p !== 0)) SMALL_PRIMES.push(n);

/**
 * A prime of `bits` bits (top two bits set, so that p·q has 2·bits bits): from a random odd start
 * drawn from the DRBG, the first odd number past it with no factor below 4096 that OpenSSL's
 * primality test accepts (the incremental search OpenSSL's own generator makes).
 */
function prime(bits: number, rnd: Drbg): bigint {
  for (;;) {
    const b = rnd.bytes(bits / 8);
    b[0]! |= 0xc0;
    b[b.length - 1]! |= 1;
    const start = big(b);
    const rems = SMALL_PRIMES.map((p) => Number(start % BigInt(p)));
    for (let delta = 0; delta < 1 << 16; delta += 2) {
      if (rems.some((r, i) => (r + delta) % SMALL_PRIMES[i]! === 0)) continue;
      const c = start + BigInt(delta);
      if (c.toString(2).length !== bits) break;
      if (checkPrimeSync(toBuf(c))) return c;
    }
  }
}

/** An RSA key of `bits` bits from the keyed DRBG (made once per key and size in a process). */
export function rsaKey(seedKey: string, bits = 2048): PrivateKey {
  const id = `${bits}\u0000${seedKey}`;
  const hit = rsaCache.get(id);
  if (hit) return hit;
  const rnd = new Drbg(`rsa/${bits}/${seedKey}`);
  const e = 65537n;
  let p: bigint, q: bigint;
  for (;;) {
    p = prime(bits / 2, rnd);
    q = prime(bits / 2, rnd);
    if (p !== q && (p - 1n) % e !== 0n && (q - 1n) % e !== 0n) break;
  }
  if (p < q) [p, q] = [q, p];
  const n = p * q;
  const d = modInv(e, (p - 1n) * (q - 1n));
  const len = bits / 8;
  const jwk = { kty: "RSA", n: b64url(toBuf(n, len)), e: b64url(toBuf(e)), d: b64url(toBuf(d)), p: b64url(toBuf(p)), q: b64url(toBuf(q)), dp: b64url(toBuf(d % (p - 1n))), dq: b64url(toBuf(d % (q - 1n))), qi: b64url(toBuf(modInv(q, p))) };
  const key = createPrivateKey({ key: jwk, format: "jwk" });
  const pk: PrivateKey = { algorithm: "RSA", size: bits, key, spki: createPublicKey(key).export({ type: "spki", format: "der" }) };
  rsaCache.set(id, pk);
  return pk;
}

/** An ECDSA key on the curve of `size` bits from the keyed DRBG. */
export function ecKey(seedKey: string, size = 256): PrivateKey {
  const c = CURVES[size];
  if (!c) throw new Error(`unsupported ecdsa key size: ${size}`);
  const rnd = new Drbg(`ecdsa/${size}/${seedKey}`);
  let d = 0n;
  while (d === 0n) d = big(rnd.bytes(c.bytes + 8)) % c.n;
  const ecdh = createECDH(c.node);
  ecdh.setPrivateKey(toBuf(d, c.bytes));
  const pub = ecdh.getPublicKey();
  const x = pub.subarray(1, 1 + c.bytes);
  const y = pub.subarray(1 + c.bytes);
  const key = createPrivateKey({ key: { kty: "EC", crv: c.jwk, d: b64url(toBuf(d, c.bytes)), x: b64url(x), y: b64url(y) }, format: "jwk" });
  return { algorithm: "ECDSA", size, key, spki: createPublicKey(key).export({ type: "spki", format: "der" }), d };
}

/** GeneratePrivateKeyForCertificate: spec.privateKey's algorithm and size, RSA 2048 by default. */
export function keyFor(seedKey: string, spec: { algorithm?: string; size?: number } = {}): PrivateKey {
  const alg = spec.algorithm || "RSA";
  if (alg === "RSA") return rsaKey(seedKey, spec.size || 2048);
  if (alg === "ECDSA") return ecKey(seedKey, spec.size || 256);
  throw new Error(`unsupported private key algorithm specified: ${alg}`);
}

/** EncodePrivateKey: PKCS#1 (the default) or PKCS#8 PEM for RSA, SEC 1 or PKCS#8 for ECDSA. */
export function encodePrivateKey(pk: PrivateKey, encoding = "PKCS1"): string {
  if (encoding === "PKCS8") return pk.key.export({ type: "pkcs8", format: "pem" }).toString();
  return pk.key.export({ type: pk.algorithm === "RSA" ? "pkcs1" : "sec1", format: "pem" }).toString();
}

/** DecodePrivateKeyBytes: a PEM private key as cert-manager reads it (PKCS#1, SEC 1, PKCS#8). */
export function decodePrivateKey(pem: string): PrivateKey {
  const key = createPrivateKey(pem);
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  const t = key.asymmetricKeyType;
  if (t === "rsa") return { algorithm: "RSA", size: key.asymmetricKeyDetails?.modulusLength ?? 0, key, spki };
  if (t === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const size = curve === "prime256v1" ? 256 : curve === "secp384r1" ? 384 : 521;
    const jwk = key.export({ format: "jwk" });
    return { algorithm: "ECDSA", size, key, spki, d: big(Buffer.from(jwk.d!, "base64url")) };
  }
  throw new Error("error decoding private key PEM block");
}

/** The signature algorithm Go picks for a key, and the signature over `data`. */
function signatureAlgorithm(pk: PrivateKey): { oid: string; rsa: boolean; hash: string } {
  if (pk.algorithm === "RSA") return { oid: forge().pki.oids.sha256WithRSAEncryption!, rsa: true, hash: "sha256" };
  const c = CURVES[pk.size]!;
  return { oid: c.sigOid, rsa: false, hash: c.hash };
}

function signWith(pk: PrivateKey, data: Buffer): Buffer {
  const alg = signatureAlgorithm(pk);
  if (alg.rsa) return nodeSign(alg.hash, data, pk.key);
  // ECDSA: k from a DRBG keyed by the scalar and the digest; R = k·G by OpenSSL's ECDH.
  const c = CURVES[pk.size]!;
  const digest = createHash(alg.hash).update(data).digest();
  let e = big(digest);
  const excess = digest.length * 8 - c.n.toString(2).length;
  if (excess > 0) e >>= BigInt(excess);
  const rnd = new Drbg(`ecdsa-nonce/${pk.d!.toString(16)}/${digest.toString("hex")}`);
  for (;;) {
    const k = big(rnd.bytes(c.bytes + 8)) % c.n;
    if (k === 0n) continue;
    const ecdh = createECDH(c.node);
    ecdh.setPrivateKey(toBuf(k, c.bytes));
    const r = big(ecdh.getPublicKey().subarray(1, 1 + c.bytes)) % c.n;
    if (r === 0n) continue;
    const s = (modInv(k, c.n) * ((e + r * pk.d!) % c.n)) % c.n;
    if (s === 0n) continue;
    const seq = asn1().create(asn1().Class.UNIVERSAL, asn1().Type.SEQUENCE, true, [derInteger(r), derInteger(s)]);
    return Buffer.from(asn1().toDer(seq).getBytes(), "binary");
  }
}

function derInteger(n: bigint): Asn1 {
  let b = toBuf(n);
  if (b.length === 0) b = Buffer.from([0]);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return asn1().create(asn1().Class.UNIVERSAL, asn1().Type.INTEGER, false, b.toString("binary"));
}

const oid = (o: string) => asn1().create(asn1().Class.UNIVERSAL, asn1().Type.OID, false, asn1().oidToDer(o).getBytes());
const seqOf = (items: Asn1[]) => asn1().create(asn1().Class.UNIVERSAL, asn1().Type.SEQUENCE, true, items);
const setOf = (items: Asn1[]) => asn1().create(asn1().Class.UNIVERSAL, asn1().Type.SET, true, items);
const octets = (b: Buffer) => asn1().create(asn1().Class.UNIVERSAL, asn1().Type.OCTETSTRING, false, b.toString("binary"));
const bool = (v: boolean) => asn1().create(asn1().Class.UNIVERSAL, asn1().Type.BOOLEAN, false, v ? "\u00ff" : "\u0000");
const derOf = (a: Asn1) => Buffer.from(asn1().toDer(a).getBytes(), "binary");
const fromDer = (b: Buffer) => asn1().fromDer(forge().util.createBuffer(b.toString("binary")));

function algorithmIdentifier(pk: PrivateKey): Asn1 {
  const alg = signatureAlgorithm(pk);
  // RSA's identifier carries NULL parameters; ECDSA's none (RFC 5758).
  return seqOf(alg.rsa ? [oid(alg.oid), asn1().create(asn1().Class.UNIVERSAL, asn1().Type.NULL, false, "")] : [oid(alg.oid)]);
}

/** A distinguished name's attributes as pkix.Name has them. */
export interface Subject {
  commonName?: string;
  countries?: string[];
  provinces?: string[];
  localities?: string[];
  streetAddresses?: string[];
  postalCodes?: string[];
  organizations?: string[];
  organizationalUnits?: string[];
  serialNumber?: string;
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** pkix.Name.ToRDNSequence: C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER; one RDN per value. */
function nameToAsn1(s: Subject): Asn1 {
  const rdns: Asn1[] = [];
  const add = (o: string, values: string[] | undefined) => {
    for (const v of values ?? []) {
      if (v === "") continue;
      const type = o === "2.5.4.5" || PRINTABLE.test(v) ? asn1().Type.PRINTABLESTRING : asn1().Type.UTF8;
      rdns.push(setOf([seqOf([oid(o), asn1().create(asn1().Class.UNIVERSAL, type, false, type === asn1().Type.UTF8 ? forge().util.encodeUtf8(v) : v)])]));
    }
  };
  add("2.5.4.6", s.countries);
  add("2.5.4.8", s.provinces);
  add("2.5.4.7", s.localities);
  add("2.5.4.9", s.streetAddresses);
  add("2.5.4.17", s.postalCodes);
  add("2.5.4.10", s.organizations);
  add("2.5.4.11", s.organizationalUnits);
  add("2.5.4.3", s.commonName ? [s.commonName] : []);
  add("2.5.4.5", s.serialNumber ? [s.serialNumber] : []);
  return seqOf(rdns);
}

const emptySubject = (s: Subject) => derOf(nameToAsn1(s)).length <= 2;

/** Key usages by cert-manager's names (apis/certmanager/v1 KeyUsage) and their x509 bit or extended key usage OID. */
const KEY_USAGE_BITS: Record<string, number> = {
  signing: 0, "digital signature": 0, "content commitment": 1, "key encipherment": 2, "key agreement": 4, "data encipherment": 3,
  "cert sign": 5, "crl sign": 6, "encipher only": 7, "decipher only": 8,
};
const EXT_KEY_USAGE: Record<string, string> = {
  any: "2.5.29.37.0", "server auth": "1.3.6.1.5.5.7.3.1", "client auth": "1.3.6.1.5.5.7.3.2", "code signing": "1.3.6.1.5.5.7.3.3",
  "email protection": "1.3.6.1.5.5.7.3.4", "s/mime": "1.3.6.1.5.5.7.3.4", "ipsec end system": "1.3.6.1.5.5.7.3.5", "ipsec tunnel": "1.3.6.1.5.5.7.3.6",
  "ipsec user": "1.3.6.1.5.5.7.3.7", timestamping: "1.3.6.1.5.5.7.3.8", "ocsp signing": "1.3.6.1.5.5.7.3.9", "microsoft sgc": "1.3.6.1.4.1.311.10.3.3", "netscape sgc": "2.16.840.1.113730.4.1",
};

/** BuildKeyUsages: the spec's usages (default digital signature and key encipherment), `cert sign` added for a CA. */
export function keyUsages(usages: string[] | undefined, isCA: boolean): { bits: number[]; ext: string[] } {
  const list = usages && usages.length > 0 ? usages : ["digital signature", "key encipherment"];
  const bits = new Set<number>();
  const ext: string[] = [];
  for (const u of list) {
    if (u in KEY_USAGE_BITS) bits.add(KEY_USAGE_BITS[u]!);
    else if (u in EXT_KEY_USAGE && !ext.includes(EXT_KEY_USAGE[u]!)) ext.push(EXT_KEY_USAGE[u]!);
  }
  if (isCA) bits.add(5);
  return { bits: [...bits].sort((a, b) => a - b), ext };
}

/** encoding/asn1's BIT STRING of key usage bits: the shortest that holds the highest bit. */
function keyUsageAsn1(bits: number[]): Asn1 {
  const max = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(max / 8) + 1);
  for (const b of bits) bytes[Math.floor(b / 8)]! |= 0x80 >> (b % 8);
  const unused = 7 - (max % 8);
  return asn1().create(asn1().Class.UNIVERSAL, asn1().Type.BITSTRING, false, String.fromCharCode(unused) + bytes.toString("binary"));
}

export interface SANs {
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  emailAddresses?: string[];
}

function sanAsn1(s: SANs): Asn1 | undefined {
  const names: Asn1[] = [];
  // marshalSANs: DNS names, emails, IP addresses, URIs, in that order.
  for (const d of s.dnsNames ?? []) names.push(asn1().create(asn1().Class.CONTEXT_SPECIFIC, 2, false, d));
  for (const m of s.emailAddresses ?? []) names.push(asn1().create(asn1().Class.CONTEXT_SPECIFIC, 1, false, m));
  for (const ip of s.ipAddresses ?? []) {
    const bytes = (forge().util as unknown as { bytesFromIP(ip: string): string | null }).bytesFromIP(ip);
    if (bytes) names.push(asn1().create(asn1().Class.CONTEXT_SPECIFIC, 7, false, bytes));
  }
  for (const u of s.uris ?? []) names.push(asn1().create(asn1().Class.CONTEXT_SPECIFIC, 6, false, u));
  return names.length ? seqOf(names) : undefined;
}

function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  return seqOf([oid(id), ...(critical ? [bool(true)] : []), octets(derOf(value))]);
}

/** The subject key identifier Go computes: SHA-1 of the subjectPublicKey bits. */
export function subjectKeyId(spki: Buffer): Buffer {
  // decodeBitStrings off: forge would otherwise take the key's BIT STRING apart (it holds DER) and
  // leave no bytes to hash (every key then had SHA-1 of nothing, da39a3ee…, as its identifier).
  const seq = (asn1().fromDer as unknown as (b: Forge.util.ByteStringBuffer, o: object) => Asn1)(forge().util.createBuffer(spki.toString("binary")), { decodeBitStrings: false });
  const bits = (seq.value as Asn1[])[1]!.value as string;
  return createHash("sha1").update(Buffer.from(bits.slice(1), "binary")).digest();
}

function validityTime(d: Date): Asn1 {
  return d.getUTCFullYear() < 2050 ? asn1().create(asn1().Class.UNIVERSAL, asn1().Type.UTCTIME, false, asn1().dateToUtcTime(d)) : asn1().create(asn1().Class.UNIVERSAL, asn1().Type.GENERALIZEDTIME, false, asn1().dateToGeneralizedTime(d));
}

export interface CertificateTemplate {
  serial: bigint;
  subject: Subject;
  sans: SANs;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  usages?: string[];
  /** The public key the certificate is for (the CSR's). */
  spki: Buffer;
}

const pem = (label: string, der: Buffer) => `-----BEGIN ${label}-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;

/** The DER inside a PEM block (the first of that label). */
export function pemBlock(text: string, label: string): Buffer | undefined {
  const m = new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`).exec(text);
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ""), "base64") : undefined;
}

/**
 * x509.CreateCertificate(template, parent, pub, signer): the certificate for `t`, issued by `issuer`
 * (its subject and SPKI; omitted: self-signed) and signed with `signer`. Returns the PEM.
 */
export function createCertificate(t: CertificateTemplate, signer: PrivateKey, issuer?: { subject: Subject; spki: Buffer }): string {
  const issuerName = issuer ? issuer.subject : t.subject;
  const selfSigned = !issuer || derOf(nameToAsn1(issuer.subject)).equals(derOf(nameToAsn1(t.subject)));
  const { bits, ext } = keyUsages(t.usages, t.isCA);
  const exts: Asn1[] = [];
  if (bits.length) exts.push(extension("2.5.29.15", true, keyUsageAsn1(bits)));
  if (ext.length) exts.push(extension("2.5.29.37", false, seqOf(ext.map(oid))));
  exts.push(extension("2.5.29.19", true, seqOf(t.isCA ? [bool(true)] : [])));
  if (t.isCA) exts.push(extension("2.5.29.14", false, octets(subjectKeyId(t.spki))));
  if (issuer && !selfSigned) exts.push(extension("2.5.29.35", false, seqOf([asn1().create(asn1().Class.CONTEXT_SPECIFIC, 0, false, subjectKeyId(issuer.spki).toString("binary"))])));
  const san = sanAsn1(t.sans);
  if (san) exts.push(extension("2.5.29.17", emptySubject(t.subject), san));
  const tbs = seqOf([
    asn1().create(asn1().Class.CONTEXT_SPECIFIC, 0, true, [derInteger(2n)]),
    derInteger(t.serial),
    algorithmIdentifier(signer),
    nameToAsn1(issuerName),
    seqOf([validityTime(t.notBefore), validityTime(t.notAfter)]),
    nameToAsn1(t.subject),
    fromDer(t.spki),
    asn1().create(asn1().Class.CONTEXT_SPECIFIC, 3, true, [seqOf(exts)]),
  ]);
  const tbsDer = derOf(tbs);
  const sig = signWith(signer, tbsDer);
  const cert = seqOf([fromDer(tbsDer), algorithmIdentifier(signer), asn1().create(asn1().Class.UNIVERSAL, asn1().Type.BITSTRING, false, "\u0000" + sig.toString("binary"))]);
  return pem("CERTIFICATE", derOf(cert));
}

/** x509.CreateCertificateRequest as cert-manager's GenerateCSR fills it: the subject, and the SANs and key usages as an extension request. */
export function createCSR(subject: Subject, sans: SANs, usages: string[] | undefined, isCA: boolean, pk: PrivateKey): string {
  const { bits, ext } = keyUsages(usages, isCA);
  const exts: Asn1[] = [];
  const san = sanAsn1(sans);
  if (san) exts.push(extension("2.5.29.17", emptySubject(subject), san));
  if (bits.length) exts.push(extension("2.5.29.15", true, keyUsageAsn1(bits)));
  if (ext.length) exts.push(extension("2.5.29.37", false, seqOf(ext.map(oid))));
  const attrs = exts.length ? [seqOf([oid("1.2.840.113549.1.9.14"), setOf([seqOf(exts)])])] : [];
  const info = seqOf([derInteger(0n), nameToAsn1(subject), fromDer(pk.spki), asn1().create(asn1().Class.CONTEXT_SPECIFIC, 0, true, attrs)]);
  const infoDer = derOf(info);
  const sig = signWith(pk, infoDer);
  const csr = seqOf([fromDer(infoDer), algorithmIdentifier(pk), asn1().create(asn1().Class.UNIVERSAL, asn1().Type.BITSTRING, false, "\u0000" + sig.toString("binary"))]);
  return pem("CERTIFICATE REQUEST", derOf(csr));
}

/** What a CSR asks for, as the signer reads it (x509.ParseCertificateRequest). */
export interface ParsedCSR {
  subject: Subject;
  spki: Buffer;
  sans: SANs;
}

function nameFromAsn1(name: Asn1): Subject {
  const s: Subject = {};
  const push = (k: keyof Subject, v: string) => {
    if (k === "commonName" || k === "serialNumber") s[k] = v;
    else ((s[k] as string[] | undefined) ??= []).push(v);
  };
  const keys: Record<string, keyof Subject> = { "2.5.4.3": "commonName", "2.5.4.6": "countries", "2.5.4.8": "provinces", "2.5.4.7": "localities", "2.5.4.9": "streetAddresses", "2.5.4.17": "postalCodes", "2.5.4.10": "organizations", "2.5.4.11": "organizationalUnits", "2.5.4.5": "serialNumber" };
  for (const rdn of name.value as Asn1[]) {
    for (const atv of rdn.value as Asn1[]) {
      const [o, v] = atv.value as Asn1[];
      const k = keys[asn1().derToOid(forge().util.createBuffer(o!.value as string))];
      if (k) push(k, v!.type === asn1().Type.UTF8 ? forge().util.decodeUtf8(v!.value as string) : (v!.value as string));
    }
  }
  return s;
}

function sansFromAsn1(seq: Asn1): SANs {
  const out: SANs = {};
  for (const gn of seq.value as Asn1[]) {
    const v = gn.value as string;
    if (gn.type === 2) (out.dnsNames ??= []).push(v);
    else if (gn.type === 1) (out.emailAddresses ??= []).push(v);
    else if (gn.type === 7) (out.ipAddresses ??= []).push((forge().util as unknown as { bytesToIP(b: string): string }).bytesToIP(v));
    else if (gn.type === 6) (out.uris ??= []).push(v);
  }
  return out;
}

/** ParseCertificateRequest (PEM) and CheckSignature; throws with Go's text when it is not one. */
export function parseCSR(csrPEM: string): ParsedCSR {
  const der = pemBlock(csrPEM, "CERTIFICATE REQUEST");
  if (!der) throw new Error("error decoding certificate request PEM block");
  const csr = fromDer(der);
  const info = (csr.value as Asn1[])[0]!;
  const [, subject, spki, attrs] = info.value as Asn1[];
  const out: ParsedCSR = { subject: nameFromAsn1(subject!), spki: derOf(spki!), sans: {} };
  for (const attr of (attrs?.value as Asn1[] | undefined) ?? []) {
    const [o, set] = attr.value as Asn1[];
    if (asn1().derToOid(forge().util.createBuffer(o!.value as string)) !== "1.2.840.113549.1.9.14") continue;
    for (const ext of ((set!.value as Asn1[])[0]!.value as Asn1[]) ?? []) {
      const parts = ext.value as Asn1[];
      const id = asn1().derToOid(forge().util.createBuffer(parts[0]!.value as string));
      if (id === "2.5.29.17") out.sans = sansFromAsn1(fromDer(Buffer.from(parts[parts.length - 1]!.value as string, "binary")));
    }
  }
  return out;
}

/** What cert-manager reads back from an issued certificate (x509.ParseCertificate). */
export interface ParsedCertificate {
  subject: Subject;
  sans: SANs;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  isCA: boolean;
  serialHex: string;
}

/** The first certificate of a PEM bundle, parsed; undefined when it is none. */
export function parseCertificate(certPEM: string): ParsedCertificate | undefined {
  const der = pemBlock(certPEM, "CERTIFICATE");
  if (!der) return undefined;
  let x: X509Certificate;
  try {
    x = new X509Certificate(der);
  } catch {
    return undefined;
  }
  const tbs = (fromDer(der).value as Asn1[])[0]!.value as Asn1[];
  const subject = nameFromAsn1(tbs[5]!);
  let sans: SANs = {};
  const extsWrap = tbs.find((a) => a.tagClass === asn1().Class.CONTEXT_SPECIFIC && a.type === 3);
  for (const ext of extsWrap ? ((extsWrap.value as Asn1[])[0]!.value as Asn1[]) : []) {
    const parts = ext.value as Asn1[];
    if (asn1().derToOid(forge().util.createBuffer(parts[0]!.value as string)) === "2.5.29.17") sans = sansFromAsn1(fromDer(Buffer.from(parts[parts.length - 1]!.value as string, "binary")));
  }
  return {
    subject,
    sans,
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    spki: x.publicKey.export({ type: "spki", format: "der" }),
    isCA: x.ca,
    serialHex: x.serialNumber,
  };
}

/** A serial number as Go's crypto/rand 128-bit serials are, from the DRBG. */
export function serialNumber(rnd: Drbg): bigint {
  const b = rnd.bytes(16);
  b[0]! &= 0x7f;
  const n = big(b);
  return n === 0n ? 1n : n;
}

/** utilpki.IPAddressesToString and the like: whether a SAN string is an IP. */
export const isIPAddress = (s: string) => isIP(s) !== 0;

export { modPow };
