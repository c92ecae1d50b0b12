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

test("kubectl exec TYPE/NAME runs in the most active pod the object selects (AttachablePodForObject)", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: c
        image: busybox
        command: ["sleep", "3600"]
---
apiVersion: v1
kind: Service
metadata:
  name: nosel
spec:
  ports:
  - port: 80
`);
  await c.advance("10s");
  // A third pod of the same labels, created later and not yet running: the least active.
  c.applySync(`apiVersion: v1
kind: Pod
metadata:
  name: late
  labels: {app: web}
spec:
  nodeName: nowhere
  containers:
  - name: c
    image: busybox
`);
  const pods = c.api.list("Pod", { namespace: "default" }).filter((p) => p.metadata.name !== "late");
  const res = await c.kubectl("exec deployment/web -- hostname");
  assert.equal(res.exitCode, 0, res.stderr);
  assert.ok(pods.map((p) => `${p.metadata.name}\n`).includes(res.stdout), res.stdout);
  // Both running and ready since the same instant: the older one, then the list's order.
  const byAge = [...pods].sort((a, b) => a.metadata.creationTimestamp!.localeCompare(b.metadata.creationTimestamp!) || a.metadata.name!.localeCompare(b.metadata.name!));
  assert.equal(res.stdout, `${byAge[0]!.metadata.name}\n`);
  assert.deepEqual(await c.kubectl("exec pod/late -- true"), { stdout: "", stderr: "error: unable to upgrade connection: container not found (\"c\")\n", exitCode: 1 });
  const missing = await c.kubectl("exec deployment/nope -- true");
  assert.equal(missing.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
  const nosel = await c.kubectl("exec service/nosel -- true");
  assert.equal(nosel.stderr, "error: cannot attach to *v1.Service: invalid service 'nosel': Service is defined without a selector\n");
  const none = await c.kubectl("exec job/x -- true");
  assert.equal(none.stderr, 'Error from server (NotFound): jobs.batch "x" not found\n');
});
