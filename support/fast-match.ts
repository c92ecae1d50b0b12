/**
 * Step matching with the engine's own match indices. Cucumber tries every pickle step against
 * every step definition (ours are ~160 with the Korean twins and the `and <duration> pass(es)`
 * forms) through @cucumber/cucumber-expressions' TreeRegexp, which takes the capture positions
 * from the `regexp-match-indices` package. That package uses the native indices only when a
 * regexp without the `d` flag reports them, which no spec-compliant engine does, so on Node it
 * re-parses each matching regexp with regexp-tree to measure its groups: ~0.4 s of a course run's
 * start-up in the profile (docs/performance.md, "Scheduler and suite"). Node has had the `d` flag
 * (hasIndices) since v16; the same regexp with `d` gives the same match and the same indices, so
 * the groups, arguments and reports are unchanged.
 *
 * Both patches rely on Cucumber's internals, so they are pinned: they apply only to the versions
 * they were written for and tested with (`WRITTEN_FOR`); with any other version Cucumber runs
 * unpatched (correct, only slower) and `PATCHES` says why. support/test/fast-match.test.ts fails
 * when the installed Cucumber is not one of those versions or when an internal the patches read
 * (TreeRegexp's fields, the library builder's `finalize`, how Cucumber searches its step
 * definitions) has changed. Imported by name as the first module of the step library
 * (support/index.ts).
 */
import * as cucumber from "@cucumber/cucumber";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";

/** The versions whose internals the patches were read against (major.minor: patch releases keep them). */
export const WRITTEN_FOR = { "@cucumber/cucumber": "12.9", "@cucumber/cucumber-expressions": "19.0" } as const;

// The cucumber-expressions Cucumber itself loads (its CommonJS build, resolved from Cucumber's own folder).
const fromCucumber = createRequire(createRequire(import.meta.url).resolve("@cucumber/cucumber"));
const expressions = fromCucumber("@cucumber/cucumber-expressions") as typeof import("@cucumber/cucumber-expressions");

function packageVersion(entry: string, name: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version; // (dist/cjs/package.json has the name, not the version)
    } catch {
      // no package.json at this level
    }
  }
  return "unknown";
}

/** The installed versions, as Cucumber loads them. */
export const INSTALLED = {
  "@cucumber/cucumber": cucumber.version,
  "@cucumber/cucumber-expressions": packageVersion(fromCucumber.resolve("@cucumber/cucumber-expressions"), "@cucumber/cucumber-expressions"),
};

const pinned = (Object.keys(WRITTEN_FOR) as Array<keyof typeof WRITTEN_FOR>).filter((p) => !INSTALLED[p].startsWith(`${WRITTEN_FOR[p]}.`));
/** Which patches are on, and why not when one is off. */
export const PATCHES: { treeRegexpMatch: boolean; recentFirst: boolean; matchCache: boolean; off?: string } = { treeRegexpMatch: false, recentFirst: false, matchCache: false };
if (pinned.length) PATCHES.off = `written for ${pinned.map((p) => `${p} ${WRITTEN_FOR[p]}.x`).join(", ")}; installed ${pinned.map((p) => `${p} ${INSTALLED[p]}`).join(", ")}`;

interface TreeRegexpLike {
  regexp: RegExp;
  groupBuilder: { build(match: RegExpExecArray, next: () => number): unknown };
  match(s: string): unknown;
  withIndices?: RegExp;
  /** The text every match starts with (literalPrefix), or "" when there is none to test. */
  prefix?: string;
}

const SPECIAL = new Set("\\^$.|?*+()[]{}/".split(""));
const QUANTIFIER = new Set("?*+{".split(""));

/**
 * The literal text at the start of every string `re` matches: the characters after its leading `^`
 * up to the first one with a meaning in a regexp, less the last when a quantifier follows it
 * (`^ab?` only promises "a"). "" (nothing to test) unless `re` is anchored with `^`, has no flags
 * (no `i`, `m`, `g` or `y` that would change what `^` or a literal matches, or what exec leaves in
 * lastIndex) and no `|` outside a group (which would anchor only its first branch).
 * Cucumber tries every step against every definition: most fail on their first word, and this
 * test tells so without running the regexp.
 */
export function literalPrefix(re: RegExp): string {
  const src = re.source;
  if (re.flags.replace("d", "") !== "" || !src.startsWith("^")) return "";
  let depth = 0;
  for (let i = 1; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i++;
    else if (c === "[") {
      for (i++; i < src.length && src[i] !== "]"; i++) if (src[i] === "\\") i++;
    } else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) return "";
  }
  let end = 1;
  while (end < src.length && !SPECIAL.has(src[end])) end++;
  if (end < src.length && QUANTIFIER.has(src[end])) end--;
  return src.slice(1, Math.max(1, end));
}

