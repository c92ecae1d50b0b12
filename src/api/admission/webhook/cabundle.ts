/**
 * The caBundle check kube-apiserver makes when it builds the REST client of a webhook
 * (k8s.io/apiserver pkg/util/webhook ClientManager.HookClient → client-go transport.TLSConfigFor →
 * rootCertPool, v1.32): the bundle's bytes must hold at least one PEM `CERTIFICATE` block that
 * x509 parses (crypto/x509 CertPool.AppendCertsFromPEM). When none does, client-go's
 * createErrorParsingCAData says why, and the call fails with `could not get REST client: unable to
 * load root certificates: <why>`. The API server stores any base64 value (validation does not look
 * inside it); the failure is the webhook call's, under its failurePolicy.
 */
import { X509Certificate } from "node:crypto";

interface PemBlock {
  type: string;
  headers: boolean;
  der: Buffer;
}

/** encoding/pem's Decode: the next block of `data` and what follows it, or undefined. */
function pemDecode(data: string): { block: PemBlock; rest: string } | undefined {
  let rest = data;
  for (;;) {
    if (rest.startsWith("-----BEGIN ")) rest = rest.slice("-----BEGIN ".length);
    else {
      const at = rest.indexOf("\n-----BEGIN ");
      if (at < 0) return undefined;
      rest = rest.slice(at + "\n-----BEGIN ".length);
    }
    const nl = rest.indexOf("\n");
    const typeLine = (nl < 0 ? rest : rest.slice(0, nl)).replace(/[ \t\r]+$/, "");
    rest = nl < 0 ? "" : rest.slice(nl + 1);
    if (!typeLine.endsWith("-----")) continue;
    const type = typeLine.slice(0, -5);
    const endMarker = `-----END ${type}-----`;
    const end = rest.startsWith(endMarker) ? 0 : rest.indexOf(`\n${endMarker}`);
    if (end < 0) continue;
    let body = rest.slice(0, end);
    // The end line's own line break is the block's (getLine).
    const after = rest.slice(end === 0 ? endMarker.length : end + 1 + endMarker.length).replace(/^[ \t\r]*\n?/, "");
    // Headers: `Key: value` lines before the base64.
    let headers = false;
    for (;;) {
      const line = body.split("\n", 1)[0]!;
      if (!line.includes(":")) break;
      headers = true;
      body = body.slice(line.length + 1);
    }
    const b64 = body.replace(/[ \t\r\n]/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) continue;
    return { block: { type, headers, der: Buffer.from(b64, "base64") }, rest: after };
  }
}

function parses(der: Buffer): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a caBundle (its base64, as the API holds it) gives no root certificate, in client-go's words,
 * or undefined when it holds one (or is empty: the system roots are used).
 */
export function caBundleError(caBundle: string | undefined): string | undefined {
  if (!caBundle) return undefined;
  const pem = Buffer.from(caBundle, "base64").toString("latin1");
  let rest = pem;
  let found = false;
  for (let d = pemDecode(rest); d; d = pemDecode(rest)) {
    rest = d.rest;
    if (d.block.type === "CERTIFICATE" && !d.block.headers && parses(d.block.der)) found = true;
  }
  if (found) return undefined;
  // createErrorParsingCAData: the first problem, block by block.
  rest = pem;
  while (rest.length > 0) {
    const d = pemDecode(rest);
    if (!d) return "unable to load root certificates: unable to parse bytes as PEM block";
    rest = d.rest;
    if (d.block.type !== "CERTIFICATE" || d.block.headers) continue;
    if (!parses(d.block.der)) return "unable to load root certificates: failed to parse certificate: x509: malformed certificate";
  }
  return "unable to load root certificates: no valid certificate authority data seen";
}
