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
