// check_runAsNonRoot_test.go (v0.32.4).
import { test } from "node:test";
import { runAsNonRoot_1_0 } from "./check_runAsNonRoot.ts";
import { runCases } from "./testutil.ts";

test("TestRunAsNonRoot", () => {
  runCases(runAsNonRoot_1_0, [
    { name: "no explicit runAsNonRoot", spec: { containers: [{ name: "a" }] }, reason: "runAsNonRoot != true", detail: `pod or container "a" must set securityContext.runAsNonRoot=true` },
    { name: "pod runAsNonRoot=false", spec: { securityContext: { runAsNonRoot: false }, containers: [{ name: "a" }] }, reason: "runAsNonRoot != true", detail: "pod must not set securityContext.runAsNonRoot=false" },
    {
      name: "containers runAsNonRoot=false",
      spec: {
        securityContext: { runAsNonRoot: true },
        containers: [
          { name: "a" },
          { name: "b", securityContext: {} },
          { name: "c", securityContext: { runAsNonRoot: false } },
          { name: "d", securityContext: { runAsNonRoot: false } },
          { name: "e", securityContext: { runAsNonRoot: true } },
          { name: "f", securityContext: { runAsNonRoot: true } },
        ],
      },
      reason: "runAsNonRoot != true",
      detail: `containers "c", "d" must not set securityContext.runAsNonRoot=false`,
    },
    {
      name: "pod nil, container fallthrough",
      spec: {
        containers: [
          { name: "a" },
          { name: "b", securityContext: {} },
          { name: "d", securityContext: { runAsNonRoot: true } },
          { name: "e", securityContext: { runAsNonRoot: true } },
        ],
      },
      reason: "runAsNonRoot != true",
      detail: `pod or containers "a", "b" must set securityContext.runAsNonRoot=true`,
    },
    { name: "UserNamespacesPodSecurityStandards enabled without HostUsers", spec: { hostUsers: false }, allowed: true, relaxForUserNS: true },
    {
      name: "UserNamespacesPodSecurityStandards enabled with HostUsers",
      spec: { containers: [{ name: "a" }], hostUsers: true },
      reason: "runAsNonRoot != true",
      detail: `pod or container "a" must set securityContext.runAsNonRoot=true`,
      relaxForUserNS: true,
    },
  ]);
});
