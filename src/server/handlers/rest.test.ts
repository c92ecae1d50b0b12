/**
 * What the REST handlers make of the bodies and queries clients send (raw HTTP, as a client
 * library or curl sends them): a body is written only as the kind its path names, and what cannot
 * be decoded or selected on is the API server's 400 (never a 500, never another object written).
 */
import { tooDeep } from "../depth.ts";
import { test } from "node:test";
import assert from "node:assert/strict";
import { send, withServer, type Status } from "../testutil.ts";

const CM = "/api/v1/namespaces/default/configmaps";
const SECRETS = "/api/v1/namespaces/default/secrets";

test("a body of another kind or version is refused with the decoder's 400, and nothing of it is written (a Pod POSTed to /configmaps created a Pod; a ConfigMap PUT to /secrets/x overwrote the ConfigMap x)", async (t) => {
  await withServer(t, async (f, cluster) => {
    assert.equal((await send(f, "POST", CM, JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: "1" } }))).status, 201);
    assert.equal((await send(f, "POST", SECRETS, JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" }, stringData: { s: "1" } }))).status, 201);
    const before = JSON.stringify([cluster.api.get("ConfigMap", "default", "x"), cluster.api.get("Secret", "default", "x")]);

    const cases: Array<[string, string, unknown, number, string]> = [
      ["POST", CM, { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "busybox" }] } }, 400, 'Pod in version "v1" cannot be handled as a ConfigMap: converting (v1.Pod) to (core.ConfigMap): unknown conversion'],
      ["POST", "/api/v1/nodes", { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "kube-system" } }, 400, 'Pod in version "v1" cannot be handled as a Node: converting (v1.Pod) to (core.Node): unknown conversion'],
      ["PUT", `${SECRETS}/x`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { b: "2" } }, 400, 'ConfigMap in version "v1" cannot be handled as a Secret: converting (v1.ConfigMap) to (core.Secret): unknown conversion'],
      ["POST", CM, { apiVersion: "v1", kind: "Foo", metadata: { name: "p" } }, 400, 'Foo in version "v1" cannot be handled as a ConfigMap: no kind "Foo" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"'],
      ["POST", "/apis/apps/v1/namespaces/default/deployments", { apiVersion: "apps/v1beta9", kind: "Deployment", metadata: { name: "d" } }, 400, 'Deployment in version "v1beta9" cannot be handled as a Deployment: no kind "Deployment" is registered for version "apps/v1beta9" in scheme "pkg/api/legacyscheme/scheme.go:30"'],
      ["POST", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata: { name: "h" } }, 400, "the API version in the data (autoscaling/v1) does not match the expected API version (autoscaling/v2)"],
      ["PUT", `${CM}/x`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "kube-system" }, data: {} }, 400, "the namespace of the provided object does not match the namespace sent on the request"],
      ["PUT", `${CM}/x`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "y" }, data: {} }, 400, "the name of the object (y) does not match the name on the URL (x)"],
      ["POST", CM, { apiVersion: "v1", kind: "ConfigMap", metadata: "x" }, 400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta'],
      ["POST", CM, { apiVersion: "v1", kind: 5, metadata: { name: "p" } }, 400, `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string ({"apiVersion":"v1","kind":5,"m ...)`],
    ];
    for (const [method, path, body, code, message] of cases) {
      const r = await send(f, method, path, JSON.stringify(body));
      assert.deepEqual([r.status, r.body.kind, r.body.message], [code, "Status", message], `${method} ${path} ${JSON.stringify(body)}`);
    }
    assert.equal(JSON.stringify([cluster.api.get("ConfigMap", "default", "x"), cluster.api.get("Secret", "default", "x")]), before, "x is as it was, as ConfigMap and as Secret");
    assert.deepEqual(cluster.api.list("Pod").map((p) => p.metadata.name), [], "no Pod was created");
    // A kind or apiVersion left out is the path's (client-node's typed calls leave them out).
    const r = await send(f, "POST", CM, JSON.stringify({ metadata: { name: "bare" }, data: { a: "1" } }));
    assert.deepEqual([r.status, r.body.kind, r.body.apiVersion], [201, "ConfigMap", "v1"]);
  });
});

