// The kubelet end to end on a simulated cluster: lifecycle, back-off timing, images, termination,
// admission, volumes, logs and exec, node restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { kubelets } from "./manager.ts";
import { runOnNode } from "./inspect.ts";
import { sameButStatus, withoutStatus } from "./kubelet.ts";
import { imageRegistry } from "../images/registry.ts";

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  return c;
}

function pod(name: string, spec: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n${spec.replace(/^/gm, "  ")}\n`;
}

const status = (c: Cluster, name: string) => c.get("Pod", name)?.status;
const events = (c: Cluster, name: string) =>
  c.api
    .list("Event")
    .filter((e) => e.involvedObject.name === name && e.source?.component === "kubelet")
    .map((e) => `${e.reason}: ${e.message}`);

test("a pod is pulled, created, started; it gets an IP from the node's pod CIDR and the node's IP", () => {
  const c = cluster();
  c.applySync(pod("web", "containers:\n- name: app\n  image: busybox:1.28\n  command: ['sleep', '3600']"));
  c.advanceSync(3000);
  const s = status(c, "web");
  assert.equal(s.phase, "Running");
  assert.equal(s.podIP, "10.244.0.2");
  assert.equal(s.hostIP, "172.18.0.3");
  assert.deepEqual(s.containerStatuses[0].state.running !== undefined, true);
  assert.equal(s.containerStatuses[0].image, "docker.io/library/busybox:1.28");
  assert.match(s.containerStatuses[0].containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.deepEqual(events(c, "web"), [
    'Pulling: Pulling image "busybox:1.28"',
    'Pulled: Successfully pulled image "busybox:1.28" in 1.2s (1.2s including waiting). Image size: 2155365 bytes.',
    "Created: Created container: app",
    "Started: Started container app",
  ]);
  assert.equal(c.get("Node", "node1")!.spec.podCIDR, "10.244.0.0/24");
  c.advanceSync(10_000);
  assert.deepEqual(c.get("Node", "node1")!.status.images[0].names[1], "docker.io/library/busybox:1.28");
  // A second pod with the same image finds it on the node.
  c.applySync(pod("web2", "containers:\n- name: app\n  image: busybox:1.28\n  command: ['sleep', '3600']"));
  c.advanceSync(2000);
  assert.ok(events(c, "web2").includes('Pulled: Container image "busybox:1.28" already present on machine'));
  assert.equal(status(c, "web2").podIP, "10.244.0.3");
});

test("crash-loop back-off: first restart at once, then 10 s, 20 s, 40 s, 80 s after each crash", () => {
  const c = cluster();
  c.applySync(pod("crash", "containers:\n- name: app\n  image: busybox:1.28\n  command: ['sh', '-c', 'sleep 2; exit 1']"));
  const k = kubelets(c.ctx).get("node1")!;
  const gaps: number[] = [];
  let lastId = "";
  for (let i = 0; i < 2000; i++) {
    c.advanceSync(100);
    const uid = c.get("Pod", "crash")!.metadata.uid!;
    const inst = k.runtime.latest(uid, "app");
    if (inst && inst.id !== lastId) {
      lastId = inst.id;
      const prev = k.runtime.previous(uid, "app");
      if (prev) gaps.push((inst.startedAt! - prev.finishedAt!) / 1000);
    }
  }
  // The first crash is noticed at the next PLEG relist (1 s) and restarted at once; then each
  // restart waits for the back-off after the previous instance finished.
  assert.deepEqual(gaps.slice(0, 5), [1, 10, 20, 40, 80]);
  const w = status(c, "crash").containerStatuses[0].state.waiting;
  assert.equal(status(c, "crash").phase, "Running");
  assert.match(w.message, /^back-off 2m40s restarting failed container=app pod=crash_default\(.+\)$/);
  assert.ok(events(c, "crash").some((e) => /^BackOff: Back-off restarting failed container app in pod crash_default\(/.test(e)));
});

test("a container that cannot start (StartError, 128) backs off as a crash does: RunContainerError and CrashLoopBackOff alternate, restartCount grows", () => {
  // kuberuntime_container.go startContainer: CreateContainer succeeded (Created), StartContainer
  // failed (Failed "Error: <the runtime's message>", ErrRunContainer); containerd leaves the
  // container exited with StartError, 128 and startedAt 0; the PLEG sees it die and doBackOff
  // (kuberuntime_manager.go) backs off from its finishedAt.
  const c = cluster();
  c.applySync(pod("ps", "containers:\n- name: app\n  image: debian:bookworm\n  command: ['ps', 'aux']"));
  const seen: string[] = [];
  let last = "";
  const t0 = c.clock.now();
  for (let i = 0; i < 400; i++) {
    c.advanceSync(100);
    const cs = status(c, "ps")?.containerStatuses?.[0];
    const line = `${cs?.state?.waiting?.reason} ${cs?.restartCount}`;
    if (line !== last) seen.push(`${Math.floor((c.clock.now() - t0) / 1000)}s ${line}`);
    last = line;
  }
  assert.deepEqual(seen, [
    "0s ContainerCreating 0",
    "2s RunContainerError 0",
    "3s RunContainerError 1",
    "12s CrashLoopBackOff 1",
    "13s RunContainerError 2",
    "23s CrashLoopBackOff 2",
    "33s RunContainerError 3",
  ]);
  const cs = status(c, "ps").containerStatuses[0];
  const msg = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "ps": executable file not found in $PATH: unknown';
  assert.deepEqual(cs.state.waiting, { reason: "RunContainerError", message: msg });
  assert.equal(cs.lastState.terminated.reason, "StartError");
  assert.equal(cs.lastState.terminated.exitCode, 128);
  assert.equal(cs.lastState.terminated.message, msg);
  assert.equal(cs.lastState.terminated.startedAt, "1970-01-01T00:00:00Z");
  const ev = events(c, "ps");
  assert.ok(ev.includes("Created: Created container: app"));
  assert.ok(ev.includes(`Failed: Error: ${msg}`));
  assert.ok(ev.some((e) => /^BackOff: Back-off restarting failed container app in pod ps_default\(/.test(e)));
  // Each attempt is created, then fails to start: one Created before each Failed.
  const kinds = c.api.list("Event").filter((e) => e.involvedObject.name === "ps" && ["Created", "Failed"].includes(e.reason!)).map((e) => `${e.reason} x${e.count}`);
  assert.deepEqual(kinds, ["Created x4", "Failed x4"]);
});

test("restartPolicy Never: a container that cannot start ends the pod Failed with StartError, not restarted", () => {
  const c = cluster();
  c.applySync(pod("ps", "restartPolicy: Never\ncontainers:\n- name: app\n  image: debian:bookworm\n  command: ['ps', 'aux']"));
  c.advanceSync(60_000);
  const s = status(c, "ps");
  assert.equal(s.phase, "Failed");
  assert.equal(s.containerStatuses[0].restartCount, 0);
  assert.equal(s.containerStatuses[0].state.terminated.reason, "StartError");
  assert.equal(s.containerStatuses[0].state.terminated.exitCode, 128);
  assert.ok(!events(c, "ps").some((e) => e.startsWith("BackOff")));
});

test("an image that does not exist: ErrImagePull, then ImagePullBackOff, and the pod stays Pending", () => {
  const c = cluster();
  // `example/nope` is no catalogue image: it would run generically unless declared absent.
  imageRegistry(c.ctx).setExists("example/nope", false);
  c.applySync(pod("bad", "containers:\n- name: app\n  image: example/nope:1"));
  c.advanceSync(3000);
  assert.equal(status(c, "bad").containerStatuses[0].state.waiting.reason, "ErrImagePull");
  assert.match(status(c, "bad").containerStatuses[0].state.waiting.message, /pull access denied, repository does not exist/);
  c.advanceSync(10_000);
  assert.deepEqual(status(c, "bad").containerStatuses[0].state.waiting, { message: 'Back-off pulling image "example/nope:1"', reason: "ImagePullBackOff" });
  assert.equal(status(c, "bad").phase, "Pending");
  const ev = events(c, "bad");
  assert.ok(ev.includes("Failed: Error: ErrImagePull"));
  assert.ok(ev.includes('BackOff: Back-off pulling image "example/nope:1"'));
});

test("graceful deletion: Killing, preStop, SIGTERM ignored by PID 1, SIGKILL at the end of the grace period, then the pod goes", () => {
  const c = cluster();
  c.applySync(
    pod(
      "p",
      "terminationGracePeriodSeconds: 20\ncontainers:\n- name: app\n  image: busybox\n  command: ['sh', '-c', 'sleep 3600']\n  volumeMounts: [{name: h, mountPath: /h}]\n  lifecycle:\n    preStop:\n      exec: {command: ['sh', '-c', 'echo bye > /h/bye']}\nvolumes:\n- name: h\n  hostPath: {path: /var/p, type: DirectoryOrCreate}",
    ),
  );
  c.advanceSync(5000);
  c.api.delete("Pod", "default", "p");
  c.advanceSync(19_000);
  assert.ok(c.get("Pod", "p"), "still terminating");
  c.advanceSync(2000);
  assert.equal(c.get("Pod", "p"), undefined);
  assert.ok(events(c, "p").includes("Killing: Stopping container app"));
  assert.equal(runOnNode(c.ctx, "node1", "cat /var/p/bye").stdout, "bye\n");
});

test("a container that handles SIGTERM ends at once; a force delete removes the pod and stops its containers", () => {
  const c = cluster();
  c.applySync(pod("t", "containers:\n- name: app\n  image: busybox\n  command: ['sh', '-c', 'trap \"exit 0\" TERM; while true; do sleep 1; done']"));
  c.advanceSync(3000);
  c.api.delete("Pod", "default", "t");
  c.advanceSync(2000);
  assert.equal(c.get("Pod", "t"), undefined);
  c.applySync(pod("f", "containers:\n- name: app\n  image: busybox\n  command: ['sleep', '3600']"));
  c.advanceSync(3000);
  const uid = c.get("Pod", "f")!.metadata.uid!;
  c.api.delete("Pod", "default", "f", { gracePeriodSeconds: 0 });
  c.advanceSync(3000);
  const k = kubelets(c.ctx).get("node1")!;
  assert.equal(c.get("Pod", "f"), undefined);
  assert.equal(k.runtime.instances(uid).length, 0);
});

test("restartPolicy OnFailure: exit 0 ends Succeeded; Never: a failing container ends Failed", () => {
  const c = cluster();
  c.applySync(pod("ok", "restartPolicy: OnFailure\ncontainers:\n- name: app\n  image: busybox\n  command: ['sh', '-c', 'echo done']"));
  c.applySync(pod("ko", "restartPolicy: Never\ncontainers:\n- name: app\n  image: busybox\n  command: ['sh', '-c', 'exit 4']"));
  c.advanceSync(10_000);
  assert.equal(status(c, "ok").phase, "Succeeded");
  assert.equal(status(c, "ok").containerStatuses[0].state.terminated.reason, "Completed");
  assert.equal(status(c, "ko").phase, "Failed");
  assert.equal(status(c, "ko").containerStatuses[0].state.terminated.exitCode, 4);
  const ready = status(c, "ok").conditions.find((x: any) => x.type === "PodReadyToStartContainers");
  assert.equal(ready.status, "False", "the sandbox of a finished pod is gone");
});

test("admission: a pod bound to a node without room is rejected OutOfcpu", () => {
  const c = cluster();
  c.applySync(pod("big", "nodeName: node1\ncontainers:\n- name: app\n  image: busybox\n  resources: {requests: {cpu: '8'}}"));
  c.advanceSync(1000);
  const s = status(c, "big");
  assert.equal(s.phase, "Failed");
  assert.equal(s.reason, "OutOfcpu");
  assert.equal(s.message, "Pod was rejected: Node didn't have enough resource: cpu, requested: 8000, used: 0, capacity: 4000");
  assert.ok(events(c, "big").includes("OutOfcpu: Node didn't have enough resource: cpu, requested: 8000, used: 0, capacity: 4000"));
});

test("admission: a pod with a sysctl that is neither safe nor allowed is rejected SysctlForbidden; --allowed-unsafe-sysctls admits it", () => {
  const c = cluster();
  const spec = () =>
    `securityContext:\n  sysctls:\n  - {name: kernel.shm_rmid_forced, value: "0"}\n  - {name: net.core.somaxconn, value: "1024"}\ncontainers:\n- name: app\n  image: busybox:1.36\n  command: ['sleep', '3600']`;
  c.applySync(pod("unsafe", spec()));
  c.advanceSync(3000);
  const s = status(c, "unsafe");
  assert.equal(s.phase, "Failed");
  assert.equal(s.reason, "SysctlForbidden");
  assert.equal(s.message, 'Pod was rejected: forbidden sysctl: "net.core.somaxconn" not allowlisted');
  assert.deepEqual(events(c, "unsafe"), ['SysctlForbidden: forbidden sysctl: "net.core.somaxconn" not allowlisted']);
  // Only safe sysctls: admitted and running.
  c.applySync(pod("safe", "securityContext:\n  sysctls:\n  - {name: net.ipv4.tcp_rmem, value: '4096 87380 6291456'}\ncontainers:\n- name: app\n  image: busybox:1.36\n  command: ['sleep', '3600']"));
  c.advanceSync(3000);
  assert.equal(status(c, "safe").phase, "Running");
  // The node's kubelet allowing net.core.* admits the pod the default refused.
  kubelets(c.ctx).get("node1")!.setAllowedUnsafeSysctls(["net.core.*"]);
  c.applySync(pod("allowed", spec()));
  c.advanceSync(3000);
  assert.equal(status(c, "allowed").phase, "Running");
  // A pattern the kubelet cannot take is its start-up error (NewAllowlist).
  assert.throws(() => kubelets(c.ctx).get("node1")!.setAllowedUnsafeSysctls(["vm.*"]), { message: 'the sysctls "vm." are not known to be namespaced' });
  assert.throws(() => kubelets(c.ctx).get("node1")!.setAllowedUnsafeSysctls(["net.*.foo"]), /^Error: sysctl "net\.\*\.foo" must have at most 253 characters/);
  // The list stays as it was: net.core.* still allowed.
  c.applySync(pod("again", spec()));
  c.advanceSync(3000);
  assert.equal(status(c, "again").phase, "Running");
});

test("volumes: a hostPath of type Directory that is missing fails to mount; configMap, secret and downwardAPI are files", () => {
  const c = cluster();
  c.applySync(pod("hp", "containers:\n- name: app\n  image: busybox\n  volumeMounts: [{name: d, mountPath: /d}]\nvolumes:\n- name: d\n  hostPath: {path: /nothing, type: Directory}"));
  c.advanceSync(2000);
  assert.equal(status(c, "hp").containerStatuses[0].state.waiting.reason, "ContainerCreating");
  const fm = c.api.list("Event").find((e) => e.reason === "FailedMount")!;
  assert.equal(fm.message, 'MountVolume.SetUp failed for volume "d" : hostPath type check failed: /nothing is not a directory');
  c.applySync(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {greeting: hello}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: sec}\ndata: {password: czNjcjN0}\n`);
  c.applySync(
    pod(
      "vol",
      "containers:\n- name: app\n  image: busybox\n  command: ['sleep', '3600']\n  env: [{name: G, valueFrom: {configMapKeyRef: {name: cfg, key: greeting}}}]\n  volumeMounts: [{name: c, mountPath: /etc/cfg}, {name: s, mountPath: /etc/sec}, {name: info, mountPath: /etc/info}]\nvolumes:\n- name: c\n  configMap: {name: cfg}\n- name: s\n  secret: {secretName: sec}\n- name: info\n  downwardAPI:\n    items: [{path: name, fieldRef: {fieldPath: metadata.name}}]",
    ),
  );
  c.advanceSync(3000);
  const r = c.kubectlSync(["exec", "vol", "--", "sh", "-c", "cat /etc/cfg/greeting /etc/sec/password /etc/info/name; echo; echo $G; touch /etc/cfg/x"]);
  assert.equal(r.stdout, "hellos3cr3tvol\nhello\n");
  assert.equal(r.stderr, "touch: /etc/cfg/x: Read-only file system\ncommand terminated with exit code 1\n");
});

