import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../api/types.ts";
import { endpointPods } from "./endpointsview.ts";

const view = (ep: KObject | undefined) => ({ api: { get: () => ep } }) as any;
const EP: KObject = {
  apiVersion: "v1",
  kind: "Endpoints",
  metadata: { name: "svc", namespace: "default" },
  subsets: [{ addresses: [{ ip: "10.244.1.2", targetRef: { name: "pod1" } }], notReadyAddresses: [{ ip: "10.244.1.3", targetRef: { name: "pod2" } }] }],
};

test("endpointPods splits ready and not-ready addresses by pod name", () => {
  assert.deepEqual(endpointPods(view(EP), "svc"), { ready: ["pod1"], notReady: ["pod2"] });
  assert.equal(endpointPods(view(undefined), "svc"), undefined);
});
