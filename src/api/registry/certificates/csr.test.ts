import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../../cluster.ts";
import { ApiError } from "../../errors.ts";
import type { KObject } from "../../types.ts";
import type { AdmissionAttributes, ApiServer } from "../../store.ts";
import { asRequester } from "../../authorization/requester.ts";
import { F } from "../../validation/field.ts";
import { createCSR, ecKey, rsaKey, createCertificate, serialNumber, Drbg } from "../../../images/programs/certmanager/pki.ts";
import {
  KEY_USAGES,
  certificateSigningRequestStatusStrategy as statusStrategy,
  certificateSigningRequestStrategy as strategy,
  populateConditionTimestamps,
  validateCertificateSigningRequest,
  validateCertificateSigningRequestUpdate,
} from "./csr.ts";

const NOW = "2024-01-08T00:00:00Z";
const LATER = "2024-01-08T01:00:00Z";
const fakeApi = { clock: { nowRFC3339: () => NOW } } as unknown as ApiServer;
const attrs = (subresource?: "approval"): AdmissionAttributes => ({ dryRun: false, resource: undefined as never, name: "x", ...(subresource ? { subresource } : {}) });

const key = ecKey("csr.test");
const REQUEST = Buffer.from(createCSR({ organizations: ["testing-org"] }, {}, undefined, false, key)).toString("base64");

function csr(spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KObject {
  return { apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest", metadata: { name: "testcsr" }, spec: { request: REQUEST, signerName: "example.com/valid-name", usages: ["key encipherment"], ...spec }, ...(status ? { status } : {}) };
}

// strategy_test.go TestStrategyCreate (the admin's requests carry the admin: a request always has a user here).
test("TestStrategyCreate: the requester replaces the user fields, the status is reset", async (t) => {
  const cases: Array<{ name: string; user: { name: string; uid?: string; groups: string[]; extra?: Record<string, string[]> }; spec: Record<string, unknown>; status?: Record<string, unknown>; want: Record<string, unknown> }> = [
    {
      name: "user in context, no user in obj",
      user: { name: "bob", uid: "123", groups: ["group1"], extra: { foo: ["bar"] } },
      spec: {},
      want: { username: "bob", uid: "123", groups: ["group1"], extra: { foo: ["bar"] } },
    },
    { name: "user in context, user in obj", user: { name: "alice", uid: "234", groups: [] }, spec: { username: "bob", uid: "123", groups: ["group1"] }, want: { username: "alice", uid: "234" } },
    { name: "pre-approved status", user: { name: "alice", groups: [] }, spec: {}, status: { conditions: [{ type: "Approved" }] }, want: { username: "alice" } },
    { name: "expirationSeconds set", user: { name: "alice", groups: [] }, spec: { expirationSeconds: 1234 }, want: { username: "alice", expirationSeconds: 1234 } },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const obj: KObject = { apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest", metadata: { name: "x" }, spec: { ...c.spec }, ...(c.status ? { status: c.status } : {}) };
      asRequester(c.user, () => strategy.mutate!(obj, "CREATE", undefined, fakeApi, attrs()));
      assert.deepEqual(obj.spec, c.want);
      assert.deepEqual(obj.status, {});
    });
  }
});

// strategy_test.go TestStatusUpdate.
test("TestStatusUpdate: Approved and Denied conditions are kept as stored, timestamps filled in", async (t) => {
  const cases: Array<{ name: string; next: KObject; old: KObject; want: unknown }> = [
    { name: "no-op", next: csr(), old: csr(), want: undefined },
    {
      name: "adding failed condition to existing approved/denied conditions",
      next: csr({}, { conditions: [{ type: "Failed" }, { type: "Denied" }, { type: "Approved" }, { type: "Denied" }, { type: "Approved" }] }),
      old: csr({}, {
        conditions: [
          { type: "Denied", reason: "because1" },
          { type: "Approved", reason: "because2" },
          { type: "Denied", reason: "because3", lastUpdateTime: LATER, lastTransitionTime: LATER },
          { type: "Approved", reason: "because4", lastUpdateTime: LATER, lastTransitionTime: LATER },
        ],
      }),
      want: {
        conditions: [
          { type: "Failed", lastUpdateTime: NOW, lastTransitionTime: NOW },
          { type: "Denied", lastUpdateTime: NOW, lastTransitionTime: LATER, reason: "because1" },
          { type: "Approved", lastUpdateTime: NOW, lastTransitionTime: LATER, reason: "because2" },
          { type: "Denied", lastUpdateTime: LATER, lastTransitionTime: LATER, reason: "because3" },
          { type: "Approved", lastUpdateTime: LATER, lastTransitionTime: LATER, reason: "because4" },
        ],
      },
    },
    {
      name: "add approved condition",
      next: csr({}, { conditions: [{ type: "Approved" }] }),
      old: csr(),
      want: { conditions: [{ type: "Approved", lastUpdateTime: NOW, lastTransitionTime: NOW }] },
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const obj = structuredClone(c.next);
      obj.spec = { ...obj.spec, usages: ["changed"] };
      statusStrategy.mutate!(obj, "UPDATE", c.old, fakeApi, attrs());
      assert.deepEqual(obj.status, c.want);
      assert.deepEqual(obj.spec, c.old.spec, "the spec stays as stored");
    });
  }
});

