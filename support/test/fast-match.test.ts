// The pins of support/fast-match.ts: the installed Cucumber is a version the patches were written
// for, both patches are on, and the internals they rely on are still as they were read. Any Cucumber
// update that changes one of these fails here, before a feature run silently behaves differently.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as cucumber from "@cucumber/cucumber";
import { cachedMatching, INSTALLED, literalPrefix, matchesFile, PATCHES, WRITTEN_FOR } from "../fast-match.ts";
import { DURATION_PATTERN } from "../../src/sim/duration.ts";

const fromCucumber = createRequire(createRequire(import.meta.url).resolve("@cucumber/cucumber"));
const expressions = fromCucumber("@cucumber/cucumber-expressions") as typeof import("@cucumber/cucumber-expressions");

test("the installed Cucumber is the version the patches were written for, and both patches are on", () => {
  for (const [name, line] of Object.entries(WRITTEN_FOR)) {
    assert.ok(INSTALLED[name as keyof typeof INSTALLED].startsWith(`${line}.`), `${name} ${INSTALLED[name as keyof typeof INSTALLED]} is installed; support/fast-match.ts was written for ${line}.x: re-read the internals it patches, then update WRITTEN_FOR`);
  }
  assert.deepEqual(PATCHES, { treeRegexpMatch: true, recentFirst: true, matchCache: true });
});

type GroupLike = { value?: string; start?: number; end?: number; children?: GroupLike[] };
const plain = (g: GroupLike | null): unknown => (g ? { value: g.value, start: g.start, end: g.end, children: g.children?.map(plain) } : null);

test("TreeRegexp.match is still what the patch replaces: regexp-match-indices, then groupBuilder.build(match, nextGroupIndex)", () => {
  const sample = new expressions.CucumberExpression("a", new expressions.ParameterTypeRegistry()) as unknown as { treeRegexp: object };
  const proto = Object.getPrototypeOf(sample.treeRegexp) as { stockMatch?: () => unknown; match: () => unknown; fastMatch?: boolean };
  assert.equal(proto.fastMatch, true);
  assert.equal(typeof proto.stockMatch, "function");
  const stock = String(proto.stockMatch);
  assert.match(stock, /regexp_match_indices[\w.]*\)\(this\.regexp, s\)/, stock);
  assert.match(stock, /this\.groupBuilder\.build\(match, nextGroupIndex\)/, stock);
  assert.match(readFileSync(fromCucumber.resolve("@cucumber/cucumber-expressions").replace(/index\.js$/, "GroupBuilder.js"), "utf8"), /build\(match, nextGroupIndex\) \{[\s\S]*match\.indices\[groupIndex\]/);
});

test("the patched match gives the stock match's groups: values, positions and nesting", () => {
  const registry = new expressions.ParameterTypeRegistry();
  registry.defineParameterType(new expressions.ParameterType("duration", new RegExp(DURATION_PATTERN), null, (s: string) => s, true, false));
  const cases: Array<[string | RegExp, string]> = [
    ['pod {string} is Running', 'pod "web" is Running'],
    ['pod {string} in namespace {string} has {int} restart(s)', 'pod "a b" in namespace "ns" has 3 restarts'],
    ['{string} is touched on node {string} and {duration} pass(es)', '"/tmp/ready.txt" is touched on node "k8s-node1" and 1 minute 30 seconds pass'],
    ["the output contains {string}", "the output contains 'say \"hi\"'"],
    ["{int} pod/pods is/are (already )ready", "2 pods are ready"],
    [/^a (b(c)?)(?:d(e))? (?<name>f+)$/, "a bcde fff"],
    [/^x((?=y)y|z)(\d+)?$/, "xy"],
  ];
  for (const [source, text] of cases) {
    const e = typeof source === "string" ? new expressions.CucumberExpression(source, registry) : new expressions.RegularExpression(source, registry);
    const tree = (e as unknown as { treeRegexp: { match(s: string): GroupLike | null; stockMatch(s: string): GroupLike | null } }).treeRegexp;
    assert.deepEqual(plain(tree.match(text)), plain(tree.stockMatch(text)), String(source));
    assert.ok(tree.match(text), `${source} matches ${text}`);
    assert.equal(tree.match(`${text}!`), tree.stockMatch(`${text}!`), String(source));
  }
});

