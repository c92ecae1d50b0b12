import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  strategy: {rollingUpdate: {maxSurge: 30%}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`;

// patch.go Complete/RunPatch: yaml.ToJSON's error, printed with the -p text quoted (%q).
test("patch: a -p text that is not YAML fails with go-yaml's reason and the text quoted", () => {
  const c = new Cluster();
  c.kubectlSync("apply -f -", deployment);
  // The page's one-line form: a shell's single quotes keep `\n` as two characters.
  const r = c.kubectlSync(["patch", "deployment", "web", "--patch", "spec:\\n template:\\n  spec:\\n   containers:\\n   - name: patch-demo-ctr-2\\n     image: redis"]);
  assert.equal(r.exitCode, 1);
  assert.equal(r.stderr, 'error: unable to parse "spec:\\\\n template:\\\\n  spec:\\\\n   containers:\\\\n   - name: patch-demo-ctr-2\\\\n     image: redis": yaml: line 1: mapping values are not allowed in this context\n');
});

// The strategic merge patch's retainKeys directive (DeploymentSpec.strategy is patchStrategy=retainKeys).
test("patch: Recreate is refused while rollingUpdate is set; $retainKeys clears it", () => {
  const c = new Cluster();
  c.kubectlSync("apply -f -", deployment);
  const refused = c.kubectlSync(["patch", "deployment", "web", "-p", "spec: {strategy: {type: Recreate}}"]);
  assert.equal(refused.stderr, "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'\n");
  const ok = c.kubectlSync(["patch", "deployment", "web", "-p", "spec: {strategy: {$retainKeys: [type], type: Recreate}}"]);
  assert.equal(ok.stdout, "deployment.apps/web patched\n");
  assert.deepEqual(c.get("Deployment", "web")!.spec.strategy, { type: "Recreate" });
});

// --subresource=scale: the Scale is patched and printed; a kind without the subresource is a 404.
test("patch --subresource=scale", () => {
  const c = new Cluster();
  c.kubectlSync("apply -f -", deployment);
  const r = c.kubectlSync(["patch", "deployment", "web", "--subresource=scale", "--type=merge", "-p", '{"spec":{"replicas":3}}']);
  assert.equal(r.stdout, "scale.autoscaling/web patched\n");
  assert.equal(c.get("Deployment", "web")!.spec.replicas, 3);
  c.kubectlSync("create configmap cm");
  const missing = c.kubectlSync(["patch", "configmap", "cm", "--subresource=scale", "--type=merge", "-p", '{"spec":{"replicas":3}}']);
  assert.equal(missing.stderr, "Error from server (NotFound): the server could not find the requested resource\n");
});
