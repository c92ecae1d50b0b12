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
  // The streams are copied as the command wrote them: kubectl v1.32.4 prints `hello` with no newline after it.
  assert.deepEqual(await c.kubectl("exec shell -- printf hello"), { stdout: "hello", stderr: "", exitCode: 0 });
  assert.deepEqual(await c.kubectl(`exec shell -- sh -c "printf oops >&2; exit 3"`), { stdout: "", stderr: "oopscommand terminated with exit code 3\n", exitCode: 3 });
  const quiet = await c.kubectl("exec shell -- true");
  assert.deepEqual(quiet, { stdout: "", stderr: "", exitCode: 0 });
  // ExecOptions.Complete (v1.32): without `--` the command is refused, -q or not (kubectl v1.32.4's text).
  const refused = { stdout: "", stderr: "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n", exitCode: 1 };
  assert.deepEqual(await c.kubectl("exec shell echo hi"), refused);
  assert.deepEqual(await c.kubectl("exec -q shell echo hi"), refused);
});

test("kubectl exec TYPE/NAME runs in the most active of the workload's pods (attachablePodForObject)", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
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
`);
  await c.advance("10s");
  const pod = c.api.list("Pod", { namespace: "default" })[0]!.metadata.name;
  assert.deepEqual(await c.kubectl("exec deploy/web -- hostname"), { stdout: `${pod}\n`, stderr: "", exitCode: 0 });
  assert.deepEqual(await c.kubectl(`exec pod/${pod} -- hostname`), { stdout: `${pod}\n`, stderr: "", exitCode: 0 });
  const missing = await c.kubectl("exec deployment/nope -- true");
  assert.equal(missing.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
  const cm = await c.kubectl("exec configmap/kube-root-ca.crt -- true");
  assert.equal(cm.stderr, "error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n");
});

test("podutils.ActivePods: assigned, running, ready for longer, fewer restarts and older pods are more active", async () => {
  const { activePodsLess } = await import("./exec.ts");
  const pod = (name: string, over: Record<string, unknown>) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, creationTimestamp: "2024-01-08T00:00:00Z" }, spec: { nodeName: "n1" }, status: { phase: "Running" }, ...over });
  assert.ok(activePodsLess(pod("a", { spec: {} }), pod("b", {})), "unassigned < assigned");
  assert.ok(activePodsLess(pod("a", { status: { phase: "Pending" } }), pod("b", {})), "Pending < Running");
  const ready = (t: string) => ({ status: { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: t }] } });
  assert.ok(activePodsLess(pod("a", {}), pod("b", ready("2024-01-08T00:00:05Z"))), "not ready < ready");
  assert.ok(activePodsLess(pod("a", ready("2024-01-08T00:00:09Z")), pod("b", ready("2024-01-08T00:00:05Z"))), "ready for less time < more");
  assert.ok(!activePodsLess(pod("a", {}), pod("a", {})));
});
