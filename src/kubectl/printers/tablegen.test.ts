import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveResourceArg } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import { formatRows } from "./tabwriter.ts";
import { tableRows } from "./table.ts";
import { formatEndpoints, formatLabelSelector, jobStatus, makePortString, nodeRoles, nodeStatus, serviceExternalIP, tableHandler } from "./tablegen.ts";

const NOW = Date.parse("2024-01-08T01:00:00Z");
const obj = (kind: string, name: string, rest: Partial<KObject> = {}, meta: any = {}): KObject => ({
  apiVersion: "v1",
  kind,
  metadata: { name, namespace: "default", creationTimestamp: "2024-01-08T00:00:00Z", ...meta },
  ...rest,
});

test("node roles come from node-role.kubernetes.io/* and kubernetes.io/role labels, sorted", () => {
  const n = obj("Node", "n", {}, { labels: { "node-role.kubernetes.io/control-plane": "", "node-role.kubernetes.io/worker": "", "kubernetes.io/role": "edge", "node-role.kubernetes.io/": "x" } });
  assert.deepEqual(nodeRoles(n), ["control-plane", "edge", "worker"]);
});

test("node status: Ready, NotReady (False or Unknown), Unknown without a condition, SchedulingDisabled", () => {
  const ready = obj("Node", "n", { status: { conditions: [{ type: "Ready", status: "True" }] } });
  assert.equal(nodeStatus(ready), "Ready");
  assert.equal(nodeStatus(obj("Node", "n", { status: { conditions: [{ type: "Ready", status: "Unknown" }] } })), "NotReady");
  assert.equal(nodeStatus(obj("Node", "n", { status: {} })), "Unknown");
  assert.equal(nodeStatus({ ...ready, spec: { unschedulable: true } }), "Ready,SchedulingDisabled");
});

test("services: ports with node ports, external IPs per type", () => {
  assert.equal(makePortString([{ port: 80, protocol: "TCP" }, { port: 53, protocol: "UDP", nodePort: 30053 }]), "80/TCP,53:30053/UDP");
  assert.equal(serviceExternalIP(obj("Service", "s", { spec: { type: "ClusterIP" } }), false), "<none>");
  assert.equal(serviceExternalIP(obj("Service", "s", { spec: { type: "LoadBalancer" } }), false), "<pending>");
  assert.equal(serviceExternalIP(obj("Service", "s", { spec: { type: "ExternalName", externalName: "example.com" } }), false), "example.com");
  const row = tableHandler("Service").row(obj("Service", "svc", { spec: { type: "NodePort", clusterIP: "10.96.1.2", clusterIPs: ["10.96.1.2"], ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }], selector: { app: "web" } } }), NOW);
  assert.deepEqual(row, ["svc", "NodePort", "10.96.1.2", "<none>", "80:30080/TCP", "60m", "app=web"]);
});

