import { test } from "node:test";
import assert from "node:assert/strict";
import { deploymentRolloutStatus, parseGoDurationFlag } from "./rollout.ts";
import { Cluster } from "../../cluster.ts";
import type { KObject } from "../../api/types.ts";

const d = (status: any, spec: any = { replicas: 3 }, generation = 2): KObject => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", generation }, spec, status });

// rollout_status_test.go TestDeploymentStatusViewerStatus.
test("DeploymentStatusViewer", () => {
  const cases: Array<[any, string, boolean]> = [
    [{ observedGeneration: 1 }, "Waiting for deployment spec update to be observed...", false],
    [{ observedGeneration: 2, replicas: 1, updatedReplicas: 0, availableReplicas: 1 }, 'Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...', false],
    [{ observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }, 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...', false],
    [{ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 1 }, 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...', false],
    [{ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, 'deployment "web" successfully rolled out', true],
  ];
  for (const [status, text, done] of cases) assert.deepEqual(deploymentRolloutStatus(d(status)), { text, done });
  assert.throws(
    () => deploymentRolloutStatus(d({ observedGeneration: 2, conditions: [{ type: "Progressing", reason: "ProgressDeadlineExceeded" }] })),
    /deployment "web" exceeded its progress deadline/,
  );
});

test("Go durations for --timeout", () => {
  assert.equal(parseGoDurationFlag("0", "--timeout"), 0);
  assert.equal(parseGoDurationFlag("1m30s", "--timeout"), 90_000);
  assert.throws(() => parseGoDurationFlag("5x", "--timeout"), /invalid argument "5x" for "--timeout" flag: time: invalid duration "5x"/);
});

test("scale, history and undo against the simulated cluster", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: ${image}}]}
`;
  c.applySync(manifest("nginx:1.26"));
  c.advanceSync(10);
  assert.equal(c.kubectlSync("scale deployment web --replicas=4").stdout, "deployment.apps/web scaled\n");
  assert.equal(c.get("Deployment", "web")!.spec.replicas, 4);
  const bad = c.kubectlSync("scale deployment web");
  assert.equal(bad.stderr, "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n");
  const pre = c.kubectlSync("scale deployment web --current-replicas=2 --replicas=1");
  assert.equal(pre.stderr, "error: Expected replicas to be 2, was 4\n");
  c.applySync(manifest("nginx:1.27"));
  c.advanceSync(10);
  const h = c.kubectlSync("rollout history deployment/web");
  assert.equal(h.stdout, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n");
  assert.equal(c.kubectlSync("rollout undo deployment/web").stdout, "deployment.apps/web rolled back\n");
  assert.equal(c.get("Deployment", "web")!.spec.template.spec.containers[0].image, "nginx:1.26");
  c.advanceSync(10);
  assert.equal(c.kubectlSync("rollout undo deployment web --to-revision=3").stdout, "deployment.apps/web skipped rollback (current template already matches revision 3)\n");
  assert.equal(c.kubectlSync("rollout undo deployment web --to-revision=9").stderr, "error: unable to find specified revision 9 in history\n");
});
