/**
 * Derives the simulated cluster's service account signing key (kubeadm's sa.key): an RSA 2048 key
 * pair made by node-forge from a byte source keyed by `kube-scenario/sa.key` (src/sim/random.ts
 * keyedRandom, never the scenario's seed), so anyone can make the same key again. Prints the PKCS#1
 * PEM of the private key that src/api/serviceaccount/signingkey.ts keeps (key generation takes
 * seconds in JavaScript, so the simulation does not derive it at each start).
 *   node --import tsx scripts/gen-sa-signing-key.ts           prints the PEM
 *   node --import tsx scripts/gen-sa-signing-key.ts --check   exits 1 unless signingkey.ts holds it
 */
import forge from "node-forge";
import { keyedRandom } from "../src/sim/random.ts";
import { SERVICE_ACCOUNT_SIGNING_KEY_PEM } from "../src/api/serviceaccount/signingkey.ts";

export const KEY_SOURCE = "kube-scenario/sa.key";

export function deriveSigningKeyPem(): string {
  const source = keyedRandom(KEY_SOURCE);
  const prng = {
    getBytesSync(n: number): string {
      let out = "";
      for (let i = 0; i < n; i++) out += String.fromCharCode(source.uint32() & 0xff);
      return out;
    },
  };
  const pair = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001, prng, algorithm: "PRIMEINC" });
  return forge.pki.privateKeyToPem(pair.privateKey).replace(/\r\n/g, "\n");
}

const pem = deriveSigningKeyPem();
if (process.argv.includes("--check")) {
  if (pem !== SERVICE_ACCOUNT_SIGNING_KEY_PEM) {
    console.error("src/api/serviceaccount/signingkey.ts does not hold the key derived from " + KEY_SOURCE);
    process.exit(1);
  }
  console.log("signingkey.ts holds the derived key");
} else process.stdout.write(pem);
