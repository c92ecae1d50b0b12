import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import * as describeModule from "./describe.ts";
import { describeConfigMap, describeEndpoints, describePod, describeProbe, describeSecret, rfc1123z } from "./describe.ts";

// A running pod restarted by its liveness probe, laid out as describe.go's describePod writes it:
// one tab-aligned block per run of `Label:\tvalue` lines, conditions with their trailing space,
// events sorted by lastTimestamp with `(xN over T)` for repeated ones.
const NOW = Date.parse("2024-01-08T00:10:00Z");
const pod: any = {
  apiVersion: "v1", kind: "Pod",
  metadata: { name: "pod-liveness-httpget1", namespace: "default", uid: "u1", creationTimestamp: "2024-01-08T00:00:00Z", labels: { app: "liveness" } },
  spec: {
    nodeName: "k8s-node1", priority: 0, serviceAccountName: "default",
    containers: [{ name: "container", image: "kubetm/app", ports: [{ containerPort: 8080, protocol: "TCP" }],
      livenessProbe: { httpGet: { path: "/health", port: 8080, scheme: "HTTP" }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
      volumeMounts: [{ name: "kube-api-access-abcde", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true }] }],
    volumes: [{ name: "kube-api-access-abcde", projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: "token" } }, { configMap: { name: "kube-root-ca.crt" } }, { downwardAPI: {} }] } }],
    tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }, { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }],
  },
  status: { phase: "Running", hostIP: "172.18.0.3", podIP: "10.244.1.5", podIPs: [{ ip: "10.244.1.5" }], startTime: "2024-01-08T00:00:00Z", qosClass: "BestEffort",
    conditions: [{ type: "PodReadyToStartContainers", status: "True" }, { type: "Initialized", status: "True" }, { type: "Ready", status: "True" }, { type: "ContainersReady", status: "True" }, { type: "PodScheduled", status: "True" }],
    containerStatuses: [{ name: "container", containerID: "containerd://abc", imageID: "docker.io/kubetm/app@sha256:1234", ready: true, restartCount: 2, started: true,
      state: { running: { startedAt: "2024-01-08T00:08:00Z" } }, lastState: { terminated: { exitCode: 137, reason: "Error", startedAt: "2024-01-08T00:04:00Z", finishedAt: "2024-01-08T00:07:59Z" } } }] },
};
const events: any[] = [
  { metadata: { name: "e1" }, type: "Normal", reason: "Scheduled", message: "Successfully assigned default/pod-liveness-httpget1 to k8s-node1", source: {}, reportingComponent: "default-scheduler", eventTime: "2024-01-08T00:00:00.000000Z", firstTimestamp: null, lastTimestamp: null },
  { metadata: { name: "e2" }, type: "Warning", reason: "Unhealthy", message: "Liveness probe failed: HTTP probe failed with statuscode: 500", source: { component: "kubelet", host: "k8s-node1" }, firstTimestamp: "2024-01-08T00:03:40Z", lastTimestamp: "2024-01-08T00:07:40Z", count: 6 },
  { metadata: { name: "e3" }, type: "Normal", reason: "Killing", message: "Container container failed liveness probe, will be restarted", source: { component: "kubelet", host: "k8s-node1" }, firstTimestamp: "2024-01-08T00:04:00Z", lastTimestamp: "2024-01-08T00:08:00Z", count: 2 },
];

