import { test } from "node:test";
import assert from "node:assert/strict";
import { MemFs } from "../../runtime/vfs.ts";
import type { Container, Pod } from "../../api/types.gen.ts";
import { actionFor, IMAGE_SYSCALLS, imageRepository, loadProfile, refusesAny, seccompProfileFor, startOutcome, type SeccompProfile } from "./seccomp.ts";
import { seccompAtCreate, seccompAtStart } from "./hooks.ts";

const ROOT = "/var/lib/kubelet/seccomp/profiles";
const node = () => {
  const fs = new MemFs();
  fs.mkdir(ROOT, { recursive: true });
  fs.writeFile(`${ROOT}/audit.json`, '{\n    "defaultAction": "SCMP_ACT_LOG"\n}\n');
  fs.writeFile(`${ROOT}/violation.json`, '{\n    "defaultAction": "SCMP_ACT_ERRNO"\n}\n');
  fs.writeFile(`${ROOT}/fine-grained.json`, JSON.stringify({ defaultAction: "SCMP_ACT_ERRNO", syscalls: [{ names: [...IMAGE_SYSCALLS["hashicorp/http-echo"]!.syscalls], action: "SCMP_ACT_ALLOW" }] }));
  fs.writeFile(`${ROOT}/bad.json`, "{ not json");
  return fs;
};
const pod = (profile: string | undefined, c: Partial<Container> = {}, type = "Localhost"): [Pod, Container] => {
  const container = { name: "test-container", image: "hashicorp/http-echo:1.0", securityContext: { allowPrivilegeEscalation: false }, ...c } as Container;
  return [{ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { securityContext: profile === undefined && type === "Localhost" ? undefined : { seccompProfile: { type, ...(profile ? { localhostProfile: profile } : {}) } }, containers: [container] } }, container];
};
const profile = (p: SeccompProfile | string | undefined): SeccompProfile => {
  assert.ok(p && typeof p !== "string", `a profile, not ${JSON.stringify(p)}`);
  return p;
};

test("the kubelet's choice: the container's profile over the pod's; none is Unconfined; privileged runs unconfined; Localhost under the seccomp root", () => {
  assert.deepEqual(seccompProfileFor(...pod(undefined)), { type: "Unconfined" });
  assert.deepEqual(seccompProfileFor(...pod(undefined, {}, "RuntimeDefault")), { type: "RuntimeDefault" });
  assert.deepEqual(seccompProfileFor(...pod("profiles/audit.json")), { type: "Localhost", path: `${ROOT}/audit.json` });
  assert.deepEqual(seccompProfileFor(...pod("profiles/audit.json", { securityContext: { seccompProfile: { type: "Unconfined" } } })), { type: "Unconfined" });
  assert.deepEqual(seccompProfileFor(...pod("profiles/audit.json", { securityContext: { privileged: true } })), { type: "Unconfined" });
});

test("containerd reads a Localhost profile at creation: a missing file and bad JSON are its errors", () => {
  const fs = node();
  assert.equal(seccompAtCreate(fs, ...pod("profiles/missing.json")), 'failed to create containerd container: cannot load seccomp profile "/var/lib/kubelet/seccomp/profiles/missing.json": open /var/lib/kubelet/seccomp/profiles/missing.json: no such file or directory');
  assert.match(String(seccompAtCreate(fs, ...pod("profiles/bad.json"))), /^failed to create containerd container: decoding seccomp profile failed "\/var\/lib\/kubelet\/seccomp\/profiles\/bad.json": /);
  assert.equal(seccompAtCreate(fs, ...pod(undefined, {}, "RuntimeDefault")), undefined);
  assert.equal(seccompAtCreate(undefined, ...pod("profiles/missing.json")), undefined);
  assert.deepEqual(loadProfile(fs, ROOT), { error: `cannot load seccomp profile "${ROOT}": read ${ROOT}: is a directory` });
});

test("actions: an unconditional rule naming the call, else the default", () => {
  const p: SeccompProfile = { path: "/p", defaultAction: "SCMP_ACT_ERRNO", syscalls: [{ names: ["read"], action: "SCMP_ACT_ALLOW", conditional: false }, { names: ["write"], action: "SCMP_ACT_ALLOW", conditional: true }] };
  assert.equal(actionFor(p, "read"), "SCMP_ACT_ALLOW");
  assert.equal(actionFor(p, "write"), "SCMP_ACT_ERRNO");
  assert.ok(refusesAny(p));
  assert.ok(!refusesAny({ path: "/p", defaultAction: "SCMP_ACT_LOG", syscalls: [] }));
});

test("the page's profiles: audit and fine-grained run http-echo, violation stops runc's own init", () => {
  const fs = node();
  const id = "9eaa4ddb572def3a";
  assert.equal(seccompAtStart(profile(seccompAtCreate(fs, ...pod("profiles/audit.json"))), pod("x")[1], id), undefined, "SCMP_ACT_LOG refuses nothing");
  assert.deepEqual(seccompAtStart(profile(seccompAtCreate(fs, ...pod("profiles/fine-grained.json"))), pod("x")[1], id), { kind: "runs", checkedImage: true });
  assert.throws(() => seccompAtStart(profile(seccompAtCreate(fs, ...pod("profiles/violation.json"))), pod("x")[1], id), { message: `failed to start containerd task "${id}": cannot start a stopped process: unknown` });
});

test("without no_new_privs the filter comes before runc's finalizeNamespace: fine-grained lacks setgroups", () => {
  const fine = profile(seccompAtCreate(node(), ...pod("profiles/fine-grained.json")));
  assert.equal(startOutcome(fine, false, "hashicorp/http-echo:1.0", "c1").kind, "startError");
  assert.equal(startOutcome(fine, true, "hashicorp/http-echo:1.0", "c1").kind, "runs");
});

test("the image's own syscalls: refused ones end a Go program (exit 2), killed ones die of SIGSYS (159); an image without a list is not checked", () => {
  const runcOnly: SeccompProfile = { path: "/p", defaultAction: "SCMP_ACT_ERRNO", syscalls: [{ names: ["close", "openat", "write", "getdents64", "execve"], action: "SCMP_ACT_ALLOW", conditional: false }] };
  assert.deepEqual(startOutcome(runcOnly, true, "docker.io/hashicorp/http-echo:1.0", "c"), { kind: "exits", exitCode: 2, syscall: "accept4" });
  assert.deepEqual(startOutcome({ ...runcOnly, defaultAction: "SCMP_ACT_KILL_PROCESS" }, true, "hashicorp/http-echo", "c"), { kind: "exits", exitCode: 159, syscall: "accept4" });
  assert.deepEqual(startOutcome(runcOnly, true, "busybox:1.28", "c"), { kind: "runs", checkedImage: false });
  assert.equal(startOutcome({ ...runcOnly, defaultAction: "SCMP_ACT_BOGUS" }, true, "busybox", "c").kind, "startError");
});

test("image repositories", () => {
  assert.equal(imageRepository("hashicorp/http-echo:1.0"), "hashicorp/http-echo");
  assert.equal(imageRepository("docker.io/hashicorp/http-echo@sha256:abc"), "hashicorp/http-echo");
  assert.equal(imageRepository("docker.io/library/busybox:1.28"), "busybox");
  assert.equal(imageRepository("localhost:5000/app:v1"), "app");
});