test("the approval subresource changes only the conditions: spec and certificate stay as stored", () => {
  const old = csr({}, { certificate: "Y2VydA==", conditions: [{ type: "Failed", status: "True", lastUpdateTime: LATER, lastTransitionTime: LATER }] });
  const obj = csr({ usages: ["server auth"] }, { certificate: "b3RoZXI=", conditions: [{ type: "Approved", status: "True", reason: "KubectlApprove" }] });
  statusStrategy.mutate!(obj, "UPDATE", old, fakeApi, attrs("approval"));
  assert.deepEqual(obj.spec, old.spec);
  assert.deepEqual(obj.status, { certificate: "Y2VydA==", conditions: [{ type: "Approved", status: "True", reason: "KubectlApprove", lastUpdateTime: NOW, lastTransitionTime: NOW }] });
});

test("populateConditionTimestamps keeps a given time and the stored transition of the same type and status", () => {
  const old = [{ type: "Approved", status: "True", lastTransitionTime: LATER }];
  assert.deepEqual(populateConditionTimestamps([{ type: "Approved", status: "True" }], old, NOW), [{ type: "Approved", status: "True", lastUpdateTime: NOW, lastTransitionTime: LATER }]);
  assert.deepEqual(populateConditionTimestamps([{ type: "Approved", status: "False" }], old, NOW), [{ type: "Approved", status: "False", lastUpdateTime: NOW, lastTransitionTime: NOW }]);
  assert.deepEqual(populateConditionTimestamps([{ type: "X", lastUpdateTime: LATER }], [], NOW), [{ type: "X", lastUpdateTime: LATER, lastTransitionTime: NOW }]);
});