test("describe pod: the full layout of a running pod with a restart and events", () => {
  assert.equal(
    describePod(pod, events as KObject[], NOW),
  [
    "Name:             pod-liveness-httpget1",
    "Namespace:        default",
    "Priority:         0",
    "Service Account:  default",
    "Node:             k8s-node1/172.18.0.3",
    "Start Time:       Mon, 08 Jan 2024 00:00:00 +0000",
    "Labels:           app=liveness",
    "Annotations:      <none>",
    "Status:           Running",
    "IP:               10.244.1.5",
    "IPs:",
    "  IP:  10.244.1.5",
    "Containers:",
    "  container:",
    "    Container ID:   containerd://abc",
    "    Image:          kubetm/app",
    "    Image ID:       docker.io/kubetm/app@sha256:1234",
    "    Port:           8080/TCP",
    "    Host Port:      0/TCP",
    "    State:          Running",
    "      Started:      Mon, 08 Jan 2024 00:08:00 +0000",
    "    Last State:     Terminated",
    "      Reason:       Error",
    "      Exit Code:    137",
    "      Started:      Mon, 08 Jan 2024 00:04:00 +0000",
    "      Finished:     Mon, 08 Jan 2024 00:07:59 +0000",
    "    Ready:          True",
    "    Restart Count:  2",
    "    Liveness:       http-get http://:8080/health delay=5s timeout=1s period=10s #success=1 #failure=3",
    "    Environment:    <none>",
    "    Mounts:",
    "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-abcde (ro)",
    "Conditions:",
    "  Type                        Status",
    "  PodReadyToStartContainers   True ",
    "  Initialized                 True ",
    "  Ready                       True ",
    "  ContainersReady             True ",
    "  PodScheduled                True ",
    "Volumes:",
    "  kube-api-access-abcde:",
    "    Type:                    Projected (a volume that contains injected data from multiple sources)",
    "    TokenExpirationSeconds:  3607",
    "    ConfigMapName:           kube-root-ca.crt",
    "    ConfigMapOptional:       <nil>",
    "    DownwardAPI:             true",
    "QoS Class:                   BestEffort",
    "Node-Selectors:              <none>",
    "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
    "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
    "Events:",
    "  Type     Reason     Age                    From               Message",
    "  ----     ------     ----                   ----               -------",
    "  Normal   Scheduled  10m                    default-scheduler  Successfully assigned default/pod-liveness-httpget1 to k8s-node1",
    "  Warning  Unhealthy  2m20s (x6 over 6m20s)  kubelet            Liveness probe failed: HTTP probe failed with statuscode: 500",
    "  Normal   Killing    2m (x2 over 6m)        kubelet            Container container failed liveness probe, will be restarted",
  ].join("\n") + "\n",
  );
});

test("describe probes as DescribeProbe prints them", () => {
  const attrs = "delay=0s timeout=1s period=10s #success=1 #failure=3";
  assert.equal(describeProbe({ exec: { command: ["cat", "/tmp/ready"] } }), `exec [cat /tmp/ready] ${attrs}`);
  assert.equal(describeProbe({ tcpSocket: { port: 8080 } }), `tcp-socket :8080 ${attrs}`);
  assert.equal(describeProbe({ httpGet: { path: "/health", port: "http", scheme: "HTTPS" } }), `http-get https://:http/health ${attrs}`);
});

test("RFC1123Z times", () => {
  assert.equal(rfc1123z("2019-09-26T22:07:56Z"), "Thu, 26 Sep 2019 22:07:56 +0000");
});

test("describe endpoints: ready and not-ready addresses and the ports table", () => {
  const ep: KObject = {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name: "svc-readiness", namespace: "default" },
    subsets: [{ addresses: [{ ip: "10.244.1.2" }], notReadyAddresses: [{ ip: "10.244.2.3" }], ports: [{ port: 8080, protocol: "TCP" }] }],
  };
  assert.equal(
    describeEndpoints(ep, [], NOW),
    [
      "Name:         svc-readiness",
      "Namespace:    default",
      "Labels:       <none>",
      "Annotations:  <none>",
      "Subsets:",
      "  Addresses:          10.244.1.2",
      "  NotReadyAddresses:  10.244.2.3",
      "  Ports:",
      "    Name     Port  Protocol",
      "    ----     ----  --------",
      "    <unset>  8080  TCP",
      "",
      "Events:  <none>",
      "",
    ].join("\n"),
  );
});

