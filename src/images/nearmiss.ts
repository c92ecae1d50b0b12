/**
 * Near misses: a repository name one or two edits away from a repository the catalogue knows
 * (`docker.io/kubetm/ap` for `docker.io/kubetm/app`, `docker.io/polinux/stres`) is a typo, and a
 * registry answers it as a repository that does not exist. Edits are insertions, deletions,
 * substitutions and swaps of two neighbouring characters (optimal string alignment distance).
 */
import { listedRepositories, officialImageNames } from "./catalogue.ts";

/** Edit distance with adjacent transpositions, or `limit + 1` as soon as it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = 2): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

let candidates: string[] | undefined;
const cache = new Map<string, string | null>();

/** The known repository `fullRepository` is a near miss of, if any (never the repository itself). */
export function nearMissOf(fullRepository: string): string | undefined {
  const hit = cache.get(fullRepository);
  if (hit !== undefined) return hit ?? undefined;
  candidates ??= [...listedRepositories(), ...officialImageNames().map((n) => `docker.io/library/${n}`)];
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    if (c === fullRepository) {
      best = undefined;
      break;
    }
    const d = editDistance(fullRepository, c, 2);
    if (d >= 1 && d < bestD) {
      bestD = d;
      best = c;
    }
  }
  cache.set(fullRepository, best ?? null);
  return best;
}
