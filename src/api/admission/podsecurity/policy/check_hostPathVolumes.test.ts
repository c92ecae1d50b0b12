// check_hostPathVolumes_test.go (v0.32.4).
import { test } from "node:test";
import { hostPathVolumes_1_0 } from "./check_hostPathVolumes.ts";
import { runCases } from "./testutil.ts";

test("TestHostPathVolumes", () => {
  runCases(hostPathVolumes_1_0, [
    {
      name: "host path volumes",
      spec: { volumes: [{ name: "a", hostPath: {} }, { name: "b", hostPath: {} }, { name: "c", emptyDir: {} }] },
      reason: "hostPath volumes",
      detail: `volumes "a", "b"`,
    },
    { name: "one host path volume", spec: { volumes: [{ name: "a", hostPath: { path: "/var" } }] }, reason: "hostPath volumes", detail: `volume "a"` },
  ]);
});
