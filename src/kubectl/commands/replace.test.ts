import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

const cm = (data: string, meta = "") => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm${meta}}\ndata: {${data}}\n`;
const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: ${image}}]\n`;

// replace.go Run and forceReplace, with Helper.Replace(overwrite=true) and AddSourceToErr.
test("replace: in place, Conflict, NotFound, one object failing among others, dry runs", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  const missing = c.kubectlSync("replace -f -", cm("a: '1'"));
  assert.equal(missing.stderr, 'Error from server (NotFound): error when replacing "STDIN": configmaps "cm" not found\n');
  c.kubectlSync("create configmap cm --from-literal=a=0");
  const uid = c.get("ConfigMap", "cm")!.metadata.uid;
  assert.equal(c.kubectlSync("replace -f -", cm("a: '1'")).stdout, "configmap/cm replaced\n");
  assert.deepEqual([c.get("ConfigMap", "cm")!.data, c.get("ConfigMap", "cm")!.metadata.uid], [{ a: "1" }, uid]);
  const stale = c.kubectlSync("replace -f -", cm("a: '2'", ", resourceVersion: '1'"));
  assert.equal(stale.stderr, 'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "cm": the object has been modified; please apply your changes to the latest version and try again\n');
  // One bad document: the others are replaced all the same (replace.go visits with ContinueOnError).
  const half = c.kubectlSync("replace -f -", cm("a: '3'", "-missing") + "---\n" + cm("a: '3'"));
  assert.equal(half.stdout, "configmap/cm replaced\n");
  assert.equal(half.stderr, 'Error from server (NotFound): error when replacing "STDIN": configmaps "cm-missing" not found\n');
  assert.equal(c.get("ConfigMap", "cm")!.data.a, "3");
  c.kubectlSync("replace -f -", cm("a: '1'"));
  assert.equal(c.kubectlSync("replace --dry-run=client -f -", cm("a: '4'")).stdout, "configmap/cm replaced (dry run)\n");
  assert.equal(c.kubectlSync("replace --dry-run=server -f -", cm("a: '4'")).stdout, "configmap/cm replaced (server dry run)\n");
  assert.equal(c.get("ConfigMap", "cm")!.data.a, "1");
  assert.equal(c.kubectlSync("replace -o name -f -", cm("a: '5'")).stdout, "configmap/cm\n");
  assert.equal(c.kubectlSync("replace").stderr, "error: must specify one of -f and -k\n");
  assert.equal(c.kubectlSync("replace --grace-period=1 -f -", cm("a: '1'")).stderr, "error: --grace-period must have --force specified\n");
  assert.equal(c.kubectlSync("replace --timeout=1m -f -", cm("a: '1'")).stderr, "error: --timeout must have --force specified\n");
});

test("replace --force: delete, wait until gone, create (a Pod's immutable fields change this way only)", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.kubectlSync("create -f -", pod("nginx:1.27"));
  c.advanceSync(5000);
  const uid = c.get("Pod", "web")!.metadata.uid;
  // A plain replace of a running Pod is refused: the manifest drops fields the API set (nodeName...).
  assert.match(c.kubectlSync("replace -f -", pod("nginx:1.26")).stderr, /^The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields/);
  const forced = c.kubectlSync("replace --force -f -", pod("nginx:1.26"));
  assert.equal(forced.stdout, 'pod "web" deleted\npod/web replaced\n');
  const now = c.get("Pod", "web")!;
  assert.notEqual(now.metadata.uid, uid);
  assert.equal(now.spec.containers[0].image, "nginx:1.26");
  // Nothing to delete: created all the same.
  assert.equal(c.kubectlSync("replace --force -f -", cm("a: '1'")).stdout, "configmap/cm replaced\n");
  // As kubectl v1.32: an invalid manifest is found out by the create, after the delete (the Pod is gone).
  const bad = c.kubectlSync("replace --force -f -", pod("''"));
  assert.deepEqual([bad.exitCode, bad.stdout], [1, 'pod "web" deleted\n']);
  assert.match(bad.stderr, /^The Pod "web" is invalid: spec\.containers\[0\]\.image: Required value\n$/);
  assert.equal(c.get("Pod", "web"), undefined);
});
