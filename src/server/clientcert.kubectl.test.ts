// Client-certificate authentication through `kube-scenario serve` with the real kubectl (v1.32),
// the real openssl and the Python client: the CSR page's user
// (https://kubernetes.io/docs/tasks/tls/certificate-issue-client-csr/) gets a certificate from an
// approved CertificateSigningRequest, kubectl config set-credentials --embed-certs puts it in the
// kubeconfig, and the facade authenticates it as kube-apiserver's x509 authenticator does
// (k8s.io/apiserver/pkg/authentication/request/x509): `auth whoami`, RBAC's Forbidden until a Role
// is bound, 401 once the certificate expires at simulated time or when its CA is not the cluster's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createCertificate, encodePrivateKey, rsaKey, type Subject } from "../images/programs/certmanager/pki.ts";
import { NO_KUBECTL, withKubectl, type Harness } from "./testutil.ts";

const OPENSSL = "/usr/bin/openssl";
const NO_OPENSSL = !existsSync(OPENSSL) && process.env.KUBE_SCENARIO_REQUIRE_OPENSSL !== "1" ? `${OPENSSL} is not installed` : false;
const PYTHON = "/usr/bin/python3";
const pythonMissing = spawnSync(PYTHON, ["-c", "import kubernetes"], { encoding: "utf8" }).status !== 0 ? "the Python client is not installed (apt-get install -y python3-kubernetes)" : false;
const NO_PYTHON = pythonMissing && !process.env.CI && process.env.KUBE_SCENARIO_REQUIRE_PYTHON_CLIENT !== "1" ? pythonMissing : false;

/** The page's steps for `name`: key, request, CSR, approval, the issued certificate in <name>.crt, the user in the kubeconfig (--embed-certs) and a context. */
async function issue(h: Harness, name: string, subject: string, expirationSeconds = 86400): Promise<string> {
  const openssl = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: h.dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  openssl("genrsa", "-out", `${name}.key`, "2048");
  openssl("req", "-new", "-key", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
  const request = readFileSync(join(h.dir, `${name}.csr`)).toString("base64");
  const csr = `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: ${name}\nspec:\n  request: ${request}\n  signerName: kubernetes.io/kube-apiserver-client\n  expirationSeconds: ${expirationSeconds}\n  usages:\n  - client auth\n`;
  assert.equal((await h.kubectl(["apply", "-f", "-"], csr)).code, 0);
  assert.equal((await h.kubectl(["certificate", "approve", name])).code, 0);
  h.cluster.advanceSync(1_000);
  const crt = Buffer.from((await h.kubectl(["get", "csr", name, "-o", "jsonpath={.status.certificate}"])).out, "base64").toString();
  assert.match(crt, /^-----BEGIN CERTIFICATE-----/);
  h.file(`${name}.crt`, crt);
  await credentials(h, name);
  return crt;
}

async function credentials(h: Harness, name: string): Promise<void> {
  assert.deepEqual(await h.kubectl(["config", "set-credentials", name, `--client-key=${join(h.dir, `${name}.key`)}`, `--client-certificate=${join(h.dir, `${name}.crt`)}`, "--embed-certs=true"]), { code: 0, out: `User "${name}" set.\n`, err: "" });
  assert.deepEqual(await h.kubectl(["config", "set-context", name, "--cluster=kube-scenario", `--user=${name}`]), { code: 0, out: `Context "${name}" created.\n`, err: "" });
}

const sha256 = (pem: string) => createHash("sha256").update(new X509Certificate(pem).raw).digest("hex");

test("a CSR's certificate through the facade: auth whoami, Forbidden until a RoleBinding, then allowed; 401 once expired at simulated time", { skip: NO_KUBECTL || NO_OPENSSL, timeout: 180_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    const crt = await issue(h, "myuser", "/CN=myuser/O=developers");
    // The certificate is the facade's CA's: the kubeconfig's certificate-authority-data verifies it.
    assert.equal(new X509Certificate(crt).verify(new X509Certificate(h.server.caPEM!).publicKey), true);
    const whoami = await h.kubectl(["--context", "myuser", "auth", "whoami"]);
    assert.deepEqual(whoami, {
      code: 0,
      out:
        "ATTRIBUTE                                           VALUE\n" +
        "Username                                            myuser\n" +
        "Groups                                              [developers system:authenticated]\n" +
        `Extra: authentication.kubernetes.io/credential-id   [X509SHA256=${sha256(crt)}]\n`,
      err: "",
    });
    assert.deepEqual(await h.kubectl(["--context", "myuser", "get", "pods"]), { code: 1, out: "", err: 'Error from server (Forbidden): pods is forbidden: User "myuser" cannot list resource "pods" in API group "" in the namespace "default"\n' });
    assert.deepEqual(await h.kubectl(["--context", "myuser", "auth", "can-i", "list", "pods"]), { code: 1, out: "no\n", err: "" });
    // The page's Role and RoleBinding, made by the admin.
    assert.equal((await h.kubectl(["create", "role", "developer", "--verb=create", "--verb=get", "--verb=list", "--verb=update", "--verb=delete", "--resource=pods"])).code, 0);
    assert.equal((await h.kubectl(["create", "rolebinding", "developer-binding-myuser", "--role=developer", "--user=myuser"])).code, 0);
    assert.deepEqual(await h.kubectl(["--context", "myuser", "get", "pods"]), { code: 0, out: "", err: "No resources found in default namespace.\n" });
    assert.deepEqual(await h.kubectl(["--context", "myuser", "auth", "can-i", "list", "pods"]), { code: 0, out: "yes\n", err: "" });
    assert.deepEqual(await h.kubectl(["--context", "myuser", "get", "secrets"]), { code: 1, out: "", err: 'Error from server (Forbidden): secrets is forbidden: User "myuser" cannot list resource "secrets" in API group "" in the namespace "default"\n' });
    assert.deepEqual(h.logs, []);
    // The day passes in simulated time: the certificate has expired (checked at the simulated
    // time, the clock that signed it); kube-apiserver logs why and answers 401.
    const notAfter = Date.parse(new X509Certificate(crt).validTo);
    h.cluster.advanceSync(notAfter - h.cluster.clock.now() + 1_000);
    assert.deepEqual(await h.kubectl(["--context", "myuser", "get", "pods"]), { code: 1, out: "", err: "error: You must be logged in to the server (Unauthorized)\n" });
    const now = new Date(Math.floor(h.cluster.clock.now() / 1000) * 1000).toISOString().replace(".000Z", "Z");
    const serial = BigInt("0x" + new X509Certificate(crt).serialNumber).toString();
    assert.ok(h.logs.length > 0);
    for (const line of h.logs) {
      assert.match(line, /^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ authentication\.go:73\] "Unable to authenticate the request" err="verifying certificate SN=(\d+), SKID=, AKID=[0-9A-F:]{59} failed: x509: certificate has expired or is not yet valid: current time (\S+) is after (\S+)"$/);
      assert.equal(/SN=(\d+)/.exec(line)![1], serial);
      assert.equal(/current time (\S+) is after/.exec(line)![1], now);
      assert.equal(/is after (\S+)"/.exec(line)![1], new Date(notAfter).toISOString().replace(".000Z", "Z"));
    }
  });
});