test("the literal prefix is one every match starts with, and a step without it gets the stock answer", () => {
  assert.equal(literalPrefix(/^pod "(.*)" is Running$/), 'pod "');
  assert.equal(literalPrefix(/^ab?c$/), "a");
  assert.equal(literalPrefix(/^a*b$/), "");
  assert.equal(literalPrefix(/^a{2}b$/), "");
  assert.equal(literalPrefix(/^the (?:pod|pods) (\d+)$/), "the ");
  assert.equal(literalPrefix(/^foo|bar$/), "", "a top-level | anchors only its first branch");
  assert.equal(literalPrefix(/^a[|]b$/), "a", "a | in a class is a character");
  assert.equal(literalPrefix(/^a\.b$/), "a");
  assert.equal(literalPrefix(/^abc$/i), "", "no flags");
  assert.equal(literalPrefix(/^abc$/m), "", "no flags");
  assert.equal(literalPrefix(/abc$/), "", "anchored only");
  assert.equal(literalPrefix(/^다음 (\d+)$/), "다음 ");
  const registry = new expressions.ParameterTypeRegistry();
  const cases: Array<[string | RegExp, string[]]> = [
    ["pod {string} is Running", ['pod "web" is Running', 'pods "web" is Running', 'po "web"', "", "pod"]],
    ["{int} pod/pods is/are (already )ready", ["2 pods are ready", "pods are ready"]],
    ["the output contains {string}", ["the output contains 'x'", "the outpu", "The output contains 'x'"]],
    [/^ab?c$/, ["ac", "abc", "bc"]],
    [/^foo|bar$/, ["xbar", "foo!", "bar"]],
  ];
  for (const [source, texts] of cases) {
    const e = typeof source === "string" ? new expressions.CucumberExpression(source, registry) : new expressions.RegularExpression(source, registry);
    const tree = (e as unknown as { treeRegexp: { match(s: string): GroupLike | null; stockMatch(s: string): GroupLike | null } }).treeRegexp;
    for (const text of texts) assert.deepEqual(plain(tree.match(text)), plain(tree.stockMatch(text)), `${String(source)} on ${JSON.stringify(text)}`);
  }
});

function jsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) jsFiles(p, out);
    else if (name.endsWith(".js")) out.push(p);
  }
  return out;
}

test("Cucumber searches its step definitions only by id (the premise of the recently-used-first lookup)", () => {
  const lib = dirname(createRequire(import.meta.url).resolve("@cucumber/cucumber"));
  const finds: string[] = [];
  for (const f of jsFiles(lib)) {
    for (const m of readFileSync(f, "utf8").matchAll(/stepDefinitions\s*\.find\(([^)]*\)[^)]*)\)/g)) finds.push(`${f.slice(lib.length + 1)}: ${m[1]}`);
  }
  assert.ok(finds.length >= 2, `Cucumber's lookups of step definitions were found (${finds.length})`);
  for (const f of finds) assert.match(f, /: \((\w+)\) => \1\.id === [\w.[\]]+$/, `a lookup by something other than the id: ${f}`);
  const builder = cucumber.supportCodeLibraryBuilder as unknown as { finalize: (...a: unknown[]) => unknown; recentFirst?: boolean };
  assert.equal(builder.recentFirst, true);
  assert.match(readFileSync(join(lib, "support_code_library_builder", "index.js"), "utf8"), /finalize\(canonicalIds\) \{[\s\S]*stepDefinitions: /);
});

