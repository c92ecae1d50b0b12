import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../api/types.ts";
import { applyPatch } from "./patch.ts";
import { NO_KUBECTL, withKubectl, withServer } from "./testutil.ts";

const obj = (): KObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { a: "1" } }, data: { x: "1" }, spec: { list: [1, 2, 3] } } as unknown as KObject);

test("JSON merge patch (RFC 7386): null deletes, lists replace, nested objects merge", () => {
  const out = applyPatch(obj(), { metadata: { labels: { a: null, b: "2" } }, spec: { list: [9] } }, "merge") as any;
  assert.deepEqual(out.metadata.labels, { b: "2" });
  assert.deepEqual(out.spec.list, [9]);
  assert.equal(out.data.x, "1");
});

test("JSON patch (RFC 6902): add, replace, remove, move, copy, test; failures are the API server's generic 422", () => {
  const out = applyPatch(obj(), [
    { op: "add", path: "/spec/list/1", value: 7 },
    { op: "add", path: "/spec/list/-", value: 8 },
    { op: "replace", path: "/data/x", value: "2" },
    { op: "copy", from: "/data/x", path: "/data/y" },
    { op: "move", from: "/metadata/labels/a", path: "/metadata/labels/b" },
    { op: "remove", path: "/spec/list/0" },
    { op: "test", path: "/data/y", value: "2" },
    { op: "add", path: "/metadata/labels/c~1d", value: "slash" },
  ], "json") as any;
  assert.deepEqual(out.spec.list, [7, 2, 3, 8]);
  assert.deepEqual(out.data, { x: "2", y: "2" });
  assert.deepEqual(out.metadata.labels, { b: "1", "c/d": "slash" });
  // evanphx/json-patch v4 (what kube-apiserver runs): a replace of a missing map key adds it.
  assert.deepEqual((applyPatch(obj(), [{ op: "replace", path: "/data/nope", value: "1" }], "json") as any).data, { x: "1", nope: "1" });
  assert.throws(() => applyPatch(obj(), [{ op: "remove", path: "/data/nope" }], "json"), /^ApiError: the server rejected our request due to an error in our request$|the server rejected our request due to an error in our request/);
  assert.throws(() => applyPatch(obj(), [{ op: "test", path: "/data/x", value: "9" }], "json"), /the server rejected our request due to an error in our request/);
});

test("strategic merge patch of a Pod: merge keys from the schema", () => {
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "a", image: "a:1", ports: [{ containerPort: 80 }] }] } } as unknown as KObject;
  const out = applyPatch(pod, { spec: { containers: [{ name: "a", ports: [{ containerPort: 81 }] }] } }, "strategic") as any;
  assert.deepEqual(out.spec.containers, [{ name: "a", image: "a:1", ports: [{ containerPort: 81 }, { containerPort: 80 }] }]);
  assert.throws(() => applyPatch(pod, { spec: { containers: [{ image: "x" }] } }, "strategic"), /does not contain declared merge key: name/);
});

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d1}
spec:
  replicas: 2
  selector: {matchLabels: {app: d1}}
  template:
    metadata: {labels: {app: d1}}
    spec:
      containers:
      - {name: c, image: busybox, command: ["sleep", "3600"], env: [{name: A, value: "1"}]}