test("describe service endpoints from EndpointSlices: ready ones only, filtered by port name, at most 3", () => {
  const { formatEndpointSlices } = describeModule;
  const slice = (addrs: Array<[string, boolean]>, ports: any[]): KObject => ({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: "s" },
    ports,
    endpoints: addrs.map(([ip, ready]) => ({ addresses: [ip], conditions: { ready } })),
  });
  assert.equal(formatEndpointSlices([], "http"), "<none>");
  assert.equal(formatEndpointSlices([slice([], [{ name: "http", port: 80 }])], "http"), "");
  const s = slice([["10.0.0.1", true], ["10.0.0.2", false], ["10.0.0.3", true], ["10.0.0.4", true], ["10.0.0.5", true]], [{ name: "http", port: 80 }, { name: "metrics", port: 9090 }]);
  assert.equal(formatEndpointSlices([s], "http"), "10.0.0.1:80,10.0.0.3:80,10.0.0.4:80 + 1 more...");
  assert.equal(formatEndpointSlices([s], "other"), "");
});

// Layouts checked against kubectl v1.32 through scripts/kubectl-oracle.ts (keys sorted here, random there).
test("describe secret: sizes of the values, a service-account token in clear, no events", () => {
  const secret = (type: string, data: Record<string, string>, extra: object = {}) =>
    ({ apiVersion: "v1", kind: "Secret", metadata: { name: "test-secret", namespace: "default", ...extra }, type, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")])) }) as unknown as KObject;
  assert.equal(
    describeSecret(secret("Opaque", { username: "my-app", password: "39528$vdg7Jb" })),
    ["Name:         test-secret", "Namespace:    default", "Labels:       <none>", "Annotations:  <none>", "", "Type:  Opaque", "", "Data", "====", "password:  12 bytes", "username:  6 bytes", ""].join("\n"),
  );
  assert.equal(
    describeSecret(secret("kubernetes.io/service-account-token", { token: "eyJhbGciOiJSUzI1NiJ9" }, { annotations: { "kubernetes.io/service-account.name": "default" } })),
    ["Name:         test-secret", "Namespace:    default", "Labels:       <none>", "Annotations:  kubernetes.io/service-account.name: default", "", "Type:  kubernetes.io/service-account-token", "", "Data", "====", "token:  eyJhbGciOiJSUzI1NiJ9", ""].join("\n"),
  );
});

test("describe configmap: each key, its value and a blank line; binary data as sizes; events", () => {
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "game-demo", namespace: "default" }, data: { player_initial_lives: "3", "game.properties": "a=b\nc=d\n" }, binaryData: { blob: "aGVsbG8=" } } as unknown as KObject;
  assert.equal(
    describeConfigMap(cm, [], 0),
    ["Name:         game-demo", "Namespace:    default", "Labels:       <none>", "Annotations:  <none>", "", "Data", "====", "game.properties:", "----", "a=b", "c=d", "", "", "player_initial_lives:", "----", "3", "", "", "BinaryData", "====", "blob: 5 bytes", "", "Events:  <none>", ""].join("\n"),
  );
});

test("describe poddisruptionbudget: the budget, selector and status (describePodDisruptionBudgetV1)", () => {
  const pdb: KObject = {
    apiVersion: "policy/v1", kind: "PodDisruptionBudget",
    metadata: { name: "zk-pdb", namespace: "default", creationTimestamp: "2024-01-08T00:00:00Z" },
    spec: { minAvailable: 2, selector: { matchLabels: { "app.kubernetes.io/name": "zookeeper" } } },
    status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
  };
  assert.equal(
    describeModule.describePodDisruptionBudget(pdb, [], NOW),
    "Name:           zk-pdb\nNamespace:      default\nMin available:  2\nSelector:       app.kubernetes.io/name=zookeeper\nStatus:\n    Allowed disruptions:  1\n    Current:              3\n    Desired:              2\n    Total:                3\nEvents:                   <none>\n",
  );
  const max = describeModule.describePodDisruptionBudget({ ...pdb, spec: { maxUnavailable: "30%" }, status: {} }, [], NOW);
  assert.match(max, /^Max unavailable: {2}30%\nSelector: {9}<unset>\n/m);
});

