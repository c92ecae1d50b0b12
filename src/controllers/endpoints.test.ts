import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { computeSubsets, repackSubsets } from "./endpoints.ts";
import { createRunningPod, setPodReady } from "../network/testutil.ts";
import type { KObject } from "../api/types.ts";

const svc = (spec: any = {}): KObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "foo", namespace: "default" },
  spec: { selector: { foo: "bar" }, ports: [{ port: 80, protocol: "TCP", targetPort: 8080 }], ...spec },
});

const pod = (name: string, ip: string, opts: { ready?: boolean; phase?: string; deleting?: boolean; ports?: any[] } = {}): KObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", uid: `uid-${name}`, labels: { foo: "bar" }, ...(opts.deleting ? { deletionTimestamp: "2024-01-08T00:01:00Z" } : {}) },
  spec: { nodeName: "node-1", containers: [{ name: "c", ports: opts.ports ?? [{ name: "http", containerPort: 8080 }] }] },
  status: {
    phase: opts.phase ?? "Running",
    ...(ip ? { podIP: ip } : {}),
    conditions: [{ type: "Ready", status: opts.ready === false ? "False" : "True" }],
  },
});

const addr = (name: string, ip: string) => ({ ip, nodeName: "node-1", targetRef: { kind: "Pod", name, namespace: "default", uid: `uid-${name}` } });

// Tables in the spirit of endpoints_controller_test.go (TestSyncEndpointsItems*, TestPodToEndpointAddressForService,
// TestSyncEndpointsServiceNotFound, publishNotReadyAddresses and terminating pods).
test("computeSubsets table", () => {
  const cases: Array<{ name: string; svc: KObject; pods: KObject[]; want: any[] }> = [
    { name: "no pods", svc: svc(), pods: [], want: [] },
    {
      name: "ready pods become addresses, sorted by IP",
      svc: svc(),
      pods: [pod("b", "1.2.3.5"), pod("a", "1.2.3.4")],
      want: [{ addresses: [addr("a", "1.2.3.4"), addr("b", "1.2.3.5")], ports: [{ port: 8080, protocol: "TCP" }] }],
    },
    {
      name: "unready pods become notReadyAddresses",
      svc: svc(),
      pods: [pod("a", "1.2.3.4"), pod("b", "1.2.3.5", { ready: false })],
      want: [{ addresses: [addr("a", "1.2.3.4")], notReadyAddresses: [addr("b", "1.2.3.5")], ports: [{ port: 8080, protocol: "TCP" }] }],
    },
    {
      name: "publishNotReadyAddresses lists unready pods as addresses",
      svc: svc({ publishNotReadyAddresses: true }),
      pods: [pod("b", "1.2.3.5", { ready: false })],
      want: [{ addresses: [addr("b", "1.2.3.5")], ports: [{ port: 8080, protocol: "TCP" }] }],
    },
    { name: "terminal and IP-less pods are left out", svc: svc(), pods: [pod("a", "1.2.3.4", { phase: "Succeeded" }), pod("b", "")], want: [] },
    { name: "terminating pods are left out", svc: svc(), pods: [pod("a", "1.2.3.4", { deleting: true })], want: [] },
    {
      name: "terminating pods kept with publishNotReadyAddresses",
      svc: svc({ publishNotReadyAddresses: true }),
      pods: [pod("a", "1.2.3.4", { deleting: true })],
      want: [{ addresses: [addr("a", "1.2.3.4")], ports: [{ port: 8080, protocol: "TCP" }] }],
    },
    {
      name: "named targetPort resolves through the container's ports; pods without it are skipped",
      svc: svc({ ports: [{ name: "web", port: 80, protocol: "TCP", targetPort: "http" }] }),
      pods: [pod("a", "1.2.3.4"), pod("b", "1.2.3.5", { ports: [{ name: "other", containerPort: 9000 }] })],
      want: [{ addresses: [addr("a", "1.2.3.4")], ports: [{ name: "web", port: 8080, protocol: "TCP" }] }],
    },
    {
      name: "pods with different resolved ports make separate subsets",
      svc: svc({ ports: [{ port: 80, protocol: "TCP", targetPort: "http" }] }),
      pods: [pod("a", "1.2.3.4"), pod("b", "1.2.3.5", { ports: [{ name: "http", containerPort: 9000 }] })],
      want: [
        { addresses: [addr("a", "1.2.3.4")], ports: [{ port: 8080, protocol: "TCP" }] },
        { addresses: [addr("b", "1.2.3.5")], ports: [{ port: 9000, protocol: "TCP" }] },
      ],
    },
    {
      name: "headless without ports: addresses with no ports",
      svc: svc({ clusterIP: "None", ports: [] }),
      pods: [pod("a", "1.2.3.4")],
      want: [{ addresses: [addr("a", "1.2.3.4")] }],
    },
  ];
  for (const c of cases) assert.deepEqual(computeSubsets(c.svc, c.pods), c.want, c.name);
});

