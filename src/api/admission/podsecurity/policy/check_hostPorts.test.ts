// check_hostPorts_test.go (v0.32.4).
import { test } from "node:test";
import { hostPorts_1_0 } from "./check_hostPorts.ts";
import { runCases } from "./testutil.ts";

test("TestHostPort", () => {
  runCases(hostPorts_1_0, [
    {
      name: "one container, one host port",
      spec: { containers: [{ name: "a", ports: [{ hostPort: 0 }] }, { name: "b", ports: [{ hostPort: 0 }, { hostPort: 20 }] }] },
      reason: "hostPort",
      detail: `container "b" uses hostPort 20`,
    },
    {
      name: "multiple containers, multiple host port",
      spec: {
        containers: [
          { name: "a", ports: [{ hostPort: 0 }] },
          { name: "b", ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 20 }] },
          { name: "c", ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 30 }] },
        ],
      },
      reason: "hostPort",
      detail: `containers "b", "c" use hostPorts 10, 20, 30`,
    },
  ]);
});
