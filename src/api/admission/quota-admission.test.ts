import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

const quota = (hard: string) => `apiVersion: v1
kind: ResourceQuota
metadata: {name: q}
spec:
  hard: {${hard}}
`;
const pod = (name: string, res: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers:
  - name: c
    image: nginx
    resources: {${res}}
`;

test("ResourceQuota admission charges pods, refuses what exceeds, and the controller gives usage back", async () => {
  const c = new Cluster({});
  await c.apply(quota(`pods: "1", requests.memory: 1Gi`));
  await c.advance("1s");
  await c.apply(pod("a", "requests: {memory: 600Mi}"));
  assert.deepEqual(c.api.get("ResourceQuota", "default", "q")!.status.used, { pods: "1", "requests.memory": "600Mi" });
  await assert.rejects(c.apply(pod("b", "requests: {memory: 100Mi}")), /pods "b" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1/);
  await assert.rejects(c.apply(pod("d", "")), /pods "d" is forbidden: failed quota: q: must specify requests.memory for: c/);
  await c.kubectl("delete pod a --grace-period=0");
  await c.advance("1s");
  assert.deepEqual(c.api.get("ResourceQuota", "default", "q")!.status.used, { pods: "0", "requests.memory": "0" });
  await c.close();
});

test("object counts: count/<resource> for any resource", async () => {
  const c = new Cluster({});
  // The namespace's kube-root-ca.crt counts: one ConfigMap is in use before any is created.
  await c.apply(quota(`count/configmaps: "2", count/deployments.apps: "0"`));
  await c.advance("1s");
  assert.equal(c.api.get("ResourceQuota", "default", "q")!.status.used["count/configmaps"], "1");
  await c.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n");
  await assert.rejects(c.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\n"), /configmaps "two" is forbidden: exceeded quota: q, requested: count\/configmaps=1, used: count\/configmaps=2, limited: count\/configmaps=2/);
  await c.close();
});

test("LimitRanger: defaults, min/max and the limit/request ratio (plugin/pkg/admission/limitranger)", async () => {
  const c = new Cluster({});
  await c.apply(`apiVersion: v1
kind: LimitRange
metadata: {name: lr}
spec:
  limits:
  - type: Container
    max: {cpu: "1"}
    min: {cpu: 100m}
    maxLimitRequestRatio: {cpu: "4"}
`);
  await c.apply(pod("ok", ""));
  const ok = c.api.get("Pod", "default", "ok")!;
  assert.deepEqual(ok.spec.containers[0].resources, { limits: { cpu: "1" }, requests: { cpu: "1" } });
  assert.equal(ok.metadata.annotations!["kubernetes.io/limit-ranger"], "LimitRanger plugin set: cpu request for container c; cpu limit for container c");
  await assert.rejects(c.apply(pod("ratio", "requests: {cpu: 200m}, limits: {cpu: 1}")), /pods "ratio" is forbidden: cpu max limit to request ratio per Container is 4, but provided ratio is 5.000000/);
  await assert.rejects(c.apply(pod("big", "limits: {cpu: 2}")), /pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2$/);
  await c.close();
});
