import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

const WARNING = (ref: string) =>
  `Warning: resource ${ref} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. ` +
  "kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n";

// apply.go applyOneObject (warningNoLastAppliedConfigAnnotation); the texts as kubectl v1.32.4 prints them.
test("kubectl apply over an object made without apply warns of the missing annotation, then patches it", async () => {
  const c = new Cluster();
  await c.kubectl("create configmap cm --from-literal=a=1");
  const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: '2'\n";
  assert.deepEqual(await c.kubectl(["apply", "-f", "-"], cm), { stdout: "configmap/cm configured\n", stderr: WARNING("configmaps/cm"), exitCode: 0 });
  // Now it has the annotation: no warning.
  assert.deepEqual(await c.kubectl(["apply", "-f", "-"], cm), { stdout: "configmap/cm unchanged\n", stderr: "", exitCode: 0 });
  // Not under --dry-run=client; under --dry-run=server, as kubectl sends the patch.
  await c.kubectl("create configmap other --from-literal=a=1");
  const other = cm.replace("name: cm", "name: other");
  assert.equal((await c.kubectl(["apply", "-f", "-", "--dry-run=client"], other)).stderr, "");
  assert.equal((await c.kubectl(["apply", "-f", "-", "--dry-run=server"], other)).stderr, WARNING("configmaps/other"));
  await c.close();
});

test("a patch that fails comes after the warning (kind's StorageClass standard, whose provisioner may not change)", async () => {
  const c = new Cluster();
  const sc = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: standard\nprovisioner: example.com/example\n";
  assert.deepEqual(await c.kubectl(["apply", "-f", "-"], sc), {
    stdout: "",
    stderr: WARNING("storageclasses/standard") + 'The StorageClass "standard" is invalid: provisioner: Forbidden: updates to provisioner are forbidden.\n',
    exitCode: 1,
  });
  await c.close();
});

test("-f /dev/stdin (and /dev/fd/0, /proc/self/fd/0) reads standard input, as `kubectl create -f /dev/stdin <<EOF` does on Linux", async () => {
  const c = new Cluster();
  const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\n`;
  assert.deepEqual(await c.kubectl(["create", "-f", "/dev/stdin"], cm("a")), { stdout: "configmap/a created\n", stderr: "", exitCode: 0 });
  assert.deepEqual(await c.kubectl(["apply", "-f", "/dev/fd/0"], cm("b")), { stdout: "configmap/b created\n", stderr: "", exitCode: 0 });
  assert.deepEqual(await c.kubectl(["delete", "-f", "/proc/self/fd/0"], cm("b")), { stdout: 'configmap "b" deleted\n', stderr: "", exitCode: 0 });
  // With nothing on standard input, as kubectl says of an empty file.
  assert.deepEqual(await c.kubectl(["create", "-f", "/dev/stdin"], ""), { stdout: "", stderr: "error: no objects passed to create\n", exitCode: 1 });
  await c.close();
});

test("kubectl apply of an object without a name fails in info.Get() (client-go: resource name may not be empty); a generateName cannot be applied", async () => {
  const c = new Cluster();
  try {
    const noName = "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n";
    const r = await c.kubectl("kubectl apply -f -", noName);
    assert.equal(r.exitCode, 1);
    assert.equal(
      r.stderr,
      'error: error when retrieving current configuration of:\nResource: "/v1, Resource=configmaps", GroupVersionKind: "/v1, Kind=ConfigMap"\nName: "", Namespace: "default"\nfrom server for: "STDIN": resource name may not be empty\n',
    );
    const cluster = await c.kubectl("kubectl apply -f -", "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nvalue: 5\n");
    assert.match(cluster.stderr, /^error: error when retrieving current configuration of:\nResource: "scheduling.k8s.io\/v1, Resource=priorityclasses", GroupVersionKind: "scheduling.k8s.io\/v1, Kind=PriorityClass"\nName: "", Namespace: ""\n/);
    const gen = await c.kubectl("kubectl apply -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: cm-\n");
    assert.equal(gen.stderr, "error: from cm-: cannot use generate name with apply\n");
    // create sends it: the API server requires a name.
    const created = await c.kubectl("kubectl create -f -", noName);
    assert.equal(created.stderr, 'The ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required\n');
  } finally {
    await c.close();
  }
});
