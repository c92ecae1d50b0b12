import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../api/types.ts";
import { endpointPods, expectEndpointListsReady } from "./endpointsview.ts";

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

test("expectEndpointListsReady passes for a ready pod and explains a not-ready or missing one", () => {
  expectEndpointListsReady(view(EP), "svc", "pod1");
  assert.throws(() => expectEndpointListsReady(view(EP), "svc", "pod2"), {
    message: 'expected endpoints "svc" to list pod "pod2" as ready\nbut they list ready: pod1; not ready: pod2',
  });
  assert.throws(() => expectEndpointListsReady(view(undefined), "svc", "pod1"), { message: 'endpoints "svc" not found in namespace "default"' });
});
