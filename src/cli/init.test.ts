import { test } from "node:test";
import assert from "node:assert/strict";
import { packageName, planInit, targetName } from "./init.ts";

test("template names: dot- prefixes become dot-files, .tmpl is dropped", () => {
  assert.equal(targetName("dot-github/workflows/test.yml"), ".github/workflows/test.yml");
  assert.equal(targetName("dot-gitignore"), ".gitignore");
  assert.equal(targetName("package.json.tmpl"), "package.json");
  assert.equal(targetName("features/probes.feature"), "features/probes.feature");
});

test("a package name from the folder's name", () => {
  assert.equal(packageName("/tmp/My Course 2025"), "my-course-2025");
  assert.equal(packageName("/tmp/..."), "kubernetes-course");
});

for (const lang of ["en", "ko"] as const) {
  test(`init --lang ${lang}: every part of a course, the name and dependency filled in, one file per path`, () => {
    const plan = planInit({ lang, name: "k8s-101", dependency: "^9.9.9" });
    const targets = plan.files.map((f) => f.target);
    assert.equal(new Set(targets).size, targets.length);
    for (const t of ["package.json", "cucumber.mjs", ".gitignore", "README.md", ".github/workflows/test.yml", ".github/workflows/grade.yml", ".gitlab-ci.yml", ".vscode/settings.json", "steps/course.steps.mjs"]) assert.ok(targets.includes(t), t);
    for (const chapter of ["lifecycle", "probes", "qos", "scheduling"]) {
      assert.ok(targets.includes(`features/${chapter}.feature`), chapter);
      assert.ok(targets.includes(`hidden/${chapter}.feature`), chapter);
      assert.ok(targets.some((t) => t.startsWith(`exercises/${chapter}/`)), chapter);
    }
    const pkg = JSON.parse(plan.files.find((f) => f.target === "package.json")!.text);
    assert.equal(pkg.name, "k8s-101");
    assert.equal(pkg.devDependencies["kube-scenario"], "^9.9.9");
    assert.equal(pkg.scripts.test, "kube-scenario test");
    assert.match(plan.files.find((f) => f.target === ".gitignore")!.text, /^hidden\/$/m);
    for (const f of plan.files.filter((x) => x.target.startsWith("hidden/"))) assert.match(f.text, /@points:\d+/, f.target);
    if (lang === "ko") for (const f of plan.files.filter((x) => x.target.endsWith(".feature"))) assert.match(f.text, /^# language: ko\n/, f.target);
    assert.ok(!plan.files.some((f) => /\{\{(name|dependency)\}\}/.test(f.text)), "every placeholder is filled in");
  });
}
