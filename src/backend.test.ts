// SimBackend's checks: a failed check about a pod carries the pod's story when the backend was given
// an explainer (as support/world.ts gives it the report's withExplanation), and its own error otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SimBackend } from "./backend.ts";
import { Cluster } from "./cluster.ts";
import { expect } from "./assert/expect.ts";
import { checkPodPhase } from "./assert/pods.ts";

const expectPodPhase = (v: Parameters<typeof checkPodPhase>[0], pod: string, phase: string) => expect(checkPodPhase(v, pod, phase));
import { withExplanation } from "./report/explain.ts";

const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n";

async function withBackend(explain: boolean, fn: (b: SimBackend) => void): Promise<void> {
  const c = new Cluster();
  try {
    const b = new SimBackend(c, explain ? withExplanation : undefined);
    b.addNodes([{ name: "k8s-node1" }]);
    b.apply(pod, "-");
    b.pass(30_000);
    fn(b);
  } finally {
    await c.close();
  }
}

test("a failed check about a pod is explained when the backend has an explainer", async () => {
  await withBackend(true, (b) => {
    assert.equal(b.check((v) => (expectPodPhase(v, "web", "Running"), "ok"), "web"), "ok");
    assert.throws(() => b.check((v) => expectPodPhase(v, "web", "Succeeded"), "web"), (err: Error) => {
      assert.match(err.message, /--- why ---\npod "web": phase Running\b/);
      return true;
    });
  });
});

test("without an explainer, or without a pod named, the check's own error is thrown unchanged", async () => {
  await withBackend(false, (b) => {
    assert.throws(() => b.check((v) => expectPodPhase(v, "web", "Succeeded"), "web"), (err: Error) => !err.message.includes("--- why ---"));
  });
  await withBackend(true, (b) => {
    assert.throws(() => b.check((v) => expectPodPhase(v, "web", "Succeeded")), (err: Error) => !err.message.includes("--- why ---"));
  });
});
