#!/usr/bin/env node
// The path a course author and a grader take, checked on the packed tarball (CI runs it: .ci/run):
//   npm pack (prepack builds dist/) -> the tarball holds the package and nothing of the framework's
//   own (tests, features, benchmarks, scripts, sources) -> in an empty folder `npx kube-scenario
//   init` (from the tarball) -> `npm install` -> `npm test` passes (the starter's features, a course
//   step of its own, no tsx installed) -> `grade --check hidden/` passes -> `grade hidden/` earns
//   every point -> a submission with one flawed exercise, read with --exercises, loses exactly
//   that exercise's points and exits 1 below the pass mark -> an undefined step in the hidden
//   features fails `grade --check` (1) and `grade` (2) -> the Korean starter passes, and its
//   failures are explained in Korean -> the programmatic API and the types work from the package
//   -> `kube-scenario report` builds an Allure report with each exercise and its points, one
//   category for the submission's mistakes, the explanation on the failing step.
// Installs use the npm cache first (--prefer-offline; `npm ci` fills it), the registry otherwise.
// Prints each check; exits 1 at the first that fails. KEEP=1 keeps the scratch folder.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

const root = resolve(new URL("..", import.meta.url).pathname);
const work = mkdtempSync(join(tmpdir(), "kube-scenario-package-"));
const t0 = performance.now();
let checks = 0;

function fail(message, output = "") {
  console.error(`check-package: FAILED: ${message}${output ? `\n--- output ---\n${output.slice(-6000)}` : ""}`);
  console.error(`(scratch folder kept: ${work})`);
  process.exit(1);
}

function ok(message) {
  checks++;
  console.log(`  ok ${checks} - ${message}`);
}

/** Runs a command; fails unless it exits with `status`. Returns its output. */
function run(cmd, args, { cwd, status = 0, what } = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ALLURE_NO_ANALYTICS: "true", FORCE_COLOR: "0", npm_config_update_notifier: "false" }, maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (r.error) fail(`${what ?? `${cmd} ${args.join(" ")}`}: ${r.error.message}`);
  if (status !== null && r.status !== status) fail(`${what ?? `${cmd} ${args.join(" ")}`} (in ${cwd ?? root}) exited ${r.status}, expected ${status}`, out);
  return out;
}

const json = (p) => JSON.parse(readFileSync(p, "utf8"));
const lastLine = (out) => out.trimEnd().split("\n").pop();

console.log(`check-package: the packed package, installed into a course made by init (${work})`);

// 1. The tarball.
run("npm", ["pack", "--pack-destination", work, "--silent"], { cwd: root, what: "npm pack (prepack builds dist/)" });
const tgz = join(work, readdirSync(work).find((f) => f.endsWith(".tgz")) ?? fail("npm pack wrote no tarball"));
const files = run("tar", ["tzf", tgz]).trim().split("\n");
for (const f of ["package/dist/src/index.js", "package/dist/src/index.d.ts", "package/dist/support/index.js", "package/dist/support/index.d.ts", "package/dist/src/cli/index.js", "package/dist/editor/steps.mjs", "package/support/preset.mjs", "package/bin/kube-scenario.mjs", "package/templates/common/package.json.tmpl", "package/docs/steps.md", "package/CHANGELOG.md"]) {
  if (!files.includes(f)) fail(`the tarball lacks ${f}`);
}
const stray = files.filter((f) => /\.test\.|^package\/(features|bench|scripts|\.ci|src|steps|exercises)\/|^package\/support\/.*\.ts$/.test(f));
if (stray.length) fail(`the tarball holds the framework's own files: ${stray.slice(0, 10).join(", ")}`);
ok(`npm pack: ${files.length} files, the built package only (no tests, features, benchmarks, sources)`);

