import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { describeProbe, explainPod, withExplanation } from "./explain.ts";
import { expect } from "../assert/expect.ts";
import { checkPodPhase } from "../assert/pods.ts";

const expectPodPhase = (v: Parameters<typeof checkPodPhase>[0], pod: string, phase: string) => expect(checkPodPhase(v, pod, phase));

function cluster(nodes = [{ name: "k8s-node1" }]): Cluster {
  const c = new Cluster();
  c.addNodesFromTable(nodes);
  return c;
}

const readinessPod = `apiVersion: v1
kind: Pod
metadata:
  name: ready1
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "sleep 3600"]
    readinessProbe:
      exec:
        command: ["cat", "/tmp/ready.txt"]
      initialDelaySeconds: 5
      periodSeconds: 10
      successThreshold: 3
`;

test("describeProbe fills in the API server's defaults", () => {
  assert.equal(
    describeProbe("readiness", { exec: { command: ["cat", "/readiness/ready.txt"] }, initialDelaySeconds: 5, successThreshold: 3 }),
    "readiness probe exec [cat /readiness/ready.txt] every 10s after 5s delay, timeout 1s, successThreshold 3, failureThreshold 3",
  );
  assert.equal(describeProbe("liveness", { httpGet: { path: "/health", port: 8080 } }), "liveness probe httpGet http://:8080/health every 10s after 0s delay, timeout 1s, successThreshold 1, failureThreshold 3");
});

