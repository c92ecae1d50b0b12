import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { checkPodEvent, checkPodEventsContain, parseEventLine, podEvents } from "./events.ts";
import { expect } from "./expect.ts";

const expectPodEvent = (...a: Parameters<typeof checkPodEvent>) => expect(checkPodEvent(...a));
const expectPodEventsContain = (...a: Parameters<typeof checkPodEventsContain>) => expect(checkPodEventsContain(...a));

function runningPod(namespace = "default"): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  if (namespace !== "default") c.kubectlSync(["create", "namespace", namespace]);
  c.applySync(`apiVersion: v1
kind: Pod
metadata: {name: web, namespace: ${namespace}}
spec:
  containers: [{name: nginx, image: nginx}]
`);
  c.advanceSync("30s");
  return c;
}

test("podEvents lists the pod's events as describe does: scheduling first, then the kubelet's", () => {
  const c = runningPod();
  assert.deepEqual(podEvents(c.ctx, "web").map((e) => e.reason), ["Scheduled", "Pulling", "Pulled", "Created", "Started"]);
});

test("checkPodEvent finds a reason, and fails listing the events it has", () => {
  const c = runningPod();
  expectPodEvent(c.ctx, "web", "Started");
  assert.throws(() => expectPodEvent(c.ctx, "web", "Killing"), /pod "web" has no event "Killing".*\n {2}Normal Scheduled Successfully assigned default\/web to k8s-node1/s);
});

test("expected events match in order, as a subsequence, with any whitespace between words", () => {
  const c = runningPod();
  expectPodEventsContain(c.ctx, "web", 'Normal   Pulling   Pulling image "nginx"\n\nNormal Started Started container nginx\n');
  expectPodEventsContain(c.ctx, "web", "Normal Scheduled Successfully assigned default/web to k8s-node1");
});

test("a message must match in full, the type too, and the order counts", () => {
  const c = runningPod();
  assert.throws(() => expectPodEventsContain(c.ctx, "web", "Normal Pulling Pulling image"), /do not contain:\n {2}Normal Pulling Pulling image\nevents with reason Pulling say:\n {2}Normal Pulling Pulling image "nginx"/);
  assert.throws(() => expectPodEventsContain(c.ctx, "web", 'Warning Pulling Pulling image "nginx"'), /do not contain/);
  assert.throws(
    () => expectPodEventsContain(c.ctx, "web", 'Normal Started Started container nginx\nNormal Pulling Pulling image "nginx"'),
    /do not contain, after the 1 matched before it,:\n {2}Normal Pulling Pulling image "nginx"\nit is there, but not after the events matched before it/,
  );
  assert.throws(() => expectPodEventsContain(c.ctx, "web", "Started container nginx"), /starts with its type, Normal or Warning/);
  assert.throws(() => expectPodEventsContain(c.ctx, "web", "\n \n"), /list the expected events/);
});

test("events are looked up in the pod's namespace", () => {
  const c = runningPod("team-a");
  expectPodEventsContain(c.ctx, "web", "Normal Scheduled Successfully assigned team-a/web to k8s-node1", "team-a");
  assert.throws(() => expectPodEvent(c.ctx, "web", "Scheduled"), /has no event "Scheduled"/);
});

test("parseEventLine splits type, reason and the message with whitespace collapsed", () => {
  assert.deepEqual(parseEventLine("  Warning  BackOff   Back-off   restarting failed container "), { type: "Warning", reason: "BackOff", message: "Back-off restarting failed container" });
});