test("kubectl logs: --previous after a restart, the errors of kubectl and the API server", () => {
  const c = cluster();
  c.applySync(pod("l", "containers:\n- name: app\n  image: busybox\n  command: ['sh', '-c', 'echo run; sleep 5; exit 1']\n- name: side\n  image: busybox\n  command: ['sleep', '3600']"));
  c.advanceSync(9000);
  assert.equal(c.kubectlSync("logs l --previous").stdout, "run\n");
  assert.equal(c.kubectlSync("logs l").stderr, 'Defaulted container "app" out of: app, side\n');
  assert.equal(c.kubectlSync("logs l -c side --previous").stderr, 'Error from server (BadRequest): previous terminated container "side" in pod "l" not found\n');
  // kubectl checks the container and reads the pod itself (as the real kubectl v1.32 prints it, src/kubectl/testdata/logs.yaml).
  assert.equal(c.kubectlSync("logs l -c nope").stderr, "error: container nope is not valid for pod l\n");
  assert.equal(c.kubectlSync("logs ghost").stderr, 'error: error from server (NotFound): pods "ghost" not found in namespace "default"\n');
});

test("init containers run one at a time; a sidecar keeps running beside the app", () => {
  const c = cluster();
  c.applySync(
    pod(
      "s",
      "initContainers:\n- name: one\n  image: busybox\n  command: ['sh', '-c', 'sleep 3']\n- name: side\n  image: busybox\n  restartPolicy: Always\n  command: ['sleep', '3600']\ncontainers:\n- name: app\n  image: busybox\n  command: ['sleep', '3600']",
    ),
  );
  c.advanceSync(2500);
  let s = status(c, "s");
  assert.ok(s.initContainerStatuses[0].state.running);
  assert.equal(s.initContainerStatuses[1].state.waiting.reason, "PodInitializing");
  assert.equal(s.containerStatuses[0].state.waiting.reason, "PodInitializing");
  c.advanceSync(10_000);
  s = status(c, "s");
  assert.equal(s.phase, "Running");
  assert.equal(s.initContainerStatuses[0].state.terminated.reason, "Completed");
  assert.ok(s.initContainerStatuses[1].state.running);
  assert.equal(s.initContainerStatuses[1].started, true);
  assert.ok(s.containerStatuses[0].state.running);
  assert.equal(s.conditions.find((x: any) => x.type === "Ready").status, "True");
});

