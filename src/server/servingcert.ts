/**
 * The facade's TLS certificate, made at start as kube-apiserver makes one when it is given none
 * (SecureServingOptions.MaybeDefaultWithSelfSignedCerts, calling GenerateSelfSignedCertKey in
 * staging/src/k8s.io/client-go/util/cert/cert.go): a CA (`<host>-ca@<unix time>`) and a serving
 * certificate it signs (`<host>@<unix time>`), RSA 2048, valid from an hour ago for a year, for the
 * loopback names and addresses and the allowed hosts. The kubeconfig carries the CA, so kubectl and
 * the client libraries verify the server; TLS is what makes kubectl send the bearer token at all
 * (client-go reads a kubeconfig's credentials only for an https server).
 *
 * The keys come from the operating system's CSPRNG (crypto.generateKeyPair) and signatures from
 * Node's crypto; node-forge only encodes the X.509 structures (ASN.1 DER), which Node cannot build.
 * Wall time is used on purpose: certificates are checked against the real clock.
 */
import { generateKeyPair, randomBytes, sign, type KeyObject } from "node:crypto";
import { createRequire } from "node:module";
import { isIP } from "node:net";
import type Forge from "node-forge";

/** node-forge, required at its first use (as in src/images/programs/certmanager/pki.ts: not at every start). */
let forgeModule: typeof Forge | undefined;
const forge = (): typeof Forge => (forgeModule ??= createRequire(import.meta.url)("node-forge") as typeof Forge);

export interface ServingCert {
  /** PEM of the CA certificate (what a kubeconfig's certificate-authority-data carries). */
  caPEM: string;
  /** PEM of the serving certificate followed by the CA's (the chain the server sends). */
  certPEM: string;
  /** PEM (PKCS#8) of the serving certificate's private key. */
  keyPEM: string;
}

const rsaKeyPair = () =>
  new Promise<{ publicKey: string; privateKey: KeyObject; privatePEM: string }>((resolve, reject) =>
    generateKeyPair("rsa", { modulusLength: 2048 }, (err, publicKey, privateKey) => {
      if (err) return reject(err);
      resolve({ publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), privateKey, privatePEM: privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
    }),
  );

/** A random positive serial number (128 bits, as hex). */
function serial(): string {
  return "01" + randomBytes(15).toString("hex");
}

function certificate(opts: {
  subject: string;
  issuer: string;
  publicKeyPEM: string;
  signer: KeyObject;
  ca: boolean;
  altNames?: { dns: string[]; ips: string[] };
  issuerKeyId?: string;
  notBefore: Date;
  notAfter: Date;
}): { pem: string; keyId: string } {
  const cert = forge().pki.createCertificate();
  cert.publicKey = forge().pki.publicKeyFromPem(opts.publicKeyPEM);
  cert.serialNumber = serial();
  cert.validity.notBefore = opts.notBefore;
  cert.validity.notAfter = opts.notAfter;
  // UTF8String, as Go writes a name that is no PrintableString (`@` is not printable there).
  const name = (value: string) => [{ name: "commonName", value, valueTagClass: forge().asn1.Type.UTF8 as unknown as Forge.asn1.Class }];
  cert.setSubject(name(opts.subject));
  cert.setIssuer(name(opts.issuer));
  // RFC 5280's key identifier: SHA-1 of the subjectPublicKey bits (forge computes it the same way for the extension).
  const keyId = cert.generateSubjectKeyIdentifier().getBytes();
  const extensions: object[] = [
    { name: "keyUsage", critical: true, digitalSignature: true, keyEncipherment: true, keyCertSign: opts.ca },
    { name: "subjectKeyIdentifier" },
  ];
  if (opts.ca) extensions.push({ name: "basicConstraints", critical: true, cA: true });
  else {
    extensions.push({ name: "basicConstraints", critical: true, cA: false });
    extensions.push({ name: "extKeyUsage", serverAuth: true });
    extensions.push({ name: "authorityKeyIdentifier", keyIdentifier: opts.issuerKeyId });
    extensions.push({ name: "subjectAltName", altNames: [...opts.altNames!.dns.map((value) => ({ type: 2, value })), ...opts.altNames!.ips.map((ip) => ({ type: 7, ip }))] });
  }
  cert.setExtensions(extensions);
  // Signed by Node's crypto (forge's own RSA is pure JavaScript and slow).
  cert.siginfo.algorithmOid = cert.signatureOid = forge().pki.oids.sha256WithRSAEncryption!;
  // getTBSCertificate is public in node-forge but missing from its type definitions.
  const getTBS = (forge().pki as unknown as { getTBSCertificate(c: Forge.pki.Certificate): Forge.asn1.Asn1 }).getTBSCertificate;
  const tbs = Buffer.from(forge().asn1.toDer(getTBS(cert)).getBytes(), "binary");
  cert.signature = sign("sha256", tbs, opts.signer).toString("binary");
  return { pem: forge().pki.certificateToPem(cert), keyId };
}

/** A CA and a serving certificate for loopback and `hosts` (names or addresses). */
export async function generateServingCert(hosts: string[] = []): Promise<ServingCert> {
  const dns = new Set(["localhost"]);
  const ips = new Set(["127.0.0.1", "::1"]);
  for (const h of hosts) (isIP(h) ? ips : dns).add(h);
  const [caKey, servingKey] = await Promise.all([rsaKeyPair(), rsaKeyPair()]);
  const now = new Date(); // wall clock on purpose: TLS peers check validity against it
  const notBefore = new Date(now.getTime() - 3600_000);
  const notAfter = new Date(now.getTime() + 365 * 24 * 3600_000);
  const stamp = Math.floor(now.getTime() / 1000);
  const ca = certificate({ subject: `localhost-ca@${stamp}`, issuer: `localhost-ca@${stamp}`, publicKeyPEM: caKey.publicKey, signer: caKey.privateKey, ca: true, notBefore, notAfter });
  const serving = certificate({
    subject: `localhost@${stamp}`,
    issuer: `localhost-ca@${stamp}`,
    publicKeyPEM: servingKey.publicKey,
    signer: caKey.privateKey,
    ca: false,
    altNames: { dns: [...dns], ips: [...ips] },
    issuerKeyId: ca.keyId,
    notBefore,
    notAfter,
  });
  return { caPEM: ca.pem, certPEM: serving.pem + ca.pem, keyPEM: servingKey.privatePEM };
}

const cache = new Map<string, Promise<ServingCert>>();

/**
 * The serving certificate for `hosts`, made once per process (tests start many servers; each
 * still gets its own token).
 */
export function servingCertFor(hosts: string[] = []): Promise<ServingCert> {
  const key = [...hosts].sort().join(",");
  let p = cache.get(key);
  if (!p) {
    p = generateServingCert(hosts);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}