test("describe cronjob: schedule, policies, unset limits and the job template (describeCronJob)", () => {
  const cj: KObject = {
    apiVersion: "batch/v1", kind: "CronJob",
    metadata: { name: "hello", namespace: "default", creationTimestamp: "2024-01-08T00:00:00Z" },
    spec: { schedule: "*/5 * * * *", concurrencyPolicy: "Forbid", suspend: true, startingDeadlineSeconds: 200, jobTemplate: { spec: { completions: 2, template: { spec: { containers: [{ name: "c", image: "busybox" }] } } } } },
    status: { active: [{ name: "hello-1" }, { name: "hello-2" }], lastScheduleTime: "2024-01-08T00:05:00Z" },
  };
  const out = describeModule.describeCronJob(cj, [], NOW);
  assert.match(out, /\nSchedule: +\*\/5 \* \* \* \*\nConcurrency Policy: +Forbid\nSuspend: +True\nSuccessful Job History Limit: +<unset>\nFailed Job History Limit: +<unset>\nStarting Deadline Seconds: +200s\nSelector: +<unset>\nParallelism: +<unset>\nCompletions: +2\nPod Template:\n/);
  assert.match(out, /\nLast Schedule Time: +Mon, 08 Jan 2024 00:05:00 \+0000\nActive Jobs: +hello-1, hello-2\nEvents: +<none>\n$/);
});

test("smartLabelFor and fatih/camelcase's Split (its README's cases; kubectl's acronyms)", async () => {
  const { camelcaseSplit, smartLabelFor } = await import("./describe.ts");
  assert.deepEqual(camelcaseSplit("GL11Version"), ["GL", "11", "Version"]);
  assert.deepEqual(camelcaseSplit("PDFLoader"), ["PDF", "Loader"]);
  assert.deepEqual(camelcaseSplit("lowercase"), ["lowercase"]);
  assert.deepEqual(camelcaseSplit("MyClass"), ["My", "Class"]);
  assert.deepEqual(camelcaseSplit("HTMLMarkup"), ["HTML", "Markup"]);
  assert.deepEqual(camelcaseSplit("dnsNames"), ["dns", "Names"]);
  const labels: Array<[string, string]> = [["apiVersion", "API Version"], ["uid", "UID"], ["dnsNames", "Dns Names"], ["creationTimestamp", "Creation Timestamp"], ["issuerRef", "Issuer Ref"], ["blockOwnerDeletion", "Block Owner Deletion"], ["tls.crt", "tls.crt"], ["GL11Version", "GL11Version"], ["url", "URL"]];
  for (const [f, want] of labels) assert.equal(smartLabelFor(f), want, f);
});

test("a custom resource is described as kubectl's generic describer lists it: the metadata block, then every field sorted, nested a level a map", async () => {
  const { describeCustomResource } = await import("./describe.ts");
  const obj = {
    apiVersion: "stable.example.com/v1",
    kind: "CronTab",
    metadata: { name: "my-new-cron-object", namespace: "default", uid: "u-1", generation: 1, resourceVersion: "7", creationTimestamp: "2024-01-08T00:00:00Z", managedFields: [{ manager: "kubectl" }], annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } },
    spec: { cronSpec: "* * * * */5", image: "my-awesome-cron-image", replicas: 3, tags: ["a", "b"], ports: [{ name: "http", port: 80 }] },
  };
  assert.equal(
    describeCustomResource(obj as never, [], Date.parse("2024-01-08T00:00:10Z")),
    `Name:         my-new-cron-object
Namespace:    default
Labels:       <none>
Annotations:  <none>
API Version:  stable.example.com/v1
Kind:         CronTab
Metadata:
  Creation Timestamp:  2024-01-08T00:00:00Z
  Generation:          1
  Resource Version:    7
  UID:                 u-1
Spec:
  Cron Spec:  * * * * */5
  Image:      my-awesome-cron-image
  Ports:
    Name:    http
    Port:    80
  Replicas:  3
  Tags:
    a
    b
Events:  <none>
`,
  );
});
