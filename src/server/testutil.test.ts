// Tests that need the real kubectl skip where it is missing, except under
// KUBE_SCENARIO_REQUIRE_KUBECTL=1 (.ci/run), where they run and fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

function probe(env: Record<string, string>): { noKubectl: unknown; thrown: string | null } {
  const code = `const t = await import("./src/server/testutil.ts");
let thrown = null;
try { t.requireKubectl(); } catch (e) { thrown = e.message; }
console.log(JSON.stringify({ noKubectl: t.NO_KUBECTL, thrown }));`;
  // PATH without kubectl (node is started by its absolute path).
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", env: { HOME: process.env.HOME ?? "/tmp", PATH: "/nonexistent", ...env } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

test("without kubectl: its tests skip with the reason, and fail under KUBE_SCENARIO_REQUIRE_KUBECTL=1", () => {
  const plain = probe({});
  assert.match(String(plain.noKubectl), /^kubectl is not installed on this machine \(.*ENOENT/);
  const required = probe({ KUBE_SCENARIO_REQUIRE_KUBECTL: "1" });
  assert.equal(required.noKubectl, false, "not skipped");
  assert.match(required.thrown ?? "", /kubectl is not installed on this machine .*KUBE_SCENARIO_REQUIRE_KUBECTL=1/);
});
