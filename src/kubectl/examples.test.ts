import { test } from "node:test";
import assert from "node:assert/strict";
import { exampleCopyPath, isUrl, readUrl } from "./examples.ts";
import { Cluster } from "../cluster.ts";

test("example URLs map to their copies under exercises/docs; other URLs are not fetched", () => {
  assert.equal(exampleCopyPath("https://k8s.io/examples/application/deployment.yaml"), "exercises/docs/application/deployment.yaml");
  assert.equal(exampleCopyPath("https://kubernetes.io/examples/pods/pod-rs.yaml"), "exercises/docs/pods/pod-rs.yaml");
  assert.equal(exampleCopyPath("https://k8s.io/examples/../../etc/passwd"), undefined);
  assert.equal(exampleCopyPath("https://example.com/x.yaml"), undefined);
  assert.equal(exampleCopyPath("https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/pods/config/redis-pod.yaml"), "exercises/docs/pods/config/redis-pod.yaml");
  assert.equal(exampleCopyPath("https://raw.githubusercontent.com/kubernetes/website/other/content/en/examples/pods/config/redis-pod.yaml"), undefined);
  assert.ok(isUrl("http://x") && isUrl("https://x") && !isUrl("exercises/x.yaml"));
  assert.throws(() => readUrl("https://example.com/x.yaml", () => ""), /unable to read URL "https:\/\/example.com\/x.yaml": fetching URLs is not simulated/);
  assert.throws(() => readUrl("https://k8s.io/examples/nope.yaml", () => { throw new Error("ENOENT"); }), /this example has no copy at exercises\/docs\/nope.yaml/);
  assert.equal(readUrl("https://k8s.io/examples/a.yaml", (p) => `read ${p}`), "read exercises/docs/a.yaml");
});

test("kubectl apply -f <example URL> applies the example's copy; a URL without one fails saying why", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  assert.deepEqual(await c.kubectl("apply -f https://k8s.io/examples/controllers/frontend.yaml"), { stdout: "replicaset.apps/frontend created\n", stderr: "", exitCode: 0 });
  const other = await c.kubectl("apply -f https://raw.githubusercontent.com/x/y/main/z.yaml");
  assert.equal(other.exitCode, 1);
  assert.match(other.stderr, /^error: unable to read URL "https:\/\/raw.githubusercontent.com\/x\/y\/main\/z.yaml": fetching URLs is not simulated/);
  await c.close();
});
