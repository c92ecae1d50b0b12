// check_capabilities_restricted_test.go (v0.32.4).
import { test } from "node:test";
import { capabilitiesRestricted_1_22, capabilitiesRestricted_1_25 } from "./check_capabilities_restricted.ts";
import { type Case, runCases } from "./testutil.ts";

const multiple: Case = {
  name: "multiple containers",
  spec: {
    containers: [
      { name: "a", securityContext: { capabilities: { add: ["FOO", "BAR"] } } },
      { name: "b", securityContext: { capabilities: { add: ["BAR", "BAZ"] } } },
      { name: "c", securityContext: { capabilities: { add: ["NET_BIND_SERVICE", "CHOWN"], drop: ["ALL", "FOO"] } } },
    ],
  },
  reason: "unrestricted capabilities",
  detail: `containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add`,
};

test("TestCapabilitiesRestricted_1_25", () => {
  runCases(capabilitiesRestricted_1_25, [
    multiple,
    { name: "windows pod, admit without checking capabilities", spec: { os: { name: "windows" }, containers: [{ name: "a" }] }, allowed: true },
    { name: "linux pod, reject if security context is not set", spec: { os: { name: "linux" }, containers: [{ name: "a" }] }, reason: "unrestricted capabilities", detail: `container "a" must set securityContext.capabilities.drop=["ALL"]` },
  ]);
});

test("TestCapabilitiesRestricted_1_22", () => {
  runCases(capabilitiesRestricted_1_22, [multiple]);
});
