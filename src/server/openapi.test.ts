import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

const POD = `apiVersion: v1
kind: Pod
metadata: {name: p1}
spec:
  containers: [{name: c, image: busybox, command: ["sleep", "3600"]}]
`;

test("plain kubectl apply validates on the server; unknown fields fail as on a real cluster", { skip: NO_KUBECTL }, async (t) => {
  await withKubectl(t, async ({ kubectl, file }) => {
    const ok = await kubectl(["apply", "-f", file("pod.yaml", POD)]);
    assert.deepEqual([ok.code, ok.out, ok.err], [0, "pod/p1 created\n", ""]);
    const bad = file("bad.yaml", POD.replace("name: p1", "name: p2").replace("image: busybox", "image: busybox, imagee: x"));
    const strict = await kubectl(["apply", "-f", bad]);
    assert.equal(strict.code, 1);
    assert.equal(strict.err, `Error from server (BadRequest): error when creating "${bad}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee"\n`);
    // An unknown field in a patch of a live object: the server rejects the patched object with
    // applyPatchToObject's Invalid on the patch map (handlers/patch.go: FromUnstructuredWithValidation's
    // error; a real v1.32 cluster prints the same, e.g. github.com/Winson-030/dify-kubernetes/issues/1).
    const bad1 = file("bad1.yaml", POD.replace("image: busybox", "image: busybox, imagee: x"));
    const patch = await kubectl(["apply", "-f", bad1]);
    assert.equal(patch.code, 1);
    assert.match(patch.err, /^The request is invalid: patch: Invalid value: "map\[.*\]": strict decoding error: unknown field "spec\.containers\[0\]\.imagee"\n$/);
    // --validate=warn: created, with the server's warning.
    const warn = await kubectl(["create", "-f", bad, "--validate=warn"]);
    assert.deepEqual([warn.code, warn.out, warn.err], [0, "pod/p2 created\n", 'Warning: unknown field "spec.containers[0].imagee"\n']);
    const ignore = await kubectl(["create", "-f", file("bad3.yaml", POD.replace("name: p1", "name: p3").replace("image: busybox", "image: busybox, imagee: x")), "--validate=false"]);
    assert.deepEqual([ignore.code, ignore.out, ignore.err], [0, "pod/p3 created\n", ""]);
  });
});

test("kubectl explain walks the served schema", { skip: NO_KUBECTL }, async (t) => {
  await withKubectl(t, async ({ kubectl }) => {
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
