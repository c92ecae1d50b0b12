// Test helpers for the checks' tables (each *_test.go's loop: disallowed with the reason and
// detail expected, or allowed).
import assert from "node:assert/strict";
import type { ObjectMeta } from "../../../types.ts";
import type { PodSpec } from "../../../types.gen.ts";
import type { CheckPodFn } from "./checks.ts";
import { setRelaxPolicyForUserNamespacePods } from "./helpers.ts";

export interface Case {
  name: string;
  meta?: ObjectMeta;
  /** A partial spec, as the Go tables build them (no containers where the case needs none). */
  spec: object;
  reason?: string;
  detail?: string;
  allowed?: boolean;
  relaxForUserNS?: boolean;
}

export function runCases(fn: CheckPodFn, cases: Case[]): void {
  for (const c of cases) {
    setRelaxPolicyForUserNamespacePods(!!c.relaxForUserNS);
    try {
      const r = fn(c.meta ?? {}, c.spec as PodSpec);
      if (c.allowed) {
        assert.ok(r.allowed, `${c.name}: expected allowed, got ${r.forbiddenReason} (${r.forbiddenDetail})`);
        continue;
      }
      assert.ok(!r.allowed, `${c.name}: expected disallowed`);
      assert.equal(r.forbiddenReason, c.reason, c.name);
      assert.equal(r.forbiddenDetail, c.detail, c.name);
    } finally {
      setRelaxPolicyForUserNamespacePods(false);
    }
  }
}
