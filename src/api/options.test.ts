import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "./errors.ts";
import { deleteOptions, dryRunOf, listOptions, parseInt64, queryBool } from "./options.ts";

test("booleans as the ParameterCodec converts them: only absent, 0 and false (any case) are false", () => {
  // apimachinery/pkg/runtime/conversion.go: Convert_Slice_string_To_bool
  const cases: Array<[string | null, boolean]> = [[null, false], ["0", false], ["false", false], ["False", false], ["FALSE", false], ["true", true], ["True", true], ["1", true], ["t", true], ["yes", true], ["", true]];
  for (const [v, want] of cases) assert.equal(queryBool(new URLSearchParams(v === null ? "" : `watch=${v}`), "watch"), want, `watch=${v}`);
});

test("int64 parameters with strconv.ParseInt's errors", () => {
  assert.equal(parseInt64("300"), 300);
  assert.equal(parseInt64("-5"), -5);
  assert.throws(() => parseInt64("abc"), (e: ApiError) => e.code === 400 && e.message === 'strconv.ParseInt: parsing "abc": invalid syntax');
  assert.throws(() => parseInt64("1.5"), /invalid syntax/);
  assert.throws(() => parseInt64("9223372036854775808"), /strconv.ParseInt: parsing "9223372036854775808": value out of range/);
});

test("ListOptions validation as ValidateListOptions", () => {
  assert.throws(() => listOptions(new URLSearchParams("resourceVersionMatch=Exact")), (e: ApiError) => e.code === 422 && e.message === 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  assert.throws(() => listOptions(new URLSearchParams("watch=1&resourceVersionMatch=NotOlderThan")), /resourceVersionMatch is forbidden for watch/);
  assert.deepEqual(listOptions(new URLSearchParams("watch=True&timeoutSeconds=5&allowWatchBookmarks=1")).watch, true);
});

test("dryRun accepts only All; DeleteOptions come from the body when there is one", () => {
  assert.equal(dryRunOf([], "CreateOptions"), false);
  assert.equal(dryRunOf(["All"], "CreateOptions"), true);
  assert.throws(() => dryRunOf(["Yes"], "CreateOptions"), (e: ApiError) => e.message === 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Yes"}: supported values: "All"');
  assert.deepEqual(deleteOptions(new URLSearchParams("gracePeriodSeconds=3"), '{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"],"propagationPolicy":"Foreground"}'), { gracePeriodSeconds: undefined, propagationPolicy: "Foreground", dryRun: true });
  assert.deepEqual(deleteOptions(new URLSearchParams("gracePeriodSeconds=3&dryRun=All"), ""), { gracePeriodSeconds: 3, propagationPolicy: undefined, dryRun: true });
  assert.throws(() => deleteOptions(new URLSearchParams("propagationPolicy=Sometimes"), ""), /propagationPolicy: Unsupported value: "Sometimes"/);
});

test("deleteOptions: orphanDependents maps to a policy, and not with one; what kubectl proxy and the in-pod API server decode too", () => {
  const none = { gracePeriodSeconds: undefined, dryRun: false };
  assert.deepEqual(deleteOptions(new URLSearchParams(), '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground"}'), { ...none, propagationPolicy: "Foreground" });
  assert.deepEqual(deleteOptions(new URLSearchParams("propagationPolicy=Orphan&gracePeriodSeconds=0"), ""), { gracePeriodSeconds: 0, propagationPolicy: "Orphan", dryRun: false });
  assert.deepEqual(deleteOptions(new URLSearchParams("orphanDependents=true"), ""), { ...none, propagationPolicy: "Orphan" });
  assert.throws(() => deleteOptions(new URLSearchParams(), '{"propagationPolicy":"Sideways"}'), /propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"/);
  assert.throws(() => deleteOptions(new URLSearchParams(), '{"propagationPolicy":"Orphan","orphanDependents":true}'), /orphanDependents and deletionPropagation cannot be both set/);
  assert.throws(() => deleteOptions(new URLSearchParams("dryRun=Some"), ""), /DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: \[\]string\{"Some"\}: supported values: "All"/);
  assert.throws(() => deleteOptions(new URLSearchParams(), "{nope"), /json parse error/);
});
