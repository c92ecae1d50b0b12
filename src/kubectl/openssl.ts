/**
 * `openssl` on the user's machine (OpenSSL 3.0, as Debian 12 and Ubuntu 22.04 ship it), for what
 * the kubernetes.io pages run there: `openssl genrsa`, `openssl req -new -key … -subj …`, and
 * `openssl req|x509 -in … -noout -text|-subject|-issuer|-dates…`. The files are real PEM and DER
 * that a real openssl reads (the tests check it with /usr/bin/openssl), and deterministic: an RSA
 * key comes from a DRBG keyed by the file it is written to and how many keys the machine made
 * before (src/images/programs/certmanager/pki.ts `rsaKey`: primes OpenSSL's test accepts), and RSA
 * PKCS#1 v1.5 signatures are deterministic by nature.
 *
 * Outputs and errors are OpenSSL 3.0's (apps/genrsa.c, req.c, x509.c; the error queue's lines with
 * a fixed thread id). Options the simulation does not model are refused with a sentence saying so,
 * never ignored: encrypted keys, `-x509`, config files, prompts for the name (`-subj` is needed:
 * the terminal has no one to answer them).
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { createRequire } from "node:module";
import type Forge from "node-forge";
import { rsaKey } from "../images/programs/certmanager/pki.ts";
import type { CommandFn } from "../runtime/shell/commands.ts";
import type { G } from "../runtime/shell/effects.ts";
import type { Shell } from "../runtime/shell/interp.ts";
import { vfsErrorText } from "../runtime/shell/util.ts";
import { attributeOid, certificateText, formatName, formatTime, parseCertificateDer, parseRequestDer, pemBlocks, requestText, toPEM, type Certificate, type CertificateRequest } from "./x509text.ts";

let forgeModule: typeof Forge | undefined;
const forge = (): typeof Forge => (forgeModule ??= createRequire(import.meta.url)("node-forge") as typeof Forge);

export const OPENSSL_VERSION = "OpenSSL 3.0.2 15 Mar 2022 (Library: OpenSSL 3.0.2 15 Mar 2022)";
/** The thread id OpenSSL's error queue lines start with (an address on a real machine; fixed here). */
const THREAD = "40E7B6F5C17F0000";

/** Raised for a failure whose text is already written: the command's exit code. */
class Failed extends Error {
  constructor(readonly code = 1) {
    super("openssl failed");
  }
}

class NotModelled extends Error {}

/** Per machine: how many keys each path has been given (a second `genrsa -out k` makes another key). */
export interface OpensslState {
  keys: Map<string, number>;
}

interface Io {
  sh: Shell;
  state: OpensslState;
  out(t: string): void;
  err(t: string): void;
}

function readFile(io: Io, path: string): string | undefined {
  try {
    return io.sh.io.fs.readFile(io.sh.resolve(path));
  } catch {
    return undefined;
  }
}

function writeFile(io: Io, path: string | undefined, text: string, mode?: number): void {
  if (path === undefined) {
    io.out(text);
    return;
  }
  try {
    io.sh.io.fs.writeFile(io.sh.resolve(path), text, mode === undefined ? undefined : { mode });
  } catch (e) {
    io.err(`Could not open file or uri for loading ${path}\n`);
    io.err(`${THREAD}:error:8000000D:system library:BIO_new_file:${vfsErrorText(e)}:../crypto/bio/bss_file.c:67:calling fopen(${path}, w)\n`);
    throw new Failed();
  }
}

/** What OpenSSL's OSSL_STORE prints when a file to load is not there. */
function missing(io: Io, what: string, path: string): never {
  io.err(`Could not open file or uri for loading ${what} from ${path}\n`);
  io.err(`${THREAD}:error:16000069:STORE routines:ossl_store_get0_loader_int:unregistered scheme:../crypto/store/store_register.c:237:scheme=file\n`);
  io.err(`${THREAD}:error:80000002:system library:file_open:No such file or directory:../providers/implementations/storemgmt/file_store.c:266:calling stat(${path})\n`);
  throw new Failed();
}

