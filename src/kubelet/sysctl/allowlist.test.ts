// Ported from pkg/kubelet/sysctl/allowlist_test.go and safe_sysctls_test.go, plus the kubelet's
// admission messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../api/types.gen.ts";
import { SysctlAllowlist } from "./allowlist.ts";
import { safeSysctlAllowlist } from "./safe_sysctls.ts";

const NODE_KERNEL = "6.1.0-28-amd64";

test("NewAllowlist: patterns that are malformed or not namespaced are refused", () => {
  const cases: Array<{ sysctls: string[]; err?: boolean }> = [
    { sysctls: ["kernel.msg*", "kernel.sem"] },
    { sysctls: ["kernel/msg*", "kernel/sem"] },
    { sysctls: [" kernel.msg*"], err: true },
    { sysctls: ["kernel.msg* "], err: true },
    { sysctls: ["net.-"], err: true },
    { sysctls: ["net.*.foo"], err: true },
    { sysctls: ["net.*/foo"], err: true },
    { sysctls: ["foo"], err: true },
    { sysctls: ["foo*"], err: true },
  ];
  for (const c of cases) {
    const make = () => new SysctlAllowlist([...safeSysctlAllowlist(NODE_KERNEL), ...c.sysctls]);
    if (c.err) assert.throws(make, Error, JSON.stringify(c.sysctls));
    else assert.doesNotThrow(make, JSON.stringify(c.sysctls));
  }
  assert.throws(() => new SysctlAllowlist(["foo"]), { message: 'the sysctls "foo" are not known to be namespaced' });
  assert.throws(() => new SysctlAllowlist(["net.-"]), {
    message: 'sysctl "net.-" must have at most 253 characters and match regex ([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*([a-z0-9][-_a-z0-9]*)?[a-z0-9*]',
  });
});

test("Allowlist: safe and allowed sysctls pass, others and host-namespace ones are rejected", () => {
  const w = new SysctlAllowlist([...safeSysctlAllowlist(NODE_KERNEL), "kernel.msg*", "kernel.sem", "net.b.*"]);
  const valid = ["kernel.shm_rmid_forced", "kernel/shm_rmid_forced", "net.ipv4.ip_local_port_range", "kernel.msgmax", "kernel.sem", "kernel/sem"];
  const invalid: Array<{ sysctl: string; hostNet?: boolean; hostIPC?: boolean }> = [
    { sysctl: "kernel.shm_rmid_forced", hostIPC: true },
    { sysctl: "net.ipv4.ip_local_port_range", hostNet: true },
    { sysctl: "foo" },
    { sysctl: "net.a.b.c" },
    { sysctl: "net.ipv4.ip_local_port_range.a.b.c" },
    { sysctl: "kernel.msgmax", hostIPC: true },
    { sysctl: "kernel.sem", hostIPC: true },
    { sysctl: "net.b.c", hostNet: true },
  ];
  const pod = (name: string, hostNetwork = false, hostIPC = false): Pod =>
    ({ metadata: { name: "p" }, spec: { hostNetwork, hostIPC, containers: [], securityContext: { sysctls: [{ name, value: name }] } } }) as unknown as Pod;
  for (const s of valid) {
    assert.equal(w.validateSysctl(s, false, false), undefined, s);
    assert.deepEqual(w.admit(pod(s)), { admit: true }, s);
  }
  for (const t of invalid) {
    assert.notEqual(w.validateSysctl(t.sysctl, !!t.hostNet, !!t.hostIPC), undefined, t.sysctl);
    const r = w.admit(pod(t.sysctl, t.hostNet, t.hostIPC));
    assert.equal(r.admit, false, t.sysctl);
    assert.equal(r.reason, "SysctlForbidden");
  }
  assert.deepEqual(w.admit({ metadata: {}, spec: { containers: [], securityContext: { sysctls: [] } } } as unknown as Pod), { admit: true });
  // The kubelet's messages (rejectPod prefixes them with "Pod was rejected: ").
  assert.equal(w.admit(pod("foo")).message, 'forbidden sysctl: "foo" not allowlisted');
  assert.equal(w.admit(pod("net.b.c", true)).message, 'forbidden sysctl: "net.b.c" not allowed with host Net enabled');
  assert.equal(w.admit(pod("kernel/sem", false, true)).message, 'forbidden sysctl: "kernel.sem" not allowed with host IPC enabled');
});

test("the page's example: the safe kernel.shm_rmid_forced passes, net.core.somaxconn is the first not allowlisted", () => {
  const w = new SysctlAllowlist(safeSysctlAllowlist(NODE_KERNEL));
  const pod = {
    metadata: { name: "sysctl-example" },
    spec: {
      containers: [],
      securityContext: {
        sysctls: [
          { name: "kernel.shm_rmid_forced", value: "0" },
          { name: "net.core.somaxconn", value: "1024" },
          { name: "kernel.msgmax", value: "65536" },
        ],
      },
    },
  } as unknown as Pod;
  assert.deepEqual(w.admit(pod), { admit: false, reason: "SysctlForbidden", message: 'forbidden sysctl: "net.core.somaxconn" not allowlisted' });
  // With --allowed-unsafe-sysctls 'kernel.msg*,net.core.somaxconn' (the page's flag) it is admitted.
  assert.deepEqual(new SysctlAllowlist([...safeSysctlAllowlist(NODE_KERNEL), "kernel.msg*", "net.core.somaxconn"]).admit(pod), { admit: true });
});

test("getSafeSysctlAllowlist: the kernel-gated sysctls need their kernel version", () => {
  const always = ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"];
  assert.deepEqual(safeSysctlAllowlist(undefined), always);
  assert.deepEqual(safeSysctlAllowlist("not a version"), always);
  assert.deepEqual(safeSysctlAllowlist("3.15.0"), always);
  assert.deepEqual(safeSysctlAllowlist("3.16"), [...always, "net.ipv4.ip_local_reserved_ports"]);
  assert.deepEqual(safeSysctlAllowlist("4.5.0"), [...always, "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"]);
  assert.deepEqual(safeSysctlAllowlist("4.6.0"), [...always, "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"]);
  assert.equal(safeSysctlAllowlist("4.15.0").length, 12);
  assert.equal(safeSysctlAllowlist(NODE_KERNEL).length, 12);
});
