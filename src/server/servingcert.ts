/**
 * The facade's certificate authority and TLS certificate, made at start. The CA is the served
 * cluster's, as kubeadm's `ca.crt` is a cluster's (`CN=kubernetes`; key usages digital signature,
 * key encipherment and certificate sign; CA:TRUE; a subject key id): it signs the serving
 * certificate, clients' certificates are verified against it (the x509 authenticator's
 * --client-ca-file, authentication.ts), and kube-controller-manager's CSR signer signs with it
 * (--cluster-signing-cert-file; apiserver.ts registers it as the served cluster's
 * `clusterSigningCA`). The serving certificate is as kube-apiserver makes one when it is given none
 * (SecureServingOptions.MaybeDefaultWithSelfSignedCerts → GenerateSelfSignedCertKey in
 * staging/src/k8s.io/client-go/util/cert/cert.go): `<host>@<unix time>`, RSA 2048, server auth,
 * valid from an hour ago for a year (wall clock: TLS peers check it against theirs), for the
 * loopback names and addresses and the allowed hosts. The kubeconfig carries the CA, so kubectl and
 * the client libraries verify the server; TLS is what makes kubectl send credentials at all
 * (client-go reads a kubeconfig's credentials only for an https server).
 *
 * The CA is valid from 2000-01-01 to 2099-12-31, as the simulated cluster's own CA
 * (src/controllers/certificates/clusterca.ts): the signer signs at simulated time and the facade
 * verifies client certificates at simulated time, which may be any year (kubeadm's CA is valid ten
 * years from its making; docs/divergences.md).
 *
 * Keys come from the operating system's CSPRNG (crypto.generateKeyPair; this is security, not
 * simulation) and so do serial numbers; certificates are encoded as Go's x509.CreateCertificate
 * encodes them (src/images/programs/certmanager/pki.ts) and signed by Node's crypto.
 */
import { generateKeyPair, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { createCertificate, decodePrivateKey, type Subject } from "../images/programs/certmanager/pki.ts";

export interface ServingCert {
  /** PEM of the CA certificate (what a kubeconfig's certificate-authority-data carries). */
  caPEM: string;
  /** PEM (PKCS#8) of the CA's private key (the CSR signer's --cluster-signing-key-file). */
  caKeyPEM: string;
  /** PEM of the serving certificate followed by the CA's (the chain the server sends). */
  certPEM: string;
  /** PEM (PKCS#8) of the serving certificate's private key. */
  keyPEM: string;
}

/** kubeadm's CA name (pkiutil.NewCertificateAuthority: `CommonName: "kubernetes"`). */
export const CA_SUBJECT: Subject = { commonName: "kubernetes" };
export const CA_NOT_BEFORE = new Date("2000-01-01T00:00:00Z");
export const CA_NOT_AFTER = new Date("2099-12-31T23:59:59Z");

const rsaKeyPEM = () =>
  new Promise<string>((resolve, reject) =>
    generateKeyPair("rsa", { modulusLength: 2048 }, (err, _publicKey, privateKey) => {
      if (err) return reject(err);
      resolve(privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    }),
  );

/** A random positive 128-bit serial number (Go's crypto/rand serials), from the CSPRNG. */
function serial(): bigint {
  const b = randomBytes(16);
  b[0]! &= 0x7f;
  b[0]! |= 0x01;
  return BigInt("0x" + b.toString("hex"));
}

/** The facade's CA and a serving certificate it signs, for loopback and `hosts` (names or addresses). */
export async function generateServingCert(hosts: string[] = []): Promise<ServingCert> {
  const dns = new Set(["localhost"]);
  const ips = new Set(["127.0.0.1", "::1"]);
  for (const h of hosts) (isIP(h) ? ips : dns).add(h);
  const [caKeyPEM, keyPEM] = await Promise.all([rsaKeyPEM(), rsaKeyPEM()]);
  const caKey = decodePrivateKey(caKeyPEM);
  const servingKey = decodePrivateKey(keyPEM);
  const now = new Date().getTime(); // wall clock on purpose: TLS peers check the serving certificate against it
  const caPEM = createCertificate(
    { serial: serial(), subject: CA_SUBJECT, sans: {}, notBefore: CA_NOT_BEFORE, notAfter: CA_NOT_AFTER, isCA: true, usages: ["digital signature", "key encipherment", "cert sign"], spki: caKey.spki },
    caKey,
  );
  const servingPEM = createCertificate(
    {
      serial: serial(),
      subject: { commonName: `localhost@${Math.floor(now / 1000)}` },
      sans: { dnsNames: [...dns], ipAddresses: [...ips] },
      notBefore: new Date(Math.floor(now / 1000) * 1000 - 3600_000),
      notAfter: new Date(Math.floor(now / 1000) * 1000 + 365 * 24 * 3600_000),
      isCA: false,
      usages: ["digital signature", "key encipherment", "server auth"],
      spki: servingKey.spki,
    },
    caKey,
    { subject: CA_SUBJECT, spki: caKey.spki },
  );
  return { caPEM, caKeyPEM, certPEM: servingPEM + caPEM, keyPEM };
}

const cache = new Map<string, Promise<ServingCert>>();

/**
 * The CA and serving certificate for `hosts`, made once per process (tests start many servers;
 * each still gets its own token).
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