const sample = new expressions.CucumberExpression("a", new expressions.ParameterTypeRegistry()) as unknown as { treeRegexp: TreeRegexpLike };
const proto = Object.getPrototypeOf(sample.treeRegexp) as TreeRegexpLike & { fastMatch?: boolean; stockMatch?: TreeRegexpLike["match"] };
if (!PATCHES.off && !proto.fastMatch && typeof proto.match === "function" && /a/d.exec("a")?.indices) {
  proto.fastMatch = true;
  // Kept for the test that compares both on the same expressions.
  proto.stockMatch = proto.match;
  proto.match = function (this: TreeRegexpLike, s: string) {
    if (!s.startsWith((this.prefix ??= literalPrefix(this.regexp)))) return null;
    const re = (this.withIndices ??= this.regexp.hasIndices ? this.regexp : new RegExp(this.regexp.source, this.regexp.flags + "d"));
    re.lastIndex = this.regexp.lastIndex;
    const match = re.exec(s);
    this.regexp.lastIndex = re.lastIndex;
    if (!match) return null;
    let groupIndex = 0;
    return this.groupBuilder.build(match, () => groupIndex++);
  };
}
PATCHES.treeRegexpMatch = Boolean(proto.fastMatch);

/**
 * Step definition lookup, most recently used first. For every step it runs, Cucumber finds the
 * step's definition with `stepDefinitions.find((d) => d.id === id)`, a linear search over all our
 * definitions (~160; ~50 µs a step in the profile, where a one-definition project pays nothing).
 * Every `find` Cucumber and its formatters make on this list is by id, and ids are unique (checked
 * below), so at most one definition satisfies the predicate and the order of the search cannot
 * change the result: trying the recently used definitions first finds the same one sooner.
 */
interface Definition {
  id: string;
  expression?: { regexp?: unknown };
}
type Library = { stepDefinitions: Definition[] };
const builder = cucumber.supportCodeLibraryBuilder as unknown as { finalize: (...args: unknown[]) => Library; recentFirst?: boolean };
if (!PATCHES.off && !builder.recentFirst && typeof builder.finalize === "function") {
  builder.recentFirst = true;
  const finalize = builder.finalize;
  const dir = matchCacheDir();
  builder.finalize = function (this: unknown, ...args: unknown[]): Library {
    const library = finalize.apply(this, args);
    const defs = library.stepDefinitions;
    if (new Set(defs.map((d) => d.id)).size === defs.length) recentFirst(defs);
    const file = dir === undefined ? undefined : matchesFile(defs, dir);
    if (file !== undefined) process.once("exit", cachedMatching(defs, file));
    return library;
  };
  PATCHES.matchCache = dir !== undefined;
}
PATCHES.recentFirst = Boolean(builder.recentFirst);

function recentFirst(defs: Definition[]): void {
  const recent: Definition[] = [];
  const position = new Map(defs.map((d, i) => [d, i]));
  Object.defineProperty(defs, "find", {
    configurable: true,
    writable: true,
    value(predicate: (d: Definition, i: number, all: Definition[]) => unknown, thisArg?: unknown): Definition | undefined {
      for (let i = 0; i < recent.length; i++) {
        const d = recent[i];
        if (predicate.call(thisArg, d, position.get(d)!, defs)) return d;
      }
      const found = Array.prototype.find.call(defs, predicate, thisArg) as Definition | undefined;
      if (found) {
        recent.unshift(found);
        if (recent.length > 32) recent.pop();
      }
      return found;
    },
  });
}

/**
 * Which definitions a step's text matches, kept from run to run. Before the first scenario Cucumber
 * matches every step of every scenario against every definition
 * (`supportCodeLibrary.stepDefinitions.filter((d) => d.matchesStepName(text))`, assemble_test_cases.js:
 * ~290 definitions × the course's 625 steps), so each definition's regexp is compiled and run cold
 * at every run, ~70 ms of the course's ~100 ms of test-case assembly. Whether a definition matches a
 * text depends only on the text and the definition's regexp (`expression.regexp`: a Cucumber
 * expression's regexp holds its parameter types' regexps): with the same regexps, in the same order,
 * the same text matches the same definitions. So the positions of the definitions each text matched
 * are kept in a file named by the hash of every definition's regexp (source and flags, in order) and
 * the installed versions; a later run with the same definitions asks only those (the rest cannot
 * match) and gets the same list, in the same order, from Cucumber's own predicate. A definition list
 * with a stateful regexp (`g` or `y`: `exec` depends on `lastIndex`) is not cached.
 *
 * The filter learns the step's text by calling Cucumber's predicate on a stand-in definition whose
 * `matchesStepName` records its argument and answers false; any other predicate (one that does not
 * call it exactly once, or is true for the stand-in) gets the stock filter. Kept beside the other
 * caches (node_modules/.cache/kube-scenario/matches-<hash>.json), written at exit when the run met
 * a text the file did not hold (atomically; the files of other definition lists are removed then),
 * never committed; an unreadable or unwritable file only means the definitions are all asked.
 * KUBE_SCENARIO_MATCH_CACHE=0 turns it off. Returns the exit handler that writes the file.
 */
