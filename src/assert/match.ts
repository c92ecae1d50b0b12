/**
 * The contract's partial match of an object against an expectation (`Then pod "x" matches:`):
 * - every key of an expected map must be in the actual map with a matching value;
 * - an expected list matches when each of its items matches a different item of the actual list,
 *   in any order (a bipartite matching, found by backtracking);
 * - scalars must be equal as YAML values (`"1"` is not `1`); an expected `null` also accepts an
 *   absent field.
 * Mismatches are reported with the path that differs, the expected and the actual value.
 */
export interface Mismatch {
  path: string;
  expected: unknown;
  actual: unknown;
  /** What went wrong, in words. */
  problem: string;
}

export function partialMatch(expected: unknown, actual: unknown, path = ""): Mismatch[] {
  if (expected === null) {
    return actual === null || actual === undefined ? [] : [{ path: path || "(root)", expected, actual, problem: "expected null" }];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ path: path || "(root)", expected, actual, problem: actual === undefined ? "missing" : "expected a list" }];
    return matchList(expected, actual, path);
  }
  if (typeof expected === "object") {
    if (!actual || typeof actual !== "object" || Array.isArray(actual)) {
      return [{ path: path || "(root)", expected, actual, problem: actual === undefined ? "missing" : "expected a map" }];
    }
    const out: Mismatch[] = [];
    for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
      const sub = path ? `${path}.${k}` : k;
      const a = (actual as Record<string, unknown>)[k];
      if (a === undefined && v !== null) {
        out.push({ path: sub, expected: v, actual: undefined, problem: "missing" });
        continue;
      }
      out.push(...partialMatch(v, a, sub));
    }
    return out;
  }
  if (expected === actual) return [];
  return [{ path: path || "(root)", expected, actual, problem: actual === undefined ? "missing" : "different value" }];
}

function matchList(expected: unknown[], actual: unknown[], path: string): Mismatch[] {
  // ok[i][j]: expected item i matches actual item j.
  const ok = expected.map((e) => actual.map((a) => partialMatch(e, a).length === 0));
  const used = new Array(actual.length).fill(false);
  const assign = new Array(expected.length).fill(-1);
  const tryAssign = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < actual.length; j++) {
      if (!ok[i][j] || seen[j]) continue;
      seen[j] = true;
      const owner = used[j] ? assign.indexOf(j) : -1;
      if (owner < 0 || tryAssign(owner, seen)) {
        assign[i] = j;
        used[j] = true;
        return true;
      }
    }
    return false;
  };
  const out: Mismatch[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (tryAssign(i, new Array(actual.length).fill(false))) continue;
    // Explain with the closest actual item: the one with the fewest mismatches.
    let best: Mismatch[] | undefined;
    let bestIndex = -1;
    for (let j = 0; j < actual.length; j++) {
      const m = partialMatch(expected[i], actual[j], `${path}[${j}]`);
      // Fewest mismatches wins; ties go to the item whose identity (name/type/key) is the expected one.
      const rank = m.length * 2 - (sameIdentity(expected[i], actual[j]) ? 1 : 0);
      const bestRank = best ? best.length * 2 - (sameIdentity(expected[i], actual[bestIndex]) ? 1 : 0) : Infinity;
      if (rank < bestRank) {
        best = m;
        bestIndex = j;
      }
    }
    if (!best || bestIndex < 0) out.push({ path: `${path}[${i}]`, expected: expected[i], actual: undefined, problem: "no item in the actual list" });
    else if (best.length === 0) out.push({ path: `${path}[${bestIndex}]`, expected: expected[i], actual: actual[bestIndex], problem: "this item is already matched by another expected item" });
    else out.push(...best.map((m) => ({ ...m, problem: `${m.problem} (closest list item; no item of ${path || "the list"} matches expected item ${i + 1})` })));
  }
  return out;
}

const IDENTITY_KEYS = ["name", "type", "key"];
function sameIdentity(e: unknown, a: unknown): boolean {
  if (!e || !a || typeof e !== "object" || typeof a !== "object") return false;
  return IDENTITY_KEYS.some((k) => k in e && (e as Record<string, unknown>)[k] === (a as Record<string, unknown>)[k]);
}
