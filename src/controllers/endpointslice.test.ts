import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { createRunningPod, setPodReady } from "../network/testutil.ts";
import { podToEndpoint } from "./endpointslice.ts";
import type { KObject } from "../api/types.ts";

/** The controller's slices (the API server's own `kubernetes` slice left out). */
const controllerSlices = (c: Cluster) => c.api.list("EndpointSlice", { labelSelector: (l) => l["endpointslice.kubernetes.io/managed-by"] === "endpointslice-controller.k8s.io" });

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: svc-readiness
spec:
  selector:
    app: readiness
  ports:
  - port: 8080
    targetPort: 8080
`;

// utils_test.go TestPodToEndpoint, the conditions part.
test("podToEndpoint conditions", () => {
  const base: KObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default", uid: "u" },
    spec: { nodeName: "node-1" },
    status: { podIP: "1.2.3.4", conditions: [{ type: "Ready", status: "True" }] },
  };
  const svc = (pub = false): KObject => ({ apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "default" }, spec: { publishNotReadyAddresses: pub } });
  const notReady = { ...base, status: { ...base.status, conditions: [{ type: "Ready", status: "False" }] } };
  const terminating = { ...base, metadata: { ...base.metadata, deletionTimestamp: "2024-01-08T00:00:00Z" } };
  const zoneNode: KObject = { apiVersion: "v1", kind: "Node", metadata: { name: "node-1", labels: { "topology.kubernetes.io/zone": "us-a" } } };
  const cases: Array<[string, KObject, KObject, KObject | undefined, any]> = [
    ["ready pod", base, svc(), undefined, { ready: true, serving: true, terminating: false }],
    ["not ready pod", notReady, svc(), undefined, { ready: false, serving: false, terminating: false }],
    ["not ready, publishNotReadyAddresses", notReady, svc(true), undefined, { ready: true, serving: false, terminating: false }],
    ["terminating ready pod", terminating, svc(), zoneNode, { ready: false, serving: true, terminating: true }],
  ];
  for (const [name, p, s, node, want] of cases) {
    const ep = podToEndpoint(p, node, s);
    assert.deepEqual(ep.conditions, want, name);
    assert.deepEqual(ep.targetRef, { kind: "Pod", name: "p", namespace: "default", uid: "u" });
    assert.equal(ep.nodeName, "node-1");
    if (node) assert.equal(ep.zone, "us-a");
  }
});

test("slices: placeholder, then endpoints with conditions, labels, owner and generated name", () => {
  const c = new Cluster();
  c.applySync(SVC);
  c.clock.advance(10);
  let slices = controllerSlices(c);
  assert.equal(slices.length, 1);
  assert.equal(slices[0].endpoints, null, "placeholder without endpoints");
  assert.match(slices[0].metadata.name!, /^svc-readiness-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(slices[0].metadata.labels, {
    "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    "kubernetes.io/service-name": "svc-readiness",
  });
  const svc = c.get("Service", "svc-readiness")!;
  assert.deepEqual(slices[0].metadata.ownerReferences, [{ apiVersion: "v1", blockOwnerDeletion: true, controller: true, kind: "Service", name: "svc-readiness", uid: svc.metadata.uid }]);

  createRunningPod(c, "pod1", { labels: { app: "readiness" }, ip: "10.244.1.2", ready: false });
  slices = controllerSlices(c);
  assert.equal(slices.length, 1, "the placeholder is reused");
  assert.deepEqual(slices[0].ports, [{ name: "", port: 8080, protocol: "TCP" }]);
  assert.deepEqual(slices[0].endpoints[0].conditions, { ready: false, serving: false, terminating: false });
  setPodReady(c, "pod1", true);
  assert.deepEqual(controllerSlices(c)[0].endpoints[0].conditions, { ready: true, serving: true, terminating: false });

  // Graceful deletion: the slice keeps the pod as serving + terminating, not ready.
  c.api.delete("Pod", "default", "pod1");
  c.clock.advance(10);
  assert.deepEqual(controllerSlices(c)[0].endpoints[0].conditions, { ready: false, serving: true, terminating: true });
  assert.equal(c.get("Endpoints", "svc-readiness")!.subsets, undefined, "the Endpoints controller drops terminating pods");
});

test("more than 100 endpoints spill into a second slice", () => {
  const c = new Cluster();
  c.applySync(SVC);
  for (let i = 0; i < 120; i++) c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: `p${i}`, labels: { app: "readiness" } }, spec: { nodeName: "n", containers: [{ name: "c", image: "x" }] } });
  for (let i = 0; i < 120; i++) {
    c.api.mutate("Pod", "default", `p${i}`, (p) => (p.status = { phase: "Running", podIP: `10.244.${Math.floor(i / 200)}.${i + 2}`, conditions: [{ type: "Ready", status: "True" }] }), { subresource: "status" });
  }
  c.clock.advance(10);
  const slices = controllerSlices(c);
  assert.deepEqual(slices.map((s) => s.endpoints.length).sort(), [100, 20]);
});