// validation_test.go TestValidateCertificateSigningRequest (signerName rows) and validation.go's create checks.
test("TestValidateCertificateSigningRequest", async (t) => {
  const a = (n: number) => "a".repeat(n);
  const maxLengthFQDN = `${a(63)}.${a(63)}.${a(63)}.${a(61)}`;
  const maxLengthSignerName = `${maxLengthFQDN}/${a(63)}.${a(253)}`;
  const SUBDOMAIN = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  const cases: Array<[string, Record<string, unknown>, ReturnType<typeof F.invalid>[]]> = [
    ["CSR with empty request data should fail", { request: undefined }, [{ field: "spec.request", detail: "Invalid value: []byte(nil): PEM block type must be CERTIFICATE REQUEST" }]],
    ["CSR with invalid request data should fail", { request: Buffer.from("invalid data").toString("base64") }, [{ field: "spec.request", detail: "Invalid value: []byte{0x69, 0x6e, 0x76, 0x61, 0x6c, 0x69, 0x64, 0x20, 0x64, 0x61, 0x74, 0x61}: PEM block type must be CERTIFICATE REQUEST" }]],
    ["CSR with no usages should fail", { usages: undefined }, [F.required("spec.usages", "")]],
    ["CSR with no signerName set should fail", { signerName: undefined }, [F.required("spec.signerName", "")]],
    ["signerName contains no '/'", { signerName: "an-invalid-signer-name" }, [F.invalid("spec.signerName", "an-invalid-signer-name", "must be a fully qualified domain and path of the form 'example.com/signer-name'")]],
    ["signerName contains two '/'", { signerName: "an-invalid-signer-name.com/something/else" }, [F.invalid("spec.signerName", "an-invalid-signer-name.com/something/else", "must be a fully qualified domain and path of the form 'example.com/signer-name'")]],
    ["signerName domain component is not fully qualified", { signerName: "example/some-signer-name" }, [F.invalid("spec.signerName", "example", "should be a domain with at least two segments separated by dots")]],
    ["signerName path component is empty", { signerName: "example.com/" }, [F.invalid("spec.signerName", "", `validating label "": ${SUBDOMAIN}`)]],
    ["signerName path component ends with a symbol", { signerName: "example.com/something-" }, [F.invalid("spec.signerName", "something-", `validating label "something-": ${SUBDOMAIN}`)]],
    ["signerName path component is a symbol", { signerName: "example.com/-" }, [F.invalid("spec.signerName", "-", `validating label "-": ${SUBDOMAIN}`)]],
    ["signerName path component contains no '.' but is valid", { signerName: "example.com/some-signer-name" }, []],
    ["signerName with a total length greater than 571 characters should be rejected", { signerName: maxLengthSignerName + ".toolong" }, [F.tooLong("spec.signerName", maxLengthSignerName.length)]],
    ["signerName with a fqdn greater than 253 characters should be rejected", { signerName: `${maxLengthFQDN}.extra/valid-path` }, [F.tooLong("spec.signerName", maxLengthFQDN.length)]],
    ["signerName can have a longer path if the domain component is less than the max length", { signerName: `abc.io/${a(253)}.${a(253)}` }, []],
    ["signerName with a domain label greater than 63 characters will fail", { signerName: `${a(66)}.example.io/valid-path` }, [F.invalid("spec.signerName", `${a(66)}.example.io`, `validating label "${a(66)}": must be no more than 63 characters`)]],
    ["signerName of max length in format <fully-qualified-domain-name>/<resource-namespace>.<resource-name> is valid", { signerName: maxLengthSignerName }, []],
    ["the legacy signerName is refused through v1", { signerName: "kubernetes.io/legacy-unknown" }, [F.invalid("spec.signerName", "kubernetes.io/legacy-unknown", "the legacy signerName is not allowed via this API version")]],
    ["unknown usages", { usages: ["bogus"] }, [F.notSupported("spec.usages[0]", "bogus", KEY_USAGES)]],
    ["duplicate usages", { usages: ["client auth", "client auth"] }, [F.duplicate("spec.usages[1]", "client auth")]],
    ["expirationSeconds under ten minutes", { expirationSeconds: 599 }, [F.invalid("spec.expirationSeconds", 599, "may not specify a duration less than 600 seconds (10 minutes)")]],
    ["expirationSeconds of ten minutes", { expirationSeconds: 600 }, []],
  ];
  for (const [name, spec, want] of cases) {
    await t.test(name, () => {
      const obj = csr(spec);
      for (const k of Object.keys(spec)) if (spec[k] === undefined) delete obj.spec[k];
      const got = validateCertificateSigningRequest(obj);
      assert.deepEqual(got, want);
    });
  }
});

test("the request's signature must check, and any name is accepted", () => {
  const other = ecKey("csr.test other");
  const good = Buffer.from(createCSR({ commonName: "x" }, {}, undefined, false, key));
  const forged = Buffer.from(createCSR({ commonName: "x" }, {}, undefined, false, other).replace(/-----BEGIN CERTIFICATE REQUEST-----\n([\s\S]*?)-----END/, (_m, body: string) => {
    // The other key's request with the first key's public key in it: the signature no longer checks.
    const der = Buffer.from(body.replace(/\s+/g, ""), "base64");
    const swapped = Buffer.from(der.toString("hex").replace(other.spki.toString("hex"), key.spki.toString("hex")), "hex");
    return `-----BEGIN CERTIFICATE REQUEST-----\n${swapped.toString("base64")}\n-----END`;
  }));
  assert.deepEqual(validateCertificateSigningRequest(csr({ request: good.toString("base64") })), []);
  const errs = validateCertificateSigningRequest(csr({ request: forged.toString("base64") }));
  assert.equal(errs.length, 1);
  assert.match(errs[0]!.detail, /: x509: ECDSA verification failure$/);
  const rsa = rsaKey("csr.test rsa");
  assert.deepEqual(validateCertificateSigningRequest(csr({ request: Buffer.from(createCSR({ commonName: "y" }, {}, undefined, false, rsa)).toString("base64") })), []);
  const named = csr();
  named.metadata.name = "Not_A DNS name";
  assert.deepEqual(validateCertificateSigningRequest(named), [], "ValidateCertificateRequestName accepts any name");
});

