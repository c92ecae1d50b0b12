// component-helpers/node/util/sysctl's NormalizeName and GetNamespace, and the API's sysctl name rule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getSysctlNamespace, isValidSysctlName, isValidSysctlPattern, normalizeSysctlName } from "./sysctl.ts";

test("NormalizeName and GetNamespace (component-helpers/node/util/sysctl)", () => {
  assert.equal(normalizeSysctlName("net/ipv4/conf/eno2.100/rp_filter"), "net.ipv4.conf.eno2/100.rp_filter");
  assert.equal(normalizeSysctlName("net.ipv4.conf.eno2/100.rp_filter"), "net.ipv4.conf.eno2/100.rp_filter");
  assert.equal(normalizeSysctlName("kernel/shm_rmid_forced"), "kernel.shm_rmid_forced");
  assert.equal(normalizeSysctlName("foo"), "foo");
  assert.equal(normalizeSysctlName(""), "");
  assert.deepEqual(getSysctlNamespace("net.ipv6.neigh.*"), { ns: "Net", sysctlOrPrefix: "net.ipv6.neigh.", prefixed: true });
  assert.deepEqual(getSysctlNamespace("net.ipv6.conf.all.disable_ipv6"), { ns: "Net", sysctlOrPrefix: "net.ipv6.conf.all.disable_ipv6", prefixed: false });
  assert.deepEqual(getSysctlNamespace("kernel.msg*"), { ns: "IPC", sysctlOrPrefix: "kernel.msg", prefixed: true });
  assert.deepEqual(getSysctlNamespace("kernel.shm*"), { ns: "IPC", sysctlOrPrefix: "kernel.shm", prefixed: true });
  assert.equal(getSysctlNamespace("fs.mqueue.msg_max").ns, "IPC");
  assert.equal(getSysctlNamespace("kernel.sem").ns, "IPC");
  assert.equal(getSysctlNamespace("kernel.pid_max").ns, "");
  assert.equal(getSysctlNamespace("vm.swappiness").ns, "");
  assert.equal(getSysctlNamespace("net").ns, "");
});

test("IsValidSysctlName: segments of [a-z0-9_-], dots or slashes between, at most 253 characters", () => {
  for (const ok of ["a", "a.b", "a/b", "kernel.shm_rmid_forced", "net.ipv4.conf.eno2/100.rp_filter", "a-b.c_d", "1.2"]) assert.ok(isValidSysctlName(ok), ok);
  for (const bad of ["", "A", "a..b", ".a", "a.", "a-", "-a", "_a", "a.*", "a b", "a".repeat(254)]) assert.ok(!isValidSysctlName(bad), bad);
});

test("IsValidSysctlPattern: a name, or one whose last segment ends in *", () => {
  for (const ok of ["kernel.msg*", "kernel/msg*", "kernel.sem", "net.b.*", "*", "foo*"]) assert.ok(isValidSysctlPattern(ok), ok);
  for (const bad of [" kernel.msg*", "kernel.msg* ", "net.-", "net.*.foo", "net.*/foo", ""]) assert.ok(!isValidSysctlPattern(bad), bad);
});
