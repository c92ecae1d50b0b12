// check_seccompProfile_restricted_test.go (v0.32.4).
import { test } from "node:test";
import { seccompProfileRestricted_1_19, seccompProfileRestricted_1_25 } from "./check_seccompProfile_restricted.ts";
import { type Case, runCases } from "./testutil.ts";

const must = (who: string) => `pod or ${who} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`;
const common: Case[] = [
  { name: "no explicit seccomp", spec: { containers: [{ name: "a" }] }, reason: "seccompProfile", detail: must(`container "a"`) },
  { name: "pod seccomp invalid", spec: { securityContext: { seccompProfile: { type: "Unconfined" } }, containers: [{ name: "a" }] }, reason: "seccompProfile", detail: `pod must not set securityContext.seccompProfile.type to "Unconfined"` },
  {
    name: "containers seccomp invalid",
    spec: {
      securityContext: { seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        { name: "a" },
        { name: "b", securityContext: {} },
        { name: "c", securityContext: { seccompProfile: { type: "Unconfined" } } },
        { name: "d", securityContext: { seccompProfile: { type: "Unconfined" } } },
        { name: "e", securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
        { name: "f", securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
      ],
    },
    reason: "seccompProfile",
    detail: `containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"`,
  },
  {
    name: "pod nil, container fallthrough",
    spec: {
      containers: [
        { name: "a" },
        { name: "b", securityContext: {} },
        { name: "d", securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
        { name: "e", securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
      ],
    },
    reason: "seccompProfile",
    detail: must(`containers "a", "b"`),
  },
];

test("TestSeccompProfileRestricted_1_25", () => {
  runCases(seccompProfileRestricted_1_25, [
    ...common,
    { name: "no explicit seccomp, windows Pod", spec: { os: { name: "windows" }, containers: [{ name: "a" }] }, allowed: true },
    { name: "no explicit seccomp, linux pod", spec: { os: { name: "linux" }, containers: [{ name: "a" }] }, reason: "seccompProfile", detail: must(`container "a"`) },
  ]);
});

test("TestSeccompProfileRestricted_1_19", () => {
  runCases(seccompProfileRestricted_1_19, common);
});
