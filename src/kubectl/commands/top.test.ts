import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { useMemory, useSystemMemory } from "../../kubelet/resourceuse.ts";

const trim = (s: string) => s.split("\n").map((l) => l.trimEnd()).join("\n");

test("kubectl top pod / node from the memory model", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1", memory: "8Gi" }]);
  c.applySync(`apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: app, image: kubetm/app}
  - {name: side, image: kubetm/app}
`);
  assert.equal(c.kubectlSync("top pods").stderr, "error: metrics not available yet\n");
  c.advanceSync(30_000);
  useMemory(c.ctx, "web", undefined, "2560Mi");
  useMemory(c.ctx, "web", "side", "100Mi");
  useSystemMemory(c.ctx, "k8s-node1", "1Gi");
  // metrics-server sees it at its next scrape (every 15 s).
  c.advanceSync(15_000);
  assert.equal(trim(c.kubectlSync("top pods").stdout), "NAME   CPU(cores)   MEMORY(bytes)\nweb    0m           2660Mi\n");
  assert.equal(
    trim(c.kubectlSync("top pod web --containers").stdout),
    "POD   NAME   CPU(cores)   MEMORY(bytes)\nweb   app    0m           2560Mi\nweb   side   0m           100Mi\n",
  );
  assert.equal(
    trim(c.kubectlSync("top nodes").stdout),
    "NAME        CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)\nk8s-node1   0m           0%       3684Mi          44%\n",
  );
  const nf = c.kubectlSync("top pod nope");
  assert.equal(nf.exitCode, 1);
  assert.equal(nf.stderr, 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/nope" not found\n');
  assert.equal(c.kubectlSync("top pods -n kube-system").stderr, "No resources found in kube-system namespace.\n");
});

test("kubectl top: CPU from the requests a container answers (20 ms each, 25 a second = 500m, its limit)", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  c.applySync(`apiVersion: v1
kind: Pod
metadata: {name: php, labels: {app: php}}
spec:
  containers:
  - name: php
    image: registry.k8s.io/hpa-example
    resources: {limits: {cpu: 500m}, requests: {cpu: 200m}}
---
apiVersion: v1
kind: Service
metadata: {name: php}
spec:
  selector: {app: php}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: load}
spec:
  containers:
  - name: load
    image: busybox:1.28
    command: ["/bin/sh", "-c", "while true; do wget -q -O- http://php; done"]
`);
  c.advanceSync(60_000);
  const out = trim(c.kubectlSync("top pod php").stdout).split("\n")[1].split(/\s+/);
  // One client waiting for each answer keeps the container busy: throttled at its 500m limit.
  const cpu = Number(out[1].replace(/m$/, ""));
  assert.ok(cpu >= 480 && cpu <= 500, `php uses ${out[1]}`);
  const sorted = trim(c.kubectlSync("top pod --sort-by=cpu --no-headers").stdout).split("\n")[0];
  assert.match(sorted, /^php /);
});
