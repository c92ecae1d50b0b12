// Ports of pkg/kubelet/kubelet_pods_test.go TestPodPhaseWithRestart* and convertToAPIContainerStatuses cases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { convertToAPIContainerStatuses, getPhase, managedHostsFileContent, podHostnameAndDomain, sandboxHostname, truncatePodHostname } from "./kubelet_pods.ts";
import type { RuntimePodStatus } from "./container/runtime.ts";
import type { Pod } from "../api/types.gen.ts";

const running = (name: string) => ({ name, state: { running: {} } });
const succeeded = (name: string) => ({ name, state: { terminated: { exitCode: 0 } } });
const failed = (name: string) => ({ name, state: { terminated: { exitCode: -1 } } });
const waiting = (name: string) => ({ name, state: { waiting: {} } });
const waitingWithLastTermination = (name: string) => ({ name, state: { waiting: {} }, lastState: { terminated: { exitCode: 0 } } });
const waitingWithLastFailed = (name: string) => ({ name, state: { waiting: {} }, lastState: { terminated: { exitCode: -2 } } });
// getPhase reads only the spec.
const pod = (restartPolicy: string, containers = ["containerA", "containerB"], inits: any[] = []) =>
  ({
    spec: { restartPolicy, containers: containers.map((name) => ({ name })), initContainers: inits },
  }) as Pod;

test("TestPodPhaseWithRestartAlways", () => {
  const p = pod("Always");
  const cases: Array<[any[], boolean, string, string]> = [
    [[], false, "Pending", "waiting"],
    [[running("containerA"), running("containerB")], false, "Running", "all running"],
    [[succeeded("containerA"), succeeded("containerB")], false, "Running", "all stopped with restart always"],
    [[succeeded("containerA"), succeeded("containerB")], true, "Succeeded", "all succeeded with restart always, but the pod is terminal"],
    [[succeeded("containerA"), failed("containerB")], true, "Failed", "all stopped with restart always, but the pod is terminal"],
    [[running("containerA"), succeeded("containerB")], false, "Running", "mixed state #1 with restart always"],
    [[running("containerA")], false, "Pending", "mixed state #2 with restart always"],
    [[running("containerA"), waiting("containerB")], false, "Pending", "mixed state #3 with restart always"],
    [[running("containerA"), waitingWithLastTermination("containerB")], false, "Running", "backoff crashloop container with restart always"],
  ];
  for (const [st, term, want, name] of cases) assert.equal(getPhase(p, st, term), want, name);
});

test("TestPodPhaseWithRestartNever", () => {
  const p = pod("Never");
  const cases: Array<[any[], string, string]> = [
    [[], "Pending", "waiting"],
    [[running("containerA"), running("containerB")], "Running", "all running"],
    [[succeeded("containerA"), succeeded("containerB")], "Succeeded", "all succeeded"],
    [[failed("containerA"), failed("containerB")], "Failed", "all failed"],
    [[running("containerA"), succeeded("containerB")], "Running", "mixed state #1"],
    [[running("containerA")], "Pending", "mixed state #2"],
    [[running("containerA"), waiting("containerB")], "Pending", "mixed state #3"],
  ];
  for (const [st, want, name] of cases) assert.equal(getPhase(p, st, false), want, name);
});

test("TestPodPhaseWithRestartOnFailure", () => {
  const p = pod("OnFailure");
  const cases: Array<[any[], string, string]> = [
    [[], "Pending", "waiting"],
    [[running("containerA"), running("containerB")], "Running", "all running"],
    [[succeeded("containerA"), succeeded("containerB")], "Succeeded", "all succeeded"],
    [[failed("containerA"), failed("containerB")], "Running", "all failed"],
    [[running("containerA"), succeeded("containerB")], "Running", "mixed state #1"],
    [[running("containerA")], "Pending", "mixed state #2"],
    [[running("containerA"), waiting("containerB")], "Pending", "mixed state #3"],
    [[running("containerA"), waitingWithLastFailed("containerB")], "Running", "backoff crashloop container"],
  ];
  for (const [st, want, name] of cases) assert.equal(getPhase(p, st, false), want, name);
});

test("TestPodPhaseWithRestartAlwaysInitContainers", () => {
  const p = pod("Always", ["containerA", "containerB"], [{ name: "containerX" }]);
  const cases: Array<[any[], string, string]> = [
    [[running("containerX")], "Pending", "init container running"],
    [[failed("containerX")], "Pending", "init container terminated non-zero"],
    [[waitingWithLastFailed("containerX")], "Pending", "init container waiting, terminated zero"],
    [[waiting("containerX")], "Pending", "init container waiting, not terminated"],
    [[succeeded("containerX"), running("containerA"), running("containerB")], "Running", "init container succeeded"],
  ];
  for (const [st, want, name] of cases) assert.equal(getPhase(p, st, false), want, name);
});

test("TestPodPhaseWithRestartNeverInitContainers", () => {
  const p = pod("Never", ["containerA", "containerB"], [{ name: "containerX" }]);
  const cases: Array<[any[], string, string]> = [
    [[running("containerX")], "Pending", "init container running"],
    [[failed("containerX")], "Failed", "init container terminated non-zero"],
    [[waitingWithLastFailed("containerX")], "Failed", "init container waiting, terminated non-zero"],
    [[waiting("containerX")], "Pending", "init container waiting, not terminated"],
    [[succeeded("containerX"), running("containerA"), running("containerB")], "Running", "init container succeeded"],
  ];
  for (const [st, want, name] of cases) assert.equal(getPhase(p, st, false), want, name);
});

