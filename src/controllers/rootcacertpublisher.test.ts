import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import type { KObject, WatchEvent } from "../api/types.ts";
import { setClusterSigningCA } from "./certificates/signer.ts";
import { CLUSTER_CA_PEM, DESCRIPTION, DESCRIPTION_ANNOTATION, ROOT_CA_CERT_CONFIGMAP_NAME } from "./rootcacertpublisher.ts";

const CM = ROOT_CA_CERT_CONFIGMAP_NAME;

/** The writes to ConfigMaps named kube-root-ca.crt after `act`, as upstream's test lists client actions. */
function actionsAfter(c: Cluster, act: () => void): string[] {
  const seen: string[] = [];
  const unwatch = c.api.watch("ConfigMap", (ev: WatchEvent) => {
    if (ev.object.metadata.name === CM) seen.push(`${ev.type} ${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
  });
  act();
  c.clock.settle();
  unwatch();
  return seen;
}

function ns(name: string): KObject {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name } };
}

test("the cluster starts with kube-root-ca.crt in every system namespace", () => {
  const c = new Cluster();
  for (const n of ["default", "kube-node-lease", "kube-public", "kube-system"]) {
    const cm = c.api.get("ConfigMap", n, CM);
    assert.ok(cm, n);
    assert.deepEqual(cm.data, { "ca.crt": CLUSTER_CA_PEM });
    assert.equal(cm.metadata.annotations?.[DESCRIPTION_ANNOTATION], DESCRIPTION);
  }
  assert.match(CLUSTER_CA_PEM, /^-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/);
});

// publisher_test.go TestConfigMapCreation: each case's event and the publisher's writes. The
// "actions" are the publisher's (the test's own write is listed first where it writes the CA map).
test("TestConfigMapCreation", async (t) => {
  const cases: Array<{ name: string; act: (c: Cluster) => void; expect: string[] }> = [
    { name: "create new namespace", act: (c) => c.api.create(ns("new")), expect: ["ADDED new/kube-root-ca.crt"] },
    {
      name: "delete other configmap",
      act: (c) => {
        c.api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "other", namespace: "default" } });
        c.api.delete("ConfigMap", "default", "other");
      },
      expect: [],
    },
    { name: "delete ca configmap", act: (c) => c.api.delete("ConfigMap", "default", CM), expect: ["DELETED default/kube-root-ca.crt", "ADDED default/kube-root-ca.crt"] },
    {
      name: "update ca configmap with adding field",
      act: (c) => c.api.mutate("ConfigMap", "default", CM, (cm) => (cm.data.test = "test")),
      expect: ["MODIFIED default/kube-root-ca.crt", "MODIFIED default/kube-root-ca.crt"],
    },
    {
      name: "update ca configmap with modifying field",
      act: (c) => c.api.mutate("ConfigMap", "default", CM, (cm) => (cm.data["ca.crt"] = "abc")),
      expect: ["MODIFIED default/kube-root-ca.crt", "MODIFIED default/kube-root-ca.crt"],
    },
    {
      name: "update with other configmap",
      act: (c) => {
        c.api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "other", namespace: "default" } });
        c.api.mutate("ConfigMap", "default", "other", (cm) => (cm.data = { aa: "bb" }));
      },
      expect: [],
    },
    {
      name: "update namespace with terminating state",
      act: (c) => {
        // A finalizer of ours keeps the namespace Terminating; its CA map is deleted meanwhile.
        c.api.create(ns("doomed"));
        c.clock.settle();
        c.api.mutate("Namespace", undefined, "doomed", (n) => (n.metadata.finalizers = ["example.com/hold"]));
        c.api.delete("Namespace", undefined, "doomed");
        c.clock.settle();
      },
      expect: ["ADDED doomed/kube-root-ca.crt", "DELETED doomed/kube-root-ca.crt"],
    },
    { name: "removing the description annotation restores it", act: (c) => c.api.mutate("ConfigMap", "kube-system", CM, (cm) => delete cm.metadata.annotations![DESCRIPTION_ANNOTATION]), expect: ["MODIFIED kube-system/kube-root-ca.crt", "MODIFIED kube-system/kube-root-ca.crt"] },
  ];
  for (const tc of cases) {
    await t.test(tc.name, () => {
      const c = new Cluster();
      assert.deepEqual(actionsAfter(c, () => tc.act(c)), tc.expect);
      for (const n of c.api.list("Namespace")) {
        const cm = c.api.get("ConfigMap", n.metadata.name!, CM);
        if (n.metadata.deletionTimestamp) continue;
        assert.deepEqual(cm?.data, { "ca.crt": CLUSTER_CA_PEM }, `${n.metadata.name} holds the CA again`);
        assert.equal(cm?.metadata.annotations?.[DESCRIPTION_ANNOTATION], DESCRIPTION);
      }
    });
  }
});

test("a terminating namespace's CA map is not created again", () => {
  const c = new Cluster();
  c.api.create(ns("doomed"));
  c.clock.settle();
  c.api.mutate("Namespace", undefined, "doomed", (n) => (n.metadata.finalizers = ["example.com/hold"]));
  c.api.delete("Namespace", undefined, "doomed");
  c.advanceSync(30_000);
  assert.ok(c.api.get("Namespace", undefined, "doomed")?.metadata.deletionTimestamp, "still terminating");
  assert.equal(c.api.get("ConfigMap", "doomed", CM), undefined);
});

test("a pod created in a namespace made just before mounts the CA without a FailedMount", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  const r = c.kubectlSync(["apply", "-f", "-"], "apiVersion: v1\nkind: Namespace\nmetadata: {name: fresh}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: fresh}\nspec:\n  containers: [{name: c, image: nginx}]\n");
  assert.equal(r.exitCode, 0, r.stderr);
  c.advanceSync(30_000);
  assert.deepEqual(c.api.list("Event", { namespace: "fresh" }).filter((e) => e.reason === "FailedMount"), []);
  assert.equal(c.api.get("Pod", "fresh", "p")?.status.phase, "Running");
  const out = c.kubectlSync(["exec", "-n", "fresh", "p", "--", "cat", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"]);
  assert.equal(out.stdout, CLUSTER_CA_PEM);
});

test("a pod whose namespace lacks the CA map fails to mount it, and starts once it is there", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  // Stop the publisher (as if kube-controller-manager were down) and remove the map.
  const components = (c as unknown as { components: Array<{ name?: string; stop(): void }> }).components;
  components.find((x) => x.name === "root-ca-cert-publisher")!.stop();
  c.api.delete("ConfigMap", "default", CM);
  const pod = c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "nginx" }] } });
  const vol: string = pod.spec.volumes.find((v: { name: string }) => v.name.startsWith("kube-api-access-")).name;
  c.advanceSync(10_000);
  const failed = c.api.list("Event", { namespace: "default" }).filter((e) => e.reason === "FailedMount");
  assert.ok(failed.length > 0);
  assert.equal(failed[0].message, `MountVolume.SetUp failed for volume "${vol}" : configmap "kube-root-ca.crt" not found`);
  assert.equal(c.api.get("Pod", "default", "p")?.status.phase, "Pending");
  c.api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: CM, namespace: "default" }, data: { "ca.crt": CLUSTER_CA_PEM } });
  c.advanceSync(150_000);
  assert.equal(c.api.get("Pod", "default", "p")?.status.phase, "Running");
});

// The CA is the cluster's signing CA (kubeadm's one ca.crt); `kube-scenario serve` makes its own.
const OTHER_CA = { certPEM: "-----BEGIN CERTIFICATE-----\nb3RoZXI=\n-----END CERTIFICATE-----\n", keyPEM: "unused" };

test("a cluster made with another CA publishes it from its start, in as many writes as the simulated one", () => {
  const plain = new Cluster();
  const other = new Cluster({ signingCA: OTHER_CA });
  for (const n of ["default", "kube-node-lease", "kube-public", "kube-system"]) {
    assert.deepEqual(other.api.get("ConfigMap", n, CM)?.data, { "ca.crt": OTHER_CA.certPEM }, n);
    assert.equal(other.api.get("ConfigMap", n, CM)?.metadata.resourceVersion, plain.api.get("ConfigMap", n, CM)?.metadata.resourceVersion, n);
  }
  assert.equal(other.api.resourceVersion, plain.api.resourceVersion);
});

test("a new CA given to a started cluster is published in every namespace and token Secret, as a restarted kube-controller-manager does", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  c.api.create(ns("team"));
  c.api.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "tok", namespace: "team", annotations: { "kubernetes.io/service-account.name": "default" } }, type: "kubernetes.io/service-account-token" });
  c.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "doomed", finalizers: [] }, spec: { finalizers: ["example.com/hold"] } } as KObject);
  c.advanceSync(5_000);
  c.api.delete("Namespace", undefined, "doomed");
  c.advanceSync(5_000);
  assert.equal(c.api.get("Namespace", undefined, "doomed")?.status?.phase, "Terminating");
  assert.equal(Buffer.from(c.api.get("Secret", "team", "tok")!.data["ca.crt"], "base64").toString(), CLUSTER_CA_PEM);
  const writes = actionsAfter(c, () => setClusterSigningCA(c.ctx, OTHER_CA));
  // Every Active namespace's map once; the terminating one is skipped (namespaceUpdated's rule).
  assert.deepEqual(writes.sort(), ["MODIFIED default/kube-root-ca.crt", "MODIFIED kube-node-lease/kube-root-ca.crt", "MODIFIED kube-public/kube-root-ca.crt", "MODIFIED kube-system/kube-root-ca.crt", "MODIFIED team/kube-root-ca.crt"]);
  for (const n of ["default", "kube-system", "team"]) assert.deepEqual(c.api.get("ConfigMap", n, CM)?.data, { "ca.crt": OTHER_CA.certPEM });
  assert.equal(Buffer.from(c.api.get("Secret", "team", "tok")!.data["ca.crt"], "base64").toString(), OTHER_CA.certPEM);
  // The same CA again changes nothing.
  assert.deepEqual(actionsAfter(c, () => setClusterSigningCA(c.ctx, { ...OTHER_CA })), []);
  // A pod started now mounts the new CA.
  c.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "team" }, spec: { containers: [{ name: "c", image: "nginx" }] } });
  c.advanceSync(30_000);
  assert.equal(c.kubectlSync(["exec", "-n", "team", "p", "--", "cat", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"]).stdout, OTHER_CA.certPEM);
});
