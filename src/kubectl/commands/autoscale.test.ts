import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]}
`;

test("kubectl autoscale: an autoscaling/v1 HPA for the deployment, its flags and errors", () => {
  const c = new Cluster();
  c.applySync(DEPLOY);
  assert.equal(c.kubectlSync("autoscale deployment web --min=2 --max=5 --cpu-percent=80").stdout, "horizontalpodautoscaler.autoscaling/web autoscaled\n");
  const v1 = JSON.parse(c.kubectlSync("get hpa.v1.autoscaling web -o json").stdout);
  assert.deepEqual(v1.spec, { maxReplicas: 5, minReplicas: 2, scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, targetCPUUtilizationPercentage: 80 });
  // Without --cpu-percent the API's default metric (80% CPU) applies; --name names it.
  assert.equal(c.kubectlSync("autoscale deploy/web --max=3 --name=other").stdout, "horizontalpodautoscaler.autoscaling/other autoscaled\n");
  const v2 = JSON.parse(c.kubectlSync("get hpa other -o json").stdout);
  assert.deepEqual(v2.spec.metrics, [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }]);
  assert.equal(v2.spec.minReplicas, 1);
  assert.equal(c.kubectlSync("autoscale deployment web").stderr, 'error: required flag(s) "max" not set\n');
  assert.equal(c.kubectlSync("autoscale deployment web --max=2 --min=3").stderr, "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 3\n");
  assert.equal(c.kubectlSync("autoscale deployment web --max=2").stderr, 'Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "web" already exists\n');
  c.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n");
  assert.match(c.kubectlSync("autoscale configmap cm --max=2").stderr, /^error: cannot autoscale a ConfigMap: /);
});

test("kubectl describe hpa: reference, metrics as current / target, replicas, behavior, conditions", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(DEPLOY);
  c.applySync(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 4
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}
  behavior:
    scaleDown:
      policies: [{type: Pods, value: 1, periodSeconds: 60}]
`);
  const before = c.kubectlSync("describe hpa web").stdout;
  assert.match(before, /resource cpu on pods {2}\(as a percentage of request\): {2}<unknown> \/ 60%\n {2}resource memory on pods:\s+<unknown> \/ 100Mi\n/);
  c.advanceSync(60_000);
  const out = c.kubectlSync("describe hpa web").stdout;
  const body = out.slice(out.indexOf("Reference:"), out.indexOf("Events:"));
  assert.equal(
    body.replace(/ +\n/g, "\n"),
    `Reference:                                             Deployment/web
Metrics:                                               ( current / target )
  resource cpu on pods  (as a percentage of request):  0% (0) / 60%
  resource memory on pods:                             0 / 100Mi
Min replicas:                                          1
Max replicas:                                          4
Behavior:
  Scale Up:
    Stabilization Window: 0 seconds
    Select Policy: Max
    Policies:
      - Type: Pods     Value: 4    Period: 15 seconds
      - Type: Percent  Value: 100  Period: 15 seconds
  Scale Down:
    Select Policy: Max
    Policies:
      - Type: Pods  Value: 1  Period: 60 seconds
Deployment pods:    1 current / 1 desired
Conditions:
  Type            Status  Reason               Message
  ----            ------  ------               -------
  AbleToScale     True    ScaleDownStabilized  recent recommendations were higher than current one, applying the highest recent recommendation
  ScalingActive   True    ValidMetricFound     the HPA was able to successfully calculate a replica count from memory resource
  ScalingLimited  False   DesiredWithinRange   the desired count is within the acceptable range
`,
  );
});
