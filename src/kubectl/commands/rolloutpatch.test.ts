import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import type { KObject } from "../../api/types.ts";
import { objectPauser, objectRestarter, objectResumer, RESTARTED_AT_ANNOTATION } from "./rolloutpatch.ts";

const obj = (kind: string, spec: Record<string, unknown> = {}): KObject => ({ apiVersion: "apps/v1", kind, metadata: { name: "x" }, spec: { template: {}, ...spec } });
const NOW = "2024-01-08T00:00:00Z";

// objectpauser.go, objectresumer.go, objectrestarter.go: which kinds, which refusals.
test("the polymorphic pauser, resumer and restarter", () => {
  const cases: Array<[string, (o: KObject, now: string) => string | undefined, KObject, string | undefined]> = [
    ["pause a Deployment", objectPauser, obj("Deployment"), undefined],
    ["pause a paused Deployment", objectPauser, obj("Deployment", { paused: true }), "is already paused"],
    ["pause a DaemonSet", objectPauser, obj("DaemonSet"), "pausing is not supported"],
    ["resume a paused Deployment", objectResumer, obj("Deployment", { paused: true }), undefined],
    ["resume a running Deployment", objectResumer, obj("Deployment"), "is not paused"],
    ["resume a StatefulSet", objectResumer, obj("StatefulSet"), "resuming is not supported"],
    ["restart a Deployment", objectRestarter, obj("Deployment"), undefined],
    ["restart a paused Deployment", objectRestarter, obj("Deployment", { paused: true }), "can't restart paused deployment (run rollout resume first)"],
    ["restart a DaemonSet", objectRestarter, obj("DaemonSet"), undefined],
    ["restart a StatefulSet", objectRestarter, obj("StatefulSet"), undefined],
    ["restart a ReplicaSet", objectRestarter, obj("ReplicaSet"), "restarting is not supported"],
  ];
  for (const [name, fn, o, want] of cases) assert.equal(fn(o, NOW), want, name);
  const d = obj("Deployment");
  objectPauser(d, NOW);
  assert.equal(d.spec.paused, true);
  objectResumer(d, NOW);
  assert.equal(d.spec.paused, false);
  const ds = obj("DaemonSet", { template: { metadata: { annotations: { keep: "me" } } } });
  objectRestarter(ds, NOW);
  assert.deepEqual(ds.spec.template.metadata.annotations, { keep: "me", [RESTARTED_AT_ANNOTATION]: NOW });
});

const deployment = (name: string, labels = "") => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}${labels ? `, labels: {${labels}}` : ""}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: nginx:1.27}]}
`;

// rollout_pause_test.go, rollout_resume_test.go, rollout_restart_test.go (One, Error, SelectorNone, SelectorMany).
test("rollout pause, resume and restart against the simulated cluster", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(deployment("web", "app: test") + "---\n" + deployment("api", "app: test") + "---\n" + deployment("db"));
  assert.equal(c.kubectlSync("rollout pause deployment/web").stdout, "deployment.apps/web paused\n");
  assert.equal(c.get("Deployment", "web")!.spec.paused, true);
  const again = c.kubectlSync("rollout pause deployment web");
  assert.equal(again.stderr, 'error: deployments.apps "web" is already paused\n');
  assert.equal(again.exitCode, 1);
  assert.equal(c.kubectlSync("rollout resume deployment/web -o name").stdout, "deployment.apps/web\n");
  assert.equal(c.get("Deployment", "web")!.spec.paused, false);
  assert.equal(c.kubectlSync("rollout resume deployment/web").stderr, 'error: deployments.apps "web" is not paused\n');
  // One object failing does not stop the others (ContinueOnError), NotFound included.
  const mixed = c.kubectlSync("rollout pause deployment/api deployment/nope");
  assert.equal(mixed.stdout, "deployment.apps/api paused\n");
  assert.equal(mixed.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
  c.kubectlSync("rollout resume deployment/api");

  const restarted = c.kubectlSync("rollout restart deployment -l app=test");
  assert.equal(restarted.stdout, "deployment.apps/api restarted\ndeployment.apps/web restarted\n");
  const at = c.get("Deployment", "web")!.spec.template.metadata.annotations[RESTARTED_AT_ANNOTATION];
  assert.match(at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(c.get("Deployment", "db")!.spec.template.metadata.annotations, undefined);
  // The same second again: the template would not change, and kubectl refuses the empty patch.
  const twice = c.kubectlSync("rollout restart deployment/web");
  assert.equal(twice.stdout, "");
  assert.equal(twice.stderr, "error: failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another\n");
  c.advanceSync(1000);
  assert.equal(c.kubectlSync("rollout restart deployment/web").stdout, "deployment.apps/web restarted\n");
  assert.notEqual(c.get("Deployment", "web")!.spec.template.metadata.annotations[RESTARTED_AT_ANNOTATION], at);

  const none = c.kubectlSync("rollout restart deployment -l app=none");
  assert.equal(none.stdout, "");
  assert.equal(none.stderr, "No resources found in default namespace.\n");
  assert.equal(none.exitCode, 0);
  assert.equal(c.kubectlSync("rollout restart").stderr, "error: required resource not specified\n");
});
