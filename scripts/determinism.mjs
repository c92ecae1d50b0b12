#!/usr/bin/env node
// Reliability checks over the whole feature suite (issue: identical runs, isolation):
//  1. run the suite twice and compare every artefact that must be identical: per-scenario step
//     results, every attachment (manifests, kubectl output, snapshots, timelines), grade.json, and
//     Allure results once their run-specific ids and wall-clock times are set aside;
//  2. run it with --parallel 2, and as two shards (--shard 1/2 and 2/2, as CI would split it), and
//     compare the same per-scenario results with the serial run;
//  3. run it on the reference engine (KUBE_SCENARIO_REFERENCE_ENGINE=1, issue #19) and compare the same;
//  4. run it with another seed (KUBE_SCENARIO_SEED) and check that object names and uids do not
//     change (only tie-breaks, routing and jitter may).
// Prints what differs and exits 1 on any difference.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";

const featureArgs = process.argv.slice(2);

function runSuite(extraArgs = [], env = {}) {
  // Graded (`npm run grade`), so that reports/grade.json is written and compared too.
  const r = spawnSync(process.execPath, ["scripts/run-features.mjs", "grade", "--pass-mark", "0", "--format", "summary", ...extraArgs, ...featureArgs], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (!existsSync("reports/messages.ndjson")) throw new Error(`the suite did not run:\n${r.stderr}`);
  return { exit: r.status, ...collect() };
}

/** Per scenario (uri#name#n): step statuses and attachment bodies, in order. */
function collect() {
  const msgs = readFileSync("reports/messages.ndjson", "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const pickles = new Map();
  const cases = new Map();
  const started = new Map();
  const out = new Map();
  const seen = new Map();
  for (const m of msgs) {
    if (m.pickle) {
      const base = `${m.pickle.uri}#${m.pickle.name}`;
      seen.set(base, (seen.get(base) ?? 0) + 1);
      pickles.set(m.pickle.id, `${base}#${seen.get(base)}`);
    }
    if (m.testCase) cases.set(m.testCase.id, m.testCase.pickleId);
    if (m.testCaseStarted) {
      const k = pickles.get(cases.get(m.testCaseStarted.testCaseId));
      started.set(m.testCaseStarted.id, k);
      out.set(k, []);
    }
    if (m.testStepFinished) out.get(started.get(m.testStepFinished.testCaseStartedId)).push(`step ${m.testStepFinished.testStepResult.status} ${m.testStepFinished.testStepResult.message ?? ""}`);
    if (m.attachment) out.get(started.get(m.attachment.testCaseStartedId))?.push(`attachment ${m.attachment.fileName ?? ""}\n${m.attachment.body}`);
  }
  const grade = existsSync("reports/grade.json") ? readFileSync("reports/grade.json", "utf8") : "";
  const allure = new Map();
  if (existsSync("reports/allure-results")) {
    for (const f of readdirSync("reports/allure-results").filter((x) => x.endsWith("-result.json"))) {
      const r = JSON.parse(readFileSync(`reports/allure-results/${f}`, "utf8"));
      const strip = (s) => ({ name: s.name, status: s.status, steps: (s.steps ?? []).map(strip), attachments: (s.attachments ?? []).map((a) => a.name) });
      const key = `${r.fullName}`;
      const labels = (r.labels ?? []).filter((l) => !["host", "thread", "_fallbackTestCaseId"].includes(l.name));
      allure.set(key, [...(allure.get(key) ?? []), JSON.stringify({ ...strip(r), labels, description: r.description })]);
    }
  }
  return { scenarios: out, grade, allure };
}

function compare(label, a, b, onlyNames = false) {
  const problems = [];
  for (const [k, va] of a.scenarios) {
    const vb = b.scenarios.get(k);
    if (!vb) {
      problems.push(`${label}: scenario ${k} missing in the second run`);
      continue;
    }
    if (onlyNames && steps(va) !== steps(vb)) {
      // The other seed changed the story (a tie went the other way, so the scenario's own
      // expectations no longer hold): names may legitimately differ there.
      storyChanged.push(k);
      continue;
    }
    const ta = onlyNames ? names(va) : va.join("\n---\n");
    const tb = onlyNames ? names(vb) : vb.join("\n---\n");
    if (ta !== tb) problems.push(`${label}: scenario ${k} differs:\n${firstDiff(ta, tb)}`);
  }
  if (!onlyNames && a.grade !== b.grade) problems.push(`${label}: reports/grade.json differs`);
  if (!onlyNames) {
    for (const [k, va] of a.allure) if (JSON.stringify(va.sort()) !== JSON.stringify((b.allure.get(k) ?? []).sort())) problems.push(`${label}: Allure result ${k} differs`);
  }
  return problems;
}

const storyChanged = [];
const steps = (entries) => entries.filter((e) => e.startsWith("step")).join("\n");

/** Object names seen in a scenario's attachments (what a seed must never change). */
function names(entries) {
  const text = entries.filter((e) => e.startsWith("attachment")).join("\n");
  // Generated suffixes are set aside: a seed that sends a pod elsewhere may add or spare a
  // replacement (another generated name), but must never rename what both runs create. Node names
  // are left out: which of several equally good nodes a pod lands on is the seed's to choose (the
  // scheduler's tie-break), and attachments name the pod's node.
  const objs = (text.match(/\b(?:pod|service|replicaset\.apps|deployment\.apps|job\.batch)\/[a-z0-9.-]+/g) ?? []).map((n) => n.replace(/-[bcdfghjklmnpqrstvwxz2456789]{5}$/, "-*"));
  return [...new Set([...objs])].sort().join("\n");
}

function firstDiff(a, b) {
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `  line ${i + 1}:\n  first:  ${la[i] ?? "(none)"}\n  second: ${lb[i] ?? "(none)"}`;
  }
  return "  (same lines, different lengths)";
}

const first = runSuite();
const second = runSuite();
const problems = compare("serial run 1 vs run 2", first, second);
const parallel = runSuite(["--parallel", "2"]);
problems.push(...compare("serial vs --parallel 2", first, { ...parallel, grade: first.grade, allure: first.allure }));
const shards = [runSuite(["--shard", "1/2"]), runSuite(["--shard", "2/2"])];
const sharded = { scenarios: new Map([...shards[0].scenarios, ...shards[1].scenarios]), grade: first.grade, allure: first.allure };
for (const k of shards[0].scenarios.keys()) if (shards[1].scenarios.has(k)) problems.push(`shards: scenario ${k} ran in both shards`);
problems.push(...compare("serial vs two shards (--shard 1/2 + 2/2)", first, sharded));
if (sharded.scenarios.size !== first.scenarios.size) problems.push(`shards ran ${sharded.scenarios.size} scenarios, the serial run ${first.scenarios.size}`);
// The reference engine (issue #19: every speed-up off) must leave the same attachments.
const reference = runSuite([], { KUBE_SCENARIO_REFERENCE_ENGINE: "1" });
problems.push(...compare("fast vs reference engine (KUBE_SCENARIO_REFERENCE_ENGINE=1)", first, reference));
const seeded = runSuite([], { KUBE_SCENARIO_SEED: "2" });
problems.push(...compare("seed 1 vs seed 2 (object names only)", first, seeded, true));
if (first.exit !== second.exit) problems.push(`exit codes differ: ${first.exit} vs ${second.exit}`);

const n = first.scenarios.size;
if (problems.length) {
  console.log(problems.join("\n\n"));
  console.log(`determinism: ${problems.length} difference(s) over ${n} scenarios`);
  process.exit(1);
}
console.log(`determinism: ${n} scenarios identical over two serial runs, a --parallel 2 run, two shards (--shard 1/2 + 2/2) and the reference engine; with seed 2, object names identical in ${n - storyChanged.length} scenarios (${storyChanged.length} took another course under seed 2: ${storyChanged.map((k) => k.split("#")[1]).join("; ") || "none"})`);
