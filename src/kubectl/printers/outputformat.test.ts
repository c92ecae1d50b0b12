import { test } from "node:test";
import assert from "node:assert/strict";
import { parseOutputFormat } from "./index.ts";
import { Cluster } from "../../cluster.ts";

test("--template without -o prints a go-template (PrintFlags.ToPrinter); -o still names the format", async () => {
  assert.equal(parseOutputFormat("").kind, "table");
  assert.equal(parseOutputFormat("", undefined, { template: "{{.metadata.name}}" }).kind, "go-template");
  assert.equal(parseOutputFormat("jsonpath", undefined, { template: "{.metadata.name}" }).kind, "jsonpath");
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, '3600']\n");
  // The Delete a StatefulSet page: grace=$(kubectl get pods <pod> --template '{{.spec.terminationGracePeriodSeconds}}')
  assert.deepEqual(await c.kubectl("get pods p --template '{{.spec.terminationGracePeriodSeconds}}'"), { stdout: "30", stderr: "", exitCode: 0 });
  await c.close();
});