// 2. init from the tarball, in an empty folder, then npm install.
const course = join(work, "course");
mkdirSync(course);
run("npm", ["exec", "--yes", "--prefer-offline", "--no-audit", "--no-fund", `--package=${tgz}`, "--", "kube-scenario", "init", "--dependency", `file:${tgz}`], { cwd: course, what: "npx kube-scenario init" });
for (const f of ["features/probes.feature", "exercises/probes/pod-readiness.yaml", "hidden/qos.feature", "steps/course.steps.mjs", "cucumber.mjs", ".github/workflows/test.yml", ".github/workflows/grade.yml", ".gitlab-ci.yml", ".vscode/settings.json", ".gitignore", "README.md"]) {
  if (!existsSync(join(course, f))) fail(`init did not write ${f}`);
}
ok("npx kube-scenario init: features/, exercises/, hidden/, steps/, CI for GitHub and GitLab, .vscode/, README");
run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: course, what: "npm install" });
if (existsSync(join(course, "node_modules/tsx"))) fail("tsx is installed in the course: the package must not need it");
if (!existsSync(join(course, "node_modules/@cucumber/cucumber"))) fail("npm install did not install the peer @cucumber/cucumber");
ok("npm install: kube-scenario with its Cucumber (peer) and no TypeScript loader");

// 3. npm test.
let out = run("npm", ["test"], { cwd: course, what: "npm test" });
if (lastLine(out) !== "4 passed, 0 failed") fail(`npm test ended with "${lastLine(out)}", expected "4 passed, 0 failed"`, out);
if (existsSync(join(course, "reports/grade.json"))) fail("npm test wrote reports/grade.json: only grade may");
for (const f of ["reports/cucumber.html", "reports/junit.xml", "reports/messages.ndjson", "reports/allure-results"]) if (!existsSync(join(course, f))) fail(`npm test did not write ${f}`);
ok("npm test: 4 passed, 0 failed (a course step of its own included), every report, no grade file");

for (const cmd of ["test", "grade", "report", "init", "steps", "serve", "advance"]) {
  const help = run("npx", ["kube-scenario", cmd, "--help"], { cwd: course, what: `kube-scenario ${cmd} --help` });
  if (!help.startsWith(`usage: kube-scenario ${cmd}`)) fail(`kube-scenario ${cmd} --help prints no usage`, help);
}
const catalogue = run("npx", ["kube-scenario", "steps"], { cwd: course, what: "kube-scenario steps" });
for (const phrase of ["`pod {string} runs on a node labelled {string}` | `파드 {string} 는 {string} 레이블이 붙은 노드에서 실행된다`", "`a cluster with nodes:` | `다음 노드들로 구성된 클러스터가 있다:`"]) {
  if (!catalogue.includes(phrase)) fail(`kube-scenario steps does not list ${phrase}`, catalogue.slice(0, 3000));
}
ok("--help on every command; kube-scenario steps lists the package's steps and the course's own, with their Korean phrases");

// 4. grade --check and grade.
out = run("npx", ["kube-scenario", "grade", "--check", "hidden/"], { cwd: course, what: "kube-scenario grade --check hidden/" });
if (!/grade --check: every step of 5 scenario\(s\) is defined/.test(out)) fail("grade --check did not confirm the hidden features", out);
out = run("npx", ["kube-scenario", "grade", "hidden/", "--pass-mark", "60%"], { cwd: course, what: "kube-scenario grade hidden/" });
let grade = json(join(course, "reports/grade.json"));
if (grade.total !== 7 || grade.earned !== 7 || !grade.passed || !grade.valid) fail(`the starter's grade is ${grade.earned}/${grade.total}, expected 7/7 and passed`, out);
if (grade.exercises.qos.points !== 2) fail(`the qos Outline's two rows should count 1 point each, got ${grade.exercises.qos.points}`);
if (!/^grade: 7\/7 points \(100%\), passed$/m.test(out)) fail("the console does not end with the score", out);
ok("grade --check hidden/ passes; grade hidden/: 7/7 (Feature tags inherited, one point per Outline row), score table on the console");

