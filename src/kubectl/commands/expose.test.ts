import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

test("kubectl expose applies --overrides to the generated Service (merge, strategic, json), and refuses bad ones", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  await c.kubectl("create deployment web --image=nginx --port=80");
  const merge = await c.kubectl(`expose deployment web --port=80 --overrides='{"spec":{"type":"NodePort"}}' --dry-run=client -o jsonpath={.spec.type}`);
  assert.deepEqual(merge, { stdout: "NodePort", stderr: "", exitCode: 0 });
  const strategic = await c.kubectl(`expose deployment web --port=80 --override-type=strategic --overrides='{"spec":{"ports":[{"port":80,"nodePort":30080}]}}' --dry-run=client -o jsonpath={.spec.ports}`);
  // The strategic patch merges the port by its key (port), keeping the generated fields.
  assert.equal(strategic.stdout, '[{"nodePort":30080,"port":80,"protocol":"TCP","targetPort":80}]');
  const json = await c.kubectl(`expose deployment web --port=80 --override-type=json --overrides='[{"op":"add","path":"/metadata/annotations","value":{"team":"a"}}]'`);
  assert.deepEqual(json, { stdout: "service/web exposed\n", stderr: "", exitCode: 0 });
  assert.equal((await c.kubectl("get svc web -o jsonpath={.metadata.annotations.team}")).stdout, "a");
  assert.deepEqual(await c.kubectl("expose deployment web --name=w2 --port=80 --overrides=notjson"), { stdout: "", stderr: "error: Invalid JSON Patch\n", exitCode: 1 });
  assert.deepEqual(await c.kubectl("expose deployment web --name=w3 --port=80 --override-type=bogus --overrides={}"), { stdout: "", stderr: "error: invalid override type: bogus\n", exitCode: 1 });
  assert.equal(c.api.get("Service", "default", "w2"), undefined);
});
