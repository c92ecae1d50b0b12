// k8s.io/pod-security-admission/policy/registry_test.go and checks_test.go (v0.32.4).
import { test } from "node:test";
import assert from "node:assert/strict";
import { type Level, parseVersion } from "../api.ts";
import { aggregateCheckResults, type Check, type CheckID, forbiddenDetail, forbiddenReason } from "./checks.ts";
import { defaultChecks } from "./index.ts";
import { type Evaluator, newEvaluator, validateChecks } from "./registry.ts";

const version = (v: string) => {
  const r = parseVersion(v);
  if (r.err) throw new Error(r.err);
  return r.version;
};

function generateCheck(id: CheckID, level: Level, versions: string[]): Check {
  return { id, level, versions: versions.map((v) => ({ minimumVersion: version(v), checkPod: () => ({ allowed: false, forbiddenReason: `${id}:${v}` }) })) };
}

function withOverrides(c: Check, overrides: CheckID[]): Check {
  for (const v of c.versions) v.overrideCheckIDs = overrides;
  return c;
}

function run(reg: Evaluator, level: Level, v: string, expected: string[]): void {
  const results = reg.evaluatePod({ level, version: version(v) }, undefined, { containers: [] });
  assert.deepEqual(
    results.map((r) => r.forbiddenReason),
    expected,
    `${level}:${v}`,
  );
}

test("TestCheckRegistry", () => {
  const multiOverride = generateCheck("i", "restricted", ["v1.10", "v1.21"]);
  multiOverride.versions[0]!.overrideCheckIDs = ["c"];
  multiOverride.versions[1]!.overrideCheckIDs = ["d"];
  const reg = newEvaluator([
    generateCheck("a", "baseline", ["v1.0"]),
    generateCheck("b", "baseline", ["v1.10"]),
    generateCheck("c", "baseline", ["v1.0", "v1.5", "v1.10"]),
    generateCheck("d", "baseline", ["v1.11", "v1.15", "v1.20"]),
    generateCheck("e", "restricted", ["v1.0"]),
    generateCheck("f", "restricted", ["v1.12", "v1.16", "v1.21"]),
    withOverrides(generateCheck("g", "restricted", ["v1.10"]), ["a"]),
    withOverrides(generateCheck("h", "restricted", ["v1.0"]), ["b"]),
    multiOverride,
  ]);
  run(reg, "privileged", "v1.0", []);
  run(reg, "privileged", "latest", []);
  run(reg, "baseline", "v1.0", ["a:v1.0", "c:v1.0"]);
  run(reg, "baseline", "v1.4", ["a:v1.0", "c:v1.0"]);
  run(reg, "baseline", "v1.5", ["a:v1.0", "c:v1.5"]);
  run(reg, "baseline", "v1.10", ["a:v1.0", "b:v1.10", "c:v1.10"]);
  run(reg, "baseline", "v1.11", ["a:v1.0", "b:v1.10", "c:v1.10", "d:v1.11"]);
  run(reg, "baseline", "latest", ["a:v1.0", "b:v1.10", "c:v1.10", "d:v1.20"]);
  run(reg, "restricted", "v1.0", ["a:v1.0", "c:v1.0", "e:v1.0", "h:v1.0"]);
  run(reg, "restricted", "v1.4", ["a:v1.0", "c:v1.0", "e:v1.0", "h:v1.0"]);
  run(reg, "restricted", "v1.5", ["a:v1.0", "c:v1.5", "e:v1.0", "h:v1.0"]);
  run(reg, "restricted", "v1.10", ["e:v1.0", "g:v1.10", "h:v1.0", "i:v1.10"]);
  run(reg, "restricted", "v1.11", ["d:v1.11", "e:v1.0", "g:v1.10", "h:v1.0", "i:v1.10"]);
  run(reg, "restricted", "latest", ["c:v1.10", "e:v1.0", "f:v1.21", "g:v1.10", "h:v1.0", "i:v1.21"]);
  run(reg, "restricted", "v1.10000", ["c:v1.10", "e:v1.0", "f:v1.21", "g:v1.10", "h:v1.0", "i:v1.21"]);
});

test("TestCheckRegistry_NoBaseline", () => {
  const reg = newEvaluator([
    generateCheck("e", "restricted", ["v1.0"]),
    generateCheck("f", "restricted", ["v1.12", "v1.16", "v1.21"]),
    withOverrides(generateCheck("g", "restricted", ["v1.10"]), ["a"]),
    withOverrides(generateCheck("h", "restricted", ["v1.0"]), ["b"]),
  ]);
  run(reg, "privileged", "v1.0", []);
  run(reg, "privileged", "latest", []);
  run(reg, "baseline", "v1.0", []);
  run(reg, "baseline", "v1.10", []);
  run(reg, "baseline", "latest", []);
  run(reg, "restricted", "v1.0", ["e:v1.0", "h:v1.0"]);
  run(reg, "restricted", "v1.10", ["e:v1.0", "g:v1.10", "h:v1.0"]);
  run(reg, "restricted", "latest", ["e:v1.0", "f:v1.21", "g:v1.10", "h:v1.0"]);
  run(reg, "restricted", "v1.10000", ["e:v1.0", "f:v1.21", "g:v1.10", "h:v1.0"]);
});