/**
 * Input from `-in path`, else standard input. `req` opens its file with BIO_new_file, `x509`
 * through OSSL_STORE; each says so in its own words when the file is not there.
 */
function* input(io: Io, path: string | undefined, prog: "req" | "x509"): G<string> {
  if (path === undefined || path === "-") return yield* io.sh.stdin.readAllG();
  const text = readFile(io, path);
  if (text !== undefined) return text;
  if (prog === "x509") {
    try {
      missing(io, "certificate", path);
    } finally {
      io.err("Unable to load certificate\n");
    }
  }
  io.err(`Can't open "${path}" for reading, No such file or directory\n`);
  io.err(`${THREAD}:error:80000002:system library:BIO_new_file:No such file or directory:../crypto/bio/bss_file.c:67:calling fopen(${path}, r)\n`);
  io.err(`${THREAD}:error:10000080:BIO routines:BIO_new_file:no such file:../crypto/bio/bss_file.c:75:\n`);
  io.err("Unable to load X509 request\n");
  throw new Failed();
}

interface Parsed {
  flags: Set<string>;
  values: Map<string, string>;
  /** Options in the order given (x509 prints -subject, -issuer... in that order). */
  order: string[];
  args: string[];
}

/**
 * OpenSSL's opt_next over `argv`: `-name` or `--name`, values in the next word; an unknown option is
 * `<prog>: Unknown option or …: <name>` and `<prog>: Use -help for summary.`.
 */
function parseOptions(io: Io, prog: string, argv: string[], flags: string[], valued: string[], unknownWhat = "Unknown option"): Parsed {
  const p: Parsed = { flags: new Set(), values: new Map(), order: [], args: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("-") || a === "-") {
      p.args.push(...argv.slice(i));
      break;
    }
    const name = a.replace(/^--?/, "");
    if (flags.includes(name)) {
      p.flags.add(name);
      p.order.push(name);
    } else if (valued.includes(name)) {
      const v = argv[++i];
      if (v === undefined) {
        io.err(`${prog}: Option -${name} needs a value\n${prog}: Use -help for summary.\n`);
        throw new Failed();
      }
      p.values.set(name, v);
      p.order.push(name);
    } else {
      io.err(`${prog}: ${unknownWhat}: -${name}\n${prog}: Use -help for summary.\n`);
      throw new Failed();
    }
  }
  return p;
}

/** Options of OpenSSL the simulation recognises but does not model (encryption, configs, other outputs). */
function refuse(prog: string, options: string[]): never {
  throw new NotModelled(`openssl ${prog} ${options.join(" ")} is not simulated on this machine (the simulated openssl makes and prints unencrypted RSA keys, certificate requests and certificates in PEM)`);
}

/** A private key from a PEM file (PKCS#8 or PKCS#1, unencrypted). */
function loadKey(io: Io, path: string): KeyObject {
  const text = readFile(io, path);
  if (text === undefined) missing(io, "private key", path);
  if (/ENCRYPTED/.test(text)) throw new NotModelled(`openssl: ${path} is an encrypted key: encrypted keys are not simulated on this machine`);
  try {
    if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(text)) throw new Error("no key");
    return createPrivateKey(text);
  } catch {
    io.err(`Could not read private key from ${path}\n`);
    io.err(`${THREAD}:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:151:\n`);
    throw new Failed();
  }
}