test("Cucumber matches a step against its definitions by the one filter the matches cache answers", () => {
  const lib = dirname(createRequire(import.meta.url).resolve("@cucumber/cucumber"));
  const filters: string[] = [];
  for (const f of jsFiles(lib)) {
    for (const m of readFileSync(f, "utf8").matchAll(/stepDefinitions\s*\.filter\(([^\n]*)/g)) filters.push(`${f.slice(lib.length + 1)}: ${m[1]}`);
  }
  assert.deepEqual(filters, ["assemble/assemble_test_cases.js: (stepDefinition) => stepDefinition.matchesStepName(pickleStep.text));"]);
  assert.match(readFileSync(join(lib, "models", "step_definition.js"), "utf8"), /matchesStepName\(stepName\) \{\s*return \(0, value_checker_1\.doesHaveValue\)\(this\.expression\.match\(stepName\)\);/);
});

/** Step definitions as Cucumber makes them (an id, an expression, matchesStepName), over one registry. */
function definitions(sources: Array<string | RegExp>) {
  const registry = new expressions.ParameterTypeRegistry();
  registry.defineParameterType(new expressions.ParameterType("duration", new RegExp(DURATION_PATTERN), null, (s: string) => s, true, false));
  return sources.map((source, i) => {
    const expression = typeof source === "string" ? new expressions.CucumberExpression(source, registry) : new expressions.RegularExpression(source, registry);
    return { id: `d${i}`, expression, matchesStepName: (t: string) => expression.match(t) !== null };
  });
}

const SOURCES: Array<string | RegExp> = [
  "pod {string} is Running",
  "pod {string} is {word}",
  "{duration} pass(es)",
  "{int} pod/pods is/are (already )ready",
  /^(.*) 지나면$/,
  "the output contains {string}",
  /^pod "([^"]*)" is Running$/,
];
const TEXTS = ['pod "web" is Running', 'pod "web" is Pending', "2 minutes pass", "1 minute passes", "3 pods are ready", "10분 지나면", "the output contains 'x'", "nothing matches this", 'pod "a" is Running', ""];

test("the matches cache gives every text the definitions the stock filter gives, in order, run after run", () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-matches-"));
  try {
    const stock = definitions(SOURCES);
    const expected = TEXTS.map((t) => stock.filter((d) => d.matchesStepName(t)).map((d) => d.id));
    assert.deepEqual(expected[0], ["d0", "d1", "d6"], "an ambiguous step keeps all its definitions");
    const file = matchesFile(stock, dir)!;
    assert.ok(file.startsWith(join(dir, "matches-")));
    // First run: nothing kept, every text asked of every definition, then written at exit.
    for (let run = 0; run < 3; run++) {
      const defs = definitions(SOURCES);
      assert.equal(matchesFile(defs, dir), file, "the same regexps give the same file");
      let asked = 0;
      for (const d of defs) {
        const m = d.matchesStepName;
        d.matchesStepName = (t: string) => (asked++, m(t));
      }
      const write = cachedMatching(defs, file);
      const got = TEXTS.map((t) => defs.filter((d) => d.matchesStepName(t)).map((d) => d.id));
      assert.deepEqual(got, expected, `run ${run}`);
      // Run 0 asks every definition; later runs only the ones each text matched.
      assert.equal(asked, run === 0 ? TEXTS.length * SOURCES.length : expected.flat().length, `run ${run}`);
      write();
    }
    // Another predicate than Cucumber's gets the stock filter.
    const defs = definitions(SOURCES);
    cachedMatching(defs, file);
    assert.deepEqual(defs.filter((d) => d.id !== "d0").map((d) => d.id), ["d1", "d2", "d3", "d4", "d5", "d6"]);
    assert.deepEqual(defs.filter((d) => !d.matchesStepName('pod "web" is Running')).map((d) => d.id), ["d2", "d3", "d4", "d5"]);
    // Another definition list has another file; writing it removes this one.
    const other = definitions([...SOURCES, "one more {int}"]);
    const otherFile = matchesFile(other, dir)!;
    assert.notEqual(otherFile, file);
    const write = cachedMatching(other, otherFile);
    assert.deepEqual(other.filter((d) => d.matchesStepName("one more 3")).map((d) => d.id), ["d7"]);
    write();
    assert.deepEqual(readdirSync(dir), [otherFile.slice(dir.length + 1)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a broken matches file, or positions it cannot hold, only means every definition is asked", () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-matches-"));
  try {
    const stock = definitions(SOURCES);
    const file = matchesFile(stock, dir)!;
    for (const content of ["{not json", "[1,2]", JSON.stringify({ 'pod "web" is Running': [99] }), JSON.stringify({ 'pod "web" is Running': ["0"] })]) {
      writeFileSync(file, content);
      const defs = definitions(SOURCES);
      cachedMatching(defs, file);
      assert.deepEqual(defs.filter((d) => d.matchesStepName('pod "web" is Running')).map((d) => d.id), ["d0", "d1", "d6"], content);
    }
    // A stateful regexp (g or y) is not cached at all.
    assert.equal(matchesFile(definitions([/^a$/g, "b"]), dir), undefined);
    assert.equal(matchesFile(definitions([/^a$/y]), dir), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
