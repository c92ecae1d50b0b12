// support/gherkin-cache.ts: feature files' envelopes from a cache, with fresh ids in the order a
// parse would draw them. Pinned: the installed @cucumber/gherkin-streams and @cucumber/gherkin are
// the versions it was written for, and its fromPaths gives what the stock one gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { featureEnvelopes, GHERKIN_CACHE, GHERKIN_INSTALLED, GHERKIN_WRITTEN_FOR } from "../gherkin-cache.ts";

const fromCucumber = createRequire(createRequire(import.meta.url).resolve("@cucumber/cucumber"));
type Envelope = Record<string, unknown>;
const gherkin = fromCucumber("@cucumber/gherkin") as Parameters<typeof featureEnvelopes>[0];
const streams = (fromCucumber("@cucumber/gherkin-streams") as { GherkinStreams: { fromPaths(p: string[], o: object): Readable; stockFromPaths(p: string[], o: object): Readable; cachedFromPaths?: boolean } }).GherkinStreams;

/** UUIDs from a counter: the same sequence for two runs. */
function counter(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, "0")}`;
}

const FEATURE = `Feature: a feature
  Background:
    Given the time is "2024-01-08T00:00:00Z"

  Scenario Outline: pods <n>
    When I run "kubectl get pods"
    Then the output is:
      """
      No resources found in default namespace.
      """

    Examples:
      | n |
      | 1 |
      | 2 |
`;

test("the installed Gherkin packages are the versions the cache was written for, and the patch is on", () => {
  for (const [name, line] of Object.entries(GHERKIN_WRITTEN_FOR)) {
    const installed = GHERKIN_INSTALLED[name as keyof typeof GHERKIN_INSTALLED];
    assert.ok(installed.startsWith(`${line}.`), `${name} ${installed} is installed; support/gherkin-cache.ts was written for ${line}.x: re-read fromPaths and the parser's use of newId, then update GHERKIN_WRITTEN_FOR`);
  }
  assert.deepEqual(GHERKIN_CACHE, { on: true });
  assert.equal(streams.cachedFromPaths, true);
  // What the patched fromPaths does in its place: files one after another, each read whole and parsed by generateMessages.
  const lib = readFileSync(fromCucumber.resolve("@cucumber/gherkin-streams").replace(/index\.js$/, "GherkinStreams.js"), "utf8");
  assert.match(lib, /function fromPaths\(paths, options\) \{[\s\S]*makeGherkinOptions_1\.default\)\(options\)[\s\S]*pathsCopy\.shift\(\)[\s\S]*createReadStream\(path, \{ encoding: 'utf-8' \}\)[\s\S]*new SourceMessageStream_1\.default\(path, options\.relativeTo\)[\s\S]*parserMessageStream/);
  const parser = readFileSync(fromCucumber.resolve("@cucumber/gherkin-streams").replace(/index\.js$/, "ParserMessageStream.js"), "utf8");
  assert.match(parser, /generateMessages\)\(envelope\.source\.data, envelope\.source\.uri, envelope\.source\.mediaType, this\.options\)/);
});

