// podcmd.FindOrDefaultContainerByName and AllContainerNames, as kubectl logs/exec use them.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../api/types.gen.ts";
import { allContainerNames, defaultContainer } from "./podcmd.ts";

const pod = (spec: Pod["spec"], annotations?: Record<string, string>): Pod => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", annotations }, spec });

test("the container kubectl picks, and the notice it prints", () => {
  const notices: string[] = [];
  const note = (t: string) => notices.push(t);
  const two = pod({ containers: [{ name: "app" }, { name: "side" }], initContainers: [{ name: "init" }] });
  assert.equal(allContainerNames(two), "app, side, init (init)");
  assert.equal(defaultContainer(two, "side", note), "side");
  assert.deepEqual(notices, []);
  assert.equal(defaultContainer(two, undefined, note), "app");
  assert.deepEqual(notices.splice(0), ['Defaulted container "app" out of: app, side, init (init)']);
  assert.equal(defaultContainer(pod({ containers: [{ name: "only" }] }), undefined, note), "only");
  assert.deepEqual(notices, []);
  const annotated = pod({ containers: [{ name: "app" }, { name: "side" }] }, { "kubectl.kubernetes.io/default-container": "side" });
  assert.equal(defaultContainer(annotated, undefined, note), "side");
  assert.deepEqual(notices, []);
  const wrong = pod({ containers: [{ name: "app" }, { name: "side" }] }, { "kubectl.kubernetes.io/default-container": "nope" });
  assert.equal(defaultContainer(wrong, undefined, note), "app");
  assert.deepEqual(notices, ['Default container name "nope" not found in pod p', 'Defaulted container "app" out of: app, side']);
});
