// check_seLinuxOptions_test.go (v0.32.4; the table runs seLinuxOptions1_31).
import { test } from "node:test";
import { seLinuxOptions1_0, seLinuxOptions1_31 } from "./check_seLinuxOptions.ts";
import { runCases } from "./testutil.ts";

const se = (seLinuxOptions: object) => ({ securityContext: { seLinuxOptions } });
const allowedContainers = [
  { name: "a", ...se({ type: "container_t" }) },
  { name: "b", ...se({ type: "container_init_t" }) },
  { name: "c", ...se({ type: "container_kvm_t" }) },
  { name: "d", ...se({ type: "container_engine_t" }) },
];
const badContainers = [
  { name: "e", ...se({ type: "bar" }) },
  { name: "f", ...se({ user: "bar" }) },
  { name: "g", ...se({ role: "baz" }) },
];
const badPod = se({ type: "foo", user: "bar", role: "baz" });

test("TestSELinuxOptions", () => {
  runCases(seLinuxOptions1_31, [
    {
      name: "invalid pod and containers",
      spec: { ...badPod, containers: [...allowedContainers, ...badContainers] },
      reason: "seLinuxOptions",
      detail: `pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set`,
    },
    {
      name: "invalid pod",
      spec: { ...badPod, containers: allowedContainers },
      reason: "seLinuxOptions",
      detail: `pod set forbidden securityContext.seLinuxOptions: type "foo"; user may not be set; role may not be set`,
    },
    {
      name: "invalid containers",
      spec: { ...se({}), containers: [...allowedContainers, ...badContainers] },
      reason: "seLinuxOptions",
      detail: `containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: type "bar"; user may not be set; role may not be set`,
    },
    { name: "bad type", spec: se({ type: "bad" }), reason: "seLinuxOptions", detail: `pod set forbidden securityContext.seLinuxOptions: type "bad"` },
    { name: "bad user", spec: se({ user: "bad" }), reason: "seLinuxOptions", detail: "pod set forbidden securityContext.seLinuxOptions: user may not be set" },
    { name: "bad role", spec: se({ role: "bad" }), reason: "seLinuxOptions", detail: "pod set forbidden securityContext.seLinuxOptions: role may not be set" },
  ]);
});

test("seLinuxOptions before v1.31: container_engine_t is not allowed yet", () => {
  runCases(seLinuxOptions1_0, [
    { name: "container_engine_t", spec: { containers: allowedContainers }, reason: "seLinuxOptions", detail: `container "d" set forbidden securityContext.seLinuxOptions: type "container_engine_t"` },
  ]);
});
