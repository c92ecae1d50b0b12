// check_allowPrivilegeEscalation_test.go (v0.32.4).
import { test } from "node:test";
import { allowPrivilegeEscalation_1_25, allowPrivilegeEscalation_1_8 } from "./check_allowPrivilegeEscalation.ts";
import { type Case, runCases } from "./testutil.ts";

const multiple: Case = {
  name: "multiple containers",
  spec: {
    containers: [
      { name: "a" },
      { name: "b", securityContext: {} },
      { name: "c", securityContext: { allowPrivilegeEscalation: true } },
      { name: "d", securityContext: { allowPrivilegeEscalation: false } },
    ],
  },
  reason: "allowPrivilegeEscalation != false",
  detail: `containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false`,
};

test("TestAllowPrivilegeEscalation_1_25", () => {
  runCases(allowPrivilegeEscalation_1_25, [
    multiple,
    { name: "windows pod, admit without checking privilegeEscalation", spec: { os: { name: "windows" }, containers: [{ name: "a" }] }, allowed: true },
    {
      name: "linux pod, reject if security context is not set",
      spec: { os: { name: "linux" }, containers: [{ name: "a" }] },
      reason: "allowPrivilegeEscalation != false",
      detail: `container "a" must set securityContext.allowPrivilegeEscalation=false`,
    },
  ]);
});

test("TestAllowPrivilegeEscalation_1_8", () => {
  runCases(allowPrivilegeEscalation_1_8, [
    multiple,
    { name: "windows pod before 1.25 is checked", spec: { os: { name: "windows" }, containers: [{ name: "a" }] }, reason: "allowPrivilegeEscalation != false", detail: `container "a" must set securityContext.allowPrivilegeEscalation=false` },
  ]);
});
