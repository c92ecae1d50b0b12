import { test } from "node:test";
import assert from "node:assert/strict";
import { computeHash, equalIgnoreHash, maxUnavailable, newRSNewReplicas, resolveFenceposts, safeEncodeString, scaledValue } from "./deploymentutil.ts";
import type { KObject } from "../api/types.ts";

const dep = (replicas: number, maxSurge: any, maxUnavail: any, type = "RollingUpdate"): KObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "d" },
  spec: { replicas, strategy: { type, ...(type === "RollingUpdate" ? { rollingUpdate: { maxSurge, maxUnavailable: maxUnavail } } : {}) } },
});
const rs = (replicas: number): KObject => ({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "r" }, spec: { replicas } });

// deployment_util_test.go TestResolveFenceposts.
test("ResolveFenceposts", () => {
  const cases: Array<[any, any, number, number, number]> = [
    ["0", "0", 0, 0, 1],
    ["39%", "39%", 10, 4, 3],
    ["oops", "0", 10, -1, -1],
    ["55%", "urg", 10, -1, -1],
    ["5", "1", 10, 5, 1],
    [0, 0, 0, 0, 1],
    ["25%", "25%", 3, 1, 0],
    ["25%", "25%", 4, 1, 1],
    ["25%", "25%", 10, 3, 2],
    ["100%", "100%", 10, 10, 10],
  ];
  for (const [s, u, n, es, eu] of cases) {
    if (es < 0) {
      assert.throws(() => resolveFenceposts(s, u, n));
      continue;
    }
    assert.deepEqual(resolveFenceposts(s, u, n), [es, eu], `${s}/${u} of ${n}`);
  }
});

test("scaledValue rounds percentages up or down", () => {
  assert.equal(scaledValue("25%", 10, true), 3);
  assert.equal(scaledValue("25%", 10, false), 2);
  assert.equal(scaledValue(4, 10, false), 4);
});

// deployment_util_test.go TestNewRSNewReplicas.
test("NewRSNewReplicas", () => {
  const cases: Array<[string, string, number, number, number, number, number]> = [
    // strategy, name, depReplicas, newRS replicas, maxSurge, oldRS replicas, expected
    ["RollingUpdate", "can not scale up - to newRSReplicas", 1, 5, 1, 5, 5],
    ["RollingUpdate", "scale up - to depReplicas", 6, 2, 10, 5, 6],
    ["Recreate", "recreate - to depReplicas", 3, 1, 1, 1, 3],
  ];
  for (const [type, name, depReplicas, newReplicas, surge, oldReplicas, expected] of cases) {
    const d = dep(depReplicas, surge, 0, type);
    const newRS = rs(newReplicas);
    assert.equal(newRSNewReplicas(d, [newRS, rs(oldReplicas)], newRS), expected, name);
  }
});

test("MaxUnavailable (TestMaxUnavailable)", () => {
  assert.equal(maxUnavailable(dep(10, "0", "1")), 1);
  assert.equal(maxUnavailable(dep(10, "0", "25%")), 2);
  assert.equal(maxUnavailable(dep(10, "0", "100%")), 10);
  assert.equal(maxUnavailable(dep(10, "0", "110%")), 10, "capped at replicas");
  assert.equal(maxUnavailable(dep(0, "0", "1")), 0);
  assert.equal(maxUnavailable(dep(10, "0", "0")), 1, "fencepost");
  assert.equal(maxUnavailable(dep(10, 0, 0, "Recreate")), 0);
});

test("the pod-template-hash has upstream's alphabet and ignores nothing but itself", () => {
  const t = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "a", image: "nginx" }] } };
  const h = computeHash(t);
  assert.match(h, /^[456789bcdf]{1,10}$/);
  assert.equal(computeHash(structuredClone(t)), h);
  assert.notEqual(computeHash(t, 1), h);
  assert.equal(safeEncodeString("0123"), "4567"); // decimal digits map onto 4-9 and b, c, d, f (e.g. 7c79c4bf97)
  const withHash = structuredClone(t) as any;
  withHash.metadata.labels["pod-template-hash"] = h;
  assert.ok(equalIgnoreHash(t, withHash));
  const changed = structuredClone(t);
  changed.spec.containers[0].image = "nginx:1.27";
  assert.ok(!equalIgnoreHash(t, changed));
});