test("TestCheckRegistry_NoRestricted: restricted results are identical to baseline's", () => {
  const reg = newEvaluator([
    generateCheck("a", "baseline", ["v1.0"]),
    generateCheck("b", "baseline", ["v1.10"]),
    generateCheck("c", "baseline", ["v1.0", "v1.5", "v1.10"]),
    generateCheck("d", "baseline", ["v1.11", "v1.15", "v1.20"]),
  ]);
  const cases: Array<[string, string[]]> = [
    ["v1.0", ["a:v1.0", "c:v1.0"]],
    ["v1.4", ["a:v1.0", "c:v1.0"]],
    ["v1.5", ["a:v1.0", "c:v1.5"]],
    ["v1.10", ["a:v1.0", "b:v1.10", "c:v1.10"]],
    ["v1.11", ["a:v1.0", "b:v1.10", "c:v1.10", "d:v1.11"]],
    ["latest", ["a:v1.0", "b:v1.10", "c:v1.10", "d:v1.20"]],
  ];
  for (const [v, expected] of cases) {
    run(reg, "baseline", v, expected);
    run(reg, "restricted", v, expected);
  }
});

test("TestCheckRegistry_Empty", () => {
  const reg = newEvaluator([]);
  for (const l of ["privileged", "baseline", "restricted"] as Level[]) run(reg, l, "latest", []);
});

test("validateChecks refuses what NewEvaluator refuses", () => {
  const bad = (checks: Check[], msg: string) => assert.throws(() => validateChecks(checks), { message: msg });
  bad([generateCheck("a", "baseline", ["v1.0"]), generateCheck("a", "baseline", ["v1.1"])], "multiple checks registered for ID a");
  bad([generateCheck("a", "privileged", ["v1.0"])], "check a: invalid level privileged");
  bad([{ id: "a", level: "baseline", versions: [] }], "check a: empty");
  bad([generateCheck("a", "baseline", ["latest"])], "check a: version cannot be 'latest'");
  bad([generateCheck("a", "baseline", ["v1.2", "v1.2"])], "check a: duplicate version v1.2");
  bad([generateCheck("a", "baseline", ["v1.3", "v1.2"])], "check a: versions must be strictly increasing");
  bad([withOverrides(generateCheck("a", "baseline", ["v1.0"]), ["b"])], "check a: only restricted checks may set overrides");
  bad([generateCheck("b", "restricted", ["v1.0"]), withOverrides(generateCheck("a", "restricted", ["v1.0"]), ["b"])], "check a: overrides restricted check b");
});

test("TestValidChecks, and the checks v1.32 registers", () => {
  validateChecks(defaultChecks());
  const all = new Set(defaultChecks().map((c) => c.id));
  for (const c of defaultChecks()) for (const v of c.versions) for (const o of v.overrideCheckIDs ?? []) assert.ok(all.has(o), `check ${c.id} overrides non-existent check ${o}`);
  const ids = (level: Level) => defaultChecks().filter((c) => c.level === level).map((c) => c.id);
  assert.deepEqual(ids("baseline").sort(), ["appArmorProfile", "capabilities_baseline", "hostNamespaces", "hostPathVolumes", "hostPorts", "privileged", "procMount", "seLinuxOptions", "seccompProfile_baseline", "sysctls", "windowsHostProcess"]);
  assert.deepEqual(ids("restricted").sort(), ["allowPrivilegeEscalation", "capabilities_restricted", "restrictedVolumes", "runAsNonRoot", "runAsUser", "seccompProfile_restricted"]);
});

test("aggregateCheckResults: reasons in order, details in parentheses, a missing reason named", () => {
  const a = aggregateCheckResults([
    { allowed: true },
    { allowed: false, forbiddenReason: "host ports", forbiddenDetail: "8080, 9090" },
    { allowed: false, forbiddenReason: "privileged containers" },
    { allowed: false, forbiddenReason: "", forbiddenDetail: "x" },
  ]);
  assert.equal(a.allowed, false);
  assert.equal(forbiddenReason(a), "host ports, privileged containers, unknown forbidden reason");
  assert.equal(forbiddenDetail(a), "host ports (8080, 9090), privileged containers, unknown forbidden reason (x)");
  assert.deepEqual(aggregateCheckResults([{ allowed: true }]), { allowed: true, forbiddenReasons: [], forbiddenDetails: [] });
});
