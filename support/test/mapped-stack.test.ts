// support/define.ts writes the stacks of its step registrations itself (`mappedStack`: each file's
// source map looked up once) instead of Node's source-mapped `Error.prepareStackTrace`, which looks
// every frame's file up anew. Cucumber reads where each step was defined from such a stack and the
// reports carry it, so the text must be Node's: compared here, frame by frame, on stacks through a
// bundle with a linked source map (as the step bundle is, and minified: functions, methods,
// constructors, arrows, async functions, renamed symbols) and through files without one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { buildSync } from "esbuild";
import { mappedStack } from "../define.ts";

const SOURCE = `
export class Registry {
  items: string[] = [];
  constructor(grab: (where: string) => void) { grab("constructor"); }
  add(grab: (where: string) => void) { grab("method"); return this; }
  static make(grab: (where: string) => void) { return new Registry(grab); }
}
function outer(grab: (where: string) => void) {
  const inner = (w: string) => grab(w);
  [1].map(() => inner("arrow in map"));
  return inner;
}
export function run(grab: (where: string) => void): Promise<void> {
  outer(grab)("plain");
  Registry.make(grab).add(grab);
  const renamed = { key: function () { grab("object method"); } };
  renamed.key();
  return (async () => { await null; grab("async"); })();
}
`;

test("mappedStack writes Node's source-mapped stack text", async () => {
  const dir = resolve(`.cache/mapped-stack-test-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const before = process.sourceMapsEnabled;
  const nodeOwn = Error.prepareStackTrace;
  try {
    writeFileSync(`${dir}/source.ts`, SOURCE);
    buildSync({ entryPoints: [`${dir}/source.ts`], outfile: `${dir}/bundle.cjs`, bundle: true, format: "cjs", platform: "node", sourcemap: "linked", logLevel: "silent" });
    // Minified: renamed symbols, whose original names the map's `names` give back.
    buildSync({ entryPoints: [`${dir}/source.ts`], outfile: `${dir}/bundle.min.cjs`, bundle: true, format: "cjs", platform: "node", sourcemap: "linked", minify: true, logLevel: "silent" });
    writeFileSync(`${dir}/plain.cjs`, "exports.call = (f) => f();\n");
    process.setSourceMapsEnabled(true);
    assert.equal(typeof nodeOwn, "function", "Node's own Error.prepareStackTrace");
    const req = createRequire(`${dir}/x.cjs`);
    const bundle = req(`${dir}/bundle.cjs`) as { run(grab: (where: string) => void): Promise<void> };
    const plain = req(`${dir}/plain.cjs`) as { call(f: () => void): void };
    const seen: string[] = [];
    const grab = (where: string) => {
      Error.prepareStackTrace = (error: Error, trace: NodeJS.CallSite[]) => {
        const node = nodeOwn!(error, trace) as string;
        const ours = mappedStack(error, trace);
        assert.equal(ours, node, `the stack at ${where}`);
        seen.push(where);
        return node;
      };
      try {
        plain.call(() => void new Error(`at ${where}`).stack);
        void new TypeError(where).stack;
      } finally {
        Error.prepareStackTrace = nodeOwn;
      }
    };
    await bundle.run(grab);
    await (req(`${dir}/bundle.min.cjs`) as typeof bundle).run(grab);
    assert.deepEqual([...new Set(seen)], ["arrow in map", "plain", "constructor", "method", "object method", "async"]);
    // A frame mapped to a source: the bundle's frames name source.ts, not bundle.cjs.
    let text = "";
    Error.prepareStackTrace = mappedStack;
    try {
      await bundle.run((w) => {
        if (w === "method") text = new Error("x").stack ?? "";
      });
    } finally {
      Error.prepareStackTrace = nodeOwn;
    }
    assert.match(text, /source\.ts:5:\d+\)/);
  } finally {
    Error.prepareStackTrace = nodeOwn;
    process.setSourceMapsEnabled(before);
    rmSync(dir, { recursive: true, force: true });
  }
});

// A registration's stack (`registrationStack`): Cucumber's own `new Error()` (no message) keeps only
// the first frame in define.ts's file, the one Cucumber's getDefinitionLineAndUri takes (the first
// frame outside Cucumber), written as `mappedStack` writes it; an error with a message keeps all.
test("registrationStack keeps the frame Cucumber reads a step's location from", async () => {
  const { OWN_FILE, registrationStack } = await import("../define.ts");
  assert.ok(OWN_FILE, "define.ts knows its own file");
  const site = (file: string, line: number) => ({ getFileName: () => file, getEvalOrigin: () => undefined, getLineNumber: () => line, getColumnNumber: () => 3, toString: () => `f (${file}:${line}:3)` }) as unknown as NodeJS.CallSite;
  const cucumberFile = resolve("node_modules/@cucumber/cucumber/lib/support_code_library_builder/index.js");
  const trace = [site(cucumberFile, 10), site(cucumberFile, 20), site(OWN_FILE!, 30), site(OWN_FILE!, 40), site("/elsewhere/steps.js", 50)];
  const full = mappedStack(new Error(), trace);
  const short = registrationStack(new Error(), trace);
  assert.equal(short, `Error\n    at f (${OWN_FILE}:30:3)`);
  assert.equal(short.split("\n")[1], full.split("\n")[3], "the same text as the whole stack's line for that frame");
  // What Cucumber derives from each: the first frame not in Cucumber.
  const parse = createRequire(cucumberFile)("error-stack-parser") as { parse(e: Error): Array<{ fileName?: string; lineNumber?: number }> };
  const first = (stack: string) => {
    const e = new Error();
    e.stack = stack;
    return parse.parse(e).find((f) => !f.fileName?.includes("@cucumber"));
  };
  assert.deepEqual(first(short), first(full));
  assert.equal(first(short)?.lineNumber, 30);
  // Any other error, and a stack without a frame in the file, are written whole.
  assert.equal(registrationStack(new Error("bad step"), trace), mappedStack(new Error("bad step"), trace));
  const without = [trace[0], trace[4]];
  assert.equal(registrationStack(new Error(), without), mappedStack(new Error(), without));
});
