import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

test("kubectl exec keeps the command's stdout and stderr apart, as over the real exec stream", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(`apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  containers:
  - name: c
    image: busybox
    command: ["sleep", "3600"]
`);
  await c.advance("10s");
  const both = await c.kubectl(`exec shell -- sh -c "echo out; echo err >&2; echo more"`);
  assert.deepEqual(both, { stdout: "out\nmore\n", stderr: "err\n", exitCode: 0 });
  const failed = await c.kubectl("exec shell -- cat /nothere");
  assert.equal(failed.stdout, "");
  assert.equal(failed.stderr, "cat: can't open '/nothere': No such file or directory\ncommand terminated with exit code 1\n");
  assert.equal(failed.exitCode, 1);
  const quiet = await c.kubectl("exec shell -- true");
  assert.deepEqual(quiet, { stdout: "", stderr: "", exitCode: 0 });
});
