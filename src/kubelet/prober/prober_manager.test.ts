import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import type { KObject } from "../../api/types.ts";
import { toRFC3339 } from "../../sim/clock.ts";
import type { ProcessIO } from "../../runtime/types.ts";
import { clusterNetwork } from "../../network/network.ts";
import { AppProcess } from "../../images/apps/model.ts";
import { kubetmAppSpec } from "../../images/apps/kubetm-app.ts";
import { ProberManager } from "./prober_manager.ts";

/** A stand-in for the kubelet: holds the pod's status, and re-generates it through the manager. */
function setup(podSpec: any, name = "pod-liveness-httpget1") {
  const c = new Cluster();
  const withImages = (cs: any[] | undefined) => cs?.map((x) => ({ image: "kubetm/app", ...x }));
  const spec = { ...podSpec, containers: withImages(podSpec.containers), ...(podSpec.initContainers ? { initContainers: withImages(podSpec.initContainers) } : {}) };
  c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { nodeName: "k8s-node1", ...spec } });
  const pod: KObject = c.api.mutate("Pod", "default", name, (p) => (p.status = { phase: "Pending", podIP: "10.244.1.5" }), { subresource: "status" });
  const statuses = new Map<string, any>();
  const m = new ProberManager(c.ctx, {
    nodeName: "k8s-node1",
    getPodStatus: (uid) => statuses.get(uid),
    execInContainer: () => new Error("no exec in this test"),
  });
  let status: any = { phase: "Pending", podIP: "10.244.1.5", containerStatuses: [] };
  let app: AppProcess | undefined;
  let restarts = 0;
  // As the kubelet's status manager does (issue #19): wakePod before the status changes, statusChanged after.
  const sync = () => {
    const s = structuredClone(status);
    m.updatePodStatus(pod, s);
    m.wakePod(pod.metadata.uid!);
    statuses.set(pod.metadata.uid!, s);
    m.statusChanged(pod.metadata.uid!);
    status = s;
  };
  const startContainer = () => {
    const cname = pod.spec.containers[0].name;
    app = new AppProcess(kubetmAppSpec(), { clock: c.clock, hostname: name } as unknown as ProcessIO);
    app.start(() => {});
    clusterNetwork(c.ctx).attach(pod, cname, "10.244.1.5", app);
    status = {
      phase: "Running",
      podIP: "10.244.1.5",
      containerStatuses: [{ name: cname, containerID: `containerd://c${restarts}`, restartCount: restarts, ready: false, started: false, state: { running: { startedAt: toRFC3339(c.clock.now()) } } }],
    };
    sync();
  };
  return { c, m, pod, sync, startContainer, status: () => status, app: () => app!, restart: () => (restarts++, startContainer()) };
}

const livenessPod = {
  containers: [
    {
      name: "liveness",
      image: "kubetm/app",
      ports: [{ containerPort: 8080 }],
      livenessProbe: { httpGet: { path: "/health", port: 8080 }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 },
    },
  ],
};

test("addPod creates one worker per container and probe type; removePod stops them", () => {
  const t = setup({
    containers: [{ name: "a", readinessProbe: { tcpSocket: { port: 1 } }, livenessProbe: { tcpSocket: { port: 1 } } }, { name: "b" }],
    initContainers: [{ name: "sidecar", restartPolicy: "Always", startupProbe: { tcpSocket: { port: 1 } } }, { name: "init" }],
  });
  t.m.addPod(t.pod);
  t.m.addPod(t.pod);
  assert.equal(t.m.workerCount, 3);
  assert.ok(t.m.getWorker(t.pod.metadata.uid!, "sidecar", "Startup"));
  assert.equal(t.m.getWorker(t.pod.metadata.uid!, "init", "Readiness"), undefined);
  t.m.stopLivenessAndStartup(t.pod);
  assert.equal(t.m.workerCount, 1);
  t.m.removePod(t.pod);
  assert.equal(t.m.workerCount, 0);
});

test("updatePodStatus: no probes → started and ready; readiness pending → not ready and probed at once", () => {
  const plain = setup({ containers: [{ name: "c" }] });
  plain.m.addPod(plain.pod);
  plain.startContainer();
  assert.equal(plain.status().containerStatuses[0].started, true);
  assert.equal(plain.status().containerStatuses[0].ready, true);

  const r = setup({ containers: [{ name: "c", ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: "/health", port: 8080 }, periodSeconds: 10 } }] });
  r.m.addPod(r.pod);
  r.c.clock.advance(4_000);
  r.startContainer();
  assert.equal(r.status().containerStatuses[0].ready, false);
  const w = r.m.getWorker(r.pod.metadata.uid!, "c", "Readiness")!;
  r.c.clock.advance(10);
  assert.equal(w.runs, 1, "the manual trigger probed right after the start");
  // The app serves 10 s after its start (t=14 s); ticks at 10 s, 20 s from the worker's creation.
  r.c.clock.advance(15_990);
  assert.equal(w.runs, 3);
  assert.equal(r.m.readinessManager.get("containerd://c0"), "Success");
  r.sync();
  assert.equal(r.status().containerStatuses[0].ready, true);
});

