import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { calculateScaleDownLimitWithBehaviors, calculateScaleUpLimit, calculateScaleUpLimitWithScalingRules, convertDesiredReplicasWithRules, getReplicasChangePerPeriod } from "./horizontal.ts";

// ---- the rate rules (horizontal_test.go: TestConvertDesiredReplicasWithRules, TestScalingWithRules) ----

test("calculateScaleUpLimit: max(2 × current, 4)", () => {
  assert.deepEqual([1, 2, 3, 7].map(calculateScaleUpLimit), [4, 4, 6, 14]);
});

test("convertDesiredReplicasWithRules: min, max and the scale-up limit with their reasons", () => {
  assert.deepEqual(convertDesiredReplicasWithRules(1, 7, 1, 10), { replicas: 4, reason: "ScaleUpLimit", message: "the desired replica count is increasing faster than the maximum scale rate" });
  assert.deepEqual(convertDesiredReplicasWithRules(4, 12, 1, 5), { replicas: 5, reason: "TooManyReplicas", message: "the desired replica count is more than the maximum replica count" });
  assert.deepEqual(convertDesiredReplicasWithRules(4, 1, 2, 10), { replicas: 2, reason: "TooFewReplicas", message: "the desired replica count is less than the minimum replica count" });
  assert.deepEqual(convertDesiredReplicasWithRules(4, 6, 1, 10), { replicas: 6, reason: "DesiredWithinRange", message: "the desired count is within the acceptable range" });
});

test("scaling policies: Pods and Percent per period, Max and Min select, Disabled", () => {
  const now = 100_000;
  const up = [{ replicaChange: 2, timestamp: now - 10_000, outdated: false }];
  const rules = { policies: [{ type: "Pods", value: 4, periodSeconds: 15 }, { type: "Percent", value: 100, periodSeconds: 15 }] };
  assert.equal(getReplicasChangePerPeriod(15, up, now), 2);
  // 5 now, 2 added in the period: it started at 3 → max(3 + 4, 3 × 2) = 7.
  assert.equal(calculateScaleUpLimitWithScalingRules(5, up, [], rules, now), 7);
  assert.equal(calculateScaleUpLimitWithScalingRules(5, up, [], { ...rules, selectPolicy: "Min" }, now), 6);
  assert.equal(calculateScaleUpLimitWithScalingRules(5, up, [], { ...rules, selectPolicy: "Disabled" }, now), 5);
  const down = { policies: [{ type: "Percent", value: 50, periodSeconds: 60 }, { type: "Pods", value: 1, periodSeconds: 60 }] };
  // Max selects the policy allowing the biggest change: 10 → 5 (50%) rather than 9.
  assert.equal(calculateScaleDownLimitWithBehaviors(10, [], [], down, now), 5);
  assert.equal(calculateScaleDownLimitWithBehaviors(10, [], [], { ...down, selectPolicy: "Min" }, now), 9);
});

// ---- the controller on the HPA walkthrough's php-apache ------------------------------------

const PHP_APACHE = `apiVersion: apps/v1
kind: Deployment
metadata: {name: php-apache}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: php-apache}}
  template:
    metadata: {labels: {app.kubernetes.io/name: php-apache}}
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        ports: [{containerPort: 80}]
        resources: {limits: {cpu: 500m}, requests: {cpu: 200m}}
---
apiVersion: v1
kind: Service
metadata: {name: php-apache}
spec:
  ports: [{port: 80}]
  selector: {app.kubernetes.io/name: php-apache}
`;
const HPA = (extra = "") => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: php-apache}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: php-apache}
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
${extra}`;
const LOAD = `apiVersion: v1
kind: Pod
metadata: {name: load-generator}
spec:
  restartPolicy: Never
  containers:
  - name: load-generator
    image: busybox:1.28
    command: ["/bin/sh", "-c", "while sleep 0.01; do wget -q -O- http://php-apache; done"]
