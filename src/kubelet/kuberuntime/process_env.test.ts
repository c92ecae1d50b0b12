// A container's process environment built at its first read (issue #19, probes25: ProcessEnvInputs
// in kuberuntime_manager.ts): what a later read finds is what the start would have built, whatever
// changed in between, as on the reference engine (which builds it at the start).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { kubelets } from "../manager.ts";

const SETUP = `apiVersion: v1
kind: Service
metadata: {name: alpha}
spec:
  selector: {app: alpha}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers: [{name: c, image: kubetm/app}]
---
apiVersion: v1
kind: Pod
metadata: {name: declared}
spec:
  containers:
  - name: c
    image: kubetm/app
    env: [{name: GREETING, value: hello}]
`;

/** Each pod's container environment, read only after a Service was added and another changed. */
function environments(reference: boolean): Record<string, Array<[string, string]>> {
  const c = new Cluster({ reference });
  c.addNodesFromTable([{ name: "node1" }]);
  c.applySync(SETUP);
  c.advanceSync(30_000);
  const rt = kubelets(c.ctx).get("node1")!.runtime;
  // Every input a fresh build would read changes now: a new Service, another Service's address.
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: beta}\nspec:\n  selector: {app: beta}\n  ports: [{port: 81}]\n");
  c.ctx.api.delete("Service", "default", "alpha");
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: alpha}\nspec:\n  selector: {app: alpha}\n  ports: [{port: 8080}]\n");
  c.advanceSync(5_000);
  const envs: Record<string, Array<[string, string]>> = {};
  for (const name of ["app", "declared"]) {
    const inst = rt.instances(c.get("Pod", name)!.metadata.uid!)[0];
    assert.ok(inst?.io, `${name} started`);
    envs[name] = Object.entries(inst.io.env);
  }
  return envs;
}

test("a container's environment read after its Services changed is the one its start built, as on the reference engine", () => {
  const fast = environments(false);
  assert.deepEqual(fast, environments(true));
  const names = fast.app.map(([k]) => k);
  assert.deepEqual(names.slice(0, 2), ["PATH", "HOSTNAME"]);
  assert.ok(names.includes("ALPHA_SERVICE_PORT"), names.join(" "));
  assert.equal(fast.app.find(([k]) => k === "ALPHA_SERVICE_PORT")?.[1], "80");
  assert.ok(!names.includes("BETA_SERVICE_HOST"), "a Service made after the start is not in the environment");
  assert.equal(fast.declared.find(([k]) => k === "GREETING")?.[1], "hello");
  assert.equal(names.at(-1), "HOME");
});

test("a container's io: the environment built once, an assignment replacing it, a spread copy naming it; the object stays a fast one", () => {
  const c = new Cluster({});
  c.addNodesFromTable([{ name: "node1" }]);
  c.applySync(SETUP);
  c.advanceSync(30_000);
  const inst = kubelets(c.ctx).get("node1")!.runtime.instances(c.get("Pod", "app")!.metadata.uid!)[0];
  const io = inst.io!;
  const first = io.env;
  assert.equal(io.env, first, "built once, then the same object");
  io.env = { ONLY: "this" };
  assert.deepEqual({ ...io.env }, { ONLY: "this" });
  assert.deepEqual({ ...io, env: io.env }.env, { ONLY: "this" });
  assert.equal(Object.hasOwn(io, "env"), false, "on the prototype: an own accessor would make every container's io a dictionary object");
});
