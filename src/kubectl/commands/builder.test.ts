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

test("an ambiguous short name is warned about once per distinct type argument, before the builder's errors; a qualified name is not", async () => {
  const { Cluster } = await import("../../cluster.ts");
  const c = new Cluster();
  const warning = 'Warning: short name "ev" could also match lower priority resource events.events.k8s.io\n';
  const run = (line: string): [number, string] => {
    const r = c.kubectlSync(line);
    return [r.exitCode, r.stderr];
  };
  assert.deepEqual(run("get ev,ev -n kube-public"), [0, `${warning}No resources found in kube-public namespace.\n`]);
  assert.deepEqual(run("get ev/a ev/b"), [1, `${warning}Error from server (NotFound): events "a" not found\nError from server (NotFound): events "b" not found\n`]);
  assert.deepEqual(run("get ev,nope"), [1, `${warning}error: the server doesn't have a resource type "nope"\n`]);
  assert.deepEqual(run("get ev.events.k8s.io -n kube-public"), [0, "No resources found in kube-public namespace.\n"]);
  // Every command that names objects through the builder (rollout, set, scale, expose...).
  assert.equal(run("rollout history ev/x")[1].startsWith(warning), true);
  assert.equal(run("set image ev/x c=nginx")[1].startsWith(warning), true);
  assert.equal(run("expose ev x --port=80")[1].startsWith(warning), true);
  assert.deepEqual(run("get PO"), [1, `error: the server doesn't have a resource type "PO"\n`]);
  await c.close();
});

// describe.go: `describe TYPE PREFIX` tries DescribeMatchingResources only when the builder's errors
// reduce to a single NotFound; its second builder takes a single resource type. Checked against
// kubectl v1.32.4 through scripts/kubectl-oracle.ts.
test("describe with two types and a name: both NotFound errors printed; one found and one not ends in the single-type error", async () => {
  const { Cluster } = await import("../../cluster.ts");
  const c = new Cluster();
  c.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: xray\ndata:\n  a: b\n");
  const warning = 'Warning: short name "ev" could also match lower priority resource events.events.k8s.io\n';
  const run = (line: string): [number, string, string] => {
    const r = c.kubectlSync(line);
    return [r.exitCode, r.stdout, r.stderr];
  };
  assert.deepEqual(run("describe ev,cm x"), [1, "", `${warning}Error from server (NotFound): events "x" not found\nError from server (NotFound): configmaps "x" not found\n`]);
  assert.deepEqual(run("describe cm,svc xray"), [1, "", "error: you may only specify a single resource type\n"]);
  // One type: the prefix match describes xray; nothing by that prefix gives the NotFound.
  assert.match(run("describe cm x")[1], /^Name: +xray\n/);
  assert.deepEqual(run("describe cm nothing"), [1, "", 'Error from server (NotFound): configmaps "nothing" not found\n']);
  // One type with a short name: the second builder warns again.
  assert.deepEqual(run("describe ev x"), [1, "", `${warning}${warning}Error from server (NotFound): events "x" not found\n`]);
  await c.close();
});