test("certificates the cluster's CA did not sign are 401, logged as Go's x509 says, whatever their subject; a certificate without CN is no user", { skip: NO_KUBECTL || NO_OPENSSL, timeout: 120_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    // Discovery cached by the admin first, so each refused request below is one 401 (uncached, kubectl retries discovery and prints memcache's errors).
    assert.equal((await h.kubectl(["get", "ns", "default", "-o", "name"])).code, 0);
    const unauthorized = { code: 1, out: "", err: "error: You must be logged in to the server (Unauthorized)\n" };
    const openssl = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: h.dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    // A CA of one's own, named as the cluster's (kubeadm's CN=kubernetes), signing a system:masters
    // certificate with openssl: its dates are the wall clock's, checked against the simulated time
    // first (Go checks the leaf's period before looking for its issuer), so it is not yet valid.
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "fake-ca.key", "-out", "fake-ca.crt", "-subj", "/CN=kubernetes", "-days", "36500");
    openssl("genrsa", "-out", "mallory.key", "2048");
    openssl("req", "-new", "-key", "mallory.key", "-out", "mallory.csr", "-subj", "/O=system:masters/CN=mallory");
    openssl("x509", "-req", "-in", "mallory.csr", "-CA", "fake-ca.crt", "-CAkey", "fake-ca.key", "-CAcreateserial", "-out", "mallory.crt", "-days", "36500");
    await credentials(h, "mallory");
    assert.deepEqual(await h.kubectl(["--context", "mallory", "get", "pods"]), unauthorized);
    assert.deepEqual(await h.kubectl(["--context", "mallory", "auth", "whoami"]), unauthorized);
    const mallory = new X509Certificate(readFileSync(join(h.dir, "mallory.crt")));
    const simNow = new Date(h.cluster.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
    assert.equal(h.logs.length, 2);
    for (const line of h.logs) {
      assert.ok(line.endsWith(` authentication.go:73] "Unable to authenticate the request" err="verifying certificate SN=${BigInt("0x" + mallory.serialNumber)}, SKID=, AKID= failed: x509: certificate has expired or is not yet valid: current time ${simNow} is before ${new Date(mallory.validFrom).toISOString().replace(/\.\d{3}Z$/, "Z")}"`), line);
    }
    // Dated at the simulated time (as a client could make them): the candidate CA's signature fails, or there is no candidate.
    const forge = (issuer: Subject, name: string) => {
      const key = rsaKey(`clientcert.kubectl.test ${name}`);
      const now = h.cluster.clock.now();
      h.file(`${name}.crt`, createCertificate({ serial: 42n, subject: { commonName: name, organizations: ["system:masters"] }, sans: {}, notBefore: new Date(now - 3600_000), notAfter: new Date(now + 3600_000), isCA: false, usages: ["client auth"], spki: key.spki }, key, { subject: issuer, spki: key.spki }));
      h.file(`${name}.key`, encodePrivateKey(key));
    };
    forge({ commonName: "kubernetes" }, "eve");
    await credentials(h, "eve");
    h.logs.length = 0;
    assert.deepEqual(await h.kubectl(["--context", "eve", "get", "pods"]), unauthorized);
    assert.equal(h.logs.length, 1);
    assert.match(h.logs[0]!, / err="verifying certificate SN=42, SKID=, AKID=[0-9A-F:]{59} failed: x509: certificate signed by unknown authority \(possibly because of \\"crypto\/rsa: verification error\\" while trying to verify candidate authority certificate \\"kubernetes\\"\)"$/);
    forge({ commonName: "other-ca" }, "trudy");
    await credentials(h, "trudy");
    h.logs.length = 0;
    assert.deepEqual(await h.kubectl(["--context", "trudy", "get", "pods"]), unauthorized);
    assert.match(h.logs[0]!, / failed: x509: certificate signed by unknown authority"$/);
    // With the server's token as well, the token authenticates the request (the union goes on after a failed certificate).
    assert.deepEqual(await h.kubectl(["--context", "trudy", "--token", h.server.token!, "get", "ns", "default", "-o", "name"]), { code: 0, out: "namespace/default\n", err: "" });
    // A certificate the cluster signed without a common name authenticates no one: the request is
    // anonymous (here refused with 401 beyond the public paths: docs/divergences.md), and nothing is logged.
    await issue(h, "nocn", "/O=developers");
    h.logs.length = 0;
    assert.deepEqual(await h.kubectl(["--context", "nocn", "get", "pods"]), unauthorized);
    assert.deepEqual(await h.kubectl(["--context", "nocn", "get", "--raw", "/version"]).then((r) => r.code), 0);
    assert.deepEqual(h.logs, []);
  });
});

