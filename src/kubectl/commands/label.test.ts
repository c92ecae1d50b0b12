import { test } from "node:test";
import assert from "node:assert/strict";
import { KubectlError } from "../command.ts";
import { parseLabels, splitLabelArgs } from "./label.ts";

// Ported from k8s.io/kubectl/pkg/cmd/label/label_test.go TestParseLabels.
const good: Array<[string[], Record<string, string>, string[]]> = [
  [["a=b", "c=d"], { a: "b", c: "d" }, []],
  [[], {}, []],
  [["a=b", "c=d", "e-"], { a: "b", c: "d" }, ["e"]],
  [["a="], { a: "" }, []],
  [["ro-"], {}, ["ro"]],
];
for (const [spec, add, remove] of good) {
  test(`parseLabels(${JSON.stringify(spec)})`, () => assert.deepEqual(parseLabels(spec), { add, remove }));
}

const bad: Array<[string[], string]> = [
  [["ab", "c=d"], "unknown label spec: ab"],
  [["a=b", "c=d", "a-"], "can not both modify and remove a label in the same command"],
  [["a=b=c"], "invalid label spec: a=b=c"],
  [["a=%^$"], 'invalid label value: "a=%^$": a valid label must be an empty string or consist of alphanumeric characters'],
];
for (const [spec, msg] of bad) {
  test(`parseLabels rejects ${JSON.stringify(spec)}`, () => {
    assert.throws(() => parseLabels(spec), (e: unknown) => e instanceof KubectlError && e.message.startsWith(msg));
  });
}

test("label arguments: anything with '=' or a trailing '-' is a label change", () => {
  assert.deepEqual(splitLabelArgs(["nodes", "k8s-node1", "kr=az-1", "gpu-"]), { resources: ["nodes", "k8s-node1"], labels: ["kr=az-1", "gpu-"] });
  assert.deepEqual(splitLabelArgs(["node/k8s-node1", "a=b"]), { resources: ["node/k8s-node1"], labels: ["a=b"] });
});

// set_selector.go's example: `kubectl label --local -f - ... -o yaml` labels the object read from the file, sends nothing.
test("label --local: labels the objects of the files and prints them; the cluster is not touched", async () => {
  const { Cluster } = await import("../../cluster.ts");
  const c = new Cluster();
  const r = c.kubectlSync("kubectl create deployment my-dep --image=nginx -o yaml --dry-run=client | kubectl label --local -f - environment=qa -o yaml");
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^ {2}labels:\n {4}app: my-dep\n {4}environment: qa\n {2}name: my-dep\n/m);
  assert.equal(c.get("Deployment", "my-dep"), undefined);
  assert.equal(c.kubectlSync("kubectl create deployment my-dep --image=nginx -o yaml --dry-run=client | kubectl label --local -f - environment=qa -o yaml | kubectl create -f -").stdout, "deployment.apps/my-dep created\n");
  assert.deepEqual(c.get("Deployment", "my-dep")!.metadata.labels, { app: "my-dep", environment: "qa" });
  await c.close();
});