// eslint-disable-next-line require-yield -- a subcommand like the others, which read standard input
function* genrsa(io: Io, argv: string[]): G<number> {
  const p = parseOptions(io, "genrsa", argv, ["traditional", "verbose", "quiet", "3", "F4", "f4"], ["out", "passout", "primes", "rand", "writerand", "provider", "engine"], "Unknown cipher");
  for (const v of ["passout", "primes", "rand", "writerand", "provider", "engine"]) if (p.values.has(v)) refuse("genrsa", [`-${v}`]);
  if (p.flags.has("3")) refuse("genrsa", ["-3"]);
  if (p.args.length > 1) {
    io.err(`genrsa: Extra arguments given.\ngenrsa: Use -help for summary.\n`);
    throw new Failed();
  }
  const bitsText = p.args[0] ?? "2048";
  if (!/^\d+$/.test(bitsText)) {
    io.err(`genrsa: Invalid number "${bitsText}" for option -numbits\ngenrsa: Use -help for summary.\n`);
    throw new Failed();
  }
  const bits = Number(bitsText);
  if (bits < 512) {
    io.err("Error setting RSA length\n");
    io.err(`${THREAD}:error:1C8000AB:Provider routines:rsa_gen_set_params:key size too small:../providers/implementations/keymgmt/rsa_kmgmt.c:509:\n`);
    throw new Failed();
  }
  if (bits > 16384 || bits % 16 !== 0) refuse("genrsa", [bitsText]);
  if (bits > 4096) io.err(`Warning: It is not recommended to use more than 4096 bit for RSA keys.\n         Your key size is ${bits}! Larger key size may behave not as expected.\n`);
  const out = p.values.get("out");
  const where = out === undefined ? "-" : io.sh.resolve(out);
  const n = (io.state.keys.get(where) ?? 0) + 1;
  io.state.keys.set(where, n);
  const key = rsaKey(`openssl genrsa/${where}/${n}`, bits).key;
  const pem = key.export({ type: p.flags.has("traditional") ? "pkcs1" : "pkcs8", format: "pem" }).toString();
  writeFile(io, out, pem, 0o600);
  return 0;
}

/**
 * `-subj /type0=value0/type1=value1+type2=value2` as OpenSSL's parse_name reads it (apps/lib/apps.c,
 * multi-valued RDNs with `+`, `\` escapes), each value a UTF8String (string_mask utf8only) except
 * countryName, a PrintableString.
 */
function parseSubject(io: Io, prog: string, subj: string): { oid: string; value: string; multi: boolean }[] {
  const bad = () => {
    io.err(`${prog}: subject name is expected to be in the format /type0=value0/type1=value1/type2=... where characters may be escaped by \\. This name is not in that format: '${subj}'\n`);
    throw new Failed();
  };
  if (!subj.startsWith("/")) bad();
  const out: { oid: string; value: string; multi: boolean }[] = [];
  let i = 1;
  let multi = false;
  while (i < subj.length) {
    let type = "";
    while (i < subj.length && subj[i] !== "=") {
      if (subj[i] === "\\" && i + 1 < subj.length) i++;
      type += subj[i++];
    }
    if (i >= subj.length) {
      io.err(`${prog}: Hit end of string before finding the '='\n`);
      throw new Failed();
    }
    i++;
    let value = "";
    let next: string | undefined;
    while (i < subj.length) {
      const c = subj[i]!;
      if (c === "\\" && i + 1 < subj.length) {
        value += subj[i + 1];
        i += 2;
        continue;
      }
      if (c === "/" || c === "+") {
        next = c;
        i++;
        break;
      }
      value += c;
      i++;
    }
    const oid = attributeOid(type);
    if (!oid) {
      io.err(`${prog}: Skipping unknown subject name attribute "${type}"\n`);
    } else if (value === "") {
      io.err(`${prog}: No value provided for subject name attribute "${type}", skipped\n`);
    } else out.push({ oid, value, multi });
    multi = next === "+";
  }
  return out;
}

const asn1 = (): typeof Forge.asn1 => forge().asn1;
const seq = (items: Forge.asn1.Asn1[]) => asn1().create(asn1().Class.UNIVERSAL, asn1().Type.SEQUENCE, true, items);
const set = (items: Forge.asn1.Asn1[]) => asn1().create(asn1().Class.UNIVERSAL, asn1().Type.SET, true, items);
const oid = (o: string) => asn1().create(asn1().Class.UNIVERSAL, asn1().Type.OID, false, asn1().oidToDer(o).getBytes());
const derOf = (a: Forge.asn1.Asn1): Buffer => Buffer.from(asn1().toDer(a).getBytes(), "binary");

