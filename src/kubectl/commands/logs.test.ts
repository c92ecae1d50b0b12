import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

test("kubectl logs TYPE/NAME reads a pod the object selects; several pods: it says which", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(`apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        command: ["sh", "-c", "echo hello from the job"]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: busybox
        command: ["sh", "-c", "echo up; sleep 3600"]
`);
  await c.advance("10s");
  assert.equal((await c.kubectl("logs job/hello")).stdout, "hello from the job\n");
  const web = await c.kubectl("logs deployment/web");
  assert.equal(web.stdout, "up\n");
  assert.match(web.stderr, /^Found 2 pods, using pod\/web-[a-z0-9]+-[a-z0-9]{5}\n$/);
  const bad = await c.kubectl("logs cronjob/x");
  assert.match(bad.stderr, /cannot get the logs from cronjob/);
  const missing = await c.kubectl("logs job/nope");
  assert.match(missing.stderr, /jobs.batch "nope" not found/);
  await c.close();
});
