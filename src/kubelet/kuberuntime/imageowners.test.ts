// An image model's owned directories (models.json `owners`, a Dockerfile's `mkdir -p` and `chown -R`):
// made when empty, owned with everything under them, the same on both engines (issue #19's copied roots).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { kubelets } from "../manager.ts";
import type { Vfs } from "../../runtime/types.ts";

function owners(reference: boolean): Record<string, string> {
  const c = new Cluster({ reference });
  c.addNodesFromTable([{ name: "node1" }]);
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: zk}\nspec:\n  containers:\n  - {name: app, image: registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10, command: ['sh', '-c', 'sleep 3600']}\n");
  c.advanceSync(10_000);
  const pod = c.api.get("Pod", "default", "zk")!;
  let fs: Vfs | undefined;
  for (const k of kubelets(c.ctx).values()) for (const inst of k.runtime.instances(pod.metadata.uid!)) fs ??= inst.fs;
  assert.ok(fs, "the container runs");
  const out: Record<string, string> = {};
  for (const p of ["/var/log/zookeeper", "/tmp/zookeeper", "/opt/zookeeper", "/opt/zookeeper/conf", "/opt/zookeeper/conf/zoo_sample.cfg", "/usr/bin/zkCli.sh", "/opt"]) {
    const st = fs.stat(p);
    out[p] = st ? `${st.type} ${st.uid ?? 0}:${st.gid ?? 0}` : "missing";
  }
  c.close();
  return out;
}

test("an image model's owned directories: made when empty, owned with all under them, on both engines", () => {
  const fast = owners(false);
  assert.deepEqual(fast, {
    "/var/log/zookeeper": "dir 1000:1000",
    "/tmp/zookeeper": "dir 1000:1000",
    "/opt/zookeeper": "dir 1000:1000",
    "/opt/zookeeper/conf": "dir 1000:1000",
    "/opt/zookeeper/conf/zoo_sample.cfg": "file 1000:1000",
    "/usr/bin/zkCli.sh": "file 0:0",
    "/opt": "dir 0:0",
  });
  assert.deepEqual(owners(true), fast);
});
