// cmdutil.CheckErr over the errors of many objects (helpers.go checkErr, MultipleErrors, utilerrors.Aggregate).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../../api/errors.ts";
import { KubectlError } from "../command.ts";
import { addSourceToErr, Aggregate, checkErrText, errorString, reduceErrors } from "./builder.ts";

const invalid = new ApiError("Invalid", 'ConfigMap "Bad" is invalid: metadata.name: Invalid value: "Bad"', {
  kind: "ConfigMap",
  name: "Bad",
  causes: [{ field: "metadata.name", detail: 'Invalid value: "Bad"' }],
});
const notFound = new ApiError("NotFound", 'namespaces "nope" not found');
const mapping = new KubectlError('resource mapping not found for name: "w" namespace: "" from "f.yaml": no matches for kind "Widget" in version "example.com/v1"');

test("one error alone: an Invalid prints its causes, a status its reason, a plain error gets error:", () => {
  assert.equal(checkErrText(addSourceToErr("creating", "f.yaml", invalid)), 'The ConfigMap "Bad" is invalid: metadata.name: Invalid value: "Bad"');
  assert.equal(checkErrText(addSourceToErr("creating", "f.yaml", notFound)), 'Error from server (NotFound): error when creating "f.yaml": namespaces "nope" not found');
  assert.equal(checkErrText(new Aggregate([mapping])), `error: ${mapping.message}`);
  assert.equal(checkErrText(new KubectlError("error: already prefixed")), "error: already prefixed");
});

test("several errors: one line each, statuses with their standard message (an Invalid too), others bare, a nested aggregate in brackets", () => {
  const err = reduceErrors([new Aggregate([mapping, mapping, new KubectlError("error parsing g.yaml: x")]), addSourceToErr("creating", "f.yaml", invalid), notFound])!;
  assert.equal(
    checkErrText(err),
    [
      `[${mapping.message}, error parsing g.yaml: x]`,
      'Error from server (Invalid): error when creating "f.yaml": ConfigMap "Bad" is invalid: metadata.name: Invalid value: "Bad"',
      'Error from server (NotFound): namespaces "nope" not found',
    ].join("\n"),
  );
  assert.equal(reduceErrors([]), undefined);
  assert.equal(reduceErrors([notFound]), notFound);
  assert.equal(errorString(new Aggregate([new Aggregate([mapping])])), mapping.message);
});
