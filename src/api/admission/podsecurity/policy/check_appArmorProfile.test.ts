// check_appArmorProfile_test.go (v0.32.4).
import { test } from "node:test";
import { appArmorProfile_1_0 } from "./check_appArmorProfile.ts";
import { runCases } from "./testutil.ts";

const P = "container.apparmor.security.beta.kubernetes.io/";

test("TestCheckAppArmor_Allowed", () => {
  runCases(appArmorProfile_1_0, [
    { name: "container with default AppArmor + extra annotations", meta: { annotations: { [P + "test"]: "runtime/default", env: "prod" } }, spec: {}, allowed: true },
    { name: "container with local AppArmor + extra annotations", meta: { annotations: { [P + "test"]: "localhost/sec-profile01", env: "dev" } }, spec: {}, allowed: true },
    { name: "container with no AppArmor annotations", meta: { annotations: { env: "dev" } }, spec: {}, allowed: true },
    { name: "container with no annotations", meta: {}, spec: {}, allowed: true },
    { name: "pod with runtime default", spec: { securityContext: { appArmorProfile: { type: "RuntimeDefault" } } }, allowed: true },
    { name: "container with localhost profile", spec: { containers: [{ name: "foo", securityContext: { appArmorProfile: { type: "RuntimeDefault" } } }] }, allowed: true },
  ]);
});

test("TestCheckAppArmor_Forbidden", () => {
  runCases(appArmorProfile_1_0, [
    { name: "unconfined pod", spec: { securityContext: { appArmorProfile: { type: "Unconfined" } } }, reason: "forbidden AppArmor profile", detail: `pod must not set AppArmor profile type to "Unconfined"` },
    {
      name: "unconfined container",
      spec: { securityContext: { appArmorProfile: { type: "RuntimeDefault" } }, containers: [{ name: "foo", securityContext: { appArmorProfile: { type: "Unconfined" } } }] },
      reason: "forbidden AppArmor profile",
      detail: `container "foo" must not set AppArmor profile type to "Unconfined"`,
    },
    {
      name: "unconfined init container",
      spec: { securityContext: { appArmorProfile: { type: "RuntimeDefault" } }, containers: [{ name: "foo" }], initContainers: [{ name: "bar", securityContext: { appArmorProfile: { type: "Unconfined" } } }] },
      reason: "forbidden AppArmor profile",
      detail: `container "bar" must not set AppArmor profile type to "Unconfined"`,
    },
    {
      name: "multiple containers",
      meta: { annotations: { [P]: "bogus", [P + "a"]: "", [P + "b"]: "runtime/default", [P + "c"]: "localhost/", [P + "d"]: "localhost/foo", [P + "e"]: "unconfined", [P + "f"]: "unknown" } },
      spec: {},
      reason: "forbidden AppArmor profiles",
      detail: "annotations must not set AppArmor profile type to " + [`"${P}="bogus""`, `"${P}e="unconfined""`, `"${P}f="unknown""`].join(", "),
    },
  ]);
});
