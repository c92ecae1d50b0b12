// check_seccompProfile_baseline_test.go (v0.32.4).
import { test } from "node:test";
import { seccompProfileBaseline_1_0, seccompProfileBaseline_1_19 } from "./check_seccompProfile_baseline.ts";
import { runCases } from "./testutil.ts";

test("TestSeccompProfileBaseline_1_0", () => {
  const abc = { containers: [{ name: "a" }, { name: "b" }, { name: "c" }] };
  runCases(seccompProfileBaseline_1_0, [
    { name: "pod seccomp invalid", meta: { annotations: { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" } }, spec: {}, reason: "seccompProfile", detail: `forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"` },
    {
      name: "containers seccomp invalid",
      meta: { annotations: { "container.seccomp.security.alpha.kubernetes.io/a": "unconfined", "container.seccomp.security.alpha.kubernetes.io/b": "unknown" } },
      spec: abc,
      reason: "seccompProfile",
      detail: `forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown"`,
    },
    {
      name: "pod and containers seccomp invalid",
      meta: {
        annotations: {
          "seccomp.security.alpha.kubernetes.io/pod": "unconfined",
          "container.seccomp.security.alpha.kubernetes.io/a": "unconfined",
          "container.seccomp.security.alpha.kubernetes.io/b": "unknown",
        },
      },
      spec: abc,
      reason: "seccompProfile",
      detail: `forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown", seccomp.security.alpha.kubernetes.io/pod="unconfined"`,
    },
  ]);
});

const containers = [
  { name: "a" },
  { name: "b", securityContext: {} },
  { name: "c", securityContext: { seccompProfile: { type: "Unconfined" } } },
  { name: "d", securityContext: { seccompProfile: { type: "Unconfined" } } },
  { name: "e", securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
  { name: "f", securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
];

test("TestSeccompProfileBaseline_1_19", () => {
  runCases(seccompProfileBaseline_1_19, [
    { name: "pod seccomp invalid", spec: { securityContext: { seccompProfile: { type: "Unconfined" } }, containers: [{ name: "a" }] }, reason: "seccompProfile", detail: `pod must not set securityContext.seccompProfile.type to "Unconfined"` },
    { name: "containers seccomp invalid", spec: { securityContext: { seccompProfile: { type: "RuntimeDefault" } }, containers }, reason: "seccompProfile", detail: `containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"` },
    {
      name: "pod and containers seccomp invalid",
      spec: { securityContext: { seccompProfile: { type: "Unconfined" } }, containers },
      reason: "seccompProfile",
      detail: `pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"`,
    },
  ]);
});
