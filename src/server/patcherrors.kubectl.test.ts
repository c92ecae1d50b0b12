/**
 * Patches of the wrong shape through `kube-scenario serve` with the real kubectl v1.32, and the
 * in-process kubectl's answer to the same: the texts kube-apiserver v1.32 gives (handlers/patch.go:
 * FromUnstructured's 422 for a strategic merge patch, the decoder's for a merge or JSON patch,
 * interpretStrategicMergePatchError's 400, generic 422 or Status without reason for mergepatch's
 * errors; apimachinery runtime/converter.go and util/mergepatch), as kubectl prints them. A refused
 * patch changes nothing (the resourceVersion stays); an unknown field (a misspelt `$patch`) is
 * dropped with a warning, and a patch of nothing else is `patched (no change)`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d1}
spec:
  replicas: 1
  selector: {matchLabels: {app: d1}}
  template:
    metadata: {labels: {app: d1}}
    spec:
      containers:
      - {name: c, image: busybox, command: ["sleep", "3600"]}
`;

const INVALID = (patchMap: string, why: string) => `The request is invalid: patch: Invalid value: ${JSON.stringify(patchMap)}: ${why}\n`;

const CASES: Array<{ what: string; type?: string; patch: string; err: string | RegExp }> = [
  { what: "a string for an int", patch: '{"spec":{"replicas":"three"}}', err: INVALID("map[spec:map[replicas:three]]", "unrecognized type: int32") },
  { what: "a fraction for an int", patch: '{"spec":{"replicas":1.5}}', err: INVALID("map[spec:map[replicas:1.5]]", "cannot convert float64 to int32") },
  { what: "a number for a string", patch: '{"metadata":{"labels":{"tier":3}}}', err: INVALID("map[metadata:map[labels:map[tier:3]]]", "cannot convert int64 to string") },
  // A named type's name as reflect gives it (k8s.io/api's PullPolicy and Capability are strings).
  { what: "a number for a named string type", patch: '{"spec":{"template":{"spec":{"containers":[{"name":"c","imagePullPolicy":1}]}}}}', err: INVALID("map[spec:map[template:map[spec:map[containers:[map[imagePullPolicy:1 name:c]]]]]]", "cannot convert int64 to v1.PullPolicy") },
  {
    what: "a number in a list of a named string type",
    patch: '{"spec":{"template":{"spec":{"containers":[{"name":"c","securityContext":{"capabilities":{"add":[1]}}}]}}}}',
    err: INVALID("map[spec:map[template:map[spec:map[containers:[map[name:c securityContext:map[capabilities:map[add:[1]]]]]]]]]", "cannot convert int64 to v1.Capability"),
  },
  // metav1.Time's UnmarshalJSON: time.Parse(time.RFC3339, …)'s ParseError.
  { what: "a time that is no time", patch: '{"metadata":{"creationTimestamp":"yesterday"}}', err: INVALID("map[metadata:map[creationTimestamp:yesterday]]", 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"') },
  { what: "a time out of range", patch: '{"spec":{"template":{"metadata":{"creationTimestamp":"2024-13-01T00:00:00Z"}}}}', err: INVALID("map[spec:map[template:map[metadata:map[creationTimestamp:2024-13-01T00:00:00Z]]]]", 'parsing time "2024-13-01T00:00:00Z": month out of range') },
  { what: "a list where a map is", patch: '{"metadata":{"labels":["a"]}}', err: INVALID("map[metadata:map[labels:[a]]]", "cannot restore map from slice") },
  { what: "a map where a list is", patch: '{"spec":{"template":{"spec":{"containers":{"name":"c"}}}}}', err: INVALID("map[spec:map[template:map[spec:map[containers:map[name:c]]]]]", "cannot restore slice from map") },
  { what: "a string where a struct is", patch: '{"spec":{"template":{"metadata":"x"}}}', err: INVALID("map[spec:map[template:map[metadata:x]]]", "cannot restore struct from: string") },
  { what: "a misspelt $patch value on a list item", patch: '{"spec":{"template":{"spec":{"containers":[{"name":"c","$patch":"delet"}]}}}}', err: "Error from server: unknown patch type: delet in map: map[$patch:delet name:c]\n" },
  { what: "a misspelt $patch value on a map", patch: '{"spec":{"template":{"spec":{"$patch":"replac"}}}}', err: "Error from server: unknown patch type: replac in map: map[$patch:replac]\n" },
  { what: "a list item without its merge key", patch: '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}', err: "Error from server: map: map[image:x] does not contain declared merge key: name\n" },
  { what: "$retainKeys that is not a list", patch: '{"spec":{"$retainKeys":"x"}}', err: "Error from server (BadRequest): invalid patch format of retainKeys\n" },
  {
    what: "a merge patch's string for an int (the decoder's text, the patched JSON)",
    type: "merge",
    patch: '{"spec":{"replicas":"x"}}',
    err: /^The request is invalid: patch: Invalid value: "\{\\"apiVersion\\":\\"apps\/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\":\{.*\\"spec\\":\{\\"progressDeadlineSeconds\\":600,\\"replicas\\":\\"x\\",.*": json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n$/,
  },
  // The same through the decoder: a day Date.UTC would carry into March, and a number (the type error names string: UnmarshalJSON decodes into one).
  { what: "a merge patch's day out of range", type: "merge", patch: '{"metadata":{"creationTimestamp":"2024-02-30T00:00:00Z"}}', err: /^The request is invalid: patch: Invalid value: "\{.*\\"creationTimestamp\\":\\"2024-02-30T00:00:00Z\\".*": parsing time "2024-02-30T00:00:00Z": day out of range\n$/ },
  {
    what: "a JSON patch's number for a time",
    type: "json",
    patch: '[{"op":"replace","path":"/metadata/creationTimestamp","value":5}]',
    err: /^The request is invalid: patch: Invalid value: "\{.*": json: cannot unmarshal number into Go struct field ObjectMeta\.metadata\.creationTimestamp of type string\n$/,
  },
];

test("kubectl patch of the wrong shape: kube-apiserver v1.32's errors, the real kubectl and ours alike, nothing written", { skip: NO_KUBECTL, timeout: 240_000 }, async () => {
  await withKubectl(async ({ kubectl, cluster }) => {
    cluster.applySync(DEPLOY);
    cluster.advanceSync(5_000);
    // The facade shows times on the wall clock, the in-process kubectl the simulated ones.
    const times = (t: string) => t.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, "<time>");
    for (const c of CASES) {
      const before = cluster.api.get("Deployment", "default", "d1")!.metadata.resourceVersion;
      const args = ["patch", "deployment", "d1", ...(c.type ? ["--type", c.type] : []), "-p", c.patch];
      const real = await kubectl(args);
      const ours = cluster.kubectlSync(args);
      assert.equal(real.code, 1, `${c.what}: ${real.out}${real.err}`);
      if (typeof c.err === "string") assert.equal(real.err, c.err, c.what);
      else assert.match(real.err, c.err, c.what);
      assert.equal(ours.exitCode, 1, c.what);
      assert.equal(times(ours.stderr), times(real.err), c.what);
      assert.equal(cluster.api.get("Deployment", "default", "d1")!.metadata.resourceVersion, before, `${c.what}: nothing written`);
    }
    // A misspelt directive key is an unknown field: dropped, reported, no write.
    const before = cluster.api.get("Deployment", "default", "d1")!;
    const args = ["patch", "deployment", "d1", "-p", '{"spec":{"template":{"spec":{"containers":[{"name":"c","$pach":"delete"}]}}}}'];
    const real = await kubectl(args);
    assert.deepEqual([real.code, real.out, real.err], [0, "deployment.apps/d1 patched (no change)\n", 'Warning: unknown field "spec.template.spec.containers[0].$pach"\n']);
    const ours = cluster.kubectlSync(args);
    assert.deepEqual([ours.exitCode, ours.stdout, ours.stderr], [0, real.out, real.err]);
    const after = cluster.api.get("Deployment", "default", "d1")!;
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(after.metadata.managedFields, before.metadata.managedFields);
  });
});
