import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

test("kubectl delete of a namespace already terminating: the API server's Conflict (pkg/registry/core/namespace/storage)", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  assert.equal((await c.kubectl("create namespace team")).exitCode, 0);
  c.applySync(`apiVersion: v1
kind: Pod
metadata: {name: p, namespace: team}
spec:
  containers: [{name: c, image: busybox, command: ["sleep", "3600"]}]
`);
  await c.advance("10s");
  assert.deepEqual(await c.kubectl("delete ns team --wait=false"), { stdout: 'namespace "team" deleted\n', stderr: "", exitCode: 0 });
  // The pod takes its 30 s grace period, so the namespace is still Terminating.
  assert.deepEqual(await c.kubectl("delete ns team --wait=false"), {
    stdout: "",
    stderr:
      'Error from server (Conflict): Operation cannot be fulfilled on namespaces "team": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.\n',
    exitCode: 1,
  });
  assert.match((await c.kubectl("get ns team")).stdout, /team\s+Terminating/);
  await c.advance("40s");
  assert.equal((await c.kubectl("get ns team")).exitCode, 1);
});

test("kubectl delete NAME...: a name not found is reported and nothing is waited for (DeleteResult returns the visit's error first)", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  for (const name of ["a", "b"]) {
    c.applySync(`apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers: [{name: c, image: busybox, command: ["sleep", "3600"]}]
`);
  }
  await c.advance("10s");
  const before = c.clock.now();
  assert.deepEqual(await c.kubectl("delete pod a nothere b"), {
    stdout: 'pod "a" deleted\npod "b" deleted\n',
    stderr: 'Error from server (NotFound): pods "nothere" not found\n',
    exitCode: 1,
  });
  // No time passed: both pods are still terminating (their 30 s grace period).
  assert.equal(c.clock.now(), before);
  assert.match((await c.kubectl("get pods")).stdout, /a\s+1\/1\s+Terminating[\s\S]*b\s+1\/1\s+Terminating/);
  // Without an error kubectl waits until they are gone.
  assert.deepEqual(await c.kubectl("delete pod a b"), { stdout: 'pod "a" deleted\npod "b" deleted\n', stderr: "", exitCode: 0 });
  assert.ok(c.clock.now() > before);
  assert.equal((await c.kubectl("get pods")).stderr, "No resources found in default namespace.\n");
});

test("kubectl delete of a custom resource waits on its own resource (the wait looks it up by the CRD's storage key)", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`);
  await c.advance("1s");
  c.applySync(`apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
`);
  assert.deepEqual(await c.kubectl("delete widget w"), { stdout: 'widget.example.com "w" deleted\n', stderr: "", exitCode: 0 });
});
