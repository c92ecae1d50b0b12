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
 */
import * as cucumber from "@cucumber/cucumber";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// The CommonJS build, the instance Cucumber itself loads.
const expressions = require("@cucumber/cucumber-expressions") as typeof import("@cucumber/cucumber-expressions");

interface TreeRegexpLike {
  regexp: RegExp;
  groupBuilder: { build(match: RegExpExecArray, next: () => number): unknown };
  match(s: string): unknown;
  withIndices?: RegExp;
}

const sample = new expressions.CucumberExpression("a", new expressions.ParameterTypeRegistry()) as unknown as { treeRegexp: TreeRegexpLike };
const proto = Object.getPrototypeOf(sample.treeRegexp) as TreeRegexpLike & { fastMatch?: boolean };
if (!proto.fastMatch && typeof proto.match === "function" && /a/d.exec("a")?.indices) {
  proto.fastMatch = true;
  proto.match = function (this: TreeRegexpLike, s: string) {
    const re = (this.withIndices ??= this.regexp.hasIndices ? this.regexp : new RegExp(this.regexp.source, this.regexp.flags + "d"));
    re.lastIndex = this.regexp.lastIndex;
    const match = re.exec(s);
    this.regexp.lastIndex = re.lastIndex;
    if (!match) return null;
    let groupIndex = 0;
    return this.groupBuilder.build(match, () => groupIndex++);
  };
}

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
}
type Library = { stepDefinitions: Definition[] };
const builder = cucumber.supportCodeLibraryBuilder as unknown as { finalize: (...args: unknown[]) => Library; recentFirst?: boolean };
if (!builder.recentFirst) {
  builder.recentFirst = true;
  const finalize = builder.finalize;
  builder.finalize = function (this: unknown, ...args: unknown[]): Library {
    const library = finalize.apply(this, args);
    const defs = library.stepDefinitions;
    if (new Set(defs.map((d) => d.id)).size === defs.length) recentFirst(defs);
    return library;
  };
}

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