test("a pod that never becomes Ready: its readiness probe, the failures counted from Unhealthy events", () => {
  const c = cluster();
  c.applySync(readinessPod);
  c.advanceSync("60s");
  const text = explainPod(c.ctx, "ready1");
  assert.match(text, /is not Ready \(ContainersNotReady/);
  assert.match(text, /readiness probe exec \[cat \/tmp\/ready.txt\] every 10s after 5s delay, timeout 1s, successThreshold 3, failureThreshold 3: failed (\d+) time\(s\)/);
  const failures = Number(/failed (\d+) time\(s\)/.exec(text)![1]);
  assert.ok(failures >= 4, `expected several failures, got ${failures}`);
  assert.match(text, /Readiness probe failed/);
  assert.match(text, /Recent events/);
  assert.match(text, /Warning Unhealthy/);
  assert.match(text, /The pod as it stands:\napiVersion: v1/);
});

test("a Pending pod: the scheduler's per-node reasons", () => {
  const c = cluster();
  c.applySync(`apiVersion: v1
kind: Pod
metadata:
  name: picky
spec:
  nodeSelector:
    disk: ssd
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
`);
  c.advanceSync("5s");
  const text = explainPod(c.ctx, "picky");
  assert.match(text, /phase Pending/);
  assert.match(text, /Scheduling:\npod "picky" is not scheduled: Unschedulable/);
  assert.match(text, /\| k8s-node1 \| node\(s\) didn't match Pod's node affinity\/selector/);
});

test("a crashing container: restartCount, last termination and back-off", () => {
  const c = cluster();
  c.applySync(`apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "exit 1"]
`);
  c.advanceSync("45s");
  const text = explainPod(c.ctx, "crash");
  assert.match(text, /Restarts:\ncontainer "app": restartCount [1-9]/);
  assert.match(text, /last terminated: reason Error, exit code 1/);
  assert.match(text, /back-off \d+s restarting|a further crash would wait/);
});

test("a missing pod is named, with the pods that do exist", () => {
  const c = cluster();
  c.applySync(readinessPod);
  assert.equal(explainPod(c.ctx, "nope"), 'pod "nope" does not exist in namespace "default" (pods there: ready1)');
});

test("withExplanation appends the explanation once to a failing check and passes results through", () => {
  const c = cluster();
  c.applySync(readinessPod);
  c.advanceSync("20s");
  assert.equal(withExplanation(c.ctx, "ready1", () => 42), 42);
  assert.throws(
    () => withExplanation(c.ctx, "ready1", () => withExplanation(c.ctx, "ready1", () => expectPodPhase(c.ctx, "ready1", "Succeeded"))),
    (e: Error) => /is Running, not Succeeded/.test(e.message) && e.message.split("--- why ---").length === 2,
  );
});

test("a pod that became Ready: when, and because its readiness probe met successThreshold after the failures", () => {
  const c = cluster();
  c.applySync(readinessPod);
  c.advanceSync("40s");
  c.kubectlSync(["exec", "ready1", "--", "touch", "/tmp/ready.txt"]);
  c.advanceSync("60s");
  const text = explainPod(c.ctx, "ready1");
  assert.match(
    text,
    /pod "ready1" became Ready at \d+(\.\d)? s after the pod was created because container "app"'s readiness probe succeeded 3 time\(s\) in a row \(successThreshold 3 x periodSeconds 10, initialDelaySeconds 5\) after \d+ failure\(s\), the last at \d+/,
  );
});

test("summarizePod: the state in one line, the engine's reason, the last events, at most 15 lines", async () => {
  const { summarizePod, SUMMARY_LINES, withExplanation: explainWith, WHY_MARKER, DETAILS_MARKER } = await import("./explain.ts");
  const c = cluster();
  c.applySync(readinessPod);
  c.advanceSync("5m");
  const lines = summarizePod(c.ctx, "ready1").split("\n");
  assert.ok(lines.length <= SUMMARY_LINES, lines.join("\n"));
  assert.match(lines[0], /^pod "ready1": phase Running, on node "k8s-node1", not Ready \(ContainersNotReady\)/);
  assert.match(lines[1], /readiness probe failed \d+ time\(s\), last at .*Readiness probe failed/);
  assert.match(lines.join("\n"), /last events \(of \d+\):\n {2}at/);
  assert.equal(summarizePod(c.ctx, "nope"), 'pod "nope" does not exist in namespace "default" (pods there: ready1)');
  const err = (() => {
    try {
      explainWith(c.ctx, "ready1", () => expectPodPhase(c.ctx, "ready1", "Succeeded"));
    } catch (e) {
      return e as Error;
    }
    throw new Error("expected a failure");
  })();
  const [head, rest] = err.message.split(`\n\n${WHY_MARKER}\n`);
  assert.match(head, /^pod "ready1" is Running, not Succeeded/);
  const [why, details] = rest.split(`\n\n${DETAILS_MARKER}\n`);
  assert.ok(why.split("\n").length <= SUMMARY_LINES);
  assert.match(details, /The pod as it stands:\napiVersion: v1/);
});

test("a Korean feature's cluster explains in Korean; what Kubernetes says stays as Kubernetes says it", () => {
  const c = new Cluster({ language: "ko" });
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  c.applySync(readinessPod);
  c.advanceSync("60s");
  const text = explainPod(c.ctx, "ready1");
  assert.match(text, /^파드 "ready1": phase Running, 노드 "k8s-node1"/);
  assert.match(text, /파드 "ready1" 는 .*부터 Ready 가 아니다 \(ContainersNotReady/);
  assert.match(text, /readiness 프로브 exec \[cat \/tmp\/ready.txt\]: 5초 지연 뒤 10초마다, .*: (\d+)번 실패/);
  assert.match(text, /최근 이벤트 \(마지막 10개\):/);
  assert.match(text, /Warning Unhealthy: Readiness probe failed/);
  assert.match(text, /지금의 파드:\napiVersion: v1/);
  assert.equal(explainPod(c.ctx, "nope"), '네임스페이스 "default" 에 파드 "nope" 가 없다 (있는 파드: ready1)');
});

test("a pod waiting for an image says whether the name is unknown, the tag missing or the image declared absent", async () => {
  const c = cluster();
  const { imageRegistry } = await import("../images/registry.ts");
  imageRegistry(c.ctx).setExists("myorg/shop:2.0", false);
  const pod = (name: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: app\n    image: ${image}\n`;
  c.applySync(pod("typo", "ngnix") + "---\n" + pod("tag", "nginx:1.161") + "---\n" + pod("absent", "myorg/shop:2.0"));
  await c.advance("5s");
  const typo = explainPod(c.ctx, "typo");
  assert.match(typo, /Images:\ncontainer "app" is waiting \(ErrImagePull\) for the image "ngnix"\n {2}the image "ngnix" does not exist: a one-word name means Docker Hub's official image docker\.io\/library\/ngnix, and there is none of that name \(did you mean "nginx"\?\)/);
  assert.match(explainPod(c.ctx, "tag"), /the repository docker\.io\/library\/nginx exists but has no tag "1\.161" \(did you mean "1\.16\.1"\?\)/);
  assert.match(explainPod(c.ctx, "absent"), /the image "myorg\/shop:2\.0" does not exist because the scenario says so/);
  const err = (() => {
    try {
      withExplanation(c.ctx, "typo", () => expectPodPhase(c.ctx, "typo", "Running"));
    } catch (e) {
      return (e as Error).message;
    }
    return "";
  })();
  assert.match(err, /--- why ---[\s\S]*Images:[\s\S]*did you mean "nginx"/);
  await c.close();
});
