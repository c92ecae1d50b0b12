/**
 * The one convention of src/assert. A **check** reads the cluster (a `ClusterView`, the same on the
 * simulation and on a live cluster) and returns a `Problem`: `undefined` when the cluster shows what
 * is expected, else what it shows instead, in words a course student can act on. Checks never
 * throw for an unmet expectation (they may throw for a malformed one: a bad expectation is the
 * author's error, not the cluster's).
 *
 * `expect()` below is where a problem becomes a failure (an `AssertionFailure`, src/api/reader.ts)
 * for a check now; a backend's `within` does the same when a span runs out. Steps run
 * a check through their backend: `backend.check((v) => expect(checkPodPhase(v, ...)))` for "now",
 * `backend.within(ms, stepMs, until)` (src/backend.ts) for "within a span", which is where time
 * passes on the simulation and where a live cluster is polled.
 */

import { AssertionFailure, type Problem } from "../api/reader.ts";

export { AssertionFailure, type Problem };

/** Throws the problem as an AssertionFailure; nothing when there is none. */
export function expect(problem: Problem): void {
  if (problem !== undefined) throw new AssertionFailure(problem);
}