test("activeDeadlineSeconds kills the pod and fails it with DeadlineExceeded", () => {
  const c = cluster();
  c.applySync(pod("d", "activeDeadlineSeconds: 10\ncontainers:\n- name: app\n  image: busybox\n  command: ['sleep', '3600']"));
  c.advanceSync(11_000);
  const s = status(c, "d");
  assert.equal(s.phase, "Failed");
  assert.equal(s.reason, "DeadlineExceeded");
  assert.equal(s.message, "Pod was active on the node longer than the specified deadline");
  assert.ok(events(c, "d").includes("Killing: Stopping container app"));
});

test("a stopped kubelet runs nothing; when it comes back its containers start again with restartCount + 1", () => {
  const c = cluster();
  c.applySync(pod("n", "containers:\n- name: app\n  image: busybox\n  command: ['sh', '-c', 'while true; do echo tick; sleep 1; done']"));
  c.advanceSync(3000);
  const k = kubelets(c.ctx).get("node1")!;
  const uid = c.get("Pod", "n")!.metadata.uid!;
  k.stop();
  assert.equal(k.runtime.running().length, 0);
  c.advanceSync(10_000);
  k.start();
  c.advanceSync(5000);
  const s = status(c, "n");
  assert.equal(s.containerStatuses[0].restartCount, 1);
  assert.ok(s.containerStatuses[0].state.running);
  assert.equal(k.runtime.instances(uid)[0]!.state, "running");
});