test("a patch that would turn the object into another kind, rename or move it, or empty it is refused as upstream's patcher refuses it; nothing changes", async (t) => {
  await withServer(t, async (f, cluster) => {
    assert.equal((await send(f, "POST", CM, JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: "1" } }))).status, 201);
    const before = JSON.stringify(cluster.api.get("ConfigMap", "default", "x"));
    const JSONP = "application/json-patch+json";
    const MERGE = "application/merge-patch+json";
    const SMP = "application/strategic-merge-patch+json";
    const cases: Array<[string, unknown, number, RegExp]> = [
      [JSONP, [{ op: "replace", path: "/kind", value: "Secret" }], 422, /^ "" is invalid: patch: Invalid value: "\{.*\\"kind\\":\\"Secret\\".*\}": converting \(v1\.Secret\) to \(core\.ConfigMap\): unknown conversion$/],
      [MERGE, { kind: "Foo" }, 422, /^ "" is invalid: patch: Invalid value: ".*": no kind "Foo" is registered for version "v1" in scheme "pkg\/api\/legacyscheme\/scheme.go:30"$/],
      [JSONP, [{ op: "replace", path: "/metadata/name", value: "y" }], 400, /^the name of the object \(y\) does not match the name on the URL \(x\)$/],
      [MERGE, { metadata: { namespace: "kube-system" } }, 400, /^the namespace of the provided object does not match the namespace sent on the request$/],
      [JSONP, [{ op: "remove", path: "/metadata" }], 400, /^the name of the object \(\) does not match the name on the URL \(x\)$/],
      [SMP, { $patch: "delete" }, 400, /^the name of the object \(\) does not match the name on the URL \(x\)$/],
      [SMP, { $patch: "replace" }, 400, /^the name of the object \(\) does not match the name on the URL \(x\)$/],
      [MERGE, { metadata: 7 }, 422, /^ "" is invalid: patch: Invalid value: ".*": json: cannot unmarshal number into Go struct field ConfigMap.metadata of type v1.ObjectMeta$/],
    ];
    for (const [type, patch, code, message] of cases) {
      const r = await send(f, "PATCH", `${CM}/x`, JSON.stringify(patch), type);
      assert.equal(r.status, code, `${type} ${JSON.stringify(patch)}: ${r.body.message}`);
      assert.match(r.body.message, message);
    }
    assert.equal(JSON.stringify(cluster.api.get("ConfigMap", "default", "x")), before);
    assert.equal(cluster.api.get("Secret", "default", "x"), undefined);
    // A strategic merge patch decodes without reading kind (FromUnstructured): the kind stays, the data merges.
    const r = await send(f, "PATCH", `${CM}/x`, JSON.stringify({ kind: "Secret", data: { b: "2" } }), SMP);
    assert.deepEqual([r.status, r.body.kind, r.body.data], [200, "ConfigMap", { a: "1", b: "2" }]);
  });
});

test("bodies that do not decode: Go's syntax errors with the body's first bytes, the facade's nesting limit (depth.ts) instead of a stack overflow, YAML decoded", async (t) => {
  await withServer(t, async (f, cluster) => {
    const unrecognized = (why: string, summary: string) => `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: ${why} (${summary})`;
    const cases: Array<[string, number, string]> = [
      ['{"apiVersion": "v1", kind', 400, unrecognized("invalid character 'k' looking for beginning of object key string", '{"apiVersion": "v1", kind')],
      ["", 400, unrecognized("unexpected end of JSON input", "<empty>")],
      ["[]", 400, unrecognized('json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }', "5b5d")],
      ['{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":' + "[".repeat(500_000) + "]".repeat(500_000) + "}", 400, tooDeep("the body of the request").message],
      ["null", 422, 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'],
    ];
    for (const [body, code, message] of cases) {
      const r = await send(f, "POST", CM, body);
      assert.deepEqual([r.status, r.body.message], [code, message], body.slice(0, 40));
    }
    // The same nesting in a patch is refused before the patch decoder, not by a stack overflow.
    assert.equal((await send(f, "POST", CM, JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }))).status, 201);
    const deep = await send(f, "PATCH", `${CM}/x`, '{"data":' + "[".repeat(20_000) + "]".repeat(20_000) + "}", "application/merge-patch+json");
    assert.deepEqual([deep.status, deep.body.message], [400, tooDeep("the body of the request").message]);
    // application/yaml is one of the media types create decodes.
    const y = await send(f, "POST", CM, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: "1"\n', "application/yaml");
    assert.equal(y.status, 201, y.body.message);
    assert.deepEqual(cluster.api.get("ConfigMap", "default", "from-yaml")?.data, { a: "1" });
  });
});

