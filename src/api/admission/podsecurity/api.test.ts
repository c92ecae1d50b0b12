// k8s.io/pod-security-admission/api/helpers_test.go (v0.32.4).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  compareLevels,
  DEFAULT_POLICY,
  equivalentLevelVersion,
  equivalentPolicy,
  fullyPrivileged,
  LABEL_PREFIX,
  LATEST,
  type Level,
  type LevelVersion,
  majorMinorVersion,
  parseLevel,
  parseVersion,
  type Policy,
  policyToEvaluate,
  type Version,
} from "./api.ts";

test("TestParseVersion", () => {
  const successes: Record<string, Version> = {
    latest: LATEST,
    "v1.0": majorMinorVersion(1, 0),
    "v1.1": majorMinorVersion(1, 1),
    "v1.20": majorMinorVersion(1, 20),
    "v1.10000": majorMinorVersion(1, 10000),
  };
  for (const [v, expected] of Object.entries(successes)) {
    const r = parseVersion(v);
    assert.equal(r.err, undefined, v);
    assert.equal(r.version, expected, v);
  }
  for (const v of ["foo", "", "v2.0", "v1", "1.1", "v1.01", "v1.99999999999999999999"]) {
    const r = parseVersion(v);
    assert.equal(r.err, `must be "latest" or "v1.x"`, v);
    assert.equal(r.version, LATEST, v);
  }
});

test("ParseLevel: the three levels; anything else is restricted and an error", () => {
  for (const l of ["privileged", "baseline", "restricted"]) assert.deepEqual(parseLevel(l), { level: l });
  assert.deepEqual(parseLevel("Restricted"), { level: "restricted", err: "must be one of privileged, baseline, restricted" });
  assert.deepEqual(parseLevel(""), { level: "restricted", err: "must be one of privileged, baseline, restricted" });
});

test("TestLevelVersionEquals", () => {
  const levels: Level[] = ["privileged", "baseline", "restricted"];
  for (const l of levels) {
    for (const v of [LATEST, majorMinorVersion(1, 18), majorMinorVersion(1, 30)]) assert.ok(equivalentLevelVersion({ level: l, version: v }, { level: l, version: v }));
  }
  for (const l1 of levels) for (const l2 of levels) if (l1 !== l2) assert.ok(!equivalentLevelVersion({ level: l1, version: LATEST }, { level: l2, version: LATEST }));
  for (const l of ["baseline", "restricted"] as Level[]) {
    for (const v1 of [LATEST, majorMinorVersion(1, 18), majorMinorVersion(1, 30)]) {
      for (const v2 of [majorMinorVersion(1, 16), majorMinorVersion(1, 13)]) assert.ok(!equivalentLevelVersion({ level: l, version: v1 }, { level: l, version: v2 }));
    }
  }
  for (const v1 of [LATEST, majorMinorVersion(1, 18), majorMinorVersion(1, 30)]) {
    for (const v2 of [majorMinorVersion(1, 16), majorMinorVersion(1, 13)]) assert.ok(equivalentLevelVersion({ level: "privileged", version: v1 }, { level: "privileged", version: v2 }));
  }
});

test("TestPolicyEquals", () => {
  const privileged: Policy = DEFAULT_POLICY;
  assert.ok(fullyPrivileged(privileged));
  const privileged2: Policy = { ...privileged, enforce: { level: "privileged", version: majorMinorVersion(1, 20) } };
  assert.ok(fullyPrivileged(privileged2));
  const baseline: Policy = { ...privileged, audit: { level: "baseline", version: LATEST } };
  assert.ok(!fullyPrivileged(baseline));
  assert.ok(equivalentPolicy(privileged, privileged2), "ignore privileged versions");
  assert.ok(equivalentPolicy(baseline, baseline), "baseline policy equals itself");
  assert.ok(!equivalentPolicy(privileged, baseline), "privileged != baseline");
});

