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

test("convertToAPIContainerStatuses: old statuses the runtime no longer reports are copied, never shared (issue #19: copied only for those, after the runtime's replaced the others)", () => {
  const deepFreeze = <T>(o: T): T => {
    if (o && typeof o === "object") {
      for (const v of Object.values(o)) deepFreeze(v);
      Object.freeze(o);
    }
    return o;
  };
  const mounts = [{ name: "data", mountPath: "/data" }];
  const p = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { uid: "u" },
    spec: {
      restartPolicy: "Always",
      containers: [
        { name: "done", image: "busybox", volumeMounts: mounts },
        { name: "wait", image: "busybox", volumeMounts: mounts },
        { name: "run", image: "busybox" },
        { name: "new", image: "busybox" },
      ],
    },
  };
  const terminated = { terminated: { exitCode: 1, reason: "Error", startedAt: "2024-01-01T00:00:01Z", finishedAt: "2024-01-01T00:00:05Z", containerID: "containerd://9" } };
  const previous = deepFreeze([
    { name: "done", image: "busybox", imageID: "x", containerID: "containerd://9", ready: false, restartCount: 3, started: false, state: terminated, lastState: {} },
    { name: "wait", image: "busybox", imageID: "x", ready: false, restartCount: 2, state: { waiting: { reason: "CrashLoopBackOff", message: "m" } }, lastState: terminated },
    { name: "run", image: "busybox", imageID: "x", containerID: "containerd://7", ready: true, restartCount: 0, started: true, state: { running: { startedAt: "2024-01-01T00:00:01Z" } }, lastState: terminated },
    { name: "new", image: "busybox", imageID: "x", containerID: "containerd://8", ready: true, restartCount: 1, started: true, state: { running: { startedAt: "2024-01-01T00:00:01Z" } }, lastState: terminated },
  ]);
  const before = JSON.stringify(previous);
  const ps: RuntimePodStatus = {
    sandboxReady: true,
    containerStatuses: [{ id: "containerd://10", name: "new", state: "running", createdAt: 20, startedAt: 21_000, image: "busybox", imageRef: "x", restartCount: 2 }],
  };
  const reasons = new Map([["done", { reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container=done pod=p_default(u)" }]]);
  const out = convertToAPIContainerStatuses(p, ps, previous, p.spec.containers, false, false, reasons);
  assert.equal(JSON.stringify(previous), before, "the old statuses are left as they were");
  const byName = new Map(out.map((s) => [s.name, s]));
  const done = byName.get("done")!;
  // The terminated one: a copy, then the waiting reason over it (lastState the old state) and its mounts.
  assert.deepEqual(done.lastState, terminated);
  assert.notEqual(done.lastState, previous[0]!.state);
  assert.deepEqual(done.state, { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container=done pod=p_default(u)" } });
  assert.deepEqual(done.volumeMounts, [{ mountPath: "/data", name: "data" }]);
  assert.equal(done.restartCount, 3);
  // The waiting one keeps its lastState, copied.
  const wait = byName.get("wait")!;
  assert.deepEqual(wait.lastState, terminated);
  assert.notEqual(wait.lastState, previous[1]!.lastState);
  assert.equal(Object.isFrozen(wait.lastState), false);
  assert.equal(wait.restartCount, 2);
  // The running one the runtime lost, with a terminated lastState: that lastState kept, copied.
  const run = byName.get("run")!;
  assert.deepEqual(run.lastState, terminated);
  assert.notEqual(run.lastState, previous[2]!.lastState);
  assert.equal(run.restartCount, 0);
  // The runtime's own.
  assert.equal(byName.get("new")!.containerID, "containerd://10");
  for (const s of out) assert.equal(Object.isFrozen(s), false, s.name);
});
