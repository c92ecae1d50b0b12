import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { KubectlError } from "../command.ts";
import { updateSelectorForObject } from "./setselector.ts";
import type { KObject } from "../../api/types.ts";

// After set_selector_test.go TestUpdateSelectorForObjectTypes: only a Service takes a selector.
test("updateSelectorForObject: a Service's selector is replaced; other kinds and set-based selectors are refused", () => {
  const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { selector: { app: "old", tier: "x" } } } as KObject;
  updateSelectorForObject(svc, { matchLabels: { environment: "qa" } });
  assert.deepEqual(svc.spec.selector, { environment: "qa" });
  updateSelectorForObject(svc, {});
  assert.deepEqual(svc.spec.selector, {});
  for (const kind of ["Deployment", "ReplicaSet", "Pod", "Node"]) {
    assert.throws(() => updateSelectorForObject({ apiVersion: "v1", kind, metadata: { name: "x" } } as KObject, { matchLabels: { a: "b" } }), (e: unknown) => e instanceof KubectlError && e.message === "setting a selector is only supported for Services");
  }
  assert.throws(
    () => updateSelectorForObject(svc, { matchExpressions: [{ key: "env", operator: "In", values: ["prod", "qa"] }] }),
    (e: unknown) => e instanceof KubectlError && e.message === "match expression [{env In [prod qa]}] not supported on this object",
  );
});

test("kubectl set selector: --local prints, on the server it patches; its errors", () => {
  const c = new Cluster();
  const local = c.kubectlSync(`kubectl create service clusterip my-svc --clusterip="None" -o yaml --dry-run=client | kubectl set selector --local -f - 'environment=qa' -o yaml`);
  assert.equal(local.stdout, "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: my-svc\n  name: my-svc\nspec:\n  clusterIP: None\n  selector:\n    environment: qa\n  type: ClusterIP\nstatus:\n  loadBalancer: {}\n");
  assert.equal(c.get("Service", "my-svc"), undefined);
  c.kubectlSync("kubectl create service clusterip my-svc --tcp=80:8080");
  assert.equal(c.kubectlSync("kubectl set selector svc my-svc environment=qa,tier=web").stdout, "service/my-svc selector updated\n");
  assert.deepEqual(c.get("Service", "my-svc")!.spec.selector, { environment: "qa", tier: "web" });
  assert.equal(c.kubectlSync("kubectl set selector svc/my-svc app=x --dry-run=client").stdout, "service/my-svc selector updated (dry run)\n");
  assert.deepEqual(c.get("Service", "my-svc")!.spec.selector, { environment: "qa", tier: "web" });
  assert.equal(c.kubectlSync("kubectl set selector").stderr, "error: one selector is required\n");
  assert.match(c.kubectlSync("kubectl set selector --local svc/my-svc a=b").stderr, /^error: you must specify resources by --filename when --local is set\./);
  c.kubectlSync("kubectl create deployment web --image=nginx");
  assert.equal(c.kubectlSync("kubectl set selector deployment web a=b").stderr, "error: setting a selector is only supported for Services\n");
  assert.equal(c.kubectlSync("kubectl set selector svc nope a=b").stderr, 'Error from server (NotFound): services "nope" not found\n');
});
