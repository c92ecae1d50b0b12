import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemFs } from "../runtime/vfs.ts";
import { SimClock } from "../sim/clock.ts";
import { runLocalShell, type LocalMachine } from "./pipeline.ts";
import { createCertificate, rsaKey, serialNumber, Drbg } from "../images/programs/certmanager/pki.ts";

const REAL_OPENSSL = "/usr/bin/openssl";
const hasReal = existsSync(REAL_OPENSSL);

function machine(): { clock: SimClock; m: LocalMachine; run(line: string, stdin?: string): { stdout: string; stderr: string; exitCode: number } } {
  const clock = new SimClock();
  const m: LocalMachine = { fs: new MemFs(clock), cwd: "/root" };
  m.fs.mkdir("/root", { recursive: true });
  return { clock, m, run: (line, stdin = "") => runLocalShell(clock, line, stdin, m, "bash") };
}

/** Runs the real openssl over files written to a temporary directory; throws when it is not installed. */
function realOpenssl(files: Record<string, string>, args: string[]): { stdout: string; stderr: string; status: number } {
  if (!hasReal) throw new Error(`${REAL_OPENSSL} is not installed; this test needs it (KUBE_SCENARIO_REQUIRE_OPENSSL=1 makes its absence a failure)`);
  const dir = mkdtempSync(join(tmpdir(), "openssl-test-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    try {
      const stdout = execFileSync(REAL_OPENSSL, args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      return { stdout, stderr: "", status: 0 };
    } catch (e) {
      const err = e as { stdout: string; stderr: string; status: number };
      return { stdout: err.stdout, stderr: err.stderr, status: err.status };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Skipped on a developer's machine without openssl; CI (.ci/run) sets KUBE_SCENARIO_REQUIRE_OPENSSL=1, so there they fail.
const needsReal = hasReal || process.env.KUBE_SCENARIO_REQUIRE_OPENSSL === "1" ? {} : { skip: `${REAL_OPENSSL} is not installed: the comparison with the real openssl cannot run` };

test("genrsa and req -new as the CSR page runs them: PEM files, the same on every run, a fresh key for a second genrsa", () => {
  const a = machine();
  assert.deepEqual(a.run("openssl genrsa -out myuser.key 2048"), { stdout: "", stderr: "", exitCode: 0 });
  assert.deepEqual(a.run('openssl req -new -key myuser.key -out myuser.csr -subj "/CN=myuser"'), { stdout: "", stderr: "", exitCode: 0 });
  const key = a.m.fs.readFile("/root/myuser.key");
  const csr = a.m.fs.readFile("/root/myuser.csr");
  assert.match(key, /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
  assert.match(csr, /^-----BEGIN CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE REQUEST-----\n$/);
  const b = machine();
  b.run("openssl genrsa -out myuser.key 2048");
  b.run('openssl req -new -key myuser.key -out myuser.csr -subj "/CN=myuser"');
  assert.equal(b.m.fs.readFile("/root/myuser.key"), key);
  assert.equal(b.m.fs.readFile("/root/myuser.csr"), csr);
  b.run("openssl genrsa -out myuser.key 2048");
  assert.notEqual(b.m.fs.readFile("/root/myuser.key"), key);
  // The page's encoding step: one line of base64 of the PEM.
  const enc = a.run('cat myuser.csr | base64 | tr -d "\\n"');
  assert.equal(Buffer.from(enc.stdout, "base64").toString(), csr);
});

test("req -in -noout -text|-subject and -verify; x509 over a certificate; errors as OpenSSL 3.0 prints them", () => {
  const a = machine();
  a.run("openssl genrsa -out k.key 2048");
  a.run('openssl req -new -key k.key -out r.csr -subj "/CN=jane/O=dev+OU=web/O=ops"');
  assert.deepEqual(a.run("openssl req -in r.csr -noout -subject -verify"), { stdout: "subject=CN = jane, O = dev + OU = web, O = ops\n", stderr: "Certificate request self-signature verify OK\n", exitCode: 0 });
  assert.match(a.run("openssl req -in r.csr -noout -text").stdout, /^Certificate Request:\n {4}Data:\n {8}Version: 1 \(0x0\)\n {8}Subject: CN = jane, O = dev \+ OU = web, O = ops\n/);
  assert.equal(a.run("cat r.csr | openssl req -noout -subject").stdout, "subject=CN = jane, O = dev + OU = web, O = ops\n");
  assert.deepEqual(a.run("openssl foo"), { stdout: "", stderr: "Invalid command 'foo'; type \"help\" for a list.\n", exitCode: 1 });
  assert.deepEqual(a.run("openssl req -foo"), { stdout: "", stderr: "req: Unknown option or message digest: -foo\nreq: Use -help for summary.\n", exitCode: 1 });
  const noKey = a.run("openssl req -new -key nokey -subj /CN=x");
  assert.equal(noKey.exitCode, 1);
  assert.match(noKey.stderr, /^Could not open file or uri for loading private key from nokey\n.*unregistered scheme.*\n.*calling stat\(nokey\)\n$/);
  assert.match(a.run("openssl req -new -key k.key -subj CN=x").stderr, /^req: subject name is expected to be in the format \/type0=value0\/type1=value1\/type2=\.\.\. where characters may be escaped by \\\. This name is not in that format: 'CN=x'\n$/);
  assert.match(a.run("openssl genrsa -out small.key 100").stderr, /^Error setting RSA length\n.*key size too small/);
  const noCert = a.run("openssl x509 -in missing.crt -noout -text");
  assert.equal(noCert.exitCode, 1);
  assert.match(noCert.stderr, /^Could not open file or uri for loading certificate from missing\.crt\n[\s\S]*Unable to load certificate\n$/);
  assert.match(a.run("openssl x509 -in r.csr -noout").stderr, /^Could not read certificate from r\.csr\n[\s\S]*Unable to load certificate\n$/);
  // What is not modelled says so.
  assert.match(a.run("openssl req -new -key k.key -out x.csr").stderr, /without -subj would prompt/);
  assert.match(a.run("openssl req -x509 -key k.key -subj /CN=x").stderr, /openssl req -x509 is not simulated/);
  assert.match(a.run("openssl s_client -connect x:443").stderr, /openssl s_client is not simulated/);
  assert.equal(a.run("openssl version").stdout, "OpenSSL 3.0.2 15 Mar 2022 (Library: OpenSSL 3.0.2 15 Mar 2022)\n");
});

test("the real openssl reads what the simulated one writes, and prints the same -text", needsReal, () => {
  const a = machine();
  a.run("openssl genrsa -out myuser.key 3072");
  a.run('openssl req -new -key myuser.key -out myuser.csr -subj "/CN=myuser/O=app\\/team"');
  const files = { "myuser.key": a.m.fs.readFile("/root/myuser.key"), "myuser.csr": a.m.fs.readFile("/root/myuser.csr") };
  assert.equal(realOpenssl(files, ["rsa", "-in", "myuser.key", "-check", "-noout"]).stdout, "RSA key ok\n");
  const real = realOpenssl(files, ["req", "-in", "myuser.csr", "-noout", "-text", "-verify"]);
  assert.equal(real.status, 0);
  assert.equal(a.run("openssl req -in myuser.csr -noout -text").stdout, real.stdout);
  assert.equal(a.run("openssl req -in myuser.csr -noout -subject").stdout, realOpenssl(files, ["req", "-in", "myuser.csr", "-noout", "-subject"]).stdout);
});

test("x509 -text, -subject, -issuer, -dates, -serial of a CA and a client certificate match the real openssl", needsReal, () => {
  const ca = rsaKey("openssl.test/ca", 2048);
  const caPEM = createCertificate({ serial: 0n, subject: { commonName: "kubernetes" }, sans: {}, notBefore: new Date("2000-01-01T00:00:00Z"), notAfter: new Date("2099-12-31T23:59:59Z"), isCA: true, spki: ca.spki }, ca);
  const user = rsaKey("openssl.test/user", 2048);
  const userPEM = createCertificate(
    { serial: serialNumber(new Drbg("openssl.test/serial")), subject: { commonName: "myuser", organizations: ["dev"] }, sans: { dnsNames: ["a.example"], ipAddresses: ["10.0.0.1"] }, notBefore: new Date("2024-03-01T09:05:00Z"), notAfter: new Date("2024-03-02T09:05:00Z"), isCA: false, usages: ["digital signature", "key encipherment", "client auth"], spki: user.spki },
    ca,
    { subject: { commonName: "kubernetes" }, spki: ca.spki },
  );
  const a = machine();
  a.m.fs.writeFile("/root/ca.crt", caPEM);
  a.m.fs.writeFile("/root/myuser.crt", userPEM);
  const files = { "ca.crt": caPEM, "myuser.crt": userPEM };
  for (const f of ["ca.crt", "myuser.crt"]) {
    for (const args of [["-noout", "-text"], ["-noout", "-subject", "-issuer", "-dates", "-serial"], ["-noout", "-enddate", "-subject"], ["-noout", "-fingerprint", "-sha256"], []]) {
      const real = realOpenssl(files, ["x509", "-in", f, ...args]);
      assert.equal(real.status, 0, real.stderr);
      const sim = a.run(`openssl x509 -in ${f} ${args.join(" ")}`);
      assert.deepEqual([sim.stdout, sim.exitCode], [real.stdout, 0], `openssl x509 -in ${f} ${args.join(" ")}`);
    }
  }
});
