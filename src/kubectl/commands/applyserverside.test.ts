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
    'error: Apply failed with 1 conflict: conflict with "kubectl": .data.a\nPlease review the fields above--they currently have other managers. Here\nare the ways you can resolve this warning:\n* If you intend to manage all of these fields, please re-run the apply\n  command with the `--force-conflicts` flag.\n* If you do not intend to manage all of the fields, please edit your\n  manifest to remove references to the fields that should keep their\n  current managers.\n* You may co-own fields by updating your manifest to match the existing\n  value; in this case, you\'ll become the manager if the other manager(s)\n  stop managing the field (remove it from their configuration).\nSee https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts\n',
  );
  assert.deepEqual(await c.kubectl("apply --server-side --dry-run=server -f -", CM("2")), { stdout: "configmap/m serverside-applied (server dry run)\n", stderr: "", exitCode: 0 });
  assert.equal(c.api.get("ConfigMap", "default", "m")!.data.a, "1");
  assert.deepEqual(await c.kubectl("apply --server-side --dry-run=client -f -", CM("2")), { stdout: "", stderr: "error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)\n", exitCode: 1 });
  assert.deepEqual(await c.kubectl("apply --force-conflicts -f -", CM("2")), { stdout: "", stderr: "error: --force-conflicts only works with --server-side\n", exitCode: 1 });
  assert.deepEqual(await c.kubectl("apply --server-side --field-manager=other --force-conflicts -f -", CM("2")), { stdout: "configmap/m serverside-applied\n", stderr: "", exitCode: 0 });
  assert.equal(c.api.get("ConfigMap", "default", "m")!.data.a, "2");
  assert.deepEqual(await c.kubectl("apply --server-side -f -", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n"), { stdout: "", stderr: 'The Pod "p" is invalid: spec.containers: Required value\n', exitCode: 1 });
});

const NGINX = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers: [{name: nginx, image: "nginx:1.14.2"}]
`;

test("kubectl scale records an Update of the scale subresource by `kubectl`: a later apply of another replicas conflicts with it, and forcing takes the field back", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  assert.equal((await c.kubectl("apply --server-side -f -", NGINX(3))).exitCode, 0);
  assert.equal((await c.kubectl("scale deployment nginx-deployment --replicas=5")).exitCode, 0);
  const managed = () => (c.api.get("Deployment", "default", "nginx-deployment")!.metadata.managedFields as { manager: string; operation: string; subresource?: string; fieldsV1: unknown }[]);
  assert.deepEqual(managed().map((e) => [e.manager, e.operation, e.subresource]), [["kubectl", "Apply", undefined], ["kubectl", "Update", "scale"]]);
  assert.deepEqual(managed()[1]!.fieldsV1, { "f:spec": { "f:replicas": {} } });
  const conflict = await c.kubectl("apply --server-side -f -", NGINX(3));
  assert.equal(conflict.exitCode, 1);
  assert.match(conflict.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas\nPlease review the fields above/);
  // The same value co-owns without a conflict.
  assert.equal((await c.kubectl("apply --server-side -f -", NGINX(5))).exitCode, 0);
  assert.equal((await c.kubectl("apply --server-side --force-conflicts -f -", NGINX(3))).exitCode, 0);
  assert.equal(c.api.get("Deployment", "default", "nginx-deployment")!.spec.replicas, 3);
  assert.deepEqual(managed().map((e) => [e.manager, e.operation]), [["kubectl", "Apply"]], "forced: the scale entry lost its only field");
});

test("kubectl create, label and annotate record their own managers; --field-manager names another", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  assert.equal((await c.kubectl("create configmap m --from-literal=a=1")).exitCode, 0);
  assert.equal((await c.kubectl("label configmap m x=1")).exitCode, 0);
  assert.equal((await c.kubectl("annotate configmap m --field-manager=mine y=2")).exitCode, 0);
  const m = c.api.get("ConfigMap", "default", "m")!;
  assert.deepEqual((m.metadata.managedFields as { manager: string; fieldsV1: unknown }[]).map((e) => [e.manager, e.fieldsV1]), [
    ["kubectl-create", { "f:data": { "f:a": {} } }],
    ["kubectl-label", { "f:metadata": { "f:labels": { "f:x": {} } } }],
    ["mine", { "f:metadata": { "f:annotations": { "f:y": {} } } }],
  ]);
  // A server-side apply of another value of a labelled field conflicts with the label's manager.
  const conflict = await c.kubectl("apply --server-side -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n  labels: {x: \"2\"}\n");
  assert.match(conflict.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl-label" using v1: \.metadata\.labels\.x\n/);
  // -o yaml leaves managedFields out unless --show-managed-fields (OmitManagedFieldsPrinter).
  assert.doesNotMatch((await c.kubectl("label configmap m z=3 -o yaml")).stdout, /managedFields/);
  assert.match((await c.kubectl("get configmap m -o yaml --show-managed-fields")).stdout, /manager: kubectl-label/);
});
