import { test } from "node:test";
import assert from "node:assert/strict";
import type { ClusterView } from "../api/reader.ts";
import type { KObject } from "../api/types.ts";
import { checkEndpointListsReady, checkEndpointPods } from "./endpoints.ts";

const view = (ep: KObject | undefined) => ({ api: { get: () => ep } }) as unknown as Pick<ClusterView, "api">;
const EP: KObject = {
  apiVersion: "v1",
  kind: "Endpoints",
  metadata: { name: "svc", namespace: "default" },
  subsets: [{ addresses: [{ ip: "10.244.1.2", targetRef: { name: "pod1" } }], notReadyAddresses: [{ ip: "10.244.1.3", targetRef: { name: "pod2" } }] }],
};

test("checkEndpointListsReady passes for a ready pod and explains a not-ready or missing one", () => {
  assert.equal(checkEndpointListsReady(view(EP), "svc", "pod1"), undefined);
  assert.equal(checkEndpointListsReady(view(EP), "svc", "pod2"), 'expected endpoints "svc" to list pod "pod2" as ready\nbut they list ready: pod1; not ready: pod2');
  assert.equal(checkEndpointListsReady(view(undefined), "svc", "pod1"), 'endpoints "svc" not found in namespace "default"');
});

test("checkEndpointPods compares the ready list, and the not-ready list when given", () => {
  assert.equal(checkEndpointPods(view(EP), "svc", ["pod1"], ["pod2"]), undefined);
  assert.equal(checkEndpointPods(view(EP), "svc", ["pod1"], undefined), undefined);
  assert.equal(checkEndpointPods(view(EP), "svc", ["pod1", "pod2"], undefined), 'expected endpoints "svc" to list ready: pod1, pod2\nbut they list ready: pod1; not ready: pod2');
  assert.equal(checkEndpointPods(view(EP), "svc", ["pod1"], []), 'expected endpoints "svc" to list ready: pod1; not ready: (none)\nbut they list ready: pod1; not ready: pod2');
});
