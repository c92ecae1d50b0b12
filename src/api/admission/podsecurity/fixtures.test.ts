// k8s.io/pod-security-admission/test's fixtures (v0.32.4, testdata/README.md): every version from
// v1.0 to v1.32, and `latest`, against the evaluator: each `pass` pod is allowed, each `fail` pod
// refused, at its level and version.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { KObject } from "../../types.ts";
import { LATEST, type Level, majorMinorVersion, type Version } from "./api.ts";
import { aggregateCheckResults, forbiddenDetail } from "./policy/checks.ts";
import { defaultEvaluator } from "./policy/index.ts";

const root = join(import.meta.dirname, "testdata");

function kept(level: Level): number[] {
  return readdirSync(join(root, level))
    .map((d) => Number(d.replace(/^v1\./, "")))
    .sort((a, b) => a - b);
}

function pods(level: Level, minor: number, which: "pass" | "fail"): KObject[] {
  const text = readFileSync(join(root, level, `v1.${minor}`, `${which}.yaml`), "utf8");
  const out = parseAllDocuments(text).map((d) => d.toJS() as KObject);
  // The API server's defaulting (SetDefaults_Volume) gives a volume without a source an emptyDir,
  // as upstream's test sees it once created.
  for (const pod of out) for (const v of pod.spec.volumes ?? []) if (Object.keys(v).length === 1) v.emptyDir = {};
  return out;
}

for (const level of ["baseline", "restricted"] as Level[]) {
  const dirs = kept(level);
  test(`fixtures: ${level}, v1.0 to v1.32 and latest`, () => {
    const versions: Array<[Version, number]> = [];
    for (let minor = 0; minor <= 32; minor++) versions.push([majorMinorVersion(1, minor), dirs.filter((d) => d <= minor).pop()!]);
    versions.push([LATEST, 32], [majorMinorVersion(1, 40), 32]);
    let checked = 0;
    for (const [version, dir] of versions) {
      const v = version.latest ? "latest" : `v1.${version.minor}`;
      const evaluate = (pod: KObject) => aggregateCheckResults(defaultEvaluator().evaluatePod({ level, version }, pod.metadata, pod.spec));
      for (const pod of pods(level, dir, "pass")) {
        const r = evaluate(pod);
        assert.ok(r.allowed, `${level}:${v} ${pod.metadata.name} should pass: ${forbiddenDetail(r)}`);
        checked++;
      }
      for (const pod of pods(level, dir, "fail")) {
        assert.ok(!evaluate(pod).allowed, `${level}:${v} ${pod.metadata.name} should fail`);
        checked++;
      }
    }
    assert.ok(checked > 1000, `only ${checked} fixtures checked`);
  });
}

test("fixtures: a restricted fail pod names each check it fails, as the API server's message does", () => {
  const pod = pods("restricted", 32, "fail").find((p) => p.metadata.name === "allowprivilegeescalation0")!;
  const r = aggregateCheckResults(defaultEvaluator().evaluatePod({ level: "restricted", version: LATEST }, pod.metadata, pod.spec));
  assert.equal(forbiddenDetail(r), `allowPrivilegeEscalation != false (container "container1" must set securityContext.allowPrivilegeEscalation=false)`);
});
