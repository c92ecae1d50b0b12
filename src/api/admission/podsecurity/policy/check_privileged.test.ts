// check_privileged_test.go (v0.32.4).
import { test } from "node:test";
import { privileged_1_0 } from "./check_privileged.ts";
import { runCases } from "./testutil.ts";

test("TestPrivileged", () => {
  runCases(privileged_1_0, [
    {
      name: "privileged",
      spec: {
        containers: [
          { name: "a" },
          { name: "b", securityContext: {} },
          { name: "c", securityContext: { privileged: false } },
          { name: "d", securityContext: { privileged: true } },
          { name: "e", securityContext: { privileged: true } },
        ],
      },
      reason: "privileged",
      detail: `containers "d", "e" must not set securityContext.privileged=true`,
    },
  ]);
});