test("a postStart hook runs in the container; a failing one kills it with FailedPostStartHook", () => {
  const c = cluster();
  c.applySync(pod("ps", "containers:\n- name: app\n  image: busybox:1.28\n  command: ['sleep', '3600']\n  lifecycle:\n    postStart:\n      exec: {command: ['sh', '-c', 'echo hello > /tmp/started']}"));
  c.advanceSync(3000);
  assert.equal(c.kubectlSync("exec ps -- cat /tmp/started").stdout, "hello\n");
  c.applySync(pod("pf", "containers:\n- name: app\n  image: busybox:1.28\n  command: ['sleep', '3600']\n  lifecycle:\n    postStart:\n      exec: {command: ['sh', '-c', 'exit 1']}"));
  c.advanceSync(5000);
  const ev = events(c, "pf");
  assert.ok(ev.includes("FailedPostStartHook: PostStartHook failed"));
  assert.ok(ev.includes("Killing: FailedPostStartHook"));
  // sleep as PID 1 ignores SIGTERM: it dies at the end of the 30 s grace period, then restarts.
  c.advanceSync(40_000);
  assert.equal(status(c, "pf").containerStatuses[0].lastState.terminated.exitCode, 137);
});

test("podsDifferSemantically's shortcut (issue #19): when sameButStatus says the pods share every value, the views without status and resourceVersion are JSON-equal, key order included", () => {
  const pick = <T>(r: () => number, xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  let seed = 7;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const spec = { containers: [{ name: "app", image: "busybox" }] };
  const labels = { app: "x" };
  let yes = 0;
  let no = 0;
  for (let n = 0; n < 4000; n++) {
    const meta: Record<string, unknown> = { name: "p", namespace: "default", uid: "u1", resourceVersion: "5", labels };
    const a: Record<string, unknown> = { apiVersion: "v1", kind: "Pod", metadata: meta, spec, status: { phase: "Running" } };
    const b: Record<string, unknown> = { ...a };
    const bm: Record<string, unknown> = pick(r, [true, false]) ? meta : { ...meta };
    b.metadata = bm;
    for (let k = 0; k < 3; k++) {
      switch (pick(r, ["status", "rv", "reorder", "reorderMeta", "undef", "undefMeta", "copy", "copyMeta", "change", "drop", "fn", "none"])) {
        case "status":
          b.status = { phase: "Failed" };
          break;
        case "rv":
          b.metadata = { ...(b.metadata as object), resourceVersion: "6" };
          break;
        case "reorder": {
          const { kind, ...rest } = b;
          for (const key of Object.keys(b)) delete b[key];
          Object.assign(b, rest, { kind });
          break;
        }
        case "reorderMeta": {
          const { name, ...rest } = b.metadata as Record<string, unknown>;
          b.metadata = { ...rest, name };
          break;
        }
        case "undef":
          b.extra = undefined;
          break;
        case "undefMeta":
          b.metadata = { ...(b.metadata as object), generateName: undefined };
          break;
        case "copy":
          b.spec = JSON.parse(JSON.stringify(spec));
          break;
        case "copyMeta":
          b.metadata = { ...(b.metadata as object), labels: { ...labels } };
          break;
        case "change":
          b.metadata = { ...(b.metadata as object), labels: { app: "y" } };
          break;
        case "drop":
          delete b.apiVersion;
          break;
        case "fn":
          b.fn = () => 1;
          break;
      }
    }
    const view = (p: Record<string, unknown>) => JSON.stringify(withoutStatus(p as never));
    if (sameButStatus(a as never, b as never)) {
      yes++;
      assert.equal(view(a), view(b), JSON.stringify(b));
    } else no++;
  }
  assert.ok(yes > 500 && no > 500, `${yes} / ${no}`);
});

test("a node's /etc/hostname and /etc/machine-id, the machine ID its status reports (a hostPath of type File can mount it)", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }, { name: "node2" }]);
  const fs1 = kubelets(c.ctx).get("node1")!.nodeFs;
  const fs2 = kubelets(c.ctx).get("node2")!.nodeFs;
  assert.equal(fs1.readFile("/etc/hostname"), "node1\n");
  const id = c.api.get("Node", undefined, "node1")!.status.nodeInfo.machineID;
  assert.match(id, /^[0-9a-f]{32}$/);
  assert.equal(fs1.readFile("/etc/machine-id"), `${id}\n`);
  assert.notEqual(fs2.readFile("/etc/machine-id"), fs1.readFile("/etc/machine-id"));
});

test("a container with only a startup probe is started, then ready, at its first success (SetContainerStartup)", () => {
  const c = cluster();
  c.applySync(pod("web", "containers:\n- name: web\n  image: nginx:1.27\n  startupProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}"));
  c.advanceSync(20_000);
  const cs = status(c, "web")?.containerStatuses?.[0];
  assert.equal(cs?.started, true);
  assert.equal(cs?.ready, true);
  assert.equal(status(c, "web")?.conditions?.find((x: { type: string }) => x.type === "Ready")?.status, "True");
});
