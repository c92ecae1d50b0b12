import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { checkEndpointSubsetFormatWithLease, endpointSliceFromEndpoints, type EndpointPort } from "./reconcilers.ts";

const PORTS: EndpointPort[] = [{ name: "foo", port: 8080, protocol: "TCP" }];

function eps(subsets: unknown[]): KObject {
  return { apiVersion: "v1", kind: "Endpoints", metadata: { name: "foo", namespace: "default" }, subsets };
}

// lease_test.go TestCheckEndpointSubsetFormatWithLease (the cases of one port list).
test("checkEndpointSubsetFormatWithLease", () => {
  const cases: Array<{ name: string; subsets: unknown[]; ips: string[]; reconcile: boolean; want: [boolean, boolean, boolean] }> = [
    { name: "correct", subsets: [{ addresses: [{ ip: "1.2.3.4" }], ports: PORTS }], ips: ["1.2.3.4"], reconcile: true, want: [true, true, true] },
    { name: "no subsets", subsets: [], ips: ["1.2.3.4"], reconcile: true, want: [false, false, false] },
    { name: "two subsets", subsets: [{ addresses: [{ ip: "1.2.3.4" }], ports: PORTS }, { addresses: [{ ip: "1.2.3.5" }], ports: PORTS }], ips: ["1.2.3.4"], reconcile: true, want: [false, false, false] },
    { name: "wrong ip", subsets: [{ addresses: [{ ip: "4.3.2.1" }], ports: PORTS }], ips: ["1.2.3.4"], reconcile: true, want: [true, false, true] },
    { name: "extra ip", subsets: [{ addresses: [{ ip: "1.2.3.4" }, { ip: "4.3.2.1" }], ports: PORTS }], ips: ["1.2.3.4"], reconcile: true, want: [true, false, true] },
    { name: "duplicate ip", subsets: [{ addresses: [{ ip: "1.2.3.4" }, { ip: "1.2.3.4" }], ports: PORTS }], ips: ["1.2.3.4", "4.3.2.1"], reconcile: true, want: [true, false, true] },
    { name: "wrong port, reconciled", subsets: [{ addresses: [{ ip: "1.2.3.4" }], ports: [{ name: "foo", port: 9090, protocol: "TCP" }] }], ips: ["1.2.3.4"], reconcile: true, want: [true, true, false] },
    { name: "wrong port, not reconciled", subsets: [{ addresses: [{ ip: "1.2.3.4" }], ports: [{ name: "foo", port: 9090, protocol: "TCP" }] }], ips: ["1.2.3.4"], reconcile: false, want: [true, true, true] },
    { name: "extra port", subsets: [{ addresses: [{ ip: "1.2.3.4" }], ports: [...PORTS, { name: "bar", port: 1000, protocol: "TCP" }] }], ips: ["1.2.3.4"], reconcile: true, want: [true, true, false] },
  ];
  for (const tc of cases) {
    const got = checkEndpointSubsetFormatWithLease(eps(tc.subsets), tc.ips, PORTS, tc.reconcile);
    assert.deepEqual([got.formatCorrect, got.ipsCorrect, got.portsCorrect], tc.want, tc.name);
  }
});

// endpointsadapter_test.go TestEndpointSliceFromEndpoints (the IPv4 cases).
test("endpointSliceFromEndpoints", () => {
  assert.deepEqual(endpointSliceFromEndpoints(eps([])), {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: "foo", namespace: "default", labels: { "kubernetes.io/service-name": "foo" } },
    addressType: "IPv4",
  });
  const slice = endpointSliceFromEndpoints(
    eps([{ addresses: [{ ip: "10.1.2.3", nodeName: "node-1", targetRef: { kind: "Pod", name: "pod1" } }], notReadyAddresses: [{ ip: "10.1.2.4" }], ports: PORTS }]),
  );
  assert.deepEqual(slice.ports, [{ name: "foo", port: 8080, protocol: "TCP" }]);
  assert.deepEqual(slice.endpoints, [
    { addresses: ["10.1.2.3"], conditions: { ready: true }, nodeName: "node-1", targetRef: { kind: "Pod", name: "pod1" } },
    { addresses: ["10.1.2.4"], conditions: { ready: false } },
  ]);
});
