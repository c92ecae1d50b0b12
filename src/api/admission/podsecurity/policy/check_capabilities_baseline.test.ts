// check_capabilities_baseline_test.go (v0.32.4).
import { test } from "node:test";
import { capabilitiesBaseline_1_0 } from "./check_capabilities_baseline.ts";
import { runCases } from "./testutil.ts";

test("TestCapabilitiesBaseline", () => {
  runCases(capabilitiesBaseline_1_0, [
    {
      name: "multiple containers",
      spec: {
        containers: [
          { name: "a", securityContext: { capabilities: { add: ["FOO", "BAR"] } } },
          { name: "b", securityContext: { capabilities: { add: ["BAR", "BAZ"] } } },
        ],
      },
      reason: "non-default capabilities",
      detail: `containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add`,
    },
    { name: "the default set", spec: { containers: [{ name: "a", securityContext: { capabilities: { add: ["NET_BIND_SERVICE", "CHOWN"], drop: ["ALL"] } } }] }, allowed: true },
  ]);
});