test("selectors that do not parse, or select on fields the kind does not have, are 400s with the parsers' texts (lists, watches and deletecollection), not 500s", async (t) => {
  await withServer(t, async (f) => {
    const cases: Array<[string, string]> = [
      [`${CM}?fieldSelector=spec.foo%3Db`, '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"'],
      ["/api/v1/namespaces/default/pods?fieldSelector=spec.foo%3Db", "field label not supported: spec.foo"],
      ["/api/v1/namespaces/default/pods?watch=1&fieldSelector=spec.foo%3Db", "field label not supported: spec.foo"],
      ["/api/v1/namespaces/default/pods?fieldSelector=a", "invalid selector: 'a'; can't understand 'a'"],
      ["/api/v1/namespaces/default/pods?labelSelector=a+in+(b", "unable to parse requirement: found '', expected: ',' or ')'"],
    ];
    for (const [path, message] of cases) {
      const r = await send(f, "GET", path);
      assert.deepEqual([r.status, r.body.reason, r.body.message], [400, "BadRequest", message], path);
    }
    const d = await send(f, "DELETE", `${CM}?fieldSelector=data.a%3Db`);
    assert.deepEqual([d.status, d.body.message], [400, '"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"']);
  });
});

// test/integration/apiserver/field_validation_test.go's invalidBodyJSON and its expectations (testFieldValidationPost).
const INVALID_BODY_JSON = (name: string) => `
{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {
    "name": "dupename",
    "name": "${name}",
    "labels": {"app": "nginx"},
    "unknownMeta": "metaVal"
  },
  "spec": {
    "unknown1": "val1",
    "unknownDupe": "valDupe",
    "unknownDupe": "valDupe2",
    "paused": true,
    "paused": false,
    "selector": {"matchLabels": {"app": "nginx"}},
    "template": {
      "metadata": {"labels": {"app": "nginx"}},
      "spec": {
        "containers": [{
          "name":  "nginx",
          "image": "nginx:latest",
          "unknownNested": "val1",
          "imagePullPolicy": "Always",
          "imagePullPolicy": "Never"
        }]
      }
    }
  }
}`;
const STRICT_ERRORS = [
  'duplicate field "metadata.name"',
  'unknown field "metadata.unknownMeta"',
  'unknown field "spec.unknown1"',
  'unknown field "spec.unknownDupe"',
  'duplicate field "spec.paused"',
  'unknown field "spec.template.spec.containers[0].unknownNested"',
  'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
];

test("duplicate fields in a JSON body are strict decoding errors, reported with the unknown fields in the order they occur (upstream's field validation test): Strict refuses, Warn and the default warn, Ignore is silent; the last value is kept", async (t) => {
  await withServer(t, async (f, cluster) => {
    const post = async (name: string, query: string) => {
      const r = await f(`/apis/apps/v1/namespaces/default/deployments${query}`, { method: "POST", body: INVALID_BODY_JSON(name), headers: { "content-type": "application/json" } });
      const warnings = (r.headers.get("warning") ?? "").split(/, (?=299 )/).filter(Boolean).map((w) => JSON.parse(w.replace(/^299 - /, "")) as string);
      return { status: r.status, body: (await r.json()) as Status, warnings };
    };
    const strict = await post("strict", "?fieldValidation=Strict");
    assert.deepEqual([strict.status, strict.body.message], [400, `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${STRICT_ERRORS.join(", ")}`]);
    assert.equal(cluster.api.get("Deployment", "default", "strict"), undefined);
    for (const [name, query] of [["warn", "?fieldValidation=Warn"], ["default", ""]]) {
      const r = await post(name!, query!);
      assert.deepEqual([r.status, r.warnings], [201, STRICT_ERRORS], query);
    }
    const ignore = await post("ignore", "?fieldValidation=Ignore");
    assert.deepEqual([ignore.status, ignore.warnings], [201, []]);
    const stored = cluster.api.get("Deployment", "default", "ignore")!;
    assert.deepEqual([stored.spec.paused, stored.spec.template.spec.containers[0].imagePullPolicy, "unknown1" in stored.spec], [false, "Never", false]);
    assert.equal(cluster.api.get("Deployment", "default", "dupename"), undefined, "the last name is the one");
  });
});