export function cachedMatching(defs: Definition[], file: string): () => void {
  const known = new Map<string, number[]>();
  try {
    const kept = JSON.parse(readFileSync(file, "utf8")) as unknown;
    if (kept && typeof kept === "object" && !Array.isArray(kept)) {
      for (const [text, positions] of Object.entries(kept)) {
        if (Array.isArray(positions) && positions.every((i) => Number.isInteger(i) && i >= 0 && i < defs.length)) known.set(text, positions as number[]);
      }
    }
  } catch {
    // No file yet, or an unreadable one: every text is matched against every definition (and kept).
  }
  const learned = new Map<string, number[]>();
  const position = new Map(defs.map((d, i) => [d, i]));
  let text: string | undefined;
  let calls = 0;
  const standIn = {
    matchesStepName(t: unknown): boolean {
      calls++;
      text = typeof t === "string" ? t : undefined;
      return false;
    },
  };
  Object.defineProperty(defs, "filter", {
    configurable: true,
    writable: true,
    value(predicate: (d: Definition, i: number, all: Definition[]) => unknown, thisArg?: unknown): Definition[] {
      text = undefined;
      calls = 0;
      let verdict: unknown;
      try {
        verdict = predicate.call(thisArg, standIn as unknown as Definition, 0, defs);
      } catch {
        verdict = true;
      }
      const t = text;
      if (verdict || calls !== 1 || t === undefined) return Array.prototype.filter.call(defs, predicate, thisArg) as Definition[];
      const kept = known.get(t) ?? learned.get(t);
      if (kept) return kept.filter((i) => predicate.call(thisArg, defs[i], i, defs)).map((i) => defs[i]);
      const found = Array.prototype.filter.call(defs, predicate, thisArg) as Definition[];
      learned.set(
        t,
        found.map((d) => position.get(d)!),
      );
      return found;
    },
  });
  return () => {
    if (learned.size === 0) return;
    const all = known.size + learned.size > MATCHES_KEPT ? learned : new Map([...known, ...learned]);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(tmp, JSON.stringify(Object.fromEntries(all)));
      renameSync(tmp, file);
      for (const f of readdirSync(dirname(file))) if (f.startsWith("matches-") && f.endsWith(".json") && f !== basename(file)) rmSync(join(dirname(file), f), { force: true });
    } catch {
      rmSync(tmp, { force: true });
    }
  };
}

/** The most texts a matches file keeps (the whole feature pack has ~3,000 distinct step texts): beyond, a run keeps only its own. */
const MATCHES_KEPT = 50_000;

/** The matches file's format: part of its name, so that a file of another format is never read. */
const MATCHES_FORMAT = "kube-scenario-matches-1";

/** The matches file for this definition list in `dir`, or undefined when it is not cached (a definition without a plain regexp). */
export function matchesFile(defs: Definition[], dir: string): string | undefined {
  const regexps: Array<[string, string]> = [];
  for (const d of defs) {
    const re = d.expression?.regexp;
    if (!(re instanceof RegExp) || re.global || re.sticky) return undefined;
    regexps.push([re.source, re.flags]);
  }
  const hash = createHash("sha1").update(JSON.stringify([MATCHES_FORMAT, INSTALLED, regexps])).digest("hex");
  return join(dir, `matches-${hash}.json`);
}

/** Where the matches files live: beside Cucumber's node_modules/.cache, as support/gherkin-cache.ts's entries. */
function matchCacheDir(): string | undefined {
  if (process.env.KUBE_SCENARIO_MATCH_CACHE === "0") return undefined;
  try {
    return join(dirname(dirname(dirname(fromCucumber.resolve("@cucumber/cucumber/package.json")))), ".cache", "kube-scenario");
  } catch {
    return undefined;
  }
}
