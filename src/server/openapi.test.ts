import { test } from "node:test";
import assert from "node:assert/strict";
import { openAPIV3Document, openAPIV3Root, schemaName } from "./openapi.ts";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

test("the root document points at one document per group version, with a content hash", () => {
  const root = openAPIV3Root() as { paths: Record<string, { serverRelativeURL: string }> };
  assert.ok(root.paths["api/v1"]);
  assert.ok(root.paths["apis/apps/v1"]);
  const doc = openAPIV3Document(undefined, "apis/apps/v1")!;
  assert.equal(root.paths["apis/apps/v1"]!.serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${doc.hash}`);
});

test("each kind's PATCH takes fieldValidation and carries its group-version-kind (what kubectl verifies)", () => {
  const doc = JSON.parse(openAPIV3Document(undefined, "apis/apps/v1")!.text);
  const patch = doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"].patch;
  assert.deepEqual(patch["x-kubernetes-group-version-kind"], { group: "apps", version: "v1", kind: "Deployment" });
  assert.ok(patch.parameters.some((p: any) => p.name === "fieldValidation" && p.in === "query"));
  const core = JSON.parse(openAPIV3Document(undefined, "api/v1")!.text);
  assert.ok(core.paths["/api/v1/nodes/{name}"].patch);
});

test("schemas carry upstream's descriptions, required fields and enums", () => {
  const core = JSON.parse(openAPIV3Document(undefined, "api/v1")!.text);
  const container = core.components.schemas["io.k8s.api.core.v1.Container"];
  assert.match(container.description, /^A single application container that you want to run within a pod\./);
  assert.deepEqual(container.required, ["name"]);
  assert.deepEqual(container.properties.imagePullPolicy.enum, ["Always", "IfNotPresent", "Never"]);
  assert.match(container.properties.livenessProbe.description, /^Periodic probe of container liveness\./);
  assert.deepEqual(container.properties.livenessProbe.allOf, [{ $ref: "#/components/schemas/io.k8s.api.core.v1.Probe" }]);
  // A field of an enum type: its values listed after its own text.
  const podSpec = core.components.schemas["io.k8s.api.core.v1.PodSpec"];
  assert.match(podSpec.properties.restartPolicy.description, /Possible enum values:\n - `"Always"`/);
  assert.match(core.components.schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"].description, /^Quantity is a fixed-point representation of a number\./);
  // A field fields.json leaves untyped refers to upstream's type.
  const entry = core.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry"];
  assert.deepEqual(entry.properties.fieldsV1.allOf, [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1" }]);
  assert.equal(core.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"].type, "object");
  // A core type another group uses keeps its core name.
  const storage = JSON.parse(openAPIV3Document(undefined, "apis/storage.k8s.io/v1")!.text);
  assert.ok(storage.components.schemas["io.k8s.api.core.v1.TopologySelectorTerm"]);
});

test("schemas carry upstream names and strategic merge metadata", () => {
  assert.equal(schemaName("V1PodSpec"), "io.k8s.api.core.v1.PodSpec");
  assert.equal(schemaName("V1ObjectMeta"), "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
  assert.equal(schemaName("V1DeploymentSpec"), "io.k8s.api.apps.v1.DeploymentSpec");
  const core = JSON.parse(openAPIV3Document(undefined, "api/v1")!.text);
  const spec = core.components.schemas["io.k8s.api.core.v1.PodSpec"];
  assert.equal(spec.properties.containers["x-kubernetes-patch-merge-key"], "name");
  assert.equal(spec.properties.volumes["x-kubernetes-patch-strategy"], "merge,retainKeys");
  assert.deepEqual(spec.properties.containers.items, { allOf: [{ $ref: "#/components/schemas/io.k8s.api.core.v1.Container" }] });
  assert.deepEqual(core.components.schemas["io.k8s.api.core.v1.Pod"]["x-kubernetes-group-version-kind"], [{ group: "", kind: "Pod", version: "v1" }]);
  // Only the types of the group version's kinds: no Deployment in the core document.
  assert.equal(core.components.schemas["io.k8s.api.apps.v1.Deployment"], undefined);
});

const POD = `apiVersion: v1
kind: Pod
metadata: {name: p1}
spec:
  containers: [{name: c, image: busybox, command: ["sleep", "3600"]}]
`;

test("plain kubectl apply validates on the server; unknown fields fail as on a real cluster", { skip: NO_KUBECTL }, async () => {
  await withKubectl(async ({ kubectl, file }) => {
    const ok = await kubectl(["apply", "-f", file("pod.yaml", POD)]);
    assert.deepEqual([ok.code, ok.out, ok.err], [0, "pod/p1 created\n", ""]);
    const bad = file("bad.yaml", POD.replace("name: p1", "name: p2").replace("image: busybox", "image: busybox, imagee: x"));
    const strict = await kubectl(["apply", "-f", bad]);
    assert.equal(strict.code, 1);
    assert.equal(strict.err, `Error from server (BadRequest): error when creating "${bad}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee"\n`);
    // An unknown field in a patch of a live object: the server rejects the patched object.
    const bad1 = file("bad1.yaml", POD.replace("image: busybox", "image: busybox, imagee: x"));
    const patch = await kubectl(["apply", "-f", bad1]);
    assert.equal(patch.code, 1);
    assert.match(patch.err, /error when patching ".*bad1\.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec\.containers\[0\]\.imagee"\n$/);
    // --validate=warn: created, with the server's warning.
    const warn = await kubectl(["create", "-f", bad, "--validate=warn"]);
    assert.deepEqual([warn.code, warn.out, warn.err], [0, "pod/p2 created\n", 'Warning: unknown field "spec.containers[0].imagee"\n']);
    const ignore = await kubectl(["create", "-f", file("bad3.yaml", POD.replace("name: p1", "name: p3").replace("image: busybox", "image: busybox, imagee: x")), "--validate=false"]);
    assert.deepEqual([ignore.code, ignore.out, ignore.err], [0, "pod/p3 created\n", ""]);
  });
});

test("kubectl explain walks the served schema", { skip: NO_KUBECTL }, async () => {
  await withKubectl(async ({ kubectl }) => {
    const r = await kubectl(["explain", "pod.spec.containers.ports"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: ports <\[\]ContainerPort>\n/);
    // With upstream's descriptions, required fields and enums.
    assert.match(r.out, /\nDESCRIPTION:\n {4}List of ports to expose from the container\./);
    assert.match(r.out, /\n {2}containerPort\t<integer> -required-\n {4}Number of port to expose on the pod's IP address\./);
    assert.match(r.out, /\n {2}protocol\t<string>\n {2}enum: SCTP, TCP, UDP\n/);
    const d = await kubectl(["explain", "deployment.spec.strategy"]);
    assert.match(d.out, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: strategy <DeploymentStrategy>\n/);
    assert.match(d.out, /\n {2}rollingUpdate\t<RollingUpdateDeployment>\n/);
    const missing = await kubectl(["explain", "pod.spec.nope"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.err, 'error: field "nope" does not exist\n');
  });
});