test("validateConditions: types, True-only types, Approved and Denied exclusive, no duplicates", () => {
  const errs = validateCertificateSigningRequest(csr({}, { conditions: [{ status: "True" }, { type: "Approved", status: "False" }, { type: "Denied", status: "True" }, { type: "Custom", status: "Maybe" }, { type: "Custom" }] }));
  assert.deepEqual(errs, [
    F.required("status.conditions[0].type", ""),
    F.notSupported("status.conditions[1].status", "False", ["True"]),
    F.invalid("status.conditions[2].type", "Denied", "Approved and Denied conditions are mutually exclusive"),
    F.notSupported("status.conditions[3].status", "Maybe", ["False", "True", "Unknown"]),
    F.required("status.conditions[4].status", ""),
    F.duplicate("status.conditions[4].type", "Custom"),
  ]);
});

function issued(): string {
  const ca = rsaKey("csr.test ca");
  const pem = createCertificate({ serial: serialNumber(new Drbg("s")), subject: { commonName: "x" }, sans: {}, notBefore: new Date(0), notAfter: new Date(1e12), isCA: false, usages: ["client auth"], spki: key.spki }, ca);
  return Buffer.from(pem).toString("base64");
}

test("update validation: what each path may change", () => {
  const approved = { type: "Approved", status: "True", reason: "R" };
  const old = csr({}, {});
  // The status subresource may not add an approval; the approval subresource may.
  assert.deepEqual(validateCertificateSigningRequestUpdate(csr({}, { conditions: [approved] }), old, "status"), [F.forbidden("status.conditions", 'updates may not add a condition of type "Approved"')]);
  assert.deepEqual(validateCertificateSigningRequestUpdate(csr({}, { conditions: [approved] }), old, "approval"), []);
  // No path removes an Approved, Denied or Failed condition.
  assert.deepEqual(validateCertificateSigningRequestUpdate(csr({}, {}), csr({}, { conditions: [approved] }), "approval"), [F.forbidden("status.conditions", 'updates may not remove a condition of type "Approved"')]);
  // Only the status subresource sets the certificate, once.
  const cert = issued();
  assert.deepEqual(validateCertificateSigningRequestUpdate(csr({}, { certificate: cert }), old, "approval"), [F.forbidden("status.certificate", "updates may not set certificate content")]);
  assert.deepEqual(validateCertificateSigningRequestUpdate(csr({}, { certificate: cert }), old, "status"), []);
  assert.deepEqual(validateCertificateSigningRequestUpdate(csr({}, { certificate: Buffer.from("-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n").toString("base64") }), csr({}, { certificate: cert }), "status").map((e) => e.detail), ["Invalid value: \"<certificate data>\": x509: malformed certificate", "Forbidden: updates may not modify existing certificate content"]);
  assert.deepEqual(validateCertificateSigningRequestUpdate(csr({}, { certificate: Buffer.from("not pem").toString("base64") }), old, "status"), [F.invalid("status.certificate", "<certificate data>", "must contain at least one CERTIFICATE PEM block")]);
});

test("through the store: the requester is recorded, approval goes through its subresource, the status subresource cannot approve", () => {
  const c = new Cluster();
  const created = asRequester({ name: "myuser", groups: ["dev", "system:authenticated"] }, () => c.api.create(csr({ username: "someone-else" }, { conditions: [approved()] })));
  assert.equal(created.spec.username, "myuser");
  assert.deepEqual(created.spec.groups, ["dev", "system:authenticated"]);
  assert.deepEqual(created.status, {});
  // A main-resource update keeps spec and status.
  const upd = c.api.update({ ...structuredClone(created), metadata: { ...created.metadata, labels: { a: "b" } }, spec: { ...created.spec, usages: ["server auth"] }, status: { conditions: [approved()] } });
  assert.deepEqual(upd.metadata.labels, { a: "b" });
  assert.deepEqual(upd.spec.usages, ["key encipherment"]);
  assert.deepEqual(upd.status, {});
  assert.throws(
    () => c.api.update({ ...structuredClone(upd), status: { conditions: [approved()] } }, { subresource: "status" }),
    (e: unknown) => e instanceof ApiError && e.message === 'CertificateSigningRequest.certificates.k8s.io "testcsr" is invalid: status.conditions: Forbidden: updates may not add a condition of type "Approved"',
  );
  const ok = c.api.update({ ...structuredClone(upd), status: { conditions: [approved()] } }, { subresource: "approval" });
  assert.equal(ok.status.conditions[0].type, "Approved");
  assert.equal(ok.status.conditions[0].lastTransitionTime, c.clock.nowRFC3339());
  assert.throws(() => c.api.update({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kube-root-ca.crt", namespace: "default" } }, { subresource: "approval" }), /could not find the requested resource/);
  void c.close();
});

function approved(): Record<string, string> {
  return { type: "Approved", status: "True", reason: "KubectlApprove", message: "This CSR was approved by kubectl certificate approve." };
}
