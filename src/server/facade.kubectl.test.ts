/**
 * The limits and the security model of the facade as the real kubectl (v1.32, from PATH) meets
 * them: what it prints is what it prints against kube-apiserver for the same refusals.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

test("kubectl: a manifest over 3 MiB is 413, an object over etcd's limit is etcd's error; both leave nothing behind", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, file, cluster }) => {
    const big = file("big.yaml", `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  a: "${"x".repeat(3.5 * 1024 * 1024)}"\n`);
    assert.deepEqual(await kubectl(["create", "-f", big]), { code: 1, out: "", err: `Error from server (RequestEntityTooLarge): error when creating "${big}": Request entity too large: limit is 3145728\n` });
    const fat = file("fat.yaml", `apiVersion: v1\nkind: Pod\nmetadata: {name: fat}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    env: [{name: BLOB, value: "${"x".repeat(1600 * 1024)}"}]\n`);
    assert.deepEqual(await kubectl(["create", "-f", fat]), { code: 1, out: "", err: `Error from server: error when creating "${fat}": etcdserver: request is too large\n` });
    assert.equal(cluster.api.get("ConfigMap", "default", "big"), undefined);
    assert.equal(cluster.api.get("Pod", "default", "fat"), undefined);
    assert.deepEqual(await kubectl(["get", "pods"]), { code: 0, out: "", err: "No resources found in default namespace.\n" });
  });
});

test("kubectl with another token is refused: 'You must be logged in to the server', as by a cluster", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, dir }) => {
    const kc = join(dir, "kubeconfig");
    const withToken = readFileSync(kc, "utf8");
    // (With no credentials at all kubectl asks for a user name on its terminal, as with any cluster.)
    writeFileSync(kc, withToken.replace(/token: \S+/, "token: not-the-token-0123456789"));
    const r = await kubectl(["get", "pods"]);
    assert.equal(r.code, 1);
    // Discovery fails first (401), as against kube-apiserver with a bad token.
    assert.match(r.err, /\nerror: You must be logged in to the server \(the server has asked for the client to provide credentials\)\n$/);
    writeFileSync(kc, withToken);
    assert.deepEqual(await kubectl(["get", "pods"]), { code: 0, out: "", err: "No resources found in default namespace.\n" });
  });
});
