import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

const POD = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - {name: app, image: nginx}
`;

test("metrics.k8s.io: discovery, PodMetrics and NodeMetrics, and the real kubectl top reading them", { skip: NO_KUBECTL, timeout: 90_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    h.cluster.applySync(POD);
    // Before two scrapes: the API answers, with nothing in it.
    h.cluster.advanceSync(5_000);
    const early = await h.kubectl(["top", "pod"]);
    assert.equal(early.err, "error: metrics not available yet\n");
    h.cluster.advanceSync(40_000);

    const groups = await h.kubectl(["get", "--raw", "/apis"]);
    assert.ok(JSON.parse(groups.out).groups.some((g: { name: string }) => g.name === "metrics.k8s.io"));
    const list = JSON.parse((await h.kubectl(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb"])).out);
    assert.equal(list.kind, "PodMetricsList");
    assert.deepEqual(list.items.map((p: { metadata: { name: string } }) => p.metadata.name), ["web"]);
    assert.equal(list.items[0].window, "15s");
    assert.deepEqual(Object.keys(list.items[0].containers[0].usage), ["cpu", "memory"]);
    const missing = await h.kubectl(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope"]);
    assert.match(missing.err, /not found/);
    const nodes = JSON.parse((await h.kubectl(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes"])).out);
    assert.deepEqual(nodes.items.map((n: { metadata: { name: string } }) => n.metadata.name), ["k8s-node1", "k8s-node2"]);

    // The real kubectl prints what the in-process one does.
    for (const args of [["top", "pod"], ["top", "pod", "web", "--containers"], ["top", "node"], ["top", "pod", "-A"]]) {
      const real = await h.kubectl(args);
      const sim = h.cluster.kubectlSync(args.join(" "));
      assert.equal(real.err, sim.stderr, args.join(" "));
      assert.equal(real.out, sim.stdout, args.join(" "));
    }
  });
});