`;

// Each test runs the real kubectl a score of times: the bounds are against a hang, not a measure (at a
// load of 16 the first took over its former 60 s bound, the second 43 s; on a calm machine 10-20 s).
test("kubectl label, annotate, patch (all three types), scale, set image, rollout restart and re-apply", { skip: NO_KUBECTL, timeout: 240_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, file, cluster }) => {
    const get = (jsonpath: string) => kubectl(["get", "deploy", "d1", "-o", `jsonpath=${jsonpath}`]).then((r) => r.out);
    const dep = file("dep.yaml", DEPLOY);
    assert.equal((await kubectl(["apply", "-f", dep])).out, "deployment.apps/d1 created\n");
    cluster.advanceSync(10_000);
    assert.deepEqual(await kubectl(["label", "deploy", "d1", "tier=web"]), { code: 0, out: "deployment.apps/d1 labeled\n", err: "" });
    assert.deepEqual(await kubectl(["annotate", "deploy", "d1", "note=hi"]), { code: 0, out: "deployment.apps/d1 annotated\n", err: "" });
    assert.equal((await kubectl(["label", "deploy", "d1", "tier-"])).out, "deployment.apps/d1 unlabeled\n");
    const exists = await kubectl(["label", "deploy", "d1", "app=x", "--dry-run=client"]);
    assert.deepEqual(exists, { code: 0, out: "deployment.apps/d1 labeled (dry run)\n", err: "" });
    assert.equal((await kubectl(["patch", "deploy", "d1", "-p", '{"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"B","value":"2"}]}]}}}}'])).out, "deployment.apps/d1 patched\n");
    assert.equal(await get("{.spec.template.spec.containers[0].env[*].name}"), "B A");
    assert.equal((await kubectl(["patch", "deploy", "d1", "--type=merge", "-p", '{"spec":{"minReadySeconds":3}}'])).out, "deployment.apps/d1 patched\n");
    assert.equal((await kubectl(["patch", "deploy", "d1", "--type=json", "-p", '[{"op":"replace","path":"/spec/revisionHistoryLimit","value":4}]'])).out, "deployment.apps/d1 patched\n");
    assert.equal(await get("{.spec.minReadySeconds} {.spec.revisionHistoryLimit}"), "3 4");
    const noop = await kubectl(["patch", "deploy", "d1", "--type=merge", "-p", '{"spec":{"minReadySeconds":3}}']);
    assert.equal(noop.out, "deployment.apps/d1 patched (no change)\n");
    assert.equal((await kubectl(["scale", "deploy", "d1", "--replicas=3"])).out, "deployment.apps/d1 scaled\n");
    assert.equal(await get("{.spec.replicas}"), "3");
    assert.equal((await kubectl(["set", "image", "deploy/d1", "c=busybox:1.36"])).out, "deployment.apps/d1 image updated\n");
    assert.equal((await kubectl(["rollout", "restart", "deploy/d1"])).out, "deployment.apps/d1 restarted\n");
    assert.match(await get("{.spec.template.metadata.annotations}"), /kubectl\.kubernetes\.io\/restartedAt/);
    cluster.advanceSync(60_000);
    // Re-apply: the three-way patch keeps what others changed that the file never said.
    const applied = await kubectl(["apply", "-f", file("dep2.yaml", DEPLOY.replace('value: "1"', 'value: "9"'))]);
    assert.deepEqual(applied, { code: 0, out: "deployment.apps/d1 configured\n", err: "" });
    // B came from `kubectl patch`, not from the file: it stays, in the live order ($setElementOrder).
    assert.equal(await get("{.spec.template.spec.containers[0].env}"), '[{"name":"B","value":"2"},{"name":"A","value":"9"}]');
    // Fields the file declares win over scale and set image (the patch goes from live to the file).
    assert.equal(await get("{.spec.replicas} {.spec.template.spec.containers[0].image}"), "2 busybox");
    const bad = await kubectl(["patch", "deploy", "d1", "-p", '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}']);
    assert.equal(bad.code, 1);
    // mergepatch.ErrNoMergeKey is not one of interpretStrategicMergePatchError's sentinels: the handler
    // returns it as is, a 500 whose Status has no reason, which kubectl prints without one.
    assert.equal(bad.err, "Error from server: map: map[image:x] does not contain declared merge key: name\n");
  });
});

test("kubectl diff (server dry-run), replace, run, set env, delete --dry-run=server", { skip: NO_KUBECTL, timeout: 240_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, file, cluster }) => {
    const dep = file("dep.yaml", DEPLOY);
    assert.equal((await kubectl(["apply", "-f", dep])).code, 0);
    const same = await kubectl(["diff", "-f", dep]);
    assert.deepEqual([same.code, same.out], [0, ""]);
    const diff = await kubectl(["diff", "-f", file("dep3.yaml", DEPLOY.replace("replicas: 2", "replicas: 3"))]);
    assert.equal(diff.code, 1);
    assert.match(diff.out, /\n- {2}replicas: 2\n\+ {2}replicas: 3\n/);
    assert.equal((await kubectl(["get", "deploy", "d1", "-o", "jsonpath={.spec.replicas}"])).out, "2", "diff changes nothing");
    assert.equal((await kubectl(["replace", "-f", file("dep4.yaml", DEPLOY.replace("replicas: 2", "replicas: 4"))])).out, "deployment.apps/d1 replaced\n");
    assert.equal((await kubectl(["set", "env", "deploy/d1", "X=1"])).out, "deployment.apps/d1 env updated\n");
    assert.equal((await kubectl(["get", "deploy", "d1", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].env}"])).out, '4 [{"name":"A","value":"1"},{"name":"X","value":"1"}]');
    assert.deepEqual(await kubectl(["run", "nginx", "--image=nginx"]), { code: 0, out: "pod/nginx created\n", err: "" });
    cluster.advanceSync(5_000);
    assert.equal((await kubectl(["delete", "pod", "nginx", "--dry-run=server"])).out, 'pod "nginx" deleted (server dry run)\n');
    assert.equal((await kubectl(["get", "pod", "nginx", "-o", "name"])).out, "pod/nginx\n");
  });
});

test("a strategic or merge patch whose body repeats a key: kjson.UnmarshalStrict's duplicate field, a warning under Warn, the 422 under Strict, nothing written", { timeout: 30_000 }, async () => {
  await withServer(async (fetch, cluster) => {
    cluster.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n");
    const rv = () => cluster.api.get("ConfigMap", "default", "cm")!.metadata.resourceVersion;
    const before = rv();
    const patch = (type: string, validation: string, body: string) =>
      fetch(`/api/v1/namespaces/default/configmaps/cm?fieldValidation=${validation}`, { method: "PATCH", headers: { "content-type": `application/${type}-patch+json` }, body });
    const strict = await patch("strategic-merge", "Strict", '{"data":{"x":"1","x":"2"},"metadata":{"labelz":{}}}');
    assert.equal(strict.status, 422);
    assert.equal(((await strict.json()) as { message: string }).message, ' "" is invalid: patch: Invalid value: "map[data:map[x:2] metadata:map[labelz:map[]]]": strict decoding error: duplicate field "data.x", unknown field "metadata.labelz"');
    assert.equal(rv(), before);
    const warned = await patch("merge", "Warn", '{"data":{"y":"1","y":"3"}}');
    assert.equal(warned.status, 200);
    assert.equal(warned.headers.get("warning"), '299 - "duplicate field \\"data.y\\""');
    assert.equal(cluster.api.get("ConfigMap", "default", "cm")!.data.y, "3", "the last value is kept, as encoding/json keeps it");
  });
});