test("endpoints: ready addresses with ports, at most three then '+ N more...'", () => {
  const ep = obj("Endpoints", "e", {
    subsets: [{ addresses: ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"].map((ip) => ({ ip })), ports: [{ port: 8080 }] }],
  });
  assert.equal(formatEndpoints(ep), "10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 1 more...");
  assert.equal(formatEndpoints(obj("Endpoints", "e", {})), "<none>");
  assert.equal(formatEndpoints(obj("Endpoints", "e", { subsets: [{ notReadyAddresses: [{ ip: "10.0.0.9" }], ports: [{ port: 80 }] }] })), "");
});

test("events: core/v1 with count, and events.k8s.io with series and no timestamps", () => {
  const h = tableHandler("Event");
  const old = obj("Event", "web.1", {
    involvedObject: { kind: "Pod", name: "web", fieldPath: "spec.containers{app}" },
    type: "Warning",
    reason: "Unhealthy",
    message: "Readiness probe failed: \n",
    source: { component: "kubelet", host: "k8s-node1" },
    firstTimestamp: "2024-01-08T00:50:00Z",
    lastTimestamp: "2024-01-08T00:59:30Z",
    count: 7,
  });
  assert.deepEqual(h.row(old, NOW), ["30s", "Warning", "Unhealthy", "pod/web", "spec.containers{app}", "kubelet, k8s-node1", "Readiness probe failed:", "10m", "7", "web.1"]);
  const series = obj("Event", "web.2", {
    involvedObject: { kind: "Pod", name: "web" },
    type: "Warning",
    reason: "FailedScheduling",
    message: "0/2 nodes are available",
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    eventTime: "2024-01-08T00:40:00.000000Z",
    series: { count: 3, lastObservedTime: "2024-01-08T00:55:00.000000Z" },
    reportingComponent: "default-scheduler",
    reportingInstance: "default-scheduler-cp",
  });
  const r = h.row(series, NOW);
  assert.deepEqual([r[0], r[5], r[7], r[8]], ["5m", "default-scheduler, default-scheduler-cp", "20m", "3"]);
});

test("jobs: v1.32 STATUS column, completions and duration", () => {
  const h = tableHandler("Job");
  const running = obj("Job", "pi", { spec: { completions: 3, parallelism: 1, template: { spec: { containers: [{ name: "pi", image: "perl" }] } } }, status: { succeeded: 1, startTime: "2024-01-08T00:58:00Z" } });
  assert.deepEqual(h.row(running, NOW).slice(0, 5), ["pi", "Running", "1/3", "2m", "60m"]);
  const done = obj("Job", "pi", { spec: { completions: 1 }, status: { succeeded: 1, startTime: "2024-01-08T00:00:00Z", completionTime: "2024-01-08T00:00:45Z", conditions: [{ type: "SuccessCriteriaMet", status: "True" }, { type: "Complete", status: "True" }] } });
  assert.deepEqual(h.row(done, NOW).slice(0, 4), ["pi", "Complete", "1/1", "45s"]);
  assert.equal(jobStatus(obj("Job", "j", { status: { conditions: [{ type: "FailureTarget", status: "True" }] } })), "FailureTarget");
  assert.equal(h.row(obj("Job", "p", { spec: { parallelism: 2 }, status: {} }), NOW)[2], "0/1 of 2");
});

test("deployments and replica sets", () => {
  const d = obj("Deployment", "web", { spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } } }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } });
  assert.deepEqual(tableHandler("Deployment").row(d, NOW), ["web", "2/3", "3", "2", "60m", "nginx", "nginx:1.27", "app=web"]);
  assert.equal(formatLabelSelector({ matchLabels: { b: "2", a: "1" }, matchExpressions: [{ key: "c", operator: "In", values: ["y", "x"] }, { key: "d", operator: "DoesNotExist" }] }), "a=1,b=2,c in (x,y),!d");
});

test("table decorations: NAMESPACE with -A, kind/name for several types, -L columns and LABELS", () => {
  const pods = resolveResourceArg("pods")!;
  const p = obj("Pod", "web", { spec: { containers: [{ name: "c" }] }, status: { phase: "Pending" } }, { labels: { app: "web", "app.kubernetes.io/tier": "front" } });
  const text = formatRows(tableRows(pods, [p], NOW, { withNamespace: true, withKind: true, labelColumns: ["app.kubernetes.io/tier"], showLabels: true }));
  // LABELS is labels.Set.String: the `k=v` pairs sorted as strings, so "app.kubernetes.io/tier=…" ('.' < '=') comes first.
  assert.equal(
    text,
    "NAMESPACE   NAME      READY   STATUS    RESTARTS   AGE   TIER    LABELS\n" +
      "default     pod/web   0/1     Pending   0          60m   front   app.kubernetes.io/tier=front,app=web\n",
  );
  const nodes = resolveResourceArg("nodes")!;
  const n = obj("Node", "n1", { status: { conditions: [{ type: "Ready", status: "True" }], nodeInfo: { kubeletVersion: "v1.32.0" } } }, { namespace: undefined });
  assert.equal(formatRows(tableRows(nodes, [n], NOW, { withNamespace: true, noHeaders: true })), "n1    Ready   <none>   60m   v1.32.0\n");
});
