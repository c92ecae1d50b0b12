// The CSR page's CertificateSigningRequest steps through `kube-scenario serve` with the real kubectl
// (v1.32) and the real openssl (/usr/bin/openssl): `kubectl certificate approve` sends
// PUT .../certificatesigningrequests/<name>/approval, the signer issues the certificate, and openssl
// reads it (https://kubernetes.io/docs/tasks/tls/certificate-issue-client-csr/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

const OPENSSL = "/usr/bin/openssl";
// Skipped on a developer's machine without openssl; CI sets KUBE_SCENARIO_REQUIRE_OPENSSL=1, so there it fails.
const NO_OPENSSL = !existsSync(OPENSSL) && process.env.KUBE_SCENARIO_REQUIRE_OPENSSL !== "1" ? `${OPENSSL} is not installed` : false;

test("the CSR page through the facade: create, get csr, certificate approve (the approval subresource), the issued certificate, deny refused", { skip: NO_KUBECTL || NO_OPENSSL, timeout: 120_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    const { kubectl, cluster, dir } = h;
    const openssl = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, encoding: "utf8" });
    openssl("genrsa", "-out", "myuser.key", "2048");
    openssl("req", "-new", "-key", "myuser.key", "-out", "myuser.csr", "-subj", "/CN=myuser/O=developers");
    const request = readFileSync(join(dir, "myuser.csr")).toString("base64");
    const manifest = `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: myuser
spec:
  request: ${request}
  signerName: kubernetes.io/kube-apiserver-client
  expirationSeconds: 86400
  usages:
  - client auth
`;
    assert.deepEqual(await kubectl(["apply", "-f", "-"], manifest), { code: 0, out: "certificatesigningrequest.certificates.k8s.io/myuser created\n", err: "" });
    const pending = await kubectl(["get", "csr"]);
    assert.match(pending.out, /^NAME +AGE +SIGNERNAME +REQUESTOR +REQUESTEDDURATION +CONDITION\nmyuser +\S+ +kubernetes\.io\/kube-apiserver-client +kubernetes-admin +24h +Pending\n$/);
    assert.deepEqual(await kubectl(["certificate", "approve", "myuser"]), { code: 0, out: "certificatesigningrequest.certificates.k8s.io/myuser approved\n", err: "" });
    cluster.advanceSync(1_000);
    const approved = await kubectl(["get", "csr", "myuser", "--no-headers"]);
    assert.match(approved.out, / Approved,Issued\n$/);
    const conditions = JSON.parse((await kubectl(["get", "csr", "myuser", "-o", "jsonpath={.status.conditions}"])).out);
    assert.equal(conditions.length, 1);
    assert.deepEqual({ ...conditions[0], lastUpdateTime: undefined, lastTransitionTime: undefined }, { type: "Approved", status: "True", reason: "KubectlApprove", message: "This CSR was approved by kubectl certificate approve.", lastUpdateTime: undefined, lastTransitionTime: undefined });
    assert.match(conditions[0].lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Approving again changes nothing; denying an approved request is refused by kubectl itself.
    assert.deepEqual(await kubectl(["certificate", "approve", "myuser"]), { code: 0, out: "certificatesigningrequest.certificates.k8s.io/myuser approved\n", err: "" });
    assert.deepEqual(await kubectl(["certificate", "deny", "myuser"]), { code: 1, out: "", err: 'error: certificate signing request "myuser" is already Approved\n' });
    // The issued certificate, as openssl reads it: the request's subject in pkix.Name's order (O before CN), the cluster CA's name, a day.
    const crt = Buffer.from((await kubectl(["get", "csr", "myuser", "-o", "jsonpath={.status.certificate}"])).out, "base64").toString();
    h.file("myuser.crt", crt);
    const dates = openssl("x509", "-in", "myuser.crt", "-noout", "-subject", "-issuer", "-startdate", "-enddate");
    assert.match(dates, /^subject=O = developers, CN = myuser\nissuer=CN = kubernetes\nnotBefore=.+ GMT\nnotAfter=.+ GMT\n$/);
    const [from, to] = [...dates.matchAll(/not(?:Before|After)=(.+)\n/g)].map((m) => Date.parse(m[1]!));
    assert.equal(to! - from!, 86400_000, "valid for the requested day from the backdated start");
    // The approval subresource changes only the conditions: a client cannot set the certificate through it.
    const stored = cluster.api.get("CertificateSigningRequest", undefined, "myuser")!;
    const put = await h.fetch(`${h.url}/apis/certificates.k8s.io/v1/certificatesigningrequests/myuser/approval`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...stored, spec: { ...stored.spec, usages: ["server auth"] }, status: { ...stored.status, certificate: undefined } }),
    });
    assert.equal(put.status, 200);
    const after = cluster.api.get("CertificateSigningRequest", undefined, "myuser")!;
    assert.deepEqual(after.spec.usages, ["client auth"]);
    assert.equal(after.status.certificate, stored.status.certificate);
    // The status subresource cannot add an approval.
    const bad = await h.fetch(`${h.url}/apis/certificates.k8s.io/v1/certificatesigningrequests/myuser/status`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...after, status: { ...after.status, conditions: [...after.status.conditions, { type: "Denied", status: "True" }] } }),
    });
    assert.equal(bad.status, 422);
    assert.match(((await bad.json()) as { message: string }).message, /updates may not add a condition of type \\"Denied\\"|updates may not add a condition of type "Denied"/);
  });
});