function nameDer(attrs: { oid: string; value: string; multi: boolean }[]): Forge.asn1.Asn1 {
  const rdns: Forge.asn1.Asn1[][] = [];
  for (const a of attrs) {
    const type = a.oid === "2.5.4.6" ? asn1().Type.PRINTABLESTRING : asn1().Type.UTF8;
    const atv = seq([oid(a.oid), asn1().create(asn1().Class.UNIVERSAL, type, false, type === asn1().Type.UTF8 ? forge().util.encodeUtf8(a.value) : a.value)]);
    if (a.multi && rdns.length) rdns[rdns.length - 1]!.push(atv);
    else rdns.push([atv]);
  }
  // DER sorts a SET's members by their encodings (X509_NAME's multi-valued RDNs come out that way).
  return seq(rdns.map((members) => set(members.map((m) => ({ m, der: derOf(m) })).sort((x, y) => Buffer.compare(x.der, y.der)).map((x) => x.m))));
}

/** X509_REQ_sign with sha256: the PKCS#10 request's DER for `key` and the subject. */
export function makeRequest(key: KeyObject, subject: { oid: string; value: string; multi: boolean }[]): Buffer {
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  const info = seq([
    asn1().create(asn1().Class.UNIVERSAL, asn1().Type.INTEGER, false, "\u0000"),
    nameDer(subject),
    asn1().fromDer(forge().util.createBuffer(spki.toString("binary"))),
    asn1().create(asn1().Class.CONTEXT_SPECIFIC, 0, true, []),
  ]);
  const infoDer = derOf(info);
  const sig = sign("sha256", infoDer, key);
  const alg = seq([oid("1.2.840.113549.1.1.11"), asn1().create(asn1().Class.UNIVERSAL, asn1().Type.NULL, false, "")]);
  return derOf(seq([asn1().fromDer(forge().util.createBuffer(infoDer.toString("binary"))), alg, asn1().create(asn1().Class.UNIVERSAL, asn1().Type.BITSTRING, false, "\u0000" + sig.toString("binary"))]));
}

/** Whether a request's signature verifies with its own public key. */
export function requestSignatureValid(r: CertificateRequest): boolean {
  if (r.signatureOid !== "1.2.840.113549.1.1.11") return false;
  try {
    return verify("sha256", r.info, createPublicKey({ key: r.publicKey.der, format: "der", type: "spki" }), r.signature);
  } catch {
    return false;
  }
}

function loadRequest(io: Io, text: string): CertificateRequest {
  const der = pemBlocks(text, "CERTIFICATE REQUEST")[0] ?? pemBlocks(text, "NEW CERTIFICATE REQUEST")[0];
  try {
    if (!der) throw new Error("none");
    return parseRequestDer(der);
  } catch {
    io.err("Unable to load X509 request\n");
    io.err(`${THREAD}:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:151:\n`);
    throw new Failed();
  }
}

