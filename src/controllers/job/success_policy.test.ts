import { test } from "node:test";
import assert from "node:assert/strict";
import { parseIndexesFromString } from "./indexed_job_utils.ts";
import { matchSuccessPolicy, matchSucceededIndexesRule } from "./success_policy.ts";

const iv = (t: string, completions = 100) => parseIndexesFromString(t, completions);

// success_policy_test.go TestMatchSuccessPolicy (a selection).
test("matchSuccessPolicy", () => {
  const cases: Array<[string, any, number, string, string | undefined]> = [
    ["no policy", undefined, 10, "0-2", undefined],
    ["no succeeded index", { rules: [{ succeededCount: 1 }] }, 10, "", undefined],
    ["succeededIndexes all succeeded", { rules: [{ succeededIndexes: "0-2" }] }, 10, "0-2,4-7", "Matched rules at index 0"],
    ["succeededIndexes not all succeeded", { rules: [{ succeededIndexes: "3" }] }, 10, "0-2,4-7", undefined],
    ["succeededCount anywhere", { rules: [{ succeededCount: 4 }] }, 10, "0,2,4,6", "Matched rules at index 0"],
    ["succeededCount not reached", { rules: [{ succeededCount: 5 }] }, 10, "0,2,4,6", undefined],
    ["succeededIndexes with succeededCount", { rules: [{ succeededIndexes: "0-5", succeededCount: 2 }] }, 10, "4-6", "Matched rules at index 0"],
    ["the second rule", { rules: [{ succeededIndexes: "9" }, { succeededCount: 2 }] }, 10, "1,3", "Matched rules at index 1"],
    ["an unparsable rule is skipped", { rules: [{ succeededIndexes: "x" }, { succeededCount: 1 }] }, 10, "1", "Matched rules at index 1"],
  ];
  for (const [name, policy, completions, succeeded, want] of cases) assert.equal(matchSuccessPolicy(policy, completions, iv(succeeded, completions)), want, name);
});

test("matchSucceededIndexesRule counts the overlap", () => {
  assert.equal(matchSucceededIndexesRule(iv("0-3,6-8"), iv("1-7")), false);
  assert.equal(matchSucceededIndexesRule(iv("0-3,6-8"), iv("1-7"), 5), true);
  assert.equal(matchSucceededIndexesRule(iv("2,4"), iv("0-9")), true);
});
