import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

const CM = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  a: "${v}"\n`;

// Each expected text is what the real kubectl v1.32.4 printed for the same command through `kube-scenario serve`.
test("kubectl apply --server-side: serverside-applied, managedFields, the Conflict text, --force-conflicts, the flag errors", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  assert.deepEqual(await c.kubectl("apply --server-side -f -", CM("1")), { stdout: "configmap/m serverside-applied\n", stderr: "", exitCode: 0 });
  assert.deepEqual(await c.kubectl("apply --server-side -f -", CM("1")), { stdout: "configmap/m serverside-applied\n", stderr: "", exitCode: 0 });
  const m = c.api.get("ConfigMap", "default", "m")!;
  assert.equal(m.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"], undefined, "no last-applied annotation");
  assert.deepEqual((m.metadata.managedFields as { manager: string; operation: string }[]).map((e) => `${e.manager} ${e.operation}`), ["kubectl Apply"]);
  const conflict = await c.kubectl("apply --server-side --field-manager=other -f -", CM("2"));
  assert.equal(conflict.exitCode, 1);
  assert.equal(
    conflict.stderr,
    'error: Apply failed with 1 conflict: conflict with "kubectl" using v1: .data.a\nPlease review the fields above--they currently have other managers. Here\nare the ways you can resolve this warning:\n* If you intend to manage all of these fields, please re-run the apply\n  command with the `--force-conflicts` flag.\n* If you do not intend to manage all of the fields, please edit your\n  manifest to remove references to the fields that should keep their\n  current managers.\n* You may co-own fields by updating your manifest to match the existing\n  value; in this case, you\'ll become the manager if the other manager(s)\n  stop managing the field (remove it from their configuration).\nSee https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts\n',
  );
  assert.deepEqual(await c.kubectl("apply --server-side --dry-run=server -f -", CM("2")), { stdout: "configmap/m serverside-applied (server dry run)\n", stderr: "", exitCode: 0 });
  assert.equal(c.api.get("ConfigMap", "default", "m")!.data.a, "1");
  assert.deepEqual(await c.kubectl("apply --server-side --dry-run=client -f -", CM("2")), { stdout: "", stderr: "error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)\n", exitCode: 1 });
  assert.deepEqual(await c.kubectl("apply --force-conflicts -f -", CM("2")), { stdout: "", stderr: "error: --force-conflicts only works with --server-side\n", exitCode: 1 });
  assert.deepEqual(await c.kubectl("apply --server-side --field-manager=other --force-conflicts -f -", CM("2")), { stdout: "configmap/m serverside-applied\n", stderr: "", exitCode: 0 });
  assert.equal(c.api.get("ConfigMap", "default", "m")!.data.a, "2");
  assert.deepEqual(await c.kubectl("apply --server-side -f -", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n"), { stdout: "", stderr: 'The Pod "p" is invalid: spec.containers: Required value\n', exitCode: 1 });
});
