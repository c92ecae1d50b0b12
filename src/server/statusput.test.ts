// A PUT of a status subresource whose body has no `status`, as kube-apiserver v1.32 answers it:
// a built-in kind's body decodes into its Go type, whose missing status is the empty struct
// (`status: {}`), which the status strategy stores (podStatusStrategy.PrepareForUpdate backfills
// the immutable qosClass); a custom resource's statusStrategy.PrepareForUpdate
// (apiextensions-apiserver/pkg/registry/customresource/strategy.go) deletes the key instead.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { serve } from "./apiserver.ts";
import { clientFetch } from "./testutil.ts";

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`;

test("a status PUT without status: {} for built-in kinds (a Pod keeps its qosClass), no status for a custom resource", async () => {
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "k8s-node1" }]);
  const s = await serve(cluster, { log: () => {} });
  const f = clientFetch(s);
  try {
    cluster.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox, command: [sleep, '3600']}]\n");
    cluster.applySync("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: c, image: nginx}]\n");
    cluster.applySync(CRD);
    cluster.advanceSync(5_000);
    cluster.applySync("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1}\n");
    const put = async (path: string, mutate: (o: Record<string, unknown>) => void) => {
      const o = (await (await f(path)).json()) as Record<string, unknown>;
      mutate(o);
      const r = await f(`${path}/status`, { method: "PUT", body: JSON.stringify(o) });
      assert.equal(r.status, 200, path);
      return (await r.json()) as Record<string, unknown>;
    };
    const w = "/apis/example.com/v1/namespaces/default/widgets/w";
    assert.deepEqual((await put(w, (o) => (o.status = { ready: true }))).status, { ready: true });
    const pod = await put("/api/v1/namespaces/default/pods/p", (o) => delete o.status);
    assert.deepEqual(pod.status, { qosClass: "BestEffort" });
    assert.deepEqual(cluster.api.get("Pod", "default", "p")!.status, { qosClass: "BestEffort" });
    // `status: null` decodes as a missing one; a status without qosClass gets the stored one back.
    assert.deepEqual((await put("/api/v1/namespaces/default/pods/p", (o) => (o.status = null))).status, { qosClass: "BestEffort" });
    assert.deepEqual((await put("/api/v1/namespaces/default/pods/p", (o) => (o.status = { phase: "Running" }))).status, { phase: "Running", qosClass: "BestEffort" });
    assert.deepEqual((await put("/apis/apps/v1/namespaces/default/deployments/d", (o) => delete o.status)).status, {});
    const widget = await put(w, (o) => delete o.status);
    assert.equal("status" in widget, false);
    assert.equal("status" in ((await (await f(w)).json()) as object), false);
    assert.deepEqual(widget.spec, { size: 1 });
  } finally {
    await s.close();
    await cluster.close();
  }
});