test("TestPodPhaseWithRestartAlwaysRestartableInitContainers", () => {
  const p = pod("Always", ["containerA", "containerB"], [{ name: "containerX", restartPolicy: "Always" }]);
  const started = (s: any, v: boolean) => ({ ...s, started: v });
  const cases: Array<[any[], string, string]> = [
    [[waiting("containerX")], "Pending", "restartable init container waiting, not terminated"],
    [[started(running("containerX"), false)], "Pending", "restartable init container started"],
    [[started(running("containerX"), true)], "Pending", "restartable init container started, regular unknown"],
    [[started(running("containerX"), true), running("containerA"), running("containerB")], "Running", "restartable init container running, regular running"],
    [[waitingWithLastFailed("containerX"), running("containerA"), running("containerB")], "Running", "restartable init container in crash loop"],
    [[started(running("containerX"), true), succeeded("containerA"), succeeded("containerB")], "Running", "regular containers stopped, restart always"],
  ];
  for (const [st, want, name] of cases) assert.equal(getPhase(p, st, false), want, name);
});

test("convertToAPIContainerStatuses: newest instance is state, the one before lastState, reason cache wins for restarts", () => {
  const p = { apiVersion: "v1", kind: "Pod", metadata: { uid: "u" }, spec: { restartPolicy: "Always", containers: [{ name: "b", image: "busybox" }, { name: "a", image: "busybox" }] } };
  const ps: RuntimePodStatus = {
    sandboxReady: true,
    containerStatuses: [
      { id: "containerd://2", name: "a", state: "exited", createdAt: 20, startedAt: 21_000, finishedAt: 25_000, exitCode: 1, reason: "Error", image: "busybox", imageRef: "x", restartCount: 1 },
      { id: "containerd://1", name: "a", state: "exited", createdAt: 10, startedAt: 11_000, finishedAt: 15_000, exitCode: 1, reason: "Error", image: "busybox", imageRef: "x", restartCount: 0 },
    ],
  };
  const reasons = new Map([["a", { reason: "CrashLoopBackOff", message: "back-off 10s restarting failed container=a pod=p_default(u)" }]]);
  const out = convertToAPIContainerStatuses(p, ps, undefined, p.spec.containers, false, false, reasons);
  assert.deepEqual(out.map((s) => s.name), ["a", "b"], "sorted by name");
  assert.equal(out[0]?.state?.waiting?.reason, "CrashLoopBackOff");
  assert.equal(out[0]?.lastState?.terminated?.exitCode, 1);
  assert.equal(out[0].restartCount, 1);
  assert.deepEqual(out[1].state, { waiting: { reason: "ContainerCreating" } });
  const withInit = convertToAPIContainerStatuses(p, { sandboxReady: true, containerStatuses: [] }, undefined, p.spec.containers, true, false, new Map());
  assert.deepEqual(withInit[0].state, { waiting: { reason: "PodInitializing" } });
});

test("container statuses list their volume mounts (RecursiveReadOnlyMounts, on since v1.31)", () => {
  const p = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { uid: "u" },
    spec: {
      containers: [{ name: "a", image: "busybox", volumeMounts: [{ name: "data", mountPath: "/data" }, { name: "tok", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true }] }],
    },
  };
  const out = convertToAPIContainerStatuses(p, { sandboxReady: true, containerStatuses: [] }, undefined, p.spec.containers, false, false, new Map());
  assert.deepEqual(out[0].volumeMounts, [
    { mountPath: "/data", name: "data" },
    { mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", name: "tok", readOnly: true, recursiveReadOnly: "Disabled" },
  ]);
});

test("GeneratePodHostNameAndDomain, managedHostsFileContent and the sandbox hostname", () => {
  assert.equal(truncatePodHostname("a".repeat(61) + "-.x" + "d".repeat(10)), "a".repeat(61));
  assert.equal(truncatePodHostname("a".repeat(60) + "-b.c-"), "a".repeat(60) + "-b");
  assert.equal(truncatePodHostname("a".repeat(60) + "-bc-"), "a".repeat(60) + "-bc");
  assert.deepEqual(podHostnameAndDomain({ metadata: { name: "web-0", namespace: "shop" }, spec: { subdomain: "nginx" } }), { hostname: "web-0", domain: "nginx.shop.svc.cluster.local" });
  assert.deepEqual(podHostnameAndDomain({ metadata: { name: "p" }, spec: { hostname: "h" } }), { hostname: "h", domain: "" });
  assert.equal(
    managedHostsFileContent(["10.244.0.5"], "web-0", "nginx.shop.svc.cluster.local", [{ ip: "127.0.0.1", hostnames: ["foo.local", "bar.local"] }]),
    "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n" +
      "10.244.0.5\tweb-0.nginx.shop.svc.cluster.local\tweb-0\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n",
  );
  assert.equal(sandboxHostname({ metadata: { name: "p" }, spec: { hostNetwork: true, nodeName: "k8s-node1" } }), "k8s-node1");
  assert.equal(sandboxHostname({ metadata: { name: "p", namespace: "ns" }, spec: { subdomain: "s", setHostnameAsFQDN: true } }), "p.s.ns.svc.cluster.local");
});
