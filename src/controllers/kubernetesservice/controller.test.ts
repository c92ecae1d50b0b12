import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import type { WatchEvent } from "../../api/types.ts";
import { ENDPOINT_INTERVAL_MS } from "./controller.ts";

const NAMES = new Set(["Service", "Endpoints", "EndpointSlice"]);

/** The writes to the three `default/kubernetes` objects, with their instant (seconds since start). */
function record(c: Cluster): string[] {
  const seen: string[] = [];
  const start = c.clock.now();
  for (const kind of NAMES) {
    c.api.watch(kind, (ev: WatchEvent) => {
      const m = ev.object.metadata;
      if (m.namespace === "default" && m.name === "kubernetes") seen.push(`${(c.clock.now() - start) / 1000}s ${ev.type} ${kind}`);
    });
  }
  return seen;
}

test("the cluster starts with the kubernetes Service, its Endpoints and its EndpointSlice as kube-apiserver writes them", () => {
  const c = new Cluster();
  const svc = c.api.get("Service", "default", "kubernetes")!;
  assert.deepEqual(svc.metadata.labels, { component: "apiserver", provider: "kubernetes" });
  assert.deepEqual(svc.spec, {
    clusterIP: "10.96.0.1",
    clusterIPs: ["10.96.0.1"],
    internalTrafficPolicy: "Cluster",
    ipFamilies: ["IPv4"],
    ipFamilyPolicy: "SingleStack",
    ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
    sessionAffinity: "None",
    type: "ClusterIP",
  });
  const ep = c.api.get("Endpoints", "default", "kubernetes")!;
  assert.deepEqual(ep.metadata.labels, { "endpointslice.kubernetes.io/skip-mirror": "true" });
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: "172.18.0.2" }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] }]);
  const slice = c.api.get("EndpointSlice", "default", "kubernetes")!;
  assert.deepEqual(slice.metadata.labels, { "kubernetes.io/service-name": "kubernetes" });
  assert.equal(slice.metadata.ownerReferences, undefined);
  assert.equal(slice.addressType, "IPv4");
  assert.deepEqual(slice.endpoints, [{ addresses: ["172.18.0.2"], conditions: { ready: true } }]);
  assert.deepEqual(slice.ports, [{ name: "https", port: 6443, protocol: "TCP" }]);
});

test("a deleted kubernetes Service comes back at the reconciler's next 10 s tick, with its Endpoints", () => {
  const c = new Cluster();
  const seen = record(c);
  c.advanceSync(3_000);
  c.kubectlSync("delete service kubernetes");
  assert.equal(c.api.get("Service", "default", "kubernetes"), undefined);
  // The Endpoints controller removes the Endpoints of a deleted Service; the slice has no owner and stays.
  assert.equal(c.api.get("Endpoints", "default", "kubernetes"), undefined);
  assert.ok(c.api.get("EndpointSlice", "default", "kubernetes"));
  c.advanceSync(6_999);
  assert.equal(c.api.get("Service", "default", "kubernetes"), undefined);
  c.advanceSync(1);
  assert.equal(c.api.get("Service", "default", "kubernetes")?.spec.clusterIP, "10.96.0.1");
  assert.ok(c.api.get("Endpoints", "default", "kubernetes"));
  c.advanceSync(60_000);
  assert.deepEqual(seen, ["3s DELETED Service", "3s DELETED Endpoints", "10s ADDED Service", "10s ADDED Endpoints"]);
});

test("the reconciler resets the Endpoints' addresses and the EndpointSlice, keeps a user's ports and other fields", () => {
  const c = new Cluster();
  const seen = record(c);
  c.advanceSync(12_000);
  const ep = c.api.get("Endpoints", "default", "kubernetes")!;
  c.api.update({ ...ep, subsets: [{ addresses: [{ ip: "10.0.0.9" }], ports: [{ name: "https", port: 8443, protocol: "TCP" }] }] });
  c.advanceSync(8_000);
  // The addresses are the API server's again; the loop does not reconcile ports (reconcilePorts false).
  assert.deepEqual(c.api.get("Endpoints", "default", "kubernetes")!.subsets, [{ addresses: [{ ip: "172.18.0.2" }], ports: [{ name: "https", port: 8443, protocol: "TCP" }] }]);
  // The slice follows the Endpoints.
  assert.deepEqual(c.api.get("EndpointSlice", "default", "kubernetes")!.ports, [{ name: "https", port: 8443, protocol: "TCP" }]);
  // An annotation on the slice changes none of what the reconciler compares: it stays.
  const slice = c.api.get("EndpointSlice", "default", "kubernetes")!;
  c.api.update({ ...slice, metadata: { ...slice.metadata, annotations: { note: "mine" } } });
  c.advanceSync(10_000);
  assert.equal(c.api.get("EndpointSlice", "default", "kubernetes")!.metadata.annotations?.note, "mine");
  // Endpoints made anew (ports 6443 again): the slice is replaced by the one they imply, annotation gone.
  c.kubectlSync("delete endpoints kubernetes");
  c.advanceSync(10_000);
  assert.equal(c.api.get("EndpointSlice", "default", "kubernetes")!.metadata.annotations, undefined);
  assert.deepEqual(c.api.get("Endpoints", "default", "kubernetes")!.subsets, [{ addresses: [{ ip: "172.18.0.2" }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] }]);
  assert.deepEqual(seen, [
    "12s MODIFIED Endpoints",
    "20s MODIFIED Endpoints",
    "20s MODIFIED EndpointSlice",
    "20s MODIFIED EndpointSlice",
    "30s DELETED Endpoints",
    "40s ADDED Endpoints",
    "40s MODIFIED EndpointSlice",
  ]);
});

test("the fast engine writes what the reference engine's 10 s loop writes, at the same instants", () => {
  const run = (reference: boolean) => {
    const c = new Cluster({ reference });
    const seen = record(c);
    c.advanceSync(ENDPOINT_INTERVAL_MS * 2 + 500);
    c.kubectlSync("delete service kubernetes");
    c.advanceSync(25_000);
    c.kubectlSync("delete endpointslice kubernetes");
    c.advanceSync(4_000);
    const ep = c.api.get("Endpoints", "default", "kubernetes")!;
    c.api.update({ ...ep, metadata: { ...ep.metadata, labels: {} } });
    c.advanceSync(40_000);
    return [...seen, JSON.stringify(c.kubectlSync("get svc,ep,endpointslice -o yaml").stdout)];
  };
  const fast = run(false);
  assert.deepEqual(fast, run(true));
  assert.ok(fast.includes("30s ADDED Service"), fast.join("\n"));
});

test("10.96.0.1 is the kubernetes Service's: a user's Service cannot take it, and can once it is deleted", () => {
  const c = new Cluster();
  const mine = "apiVersion: v1\nkind: Service\nmetadata:\n  name: mine\nspec:\n  clusterIP: 10.96.0.1\n  ports:\n  - port: 80\n";
  const r = c.kubectlSync("apply -f -", mine);
  assert.equal(r.stderr, 'The Service "mine" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated\n');
  c.kubectlSync("delete service kubernetes");
  assert.equal(c.kubectlSync("apply -f -", mine).exitCode, 0);
  // The reconciler's create then fails (logged upstream) and is tried at every tick.
  c.advanceSync(30_000);
  assert.equal(c.api.get("Service", "default", "kubernetes"), undefined);
  c.kubectlSync("delete service mine");
  c.advanceSync(10_000);
  assert.equal(c.api.get("Service", "default", "kubernetes")?.spec.clusterIP, "10.96.0.1");
});