function* req(io: Io, argv: string[]): G<number> {
  const p = parseOptions(
    io,
    "req",
    argv,
    ["new", "noout", "text", "subject", "verify", "pubkey", "nodes", "noenc", "batch", "x509", "utf8", "sha256", "modulus"],
    ["key", "out", "in", "subj", "config", "newkey", "keyout", "days", "addext", "extensions", "reqexts", "passin", "passout", "inform", "outform", "keyform"],
    "Unknown option or message digest",
  );
  for (const f of ["x509", "modulus"]) if (p.flags.has(f)) refuse("req", [`-${f}`]);
  for (const v of ["config", "newkey", "keyout", "days", "addext", "extensions", "reqexts", "passin", "passout", "inform", "outform", "keyform"]) if (p.values.has(v)) refuse("req", [`-${v}`, p.values.get(v)!]);
  if (p.args.length) {
    io.err(`req: Extra option: "${p.args[0]}"\nreq: Use -help for summary.\n`);
    throw new Failed();
  }
  let request: CertificateRequest;
  let pem: string | undefined;
  if (p.flags.has("new")) {
    const keyPath = p.values.get("key");
    if (keyPath === undefined) refuse("req", ["-new", "without -key"]);
    const subj = p.values.get("subj");
    if (subj === undefined) throw new NotModelled("openssl req -new without -subj would prompt for the name's fields, which the simulated terminal does not answer: give the name with -subj \"/CN=...\"");
    const subject = parseSubject(io, "req", subj);
    const key = loadKey(io, keyPath);
    const der = makeRequest(key, subject);
    request = parseRequestDer(der);
    pem = toPEM("CERTIFICATE REQUEST", der);
  } else {
    const text = yield* input(io, p.values.get("in"), "req");
    request = loadRequest(io, text);
    pem = toPEM("CERTIFICATE REQUEST", request.der);
  }
  if (p.flags.has("verify")) {
    if (requestSignatureValid(request)) io.err("Certificate request self-signature verify OK\n");
    else {
      io.err("Certificate request self-signature verify failure\n");
      throw new Failed();
    }
  }
  let text = "";
  if (p.flags.has("text")) text += requestText(request);
  if (p.flags.has("subject")) text += `subject=${formatName(request.subject)}\n`;
  if (p.flags.has("pubkey")) text += toPEM("PUBLIC KEY", request.publicKey.der);
  if (!p.flags.has("noout")) text += pem;
  writeFile(io, p.values.get("out"), text);
  return 0;
}

function loadCertificate(io: Io, text: string, path: string | undefined): Certificate {
  const der = pemBlocks(text, "CERTIFICATE")[0];
  try {
    if (!der) throw new Error("none");
    return parseCertificateDer(der);
  } catch {
    io.err(path === undefined || path === "-" ? "Could not read certificate from <stdin>\n" : `Could not read certificate from ${path}\n`);
    io.err(`${THREAD}:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:151:\n`);
    io.err("Unable to load certificate\n");
    throw new Failed();
  }
}

/** The colon-separated upper-case hex OpenSSL prints fingerprints and serials as. */
const colonHex = (b: Buffer) => [...b].map((x) => x.toString(16).padStart(2, "0").toUpperCase()).join(":");

