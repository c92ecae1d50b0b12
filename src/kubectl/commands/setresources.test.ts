import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { parseResourceList } from "./setresources.ts";
import { selectString } from "./sethelper.ts";

// helper.go selectString: `*` wildcards, matched left to right with the first occurrence (upstream's quirks kept).
test("selectString", () => {
  const cases: Array<[string, string, boolean]> = [
    ["nginx", "*", true],
    ["nginx", "nginx", true],
    ["nginx", "nginx2", false],
    ["nginx", "ng*", true],
    ["nginx", "y*", false],
    ["nginx", "x*", true], // the first part is not anchored at the start (upstream checks pos before moving it)
    ["nginx", "*x", true],
    ["nginx", "n*x", true],
    ["sidecar", "*car", true],
    ["foo", "*o", false], // indexOf finds the first "o": the last part must end the string there
  ];
  for (const [s, spec, want] of cases) assert.equal(selectString(s, spec), want, `${s} ~ ${spec}`);
});

// generate/versioned HandleResourceRequirementsV1 / populateResourceListV1.
test("resource lists from --limits and --requests", () => {
  assert.equal(parseResourceList(""), undefined);
  assert.deepEqual(parseResourceList("cpu=200m,memory=512Mi"), { cpu: "200m", memory: "512Mi" });
  assert.deepEqual(parseResourceList("cpu=0.5"), { cpu: "500m" });
  assert.throws(() => parseResourceList("cpu"), { message: "Invalid argument syntax cpu, expected <resource>=<value>" });
  assert.throws(() => parseResourceList("cpu=1=2"), { message: "Invalid argument syntax cpu=1=2, expected <resource>=<value>" });
  assert.throws(() => parseResourceList("cpu=abc"), { message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" });
});

test("set resources against the simulated cluster", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers: [{name: init, image: busybox:1.36}]
      containers: [{name: app, image: nginx:1.27}, {name: sidecar, image: busybox:1.36, resources: {requests: {memory: 64Mi}}}]
`);
  assert.equal(c.kubectlSync("set resources deployment web -c=side* --requests=cpu=100m").stdout, "deployment.apps/web resource requirements updated\n");
  const spec = () => c.get("Deployment", "web")!.spec.template.spec;
  assert.deepEqual(spec().containers[1].resources, { requests: { cpu: "100m", memory: "64Mi" } });
  assert.equal(spec().containers[0].resources?.limits, undefined);
  // Without -c every container and init container is changed.
  c.kubectlSync("set resources deployment/web --limits=memory=1Gi");
  assert.deepEqual([...spec().initContainers, ...spec().containers].map((x: { resources: { limits?: unknown } }) => x.resources.limits), [{ memory: "1Gi" }, { memory: "1Gi" }, { memory: "1Gi" }]);
  // No change: nothing sent, nothing printed.
  const same = c.kubectlSync("set resources deployment/web --limits=memory=1Gi");
  assert.deepEqual([same.stdout, same.stderr, same.exitCode], ["", "", 0]);
  assert.equal(c.kubectlSync("set resources deployment/web -c=nope --limits=cpu=1").stderr, "error: unable to find container named nope\n");
  assert.equal(c.kubectlSync("set resources deployment/web").stderr, "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n");
  assert.equal(c.kubectlSync("set resources deployment --all -l app=web --limits=cpu=1").stderr, "error: cannot set --all and --selector at the same time\n");
  assert.equal(c.kubectlSync("set resources deployment --limits=cpu=1").stderr, "error: resource(s) were provided, but no name was specified\n");
  assert.equal(c.kubectlSync("set resources deployment --all --limits=cpu=2 -o name").stdout, "deployment.apps/web\n");
  assert.equal(c.kubectlSync("set resources deployment/web --limits=cpu=3 --dry-run=server").stdout, "deployment.apps/web resource requirements updated (server dry run)\n");
  assert.equal(spec().containers[0].resources.limits.cpu, "2");
  // The API server still validates: requests above limits are refused.
  const invalid = c.kubectlSync("set resources deployment/web --requests=memory=2Gi");
  assert.match(invalid.stderr, /^error: failed to patch resources update to pod template Deployment.apps "web" is invalid: /);
});