test("the Python client with a client-certificate kubeconfig user: 403 until bound, then allowed, and its SelfSubjectReview", { skip: NO_KUBECTL || NO_OPENSSL || NO_PYTHON, timeout: 120_000 }, async (t) => {
  if (pythonMissing) assert.fail(pythonMissing);
  await withKubectl(t, async (h) => {
    const crt = await issue(h, "pyuser", "/CN=pyuser/O=team-a/O=team-b");
    const script = `
import json
from kubernetes import client, config
from kubernetes.client.rest import ApiException
config.load_kube_config(${JSON.stringify(join(h.dir, "kubeconfig"))}, context="pyuser")
v1 = client.CoreV1Api()
try:
    v1.list_namespaced_pod("default")
    print("listed")
except ApiException as e:
    print(e.status, json.loads(e.body)["message"])
review = client.ApiClient().call_api("/apis/authentication.k8s.io/v1/selfsubjectreviews", "POST", body={"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}, response_type="object", auth_settings=["BearerToken"], _return_http_data_only=True)
print(json.dumps(review["status"]["userInfo"], sort_keys=True))
`;
    // Asynchronously: this process serves the facade the client talks to.
    const py = () =>
      new Promise<string>((resolve, reject) =>
        execFile(PYTHON, ["-c", script], { encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } }, (e, out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out))),
      );
    const before = (await py()).split("\n");
    assert.equal(before[0], '403 pods is forbidden: User "pyuser" cannot list resource "pods" in API group "" in the namespace "default"');
    assert.deepEqual(JSON.parse(before[1]!), { extra: { "authentication.kubernetes.io/credential-id": [`X509SHA256=${sha256(crt)}`] }, groups: ["team-a", "team-b", "system:authenticated"], username: "pyuser" });
    assert.equal((await h.kubectl(["create", "clusterrolebinding", "pyuser-view", "--clusterrole=view", "--group=team-b"])).code, 0);
    assert.equal((await py()).split("\n")[0], "listed");
  });
});