// 5. A submission with a flawed exercise, read from elsewhere with --exercises.
const submission = join(work, "submission");
cpSync(join(course, "exercises"), join(submission, "exercises"), { recursive: true });
const flawed = join(submission, "exercises/probes/pod-readiness.yaml");
writeFileSync(flawed, readFileSync(flawed, "utf8").replace(`"cat", "/readiness/ready.txt"`, `"cat", "/readiness/redy.txt"`));
out = run("npx", ["kube-scenario", "grade", "hidden/", "--exercises", submission + "/exercises", "--pass-mark", "100%"], { cwd: course, status: 1, what: "grade of a flawed submission (pass mark 100%)" });
grade = json(join(course, "reports/grade.json"));
if (grade.earned !== 5 || grade.exercises.probes.earned !== 0 || grade.passed) fail(`the flawed submission earned ${grade.earned}/7 (probes ${grade.exercises.probes.earned}/2), expected 5/7 with probes 0/2`, out);
const probes = grade.scenarios.find((s) => s.exercise === "probes");
if (probes.status !== "failed" || !/pod-readiness/.test(probes.failure?.message ?? "") || !/becomes Ready/.test(probes.failure?.step ?? "")) fail(`the failed probes scenario does not carry its failure: ${JSON.stringify(probes)}`);
if (!/^probes .* failed: hidden\/probes\.feature:\d+ Then within 1 minute pod "pod-readiness" becomes Ready$/m.test(out)) fail("the score table does not show the probes failure", out);
run("npx", ["kube-scenario", "grade", "hidden/", "--exercises", submission + "/exercises", "--pass-mark", "60%"], { cwd: course, status: 0, what: "grade of the flawed submission, pass mark 60%" });
ok("a flawed exercise loses exactly its 2 points (5/7): exit 1 below the pass mark (100%), 0 above it (60%); the failure's first lines in grade.json");

// 6. An instructor's typo.
writeFileSync(join(course, "hidden/typo.feature"), 'Feature: typo\n\n  @points:1 @exercise:typo\n  Scenario: a typo\n    Given a cluster with nodes:\n      | name      |\n      | k8s-node1 |\n    When I aply the manifest file "exercises/qos/pod-guaranteed.yaml"\n');
out = run("npx", ["kube-scenario", "grade", "--check", "hidden/"], { cwd: course, status: 1, what: "grade --check with an undefined step" });
if (!/undefined step `When I aply the manifest file "exercises\/qos\/pod-guaranteed.yaml"` at hidden\/typo\.feature:8/.test(out)) fail("grade --check does not name the undefined step", out);
run("npx", ["kube-scenario", "grade", "hidden/", "--pass-mark", "0"], { cwd: course, status: 2, what: "grade with an undefined step" });
if (json(join(course, "reports/grade.json")).valid !== false) fail("a grade over an undefined step is not marked invalid");
rmSync(join(course, "hidden/typo.feature"));
ok("an undefined step in hidden/: grade --check exits 1 naming it, grade exits 2 with an invalid grade");

// 7. The Korean starter (same installed packages), and its explanations.
const ko = join(work, "course-ko");
mkdirSync(ko);
run("npx", ["kube-scenario", "init", "--lang", "ko", ko], { cwd: course, what: "kube-scenario init --lang ko" });
symlinkSync(join(course, "node_modules"), join(ko, "node_modules"));
out = run("npx", ["kube-scenario", "test"], { cwd: ko, what: "kube-scenario test (Korean)" });
if (lastLine(out) !== "4 passed, 0 failed") fail(`the Korean starter ended with "${lastLine(out)}"`, out);
const koFlawed = join(ko, "exercises/probes/pod-readiness.yaml");
writeFileSync(koFlawed, readFileSync(koFlawed, "utf8").replace(`"cat", "/readiness/ready.txt"`, `"cat", "/readiness/redy.txt"`));
out = run("npx", ["kube-scenario", "test", "features/probes.feature"], { cwd: ko, status: 1, what: "a failing Korean scenario" });
const messages = readFileSync(join(ko, "reports/messages.ndjson"), "utf8");
if (!messages.includes("--- why ---\\n파드 \\\"pod-readiness\\\": phase Running") || !messages.includes("지금의 파드:")) fail("the Korean scenario's failure is not explained in Korean", out);
ok("init --lang ko: the Korean starter passes; a Korean failure is explained in Korean");