test("repackSubsets: an address ready in one subset and not ready in another is ready", () => {
  const p = [{ port: 1, protocol: "TCP" }];
  assert.deepEqual(repackSubsets([{ addresses: [{ ip: "1.1.1.1" }], ports: p }, { notReadyAddresses: [{ ip: "1.1.1.1" }, { ip: "1.1.1.2" }], ports: p }]), [
    { addresses: [{ ip: "1.1.1.1" }], notReadyAddresses: [{ ip: "1.1.1.2" }], ports: p },
  ]);
});

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: svc-readiness
  labels: {tier: web}
spec:
  selector:
    app: readiness
  ports:
  - port: 8080
    targetPort: 8080
`;

test("the controller follows pods' readiness, with the trigger-time annotation", () => {
  const c = new Cluster();
  c.applySync(SVC);
  c.clock.advance(10);
  const ep0 = c.get("Endpoints", "svc-readiness")!;
  assert.equal(ep0.subsets, undefined, "no subsets while no pod is selected");
  assert.deepEqual(ep0.metadata.labels, { tier: "web" });
  assert.equal(ep0.metadata.annotations?.["endpoints.kubernetes.io/last-change-trigger-time"], "2024-01-08T00:00:00Z", "the Service's creation");

  c.clock.advance(20_000);
  createRunningPod(c, "pod1", { labels: { app: "readiness" }, ip: "10.244.1.2", ready: true });
  createRunningPod(c, "pod-readiness-exec1", { labels: { app: "readiness" }, ip: "10.244.1.3", ready: false });
  let ep = c.get("Endpoints", "svc-readiness")!;
  assert.deepEqual(ep.subsets[0].addresses.map((a: any) => a.targetRef.name), ["pod1"]);
  assert.deepEqual(ep.subsets[0].notReadyAddresses.map((a: any) => a.targetRef.name), ["pod-readiness-exec1"]);
  assert.equal(ep.subsets[0].addresses[0].targetRef.uid, c.get("Pod", "pod1")!.metadata.uid);

  c.clock.advance(15_000);
  setPodReady(c, "pod-readiness-exec1", true);
  ep = c.get("Endpoints", "svc-readiness")!;
  assert.deepEqual(ep.subsets[0].addresses.map((a: any) => a.targetRef.name), ["pod1", "pod-readiness-exec1"]);
  assert.equal(ep.subsets[0].notReadyAddresses, undefined);
  assert.equal(ep.metadata.annotations!["endpoints.kubernetes.io/last-change-trigger-time"], "2024-01-08T00:00:35Z", "the Ready transition");

  // An unrelated pod change does not rewrite the Endpoints.
  const rv = ep.metadata.resourceVersion;
  c.api.mutate("Pod", "default", "pod1", (p) => (p.metadata.annotations = { x: "y" }));
  c.clock.advance(10);
  assert.equal(c.get("Endpoints", "svc-readiness")!.metadata.resourceVersion, rv);

  // Relabelled out of the selector: gone from the subsets.
  c.api.mutate("Pod", "default", "pod1", (p) => (p.metadata.labels = { app: "other" }));
  c.clock.advance(10);
  assert.deepEqual(c.get("Endpoints", "svc-readiness")!.subsets[0].addresses.map((a: any) => a.targetRef.name), ["pod-readiness-exec1"]);

  c.api.delete("Service", "default", "svc-readiness");
  c.clock.advance(10);
  assert.equal(c.get("Endpoints", "svc-readiness"), undefined, "deleted with its Service");
});

test("a Service without a selector gets no Endpoints from the controller", () => {
  const c = new Cluster();
  c.applySync(SVC.replace("  selector:\n    app: readiness\n", ""));
  c.clock.advance(10);
  assert.equal(c.get("Endpoints", "svc-readiness"), undefined);
});