`;

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }, { name: "k8s-node2" }]);
  return c;
}
const condition = (c: Cluster, type: string) => c.ctx.api.get("HorizontalPodAutoscaler", "default", "php-apache")!.status.conditions.find((x: { type: string }) => x.type === type);
const replicas = (c: Cluster) => c.ctx.api.get("Deployment", "default", "php-apache")!.spec.replicas;
const rescales = (c: Cluster) =>
  c.ctx.api
    .list("Event", { namespace: "default" })
    .filter((e) => e.involvedObject?.kind === "HorizontalPodAutoscaler" && e.reason === "SuccessfulRescale")
    .map((e) => e.message);

test("pods without metrics (none can be scheduled): FailedGetResourceMetric, ScalingActive False; then ValidMetricFound", () => {
  const c = new Cluster();
  c.applySync(PHP_APACHE + "---\n" + HPA());
  c.advanceSync(15_000);
  const events = c.ctx.api.list("Event", { namespace: "default" }).filter((e) => e.involvedObject?.kind === "HorizontalPodAutoscaler");
  assert.deepEqual(
    events.map((e) => `${e.type} ${e.reason} ${e.message}`),
    [
      "Warning FailedGetResourceMetric failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
      "Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
    ],
  );
  assert.equal(condition(c, "ScalingActive").reason, "FailedGetResourceMetric");
  assert.equal(condition(c, "AbleToScale").reason, "SucceededGetScale");
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  c.advanceSync(45_000);
  assert.equal(condition(c, "ScalingActive").reason, "ValidMetricFound");
  assert.equal(condition(c, "ScalingActive").message, "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)");
  assert.equal(c.kubectlSync("get hpa").stdout.split("\n")[1].split(/\s+/).slice(2, 4).join(" "), "cpu: 0%/50%");
});

test("load scales php-apache up (at most max(2×, 4) a sync), and back to 1 five minutes after it stops", () => {
  const c = cluster();
  c.applySync(PHP_APACHE + "---\n" + HPA());
  c.advanceSync(60_000);
  c.applySync(LOAD);
  c.advanceSync(15_000);
  assert.equal(replicas(c), 4);
  assert.equal(condition(c, "ScalingLimited").reason, "ScaleUpLimit");
  c.advanceSync(15_000);
  assert.ok(replicas(c) >= 6 && replicas(c) <= 8, `replicas ${replicas(c)}`);
  const up = replicas(c);
  c.advanceSync(180_000);
  assert.equal(replicas(c), up, "the load is met: no more scaling");
  assert.equal(condition(c, "ScalingLimited").reason, "DesiredWithinRange");
  c.kubectlSync("delete pod load-generator");
  // The recommendation drops to 1 at once, but the highest of the last 5 minutes stands.
  c.advanceSync(240_000);
  assert.equal(replicas(c), up);
  assert.equal(condition(c, "AbleToScale").reason, "ScaleDownStabilized");
  assert.equal(condition(c, "AbleToScale").message, "recent recommendations were higher than current one, applying the highest recent recommendation");
  c.advanceSync(120_000);
  assert.equal(replicas(c), 1);
  assert.deepEqual(rescales(c), [
    "New size: 4; reason: cpu resource utilization (percentage of request) above target",
    `New size: ${up}; reason: cpu resource utilization (percentage of request) above target`,
    "New size: 1; reason: All metrics below target",
  ]);
});

test("behavior: a scale-down policy of one pod a minute and no stabilization window", () => {
  const c = cluster();
  c.applySync(PHP_APACHE + "---\n" + HPA(`  behavior:
    scaleDown:
      stabilizationWindowSeconds: 0
      policies:
      - {type: Pods, value: 1, periodSeconds: 60}
`));
  c.kubectlSync("scale deployment php-apache --replicas=4");
  c.advanceSync(60_000);
  const seen: number[] = [];
  for (let i = 0; i < 4; i++) {
    seen.push(replicas(c));
    c.advanceSync(60_000);
  }
  seen.push(replicas(c));
  assert.deepEqual(seen, [3, 2, 1, 1, 1]);
  assert.equal(condition(c, "AbleToScale").reason, "ReadyForNewScale");
});

test("a target that does not exist: FailedGetScale", () => {
  const c = cluster();
  c.applySync(HPA());
  c.advanceSync(15_000);
  const able = condition(c, "AbleToScale");
  assert.deepEqual([able.status, able.reason, able.message], ["False", "FailedGetScale", 'the HPA controller was unable to get the target\'s current scale: deployments/scale.apps "php-apache" not found']);
});
