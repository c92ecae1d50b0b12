import { test } from "node:test";
import assert from "node:assert/strict";
import { loadDescriptions } from "./descriptions.ts";
import { loadSchema } from "./fields.ts";

const { types, renamed, refs, _source } = loadDescriptions();

test("says where the data came from", () => {
  assert.match(_source, /^scripts\/gen-openapi-descriptions\.ts from the Go doc comments of v0\.32\.0: github\.com\/kubernetes\/api [0-9a-f]{40}/);
});

test("every type the facade serves has its upstream description", () => {
  const { names } = loadSchema();
  for (const [model, name] of Object.entries(names)) {
    const t = types[renamed[model] ?? name];
    assert.ok(t, `${model} (${name})`);
    assert.ok(t.d, `${name} has no description`);
  }
});

test("descriptions as kube-openapi's generateDescription makes them: lines joined, tags and TODOs dropped", () => {
  assert.equal(types["io.k8s.api.core.v1.Probe"]!.d, "Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.");
  // `// +optional` and `// +listType=...` lines are not part of the text.
  assert.equal(types["io.k8s.api.core.v1.PodSpec"]!.f!.nodeName!.includes("+"), false);
  // An empty comment line starts a paragraph.
  assert.match(types["io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource"]!.d!, /^Represents a Persistent Disk resource in AWS\.\n\nAn AWS EBS disk must exist/);
  // An indented line keeps its own line (RawExtension's Go example).
  assert.match(types["io.k8s.apimachinery.pkg.runtime.RawExtension"]!.d!, /\n\n\/\/ Internal package:\n\n\ttype MyAPIObject struct \{\n\t\truntime\.TypeMeta `json:",inline"`\n/);
});

test("a field of an enum type lists the values after its own text, and carries them", () => {
  const c = types["io.k8s.api.core.v1.Container"]!;
  assert.equal(
    c.f!.imagePullPolicy,
    "Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images\n\n" +
      "Possible enum values:\n" +
      ' - `"Always"` means that kubelet always attempts to pull the latest image. Container will fail If the pull fails.\n' +
      ' - `"IfNotPresent"` means that kubelet pulls if the image isn\'t present on disk. Container will fail if the image isn\'t present and the pull fails.\n' +
      ' - `"Never"` means that kubelet never pulls an image, but only uses a local image. Container will fail if the image isn\'t present',
  );
  assert.deepEqual(c.e!.imagePullPolicy, ["Always", "IfNotPresent", "Never"]);
  assert.deepEqual(types["io.k8s.api.apps.v1.DeploymentStrategy"]!.e!.type, ["Recreate", "RollingUpdate"]);
});

test("required: no omitempty and no +optional, or +required; an inlined struct's fields count as the parent's", () => {
  assert.deepEqual(types["io.k8s.api.core.v1.Container"]!.r, ["name"]);
  assert.deepEqual(types["io.k8s.api.core.v1.PodSpec"]!.r, ["containers"]);
  assert.equal(types["io.k8s.api.core.v1.Pod"]!.r, undefined);
  assert.deepEqual(types["io.k8s.api.core.v1.HTTPGetAction"]!.r, ["port"]);
});

test("names fields.json gets wrong and the types of the fields it leaves untyped", () => {
  assert.equal(renamed.V1TopologySelectorTerm, "io.k8s.api.core.v1.TopologySelectorTerm");
  assert.equal(refs["V1ManagedFieldsEntry.fieldsV1"], "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1");
  assert.equal(types["io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"]!.t, "object");
  assert.equal(types["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON"]!.t, "");
});
