// check_windowsHostProcess_test.go (v0.32.4).
import { test } from "node:test";
import { windowsHostProcess_1_0 } from "./check_windowsHostProcess.ts";
import { runCases } from "./testutil.ts";

test("TestWindowsHostProcess", () => {
  runCases(windowsHostProcess_1_0, [
    {
      name: "host process",
      spec: {
        securityContext: { windowsOptions: { hostProcess: true } },
        containers: [
          { name: "a" },
          { name: "b", securityContext: {} },
          { name: "c", securityContext: { windowsOptions: {} } },
          { name: "d", securityContext: { windowsOptions: { hostProcess: false } } },
          { name: "e", securityContext: { windowsOptions: { hostProcess: true } } },
          { name: "f", securityContext: { windowsOptions: { hostProcess: true } } },
        ],
      },
      reason: "hostProcess",
      detail: `pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true`,
    },
  ]);
});
