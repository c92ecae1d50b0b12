import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { KubectlError } from "../command.ts";
import { byLogging, parseGoDuration } from "./logs.ts";
import { Cluster } from "../../cluster.ts";

test("parseGoDuration: time.ParseDuration's values and errors", () => {
  assert.equal(parseGoDuration("0", "since"), 0);
  assert.equal(parseGoDuration("1h30m", "since"), 5_400_000);
  assert.equal(parseGoDuration("1.5s", "since"), 1500);
  assert.equal(parseGoDuration("-5s", "since"), -5000);
  assert.equal(parseGoDuration("300ms", "since"), 300);
  const err = (text: string, why: string) =>
    assert.throws(() => parseGoDuration(text, "since"), (e: unknown) => e instanceof KubectlError && e.message.startsWith(`Error: invalid argument "${text}" for "--since" flag: time: ${why}`));
  err("5x", 'unknown unit "x" in duration "5x"');
  err("5", 'missing unit in duration "5"');
  err("abc", 'invalid duration "abc"');
  err("", 'invalid duration ""');
});

const pod = (name: string, over: { node?: string; phase?: string; ready?: string; restarts?: number; created?: string }): KObject =>
  ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, creationTimestamp: over.created ?? "2024-01-08T00:00:00Z" },
    spec: { nodeName: over.node ?? "n1" },
    status: {
      phase: over.phase ?? "Running",
      conditions: over.ready ? [{ type: "Ready", status: "True", lastTransitionTime: over.ready }] : [],
      containerStatuses: [{ name: "c", restartCount: over.restarts ?? 0 }],
    },
  }) as unknown as KObject;

test("byLogging: scheduled, running, ready (longer first), more restarts, older first", () => {
  const names = (pods: KObject[]) => pods.sort(byLogging).map((p) => p.metadata.name);
  assert.deepEqual(names([pod("unscheduled", { node: "" }), pod("scheduled", {})]), ["scheduled", "unscheduled"]);
  assert.deepEqual(names([pod("pending", { phase: "Pending" }), pod("running", {})]), ["running", "pending"]);
  assert.deepEqual(names([pod("notready", {}), pod("ready", { ready: "2024-01-08T00:01:00Z" })]), ["ready", "notready"]);
  assert.deepEqual(names([pod("late", { ready: "2024-01-08T00:05:00Z" }), pod("early", { ready: "2024-01-08T00:01:00Z" })]), ["early", "late"]);
  assert.deepEqual(names([pod("calm", {}), pod("crashy", { restarts: 3 })]), ["crashy", "calm"]);
  assert.deepEqual(names([pod("young", { created: "2024-01-08T00:05:00Z" }), pod("old", {})]), ["old", "young"]);
});


test("kubectl logs TYPE/NAME reads a pod the object selects; several pods: it says which", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(`apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        command: ["sh", "-c", "echo hello from the job"]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: busybox
        command: ["sh", "-c", "echo up; sleep 3600"]
`);
  await c.advance("10s");
  assert.equal((await c.kubectl("logs job/hello")).stdout, "hello from the job\n");
  const web = await c.kubectl("logs deployment/web");
  assert.equal(web.stdout, "up\n");
  assert.match(web.stderr, /^Found 2 pods, using pod\/web-[a-z0-9]+-[a-z0-9]{5}\n$/);
  const bad = await c.kubectl("logs cronjob/x");
  assert.equal(bad.stderr, 'error: error from server (NotFound): cronjobs.batch "x" not found in namespace "default"\n');
  const missing = await c.kubectl("logs job/nope");
  assert.match(missing.stderr, /jobs.batch "nope" not found/);
  await c.close();
});
