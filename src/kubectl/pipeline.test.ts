import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../sim/clock.ts";
import { runLocalShell, splitPipe } from "./pipeline.ts";

test("splitPipe: the first unquoted pipe; quoted ones, || and a bare pipe are not", () => {
  assert.deepEqual(splitPipe(`kubectl get pods -o jsonpath="{..image}" | tr -s '[[:space:]]' '\\n' | sort`), {
    first: `kubectl get pods -o jsonpath="{..image}"`,
    rest: `tr -s '[[:space:]]' '\\n' | sort`,
  });
  assert.equal(splitPipe(`kubectl get secret x -o go-template='{{.data.password | base64decode}}'`), undefined);
  assert.equal(splitPipe(`kubectl get pods -o jsonpath="{.a|b}"`), undefined);
  assert.equal(splitPipe(`kubectl get pods \\| x`), undefined);
  assert.equal(splitPipe(`kubectl get pods || true`), undefined);
  assert.equal(splitPipe(`kubectl get pods |`), undefined);
});

test("runLocalShell: text tools over kubectl's output; the last command's exit code; a waiting command is refused", () => {
  const clock = new SimClock();
  assert.deepEqual(runLocalShell(clock, "tr -s '[[:space:]]' '\\n' | sort | uniq -c", "b a b\n"), { stdout: "      1 a\n      2 b\n", stderr: "", exitCode: 0 });
  assert.deepEqual(runLocalShell(clock, "base64 --decode", "eyJhdXRocyI6e319"), { stdout: '{"auths":{}}', stderr: "", exitCode: 0 });
  assert.deepEqual(runLocalShell(clock, "base64", "admin"), { stdout: "YWRtaW4=\n", stderr: "", exitCode: 0 });
  assert.deepEqual(runLocalShell(clock, "base64 -d", "not base64!"), { stdout: "", stderr: "base64: invalid input\n", exitCode: 1 });
  assert.equal(runLocalShell(clock, "grep nope", "x\n").exitCode, 1);
  const slept = runLocalShell(clock, "sleep 5", "");
  assert.equal(slept.exitCode, 1);
  assert.match(slept.stderr, /does not let time pass/);
  assert.equal(clock.now(), new SimClock().now());
});

test("runKubectl: a pipeline of local tools alone runs in the local shell", async () => {
  const { Cluster } = await import("../cluster.ts");
  const c = new Cluster();
  const r = c.kubectlSync(`echo "amFuZWRvZTp4eHh4eHh4eHh4eA==" | base64 --decode`);
  assert.deepEqual([r.stdout, r.stderr, r.exitCode], ["janedoe:xxxxxxxxxxx", "", 0]);
  const k = c.kubectlSync(`kubectl get pods -o jsonpath="{..image}" | wc -l`);
  assert.deepEqual([k.stdout.trim(), k.stderr, k.exitCode], ["0", "", 0]);
  await c.close();
});