test("a cached file gives what a parse drawing the same ids gives", () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-gherkin-"));
  try {
    const options = { defaultDialect: "en", includeSource: true, includeGherkinDocument: true, includePickles: true };
    const parsed = gherkin.generateMessages(FEATURE, "features/a.feature", "text/x.cucumber.gherkin+plain", { ...options, newId: counter() });
    const first = featureEnvelopes(gherkin, FEATURE, "features/a.feature", { ...options, newId: counter() }, dir);
    assert.deepEqual(first, parsed);
    assert.equal(readdirSync(dir).length, 1, "kept");
    // From the cache now: ids from another sequence land where a parse would put them.
    const other = counter();
    for (let i = 0; i < 1000; i++) other();
    const expected = gherkin.generateMessages(FEATURE, "features/a.feature", "text/x.cucumber.gherkin+plain", { ...options, newId: (() => { const c = counter(); for (let i = 0; i < 1000; i++) c(); return c; })() });
    const replayed = featureEnvelopes(gherkin, FEATURE, "features/a.feature", { ...options, newId: other }, dir);
    assert.deepEqual(replayed, expected);
    assert.notDeepEqual(replayed, parsed);
    // Another uri, another text, other options: parsed (and kept) anew.
    assert.deepEqual(featureEnvelopes(gherkin, FEATURE, "features/b.feature", { ...options, newId: counter() }, dir), gherkin.generateMessages(FEATURE, "features/b.feature", "text/x.cucumber.gherkin+plain", { ...options, newId: counter() }));
    const changed = FEATURE.replace("pods <n>", "pod <n>");
    assert.deepEqual(featureEnvelopes(gherkin, changed, "features/a.feature", { ...options, newId: counter() }, dir), gherkin.generateMessages(changed, "features/a.feature", "text/x.cucumber.gherkin+plain", { ...options, newId: counter() }));
    assert.deepEqual(featureEnvelopes(gherkin, FEATURE, "features/a.feature", { ...options, includePickles: false, newId: counter() }, dir), gherkin.generateMessages(FEATURE, "features/a.feature", "text/x.cucumber.gherkin+plain", { ...options, includePickles: false, newId: counter() }));
    assert.equal(readdirSync(dir).length, 4);
    // Not kept: a parse error; ids that are not UUIDs.
    const bad = "Nonsense\nFeature: x\n";
    featureEnvelopes(gherkin, bad, "features/bad.feature", { ...options, newId: counter() }, dir);
    let n = 0;
    featureEnvelopes(gherkin, FEATURE, "features/c.feature", { ...options, newId: () => String(n++) }, dir);
    assert.equal(readdirSync(dir).length, 4);
    // A broken entry is parsed over.
    for (const f of readdirSync(dir)) writeFileSync(join(dir, f), "{");
    assert.deepEqual(featureEnvelopes(gherkin, FEATURE, "features/a.feature", { ...options, newId: counter() }, dir), parsed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function collect(stream: Readable): Promise<{ envelopes: Envelope[]; error?: string }> {
  return new Promise((resolve) => {
    const envelopes: Envelope[] = [];
    stream.on("data", (e: Envelope) => envelopes.push(e));
    stream.on("end", () => resolve({ envelopes }));
    stream.on("error", (err: Error) => resolve({ envelopes, error: (err as NodeJS.ErrnoException).code ?? err.message }));
  });
}

test("fromPaths gives the stock fromPaths' envelopes, from the cache too, and its errors", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-gherkin-paths-"));
  try {
    const features = readdirSync("features/course").filter((f) => f.endsWith(".feature")).map((f) => join("features/course", f));
    writeFileSync(join(dir, "bad.feature"), "Nonsense\nFeature: x\n");
    writeFileSync(join(dir, "ko.feature"), "# language: ko\n기능: 예\n  시나리오: 하나\n    조건 \"kubectl get pods\" 를 실행한다\n");
    const paths = [...features, join(dir, "bad.feature"), join(dir, "ko.feature")];
    for (const options of [{ relativeTo: process.cwd() }, {}, { defaultDialect: "ko", relativeTo: dir }]) {
      for (let run = 0; run < 2; run++) {
        const stock = await collect(streams.stockFromPaths(paths, { ...options, newId: counter() }));
        const ours = await collect(streams.fromPaths(paths, { ...options, newId: counter() }));
        assert.equal(ours.error, undefined);
        assert.deepEqual(ours.envelopes, stock.envelopes, `run ${run} with ${JSON.stringify(options)}`);
        assert.ok(stock.envelopes.some((e) => "parseError" in e), "a parse error among them");
        if (!("defaultDialect" in options)) assert.ok(stock.envelopes.filter((e) => "pickle" in e).length > 10);
      }
    }
    const missing = [features[0]!, join(dir, "missing.feature"), features[1]!];
    const stock = await collect(streams.stockFromPaths(missing, { newId: counter() }));
    const ours = await collect(streams.fromPaths(missing, { newId: counter() }));
    assert.equal(ours.error, "ENOENT");
    assert.equal(stock.error, "ENOENT");
    assert.deepEqual(ours.envelopes, stock.envelopes.slice(0, ours.envelopes.length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
