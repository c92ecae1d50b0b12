// check_hostNamespaces_test.go (v0.32.4).
import { test } from "node:test";
import { hostNamespaces_1_0 } from "./check_hostNamespaces.ts";
import { runCases } from "./testutil.ts";

test("TestHostNamespaces", () => {
  runCases(hostNamespaces_1_0, [
    { name: "multiple host namespaces", spec: { hostNetwork: true, hostIPC: true, hostPID: true }, reason: "host namespaces", detail: "hostNetwork=true, hostPID=true, hostIPC=true" },
    { name: "one host namespace", spec: { hostNetwork: true }, reason: "host namespaces", detail: "hostNetwork=true" },
    { name: "false is allowed", spec: { hostNetwork: false, hostIPC: false, hostPID: false }, allowed: true },
  ]);
});