test("startup probe gates readiness and liveness; started once it succeeds", () => {
  const t = setup({
    containers: [
      {
        name: "c",
        ports: [{ containerPort: 8080 }],
        startupProbe: { httpGet: { path: "/health", port: 8080 }, periodSeconds: 5, failureThreshold: 30 },
        livenessProbe: { httpGet: { path: "/health", port: 8080 } },
      },
    ],
  });
  t.m.addPod(t.pod);
  t.startContainer();
  assert.equal(t.status().containerStatuses[0].started, false);
  const live = t.m.getWorker(t.pod.metadata.uid!, "c", "Liveness")!;
  t.c.clock.advance(9_000);
  assert.equal(live.runs, 0, "liveness waits for started");
  t.c.clock.advance(1_010); // the startup tick at 10 s finds the app serving
  assert.equal(t.m.startupManager.get("containerd://c0"), "Success");
  t.sync();
  assert.equal(t.status().containerStatuses[0].started, true);
  t.c.clock.advance(10_000);
  assert.equal(live.runs, 1);
});

test("the course's liveness example: /status500 → failures at the next three ticks → kill reason", () => {
  const t = setup({ ...livenessPod, restartPolicy: "Always" });
  const admitted = t.c.clock.now();
  t.m.addPod(t.pod);
  t.c.clock.advance(2_000);
  t.startContainer(); // container started 2 s after admission; the app serves from 12 s
  t.c.clock.advance(30_000); // ticks at 10 s (fails: refused — not yet serving), 20 s, 30 s (succeed)
  const cs = () => t.status().containerStatuses[0];
  assert.equal(t.m.killReason(t.pod, cs()), undefined, "one refused probe is below the threshold");
  t.app().handle({ method: "GET", path: "/status500", port: 8080, headers: {} });
  t.c.clock.advance(20_000); // 40 s, 50 s: two failures
  assert.equal(t.m.killReason(t.pod, cs()), undefined);
  t.c.clock.advance(10_000); // 60 s: the third
  assert.equal(t.m.killReason(t.pod, cs()), "Container liveness failed liveness probe, will be restarted");
  const events = t.c.api.list("Event").map((e) => `${(Date.parse(e.lastTimestamp) - admitted) / 1000}s x${e.count} ${e.message}`);
  assert.deepEqual(events, [
    '10s x1 Liveness probe failed: Get "http://10.244.1.5:8080/health": dial tcp 10.244.1.5:8080: connect: connection refused',
    "60s x3 Liveness probe failed: HTTP probe failed with statuscode: 500",
  ]);
  // On hold until the new container: no more probes of the killed one.
  const w = t.m.getWorker(t.pod.metadata.uid!, "liveness", "Liveness")!;
  const runs = w.runs;
  t.c.clock.advance(30_000);
  assert.equal(w.runs, runs);
  t.restart(); // a new container ID lifts the hold; initial value Success
  assert.equal(t.m.killReason(t.pod, t.status().containerStatuses[0]), undefined);
  t.c.clock.advance(10_000);
  assert.equal(w.onHold, false);
});

test("killReason wording: startup failure, restartPolicy Never, sidecars", () => {
  const t = setup({ ...livenessPod, restartPolicy: "Never" });
  const cs = { name: "liveness", containerID: "containerd://x", state: { running: {} } };
  t.m.livenessManager.set("containerd://x", "Failure", t.pod.metadata.uid!);
  assert.equal(t.m.killReason(t.pod, cs), "Container liveness failed liveness probe");
  t.m.livenessManager.set("containerd://x", "Success", t.pod.metadata.uid!);
  t.m.startupManager.set("containerd://x", "Failure", t.pod.metadata.uid!);
  assert.equal(t.m.killReason(t.pod, cs), "Container liveness failed startup probe");
  const s = setup({ containers: [{ name: "main" }], initContainers: [{ name: "side", restartPolicy: "Always" }] });
  s.m.livenessManager.set("containerd://y", "Failure", s.pod.metadata.uid!);
  assert.equal(s.m.killReason(s.pod, { name: "side", containerID: "containerd://y", state: { running: {} } }), "Init container side failed liveness probe, will be restarted");
});
