// check_runAsUser_test.go (v0.32.4).
import { test } from "node:test";
import { runAsUser_1_23 } from "./check_runAsUser.ts";
import { runCases } from "./testutil.ts";

test("TestRunAsUser", () => {
  runCases(runAsUser_1_23, [
    { name: "pod runAsUser=0", spec: { securityContext: { runAsUser: 0 }, containers: [{ name: "a" }] }, reason: "runAsUser=0", detail: "pod must not set runAsUser=0" },
    { name: "pod runAsUser=non-zero", spec: { securityContext: { runAsUser: 1000 }, containers: [{ name: "a" }] }, allowed: true },
    { name: "pod runAsUser=nil", spec: { securityContext: {}, containers: [{ name: "a" }] }, allowed: true },
    {
      name: "containers runAsUser=0",
      spec: {
        securityContext: { runAsUser: 1000 },
        containers: [
          { name: "a" },
          { name: "b", securityContext: {} },
          { name: "c", securityContext: { runAsUser: 0 } },
          { name: "d", securityContext: { runAsUser: 0 } },
          { name: "e", securityContext: { runAsUser: 1 } },
          { name: "f", securityContext: { runAsUser: 1 } },
        ],
      },
      reason: "runAsUser=0",
      detail: `containers "c", "d" must not set runAsUser=0`,
    },
    {
      name: "containers runAsUser=non-zero",
      spec: { containers: ["c", "d", "e", "f"].map((name, i) => ({ name, securityContext: { runAsUser: i + 1 } })) },
      allowed: true,
    },
    { name: "UserNamespacesPodSecurityStandards enabled without HostUsers", spec: { hostUsers: false }, allowed: true, relaxForUserNS: true },
    {
      name: "UserNamespacesPodSecurityStandards enabled with HostUsers",
      spec: { securityContext: { runAsUser: 0 }, containers: [{ name: "a" }], hostUsers: true },
      reason: "runAsUser=0",
      detail: "pod must not set runAsUser=0",
      relaxForUserNS: true,
    },
  ]);
});