// 8. The programmatic API and the types.
out = run("node", ["--input-type=module", "-e", `
  import { Cluster } from "kube-scenario";
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  await c.apply("apiVersion: v1\\nkind: Pod\\nmetadata: {name: web}\\nspec: {containers: [{name: app, image: nginx}]}\\n");
  await c.advance("30s");
  console.log((await c.kubectl("get pods")).stdout);
`], { cwd: course, what: "import { Cluster } from \"kube-scenario\"" });
if (!/^web\s+1\/1\s+Running\s+0\s+30s$/m.test(out)) fail("the programmatic API did not run a pod", out);
writeFileSync(join(course, "types.ts"), `import { Cluster, type KubectlResult } from "kube-scenario";
import { Then, type KubeWorld } from "kube-scenario/steps";
import preset, { STEP_LIBRARY } from "kube-scenario/cucumber";
const r: KubectlResult = new Cluster().kubectlSync("get pods");
const code: number = r.exitCode;
Then("a step of mine {string}", function (this: KubeWorld, name: string) { return this.cluster.get("Pod", name); });
const library: string = STEP_LIBRARY;
export { code, library, preset };
`);
writeFileSync(join(course, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, skipLibCheck: false, types: ["node"], typeRoots: [join(root, "node_modules/@types")] }, files: ["types.ts"] }));
// skipLibCheck off, so kube-scenario's own .d.ts files are checked; errors in other packages'
// declarations (e.g. @kubernetes/client-node's use of ws without @types/ws) are theirs, not ours.
out = run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "."], { cwd: course, status: null });
const typeErrors = out.split("\n").filter((l) => /error TS/.test(l) && (l.startsWith("types.ts") || l.startsWith("node_modules/kube-scenario/")));
if (typeErrors.length) fail("the package's types do not check", typeErrors.join("\n"));
ok("import { Cluster } from \"kube-scenario\" runs without tsx; the .d.ts files type-check a consumer (kube-scenario, /steps, /cucumber)");

// 9. The Allure report of the flawed submission's grade.
run("npx", ["kube-scenario", "grade", "hidden/", "--exercises", submission + "/exercises"], { cwd: course, status: 1, what: "grade of the flawed submission, again" });
const results = readdirSync(join(course, "reports/allure-results")).filter((f) => f.endsWith("-result.json")).map((f) => json(join(course, "reports/allure-results", f)));
const failed = results.find((r) => r.status === "failed");
const failingStep = failed?.steps?.find((s) => s.status === "failed");
const names = JSON.stringify(failingStep ?? {});
if (!failingStep || !names.includes("explanation.txt") || !names.includes("timeline.svg")) fail(`the explanation and timeline are not on the failing step: ${names.slice(0, 400)}`);
run("npx", ["kube-scenario", "report"], { cwd: course, what: "kube-scenario report" });
const suites = readFileSync(join(course, "reports/allure-report/data/suites.json"), "utf8");
for (const s of ["Exercises", "probes — 0/2 points", "qos — 2/2 points", "lifecycle — 1/1 points", "scheduling — 2/2 points"]) if (!suites.includes(s)) fail(`the Allure report's suites lack "${s}"`, suites.slice(0, 2000));
const categories = json(join(course, "reports/allure-report/data/categories.json"));
const catNames = (categories.children ?? []).map((c) => c.name);
if (catNames.join() !== "The submission does not do what the exercise asks") fail(`the Allure categories are ${JSON.stringify(catNames)}`);
const behaviors = json(join(course, "reports/allure-report/data/behaviors.json"));
const leaves = [];
const walk = (n) => (n.children ? n.children.forEach(walk) : leaves.push(n.uid));
walk(behaviors);
if (new Set(leaves).size !== leaves.length) fail("a test is listed twice under Behaviors");
if (!existsSync(join(course, "reports/allure-single/index.html"))) fail("no one-file Allure report");
ok("Allure: each exercise a suite with its points, one category for the submission's mistakes, explanation and timeline on the failing step, no duplicate under Behaviors");

console.log(`check-package: ${checks} checks passed in ${Math.round((performance.now() - t0) / 1000)} s`);
if (process.env.KEEP !== "1") rmSync(work, { recursive: true, force: true });
