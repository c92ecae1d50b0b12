import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../api/types.ts";
import { serverSideApply } from "../api/fieldmanager.ts";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d1}
spec:
  replicas: 2
  selector: {matchLabels: {app: d1}}
  template:
    metadata: {labels: {app: d1}}
    spec:
      containers: [{name: c, image: busybox, command: ["sleep", "3600"]}]
`;


test("kubectl apply --server-side: create, conflict after scale, --force-conflicts", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, file }) => {
    const dep = file("dep.yaml", DEPLOY);
    assert.deepEqual(await kubectl(["apply", "--server-side", "-f", dep]), { code: 0, out: "deployment.apps/d1 serverside-applied\n", err: "" });
    const mf = await kubectl(["get", "deploy", "d1", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager} {.metadata.managedFields[*].operation}"]);
    assert.equal(mf.out, "kubectl Apply");
    assert.equal((await kubectl(["scale", "deploy", "d1", "--replicas=5"])).code, 0);
    const three = file("dep3.yaml", DEPLOY.replace("replicas: 2", "replicas: 3"));
    const conflict = await kubectl(["apply", "--server-side", "-f", three]);
    assert.equal(conflict.code, 1);
    assert.match(conflict.err, /^error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas\nPlease review the fields above/);
    assert.equal((await kubectl(["apply", "--server-side", "--force-conflicts", "-f", three])).out, "deployment.apps/d1 serverside-applied\n");
    assert.equal((await kubectl(["get", "deploy", "d1", "-o", "jsonpath={.spec.replicas}"])).out, "3");
    const bad = await kubectl(["apply", "--server-side", "-f", file("bad.yaml", DEPLOY.replace("image: busybox", "image: busybox, imagee: x"))]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.imagee"/);
  });
});

const DNS = `apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: dns}
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
`;

test("kubectl apply --server-side: a Service with 53/UDP and 53/TCP re-applies unchanged; a second manager conflicts only on the field it changes", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, file }) => {
    const dns = file("dns.yaml", DNS);
    for (let i = 0; i < 2; i++) assert.deepEqual(await kubectl(["apply", "--server-side", "-f", dns]), { code: 0, out: "service/dns serverside-applied\n", err: "" });
    assert.equal((await kubectl(["get", "svc", "dns", "-o", "jsonpath={range .spec.ports[*]}{.name}/{.port}/{.protocol} {end}"])).out, "dns/53/UDP dns-tcp/53/TCP ");
    const fields = await kubectl(["get", "svc", "dns", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[0].fieldsV1.f:spec.f:ports}"]);
    assert.deepEqual(Object.keys(JSON.parse(fields.out)).sort(), ['k:{"port":53,"protocol":"TCP"}', 'k:{"port":53,"protocol":"UDP"}']);

    const dep = file("dep.yaml", DEPLOY);
    assert.equal((await kubectl(["apply", "--server-side", "-f", dep])).code, 0);
    const three = file("dep3.yaml", DEPLOY.replace("replicas: 2", "replicas: 3"));
    const conflict = await kubectl(["apply", "--server-side", "--field-manager=other", "-f", three]);
    assert.match(conflict.err, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas\nPlease review/);
    assert.equal((await kubectl(["apply", "--server-side", "--field-manager=other", "-f", file("same.yaml", DEPLOY)])).code, 0, "the same configuration co-owns without conflict");
  });
});

test("kubectl apply, then kubectl apply --server-side with a change: the documented upgrade from client-side apply works without conflicts, and kubectl's migration of managedFields is kept", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, file }) => {
    const env = (names: string[]) => DEPLOY.replace('command: ["sleep", "3600"]', `command: ["sleep", "3600"], env: [${names.map((n) => `{name: ${n}, value: "1"}`).join(", ")}]`);
    assert.deepEqual(await kubectl(["apply", "-f", file("csa.yaml", env(["A", "B"]))]), { code: 0, out: "deployment.apps/d1 created\n", err: "" });
    const ssa = await kubectl(["apply", "--server-side", "-f", file("ssa.yaml", env(["A", "C"]).replace("replicas: 2", "replicas: 4"))]);
    assert.deepEqual(ssa, { code: 0, out: "deployment.apps/d1 serverside-applied\n", err: "" });
    const managers = await kubectl(["get", "deploy", "d1", "--show-managed-fields", "-o", "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}"]);
    assert.doesNotMatch(managers.out, /kubectl-client-side-apply/, "kubectl moved the client-side apply's fields to its Apply entry");
    assert.match(managers.out, /^kubectl\/Apply /);
    // B came from the client-side apply, now kubectl's apply: it goes when the configuration drops it.
    assert.equal((await kubectl(["get", "deploy", "d1", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].env[*].name}"])).out, "4 A C");
    // `[{}]` strips managedFields entirely (the documented reset).
    assert.equal((await kubectl(["patch", "deploy", "d1", "--type", "json", "-p", '[{"op":"replace","path":"/metadata/managedFields","value":[{}]}]'])).code, 0);
    assert.equal((await kubectl(["get", "deploy", "d1", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields}"])).out, "");
  });
});

test("the in-process kubectl get hides managedFields written through the facade unless --show-managed-fields", async () => {
  const { Cluster } = await import("../cluster.ts");
  const c = new Cluster();
  try {
    c.api.create(serverSideApply(undefined, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "m", namespace: "default" }, data: { a: "b" } } as unknown as KObject, "me", false, "T0"));
    assert.doesNotMatch(c.kubectlSync(["get", "cm", "m", "-o", "yaml"]).stdout, /managedFields/);
    assert.match(c.kubectlSync(["get", "cm", "m", "-o", "yaml", "--show-managed-fields"]).stdout, /managedFields:\n {2}- apiVersion: v1\n {4}fieldsType: FieldsV1\n {4}fieldsV1:\n {6}f:data:\n {8}f:a: \{\}\n {4}manager: me\n {4}operation: Apply\n/);
  } finally {
    await c.close();
  }
});
