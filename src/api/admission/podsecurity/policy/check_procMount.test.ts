// check_procMount_test.go (v0.32.4).
import { test } from "node:test";
import { procMount_1_0 } from "./check_procMount.ts";
import { runCases } from "./testutil.ts";

const spec = {
  containers: [
    { name: "a" },
    { name: "b", securityContext: {} },
    { name: "c", securityContext: { procMount: "Default" } },
    { name: "d", securityContext: { procMount: "Unmasked" } },
    { name: "e", securityContext: { procMount: "other" } },
  ],
  hostUsers: false,
};

test("TestProcMount", () => {
  runCases(procMount_1_0, [
    { name: "procMount", spec, reason: "procMount", detail: `containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"` },
    { name: "procMount, relaxed for user namespace pods", spec, allowed: true, relaxForUserNS: true },
  ]);
});