test("a continue token whose JSON does not decode says so with encoding/json's text", async (t) => {
  await withServer(t, async (f) => {
    const token = Buffer.from('{"v":"meta.k8s.io/v1","rv":5,"start":"x"').toString("base64url");
    const r = await send(f, "GET", `${CM}?limit=1&continue=${token}`);
    assert.deepEqual([r.status, r.body.message], [400, "invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1): unexpected end of JSON input"]);
  });
});

test("pods/binding: a Binding for another pod or without a target binds nothing (BindingREST.Create, ValidatePodBinding); a good one binds", async (t) => {
  await withServer(t, async (f, cluster) => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { schedulerName: "my-scheduler", containers: [{ name: "c", image: "busybox", command: ["sleep", "3600"] }] } };
    assert.equal((await send(f, "POST", "/api/v1/namespaces/default/pods", JSON.stringify(pod))).status, 201);
    const bind = (body: unknown) => send(f, "POST", "/api/v1/namespaces/default/pods/p/binding", JSON.stringify(body));
    const cases: Array<[unknown, number, string]> = [
      [{ target: { name: "k8s-node1" } }, 400, "name in URL does not match name in Binding object"],
      [{ metadata: { name: "q" }, target: { name: "k8s-node1" } }, 400, "name in URL does not match name in Binding object"],
      [{ metadata: { name: "p" } }, 500, "target.name: Required value"],
      [{ metadata: { name: "p" }, target: { kind: "Pod", name: "" } }, 500, '[target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]'],
    ];
    for (const [body, code, message] of cases) {
      const r = await bind(body);
      assert.deepEqual([r.status, r.body.message], [code, message], JSON.stringify(body));
    }
    assert.equal(cluster.api.get("Pod", "default", "p")?.spec.nodeName, undefined, "still unscheduled");
    assert.equal((await bind({ apiVersion: "v1", kind: "Binding", metadata: { name: "p" }, target: { apiVersion: "v1", kind: "Node", name: "k8s-node1" } })).status, 201);
    assert.equal(cluster.api.get("Pod", "default", "p")?.spec.nodeName, "k8s-node1");
  });
});

test("a JSON or merge patch whose result has a value of the wrong type is jsonPatcher's 422 on `patch` with the decoder's text (it was create's 400); nothing changes", async (t) => {
  await withServer(t, async (f, cluster) => {
    cluster.applySync("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: nginx}]\n");
    const before = JSON.stringify(cluster.api.get("Deployment", "default", "web"));
    const DEPLOY = "/apis/apps/v1/namespaces/default/deployments/web";
    const cases: Array<[string, unknown]> = [
      ["application/merge-patch+json", { spec: { replicas: "x" } }],
      ["application/json-patch+json", [{ op: "replace", path: "/spec/replicas", value: "x" }]],
    ];
    for (const [type, patch] of cases) {
      const r = await send(f, "PATCH", DEPLOY, JSON.stringify(patch), type);
      assert.equal(r.status, 422, `${type}: ${r.body.message}`);
      assert.equal(r.body.reason, "Invalid");
      assert.match(r.body.message, /^ "" is invalid: patch: Invalid value: "\{.*\\"replicas\\":\\"x\\".*\}": json: cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32$/);
    }
    // A PUT of the same object is the decoder's 400 (create.go and update.go's transformDecodeError).
    const obj = JSON.parse(before) as { spec: { replicas: unknown } };
    obj.spec.replicas = "x";
    const put = await send(f, "PUT", DEPLOY, JSON.stringify(obj));
    assert.deepEqual([put.status, put.body.message], [400, 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32']);
    assert.equal(JSON.stringify(cluster.api.get("Deployment", "default", "web")), before);
    // A good patch still applies.
    assert.equal((await send(f, "PATCH", DEPLOY, JSON.stringify({ spec: { replicas: 2 } }), "application/merge-patch+json")).status, 200);
  });
});