function makeLabels(...kvs: string[]): Record<string, string> {
  const labels: Record<string, string> = { "other-label": "foo-bar" };
  for (let i = 0; i < kvs.length; i += 2) labels[LABEL_PREFIX + kvs[i]] = kvs[i + 1]!;
  return labels;
}

test("TestPolicyToEvaluate", () => {
  const priv: LevelVersion = { level: "privileged", version: LATEST };
  const lv = (level: Level, version: Version = LATEST): LevelVersion => ({ level, version });
  const v = (minor: number) => majorMinorVersion(1, minor);
  const cases: Array<{ desc: string; labels: Record<string, string>; expect: Policy; expectErr?: boolean }> = [
    { desc: "simple enforce", labels: makeLabels("enforce", "baseline"), expect: { enforce: lv("baseline"), warn: lv("baseline"), audit: priv } },
    { desc: "simple warn", labels: makeLabels("warn", "restricted"), expect: { enforce: priv, warn: lv("restricted"), audit: priv } },
    { desc: "simple audit", labels: makeLabels("audit", "baseline"), expect: { enforce: priv, warn: priv, audit: lv("baseline") } },
    { desc: "enforce & warn", labels: makeLabels("enforce", "baseline", "warn", "restricted"), expect: { enforce: lv("baseline"), warn: lv("restricted"), audit: priv } },
    { desc: "enforce version", labels: makeLabels("enforce", "baseline", "enforce-version", "v1.22"), expect: { enforce: lv("baseline", v(22)), warn: lv("baseline", v(22)), audit: priv } },
    {
      desc: "enforce version & warn-version",
      labels: makeLabels("enforce", "baseline", "enforce-version", "v1.22", "warn-version", "latest"),
      expect: { enforce: lv("baseline", v(22)), warn: lv("baseline"), audit: priv },
    },
    { desc: "enforce & warn-version", labels: makeLabels("enforce", "baseline", "warn-version", "v1.23"), expect: { enforce: lv("baseline"), warn: lv("baseline", v(23)), audit: priv } },
    {
      desc: "fully specd",
      labels: makeLabels("enforce", "baseline", "enforce-version", "v1.20", "warn", "restricted", "warn-version", "v1.21", "audit", "restricted", "audit-version", "v1.22"),
      expect: { enforce: lv("baseline", v(20)), warn: lv("restricted", v(21)), audit: lv("restricted", v(22)) },
    },
    { desc: "enforce no warn", labels: makeLabels("enforce", "baseline", "warn", "privileged"), expect: { enforce: lv("baseline"), warn: priv, audit: priv } },
    { desc: "enforce warn error", labels: makeLabels("enforce", "baseline", "warn", "foo"), expect: { enforce: lv("baseline"), warn: priv, audit: priv }, expectErr: true },
    { desc: "enforce error", labels: makeLabels("enforce", "foo"), expect: { enforce: lv("restricted"), warn: priv, audit: priv }, expectErr: true },
  ];
  for (const c of cases) {
    const { policy, errs } = policyToEvaluate(c.labels, DEFAULT_POLICY);
    assert.equal(errs.length > 0, !!c.expectErr, c.desc);
    assert.deepEqual(policy, c.expect, c.desc);
  }
});

test("PolicyToEvaluate's errors name the label as field.Invalid does", () => {
  const { errs } = policyToEvaluate(makeLabels("enforce", "foo", "warn-version", "1.30"));
  assert.deepEqual(errs, [
    { field: "metadata.labels[pod-security.kubernetes.io/enforce]", detail: `Invalid value: "foo": must be one of privileged, baseline, restricted` },
    { field: "metadata.labels[pod-security.kubernetes.io/warn-version]", detail: `Invalid value: "1.30": must be "latest" or "v1.x"` },
  ]);
});

test("CompareLevels", () => {
  assert.equal(compareLevels("privileged", "baseline"), -1);
  assert.equal(compareLevels("restricted", "baseline"), 1);
  assert.equal(compareLevels("baseline", "privileged"), 1);
  assert.equal(compareLevels("baseline", "restricted"), -1);
  assert.equal(compareLevels("baseline", "baseline"), 0);
});