function* x509(io: Io, argv: string[]): G<number> {
  const p = parseOptions(
    io,
    "x509",
    argv,
    ["noout", "text", "subject", "issuer", "dates", "startdate", "enddate", "serial", "fingerprint", "pubkey", "modulus", "email", "ocspid", "purpose", "req", "sha1", "sha256", "nameopt"],
    ["in", "out", "inform", "outform", "signkey", "CA", "CAkey", "days", "extfile", "checkend", "set_serial", "ext"],
  );
  for (const f of ["req", "purpose", "email", "ocspid", "modulus", "nameopt"]) if (p.flags.has(f)) refuse("x509", [`-${f}`]);
  for (const v of ["inform", "outform", "signkey", "CA", "CAkey", "days", "extfile", "set_serial", "ext"]) if (p.values.has(v)) refuse("x509", [`-${v}`, p.values.get(v)!]);
  if (p.args.length) {
    io.err(`x509: Extra option: "${p.args[0]}"\nx509: Use -help for summary.\n`);
    throw new Failed();
  }
  const inPath = p.values.get("in");
  const cert = loadCertificate(io, yield* input(io, inPath, "x509"), inPath);
  let text = "";
  let checkend: number | undefined;
  // x509.c prints the requested fields in the order of their options (-dates counts as -startdate -enddate).
  const order: string[] = [];
  for (const o of p.order) {
    const names = o === "dates" ? ["startdate", "enddate"] : [o];
    for (const n of names) {
      const at = order.indexOf(n);
      if (at >= 0) order.splice(at, 1, "");
      order.push(n);
    }
  }
  for (const o of order) {
    if (o === "subject") text += `subject=${formatName(cert.subject)}\n`;
    else if (o === "issuer") text += `issuer=${formatName(cert.issuer)}\n`;
    else if (o === "startdate") text += `notBefore=${formatTime(cert.notBefore)}\n`;
    else if (o === "enddate") text += `notAfter=${formatTime(cert.notAfter)}\n`;
    else if (o === "serial") text += `serial=${cert.serial.toString("hex").toUpperCase().replace(/^(00)+(?=..)/, "")}\n`;
    else if (o === "fingerprint") {
      const alg = p.flags.has("sha256") ? "sha256" : "sha1";
      text += `${alg === "sha256" ? "sha256" : "SHA1"} Fingerprint=${colonHex(createHash(alg).update(cert.der).digest())}\n`;
    } else if (o === "pubkey") text += toPEM("PUBLIC KEY", cert.publicKey.der);
    else if (o === "text") text += certificateText(cert);
    else if (o === "checkend") checkend = Number(p.values.get("checkend"));
  }
  if (!p.flags.has("noout")) text += toPEM("CERTIFICATE", cert.der);
  writeFile(io, p.values.get("out"), text);
  if (checkend !== undefined) {
    const expires = cert.notAfter.getTime() <= io.sh.io.clock.now() + checkend * 1000;
    io.out(expires ? "Certificate will expire\n" : "Certificate will not expire\n");
    return expires ? 1 : 0;
  }
  return 0;
}

const SUBCOMMANDS: Record<string, (io: Io, argv: string[]) => G<number>> = { genrsa, req, x509 };

/** The commands OpenSSL has that the simulation does not model (`openssl help`'s standard commands). */
const OTHER_COMMANDS = new Set(["asn1parse", "ca", "ciphers", "cms", "crl", "crl2pkcs7", "dgst", "dhparam", "dsa", "dsaparam", "ec", "ecparam", "enc", "engine", "errstr", "fipsinstall", "gendsa", "genpkey", "info", "kdf", "list", "mac", "nseq", "ocsp", "passwd", "pkcs12", "pkcs7", "pkcs8", "pkey", "pkeyparam", "pkeyutl", "prime", "rand", "rehash", "rsa", "rsautl", "s_client", "s_server", "s_time", "sess_id", "smime", "speed", "spkac", "srp", "storeutl", "ts", "verify"]);

/** `openssl` as a command of the user's machine, with the machine's state (keys made so far). */
export function opensslCommand(state: OpensslState = { keys: new Map() }): CommandFn {
  return function* openssl(sh: Shell, argv: string[]): G<number> {
    let stdout = "";
    let stderr = "";
    const io: Io = { sh, state, out: (t) => (stdout += t), err: (t) => (stderr += t) };
    let code = 0;
    try {
      const sub = argv[1];
      if (sub === undefined) throw new NotModelled("openssl's interactive prompt is not simulated: give a command (genrsa, req, x509)");
      if (sub === "version") stdout += `${OPENSSL_VERSION}\n`;
      else if (Object.hasOwn(SUBCOMMANDS, sub)) code = yield* SUBCOMMANDS[sub]!(io, argv.slice(2));
      else if (OTHER_COMMANDS.has(sub)) throw new NotModelled(`openssl ${sub} is not simulated on this machine (only genrsa, req, x509 and version are)`);
      else {
        stderr += `Invalid command '${sub}'; type "help" for a list.\n`;
        code = 1;
      }
    } catch (e) {
      if (e instanceof Failed) code = e.code;
      else if (e instanceof NotModelled) {
        stderr += `${e.message}\n`;
        code = 1;
      } else throw e;
    }
    if (stdout) sh.stdout.write(stdout);
    if (stderr) sh.stderr.write(stderr);
    return code;
  };
}
