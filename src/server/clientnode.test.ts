// The facade under @kubernetes/client-node's informer (list, then watch from the list's
// resourceVersion): issue #16's finding that an object written between the LIST and the WATCH was
// never delivered, so informers went stale.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import { Cluster } from "../cluster.ts";
import { serve } from "./apiserver.ts";
import { until } from "./testutil.ts";

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {a: b}\n`;

test("client-node's informer sees an object written between its LIST and its WATCH", { timeout: 30_000 }, async () => {
  const cluster = new Cluster();
  const s = await serve(cluster);
  const dir = mkdtempSync(join(tmpdir(), "ks-informer-"));
  writeFileSync(join(dir, "kubeconfig"), s.kubeconfig());
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(join(dir, "kubeconfig"));
  const core = kc.makeApiClient(k8s.CoreV1Api);
  cluster.applySync(cm("before"));
  const informer = k8s.makeInformer(kc, "/api/v1/namespaces/default/configmaps", async () => {
    const list = await core.listNamespacedConfigMap({ namespace: "default" });
    // Written after the list was read and before the watch starts.
    cluster.applySync(cm("between"));
    return list;
  });
  const seen: string[] = [];
  const arrived = new Promise<void>((resolve) =>
    informer.on("add", (o) => {
      seen.push(o.metadata!.name!);
      if (o.metadata!.name === "after") resolve();
    }),
  );
  try {
    await informer.start();
    // Once the informer's watch is open (a watch from the list's version would replay it anyway).
    await until(() => s.openWatches === 1, "the informer's watch", AbortSignal.timeout(20_000));
    cluster.applySync(cm("after"));
    await arrived;
    assert.deepEqual(seen, ["before", "kube-root-ca.crt", "between", "after"]);
    assert.deepEqual(informer.list("default").map((o) => o.metadata!.name).sort(), ["after", "before", "between", "kube-root-ca.crt"]);
  } finally {
    await informer.stop();
    await s.close();
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
