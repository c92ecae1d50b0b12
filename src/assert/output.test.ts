import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { SimBackend } from "../backend.ts";
import { compareOutput, outputUntil } from "./output.ts";

function withPod(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: nginx, image: nginx}]\n");
  return c;
}

const run = (c: Cluster, seen: string[] = []) => () => {
  const r = c.kubectlSync("get pod web");
  seen.push(r.stdout);
  return r;
};

test("outputUntil runs the command at each step of the clock until the text shows, and says when", () => {
  const c = withPod();
  const seen: string[] = [];
  const held = new SimBackend(c).within(60_000, 100, outputUntil("kubectl get pod web", "1/1     Running", run(c, seen)));
  const took = held.tookMs;
  assert.match(held.instant, /^the output of "kubectl get pod web" contained the text after \d+(\.\d)? s \(at 2024-01-08T00:00:\d\d/);
  assert.ok(took > 0 && took < 60_000, `took ${took} ms`);
  assert.equal(c.clock.now() - Date.parse("2024-01-08T00:00:00Z"), took);
  assert.match(seen[0], /ContainerCreating/);
  assert.match(seen[seen.length - 1], /1\/1 {5}Running/);
});

test("outputUntil fails when the time is up, with the last output", () => {
  const c = withPod();
  assert.throws(
    () => new SimBackend(c).within(2_000, 100, outputUntil("kubectl get pod web", "CrashLoopBackOff", run(c))),
    /the output of "kubectl get pod web" did not contain within 2 s:\nCrashLoopBackOff\n\nits last output \(at 2024-01-08T00:00:02Z\) was:\nNAME {2}/,
  );
});

test("compareOutput ignores trailing spaces and blank lines only", () => {
  assert.equal(compareOutput("a  \nb\n\n", "a\nb"), undefined);
  assert.match(compareOutput("a\nb", "a\nc") ?? "", /- c\n\+ b/);
});
