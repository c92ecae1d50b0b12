/** The fuzz properties, shared by the bounded fuzz tests, the regression tests and `npm run fuzz`. */
import assert from "node:assert/strict";
import { apiVersionOf, RESOURCE_TYPES } from "../api/resources.ts";
import { Cluster } from "../cluster.ts";

export function storeSnapshot(c: Cluster): string {
  return JSON.stringify(RESOURCE_TYPES.filter((r) => r.storable && apiVersionOf(r) === r.storageVersion).map((r) => c.api.list(r.key)));
}

export function newCluster(): Cluster {
  const c = new Cluster({ seed: 3 });
  c.addNodesFromTable([{ name: "n1" }, { name: "k8s-node1", labels: "kr=az-1" }]);
  return c;
}

/**
 * What kubectl's CheckErr prints first: `error: `, a status, an Invalid's causes, a warning; or,
 * for an aggregate of several errors (many objects of one stream), each error's own text on its
 * line: the builder's (`resource mapping not found ...`, `error parsing ...`, `error validating
 * ...`) bare, a nested aggregate in brackets.
 */
export const KUBECTL_STYLE = /^(error: |Error from server \(|Error: |The [A-Za-z]+ "(?:[^"\\\n]|\\.)*" is invalid|Warning: |resource mapping not found |error parsing |error validating |\[)/m;

export function count(name: string, n: number): void {
  console.log(`# fuzz ${name}: ${n} cases`);
}

/** The apply property for one manifest text. */
export function checkApply(text: string, advanceMs = 30_000): void {
  const c = newCluster();
  try {
    const before = storeSnapshot(c);
    const r = c.kubectlSync(["apply", "-f", "-"], text);
    if (r.exitCode !== 0) {
      assert.match(r.stderr, KUBECTL_STYLE, `not a kubectl-style error:\n${r.stderr}`);
      // kubectl applies documents one by one: earlier valid documents of a stream stay applied.
      if (r.stdout === "") assert.equal(storeSnapshot(c), before, "a rejected apply changed the store");
    }
    c.advanceSync(advanceMs);
    const get = c.kubectlSync("get all -A -o wide");
    assert.equal(typeof get.exitCode, "number");
  } finally {
    void c.close();
  }
}

