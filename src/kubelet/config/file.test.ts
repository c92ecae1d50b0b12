// The static pod file source (pkg/kubelet/config/file.go, common.go): decoding, defaults, the
// directory listing's rules and the set of pods each change gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeStaticPod, readManifestDir, rfc3339Nano, StaticPodFileSource, STATIC_POD_PATH } from "./file.ts";
import { MemFs } from "../../runtime/vfs.ts";
import { bareContext } from "../testutil.ts";
import type { Pod } from "../../api/types.gen.ts";

const WEB = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\n  labels:\n    role: myrole\nspec:\n  containers:\n    - name: web\n      image: nginx\n";

test("applyDefaults: name <pod>-<node>, namespace default, nodeName, the hash as UID and config.hash, a NoExecute toleration, v1 defaults", () => {
  const r = decodeStaticPod(WEB, "/etc/kubernetes/manifests/static-web.yaml", "my-node1");
  assert.ok("pod" in r);
  const p = r.pod;
  assert.equal(p.metadata.name, "static-web-my-node1");
  assert.equal(p.metadata.namespace, "default");
  assert.equal(p.spec!.nodeName, "my-node1");
  assert.match(p.metadata.uid!, /^[0-9a-f]{32}$/);
  assert.deepEqual(p.metadata.annotations, { "kubernetes.io/config.hash": p.metadata.uid });
  assert.deepEqual(p.spec!.tolerations, [{ operator: "Exists", effect: "NoExecute" }]);
  assert.equal(p.spec!.containers[0]!.imagePullPolicy, "Always");
  assert.equal(p.spec!.terminationGracePeriodSeconds, 30);
  assert.equal(p.status!.phase, "Pending");
});

test("the UID hashes the pod, the node and the file: the same file gives the same UID, any change another", () => {
  const uid = (text: string, file = "/m/a.yaml", node = "n1") => {
    const r = decodeStaticPod(text, file, node);
    assert.ok("pod" in r);
    return r.pod.metadata.uid;
  };
  assert.equal(uid(WEB), uid(WEB));
  // Field order in the file does not matter.
  assert.equal(uid(WEB), uid("kind: Pod\napiVersion: v1\nspec:\n  containers:\n  - image: nginx\n    name: web\nmetadata:\n  labels: {role: myrole}\n  name: static-web\n"));
  assert.notEqual(uid(WEB), uid(WEB.replace("myrole", "web")));
  assert.notEqual(uid(WEB), uid(WEB, "/m/b.yaml"));
  assert.notEqual(uid(WEB), uid(WEB, "/m/a.yaml", "n2"));
  // A UID in the file is kept.
  assert.equal(uid(WEB.replace("  name: static-web\n", "  name: static-web\n  uid: abc\n")), "abc");
});

test("an existing NoExecute Exists toleration is not added twice; a namespace in the file is kept", () => {
  const r = decodeStaticPod(
    "apiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: kube-system}\nspec:\n  tolerations: [{operator: Exists, effect: NoExecute}]\n  containers: [{name: c, image: busybox}]\n",
    "/m/x.yaml",
    "n1",
  );
  assert.ok("pod" in r);
  assert.equal(r.pod.metadata.namespace, "kube-system");
  assert.deepEqual(r.pod.spec!.tolerations, [{ operator: "Exists", effect: "NoExecute" }]);
});

test("files that are not one valid v1 Pod are refused with the kubelet's error", () => {
  const err = (text: string) => {
    const r = decodeStaticPod(text, "/m/bad.yaml", "n1");
    assert.ok("error" in r);
    return r.error;
  };
  assert.match(err("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"), /^\/m\/bad\.yaml: couldn't parse as pod\(invalid pod: apps\/v1, Kind=Deployment\), please check config file$/);
  assert.match(err("metadata: {name: x}\n"), /Object 'Kind' is missing/);
  assert.match(err("a: [1,\n"), /^\/m\/bad\.yaml: couldn't parse as pod\(/);
  assert.equal(err("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c}]\n"), "/m/bad.yaml: invalid pod: [spec.containers[0].image: Required value]");
});

test("the directory: dot files and sub-directories are skipped, files in name order, a missing directory gives no pods", () => {
  const fs = new MemFs(undefined, { "/m/b.yaml": WEB.replace("static-web", "b"), "/m/a.json": JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "a" }, spec: { containers: [{ name: "c", image: "busybox" }] } }), "/m/.hidden.yaml": WEB, "/m/sub/c.yaml": WEB, "/m/bad.txt": "nonsense" });
  const r = readManifestDir(fs, "/m", "n1");
  assert.deepEqual(r.pods.map((p) => p.metadata.name), ["a-n1", "b-n1"]);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0]!, /^Could not process manifest file: \/m\/bad\.txt: couldn't parse as pod/);
  assert.deepEqual(readManifestDir(fs, "/nope", "n1").pods, []);
});

test("rfc3339Nano drops the fraction's trailing zeros", () => {
  assert.equal(rfc3339Nano(Date.UTC(2024, 0, 8)), "2024-01-08T00:00:00Z");
  assert.equal(rfc3339Nano(Date.UTC(2024, 0, 8) + 120), "2024-01-08T00:00:00.12Z");
  assert.equal(rfc3339Nano(Date.UTC(2024, 0, 8) + 1, 500), "2024-01-08T00:00:00.0010005Z");
});

test("the source reads the directory at start and after each change (inotify), with config.source and config.seen; a changed file is a new UID", () => {
  const ctx = bareContext();
  const fs = new MemFs(ctx.clock);
  fs.mkdir(STATIC_POD_PATH, { recursive: true });
  const updates: Pod[][] = [];
  const src = new StaticPodFileSource(ctx, fs, "n1", (pods) => updates.push(pods));
  src.start();
  assert.equal(updates.length, 0);
  ctx.clock.advance(5000);
  fs.writeFile(`${STATIC_POD_PATH}/web.yaml`, WEB);
  ctx.clock.advance(0);
  assert.equal(updates.length, 1);
  const first = updates[0]![0]!;
  assert.equal(first.metadata.annotations!["kubernetes.io/config.source"], "file");
  assert.equal(first.metadata.annotations!["kubernetes.io/config.seen"], rfc3339Nano(ctx.clock.now()));
  // Touching the file changes nothing; a dot file neither.
  fs.touch(`${STATIC_POD_PATH}/web.yaml`);
  fs.writeFile(`${STATIC_POD_PATH}/.swp`, "x");
  ctx.clock.advance(1000);
  assert.equal(updates.length, 1);
  fs.writeFile(`${STATIC_POD_PATH}/web.yaml`, WEB.replace("myrole", "web"));
  ctx.clock.advance(0);
  assert.equal(updates.length, 2);
  assert.notEqual(updates[1]![0]!.metadata.uid, first.metadata.uid);
  fs.unlink(`${STATIC_POD_PATH}/web.yaml`);
  ctx.clock.advance(0);
  assert.deepEqual(updates[2], []);
  // A stopped source does not read any more.
  src.stop();
  fs.writeFile(`${STATIC_POD_PATH}/web.yaml`, WEB);
  ctx.clock.advance(1000);
  assert.equal(updates.length, 3);
});
