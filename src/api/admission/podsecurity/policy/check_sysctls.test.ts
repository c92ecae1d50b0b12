// check_sysctls_test.go (v0.32.4): each version's allowed set, and the sysctls the next versions add.
import { test } from "node:test";
import { sysctlsV1Dot0, sysctlsV1Dot27, sysctlsV1Dot29, sysctlsV1Dot32 } from "./check_sysctls.ts";
import { type Case, runCases } from "./testutil.ts";

const sysctl = (name: string, value = "1") => ({ securityContext: { sysctls: [{ name, value }] } });
const forbidden: Case = { name: "forbidden sysctls", spec: { securityContext: { sysctls: [{ name: "a" }, { name: "b" }] } }, reason: "forbidden sysctls", detail: "a, b" };
const added27 = ["net.ipv4.ip_local_reserved_ports"];
const added29 = ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];
const added32 = ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];
const supported = (names: string[]): Case[] => names.map((n) => ({ name: `new supported sysctls: ${n}`, spec: sysctl(n), allowed: true }));
const unsupported = (names: string[]): Case[] => names.map((n) => ({ name: `new supported sysctls not supported: ${n}`, spec: sysctl(n), reason: "forbidden sysctls", detail: n }));

test("TestSysctls", () => {
  runCases(sysctlsV1Dot0, [forbidden, ...unsupported([...added27, ...added29, ...added32]), ...supported(["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"])]);
});

test("TestSysctls_1_27", () => {
  runCases(sysctlsV1Dot27, [forbidden, ...supported(added27), ...unsupported([...added29, ...added32])]);
});

test("TestSysctls_1_29", () => {
  runCases(sysctlsV1Dot29, [forbidden, ...supported([...added27, ...added29]), ...unsupported(added32)]);
});

test("TestSysctls_1_32", () => {
  runCases(sysctlsV1Dot32, [forbidden, ...supported([...added27, ...added29, ...added32])]);
});
