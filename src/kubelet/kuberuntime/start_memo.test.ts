// A container's start kept across a crash loop (issue #19, kubelet22: KubeRuntimeManager.keptStart):
// what changes between two restarts shows in the next start, as on the reference engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { kubelets } from "../manager.ts";

const POD = `apiVersion: v1
kind: ConfigMap
metadata: {name: conf}
data: {A: one}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
data: {b: $(echo -n first | base64)}
---
apiVersion: v1
kind: Pod
metadata: {name: loop, labels: {tier: x}}
spec:
  containers:
  - name: app
    image: busybox:1.28
    command: ['sh', '-c', 'echo "A=$A B=$B IP=$IP NODE=$NODE WEB=$WEB_SERVICE_HOST HOME=$HOME"; id; grep Name: /proc/1/status; sleep 2; exit 1']
    envFrom:
    - configMapRef: {name: conf}
    env:
    - {name: B, valueFrom: {secretKeyRef: {name: creds, key: b}}}
    - {name: IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
---
apiVersion: v1
kind: Pod
metadata: {name: labelled, labels: {tier: x}}
spec:
  containers:
  - name: app
    image: busybox:1.28
    command: ['sh', '-c', 'echo "TIER=$TIER"; sleep 2; exit 1']
    env:
    - {name: TIER, valueFrom: {fieldRef: {fieldPath: "metadata.labels['tier']"}}}
`.replace("$(echo -n first | base64)", Buffer.from("first").toString("base64"));

/**
 * A crash loop on one engine with changes between its restarts: the ConfigMap's data, the Secret's,
 * a Service created in the namespace. Returns every instance's log and the kept starts used.
 */
function crashLoop(reference: boolean): { logs: string[]; labelled: string[]; hits: number } {
  const c = new Cluster({ reference });
  c.addNodesFromTable([{ name: "node1" }]);
  c.applySync(POD);
  const kubelet = kubelets(c.ctx).get("node1")!;
  const changes: Array<[number, string]> = [
    [20, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {A: two}\n"],
    [50, `apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata: {b: ${Buffer.from("second").toString("base64")}}\n`],
    [100, "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n"],
  ];
  const uid = c.get("Pod", "loop")!.metadata.uid!;
  const labelledUid = c.get("Pod", "labelled")!.metadata.uid!;
  const rt = kubelet.runtime;
  const labelled: string[] = [];
  // Every instance's log as it stands each second (the runtime keeps only the last two instances).
  const logs: string[] = [];
  for (let s = 0; s < 400; s++) {
    c.advanceSync(1000);
    for (const [at, doc] of changes) if (s === at) c.applySync(doc);
    // A label changed by an update of the pod object as read (its spec object passed back as it is).
    if (s === 60) {
      const p = c.get("Pod", "labelled")!;
      c.ctx.api.update({ ...p, metadata: { ...p.metadata, labels: { tier: "gold" } } });
    }
    for (const i of rt.instances(uid)) logs[i.restartCount] = `${i.restartCount}: ${rt.logText(i)}`;
    for (const i of rt.instances(labelledUid)) labelled[i.restartCount] = `${i.restartCount}: ${rt.logText(i)}`;
  }
  return { logs, labelled, hits: kubelet.runtimeManager.startMemoHits };
}

test("a crash loop's kept starts see a ConfigMap, a Secret, a Service and a label changed between restarts, as the reference engine does", () => {
  const fast = crashLoop(false);
  const ref = crashLoop(true);
  assert.deepEqual(fast.logs, ref.logs);
  assert.deepEqual(fast.labelled, ref.labelled);
  // A label read by fieldRef: such a container's starts keep nothing (keptStart compares no labels).
  assert.match(fast.labelled.join(""), /TIER=x\n[^]*TIER=gold\n/);
  assert.equal(ref.hits, 0, "the reference engine keeps no start");
  assert.ok(fast.hits >= 3, `the fast engine's restarts use the kept start (${fast.hits})`);
  const all = fast.logs.join("");
  assert.match(all, /A=one B=first IP=\S+ NODE=node1 WEB= HOME=\/root/);
  assert.match(all, /A=two B=first /);
  assert.match(all, /A=two B=second IP=\S+ NODE=node1 WEB= /);
  assert.match(all, /A=two B=second IP=\S+ NODE=node1 WEB=10\.\d+\.\d+\.\d+ /);
  assert.match(all, /uid=0\(root\)/);
  assert.match(all, /Name:\tsh/);
});
