// A container's root filesystem on both engines (issue #19): the fast engine copies a tree built once
// per image (MemFs.copyOf) where the reference engine builds it at every start; both must be the same
// tree — paths, data, modes, owners and times — for every image, pod and restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { kubelets } from "../manager.ts";
import type { Vfs } from "../../runtime/types.ts";

function walk(fs: Vfs, dir = "/"): string[] {
  const out: string[] = [];
  for (const name of fs.readdir(dir)) {
    const p = dir === "/" ? `/${name}` : `${dir}/${name}`;
    const st = fs.stat(p)!;
    out.push(`${p} ${JSON.stringify(st)}${st.type === "file" ? ` ${JSON.stringify(fs.readFile(p))}` : ""}`);
    if (st.type === "dir" && !p.startsWith("/var/run/secrets")) out.push(...walk(fs, p));
  }
  return out;
}

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: bb}
spec:
  containers:
  - {name: app, image: busybox:1.28, command: ['sh', '-c', 'echo hi; sleep 7; exit 1']}
  - {name: side, image: busybox:1.36, command: ['sh', '-c', 'touch /tmp/x; sleep 3600'], resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 10m, memory: 16Mi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: alp}
spec:
  hostAliases: [{ip: 10.1.2.3, hostnames: [foo.local, bar.local]}]
  subdomain: sub
  hostname: h1
  containers:
  - {name: app, image: alpine:3.20, command: ['sh', '-c', 'sleep 5; exit 2']}
---
apiVersion: v1
kind: Pod
metadata: {name: hostnet}
spec:
  hostNetwork: true
  containers:
  - {name: app, image: nginx:1.27}
  - {name: other, image: registry.example.com/team/tool:v1, command: ['sh', '-c', 'sleep 3600']}
---
apiVersion: v1
kind: Pod
metadata: {name: burst}
spec:
  containers:
  - {name: big, image: busybox:1.28, command: ['sh', '-c', 'sleep 6; exit 1'], resources: {requests: {memory: 1Gi}}}
  - {name: small, image: busybox:1.28, command: ['sh', '-c', 'sleep 3600'], resources: {requests: {memory: 256Mi}}}
`;

function roots(reference: boolean): string[] {
  const c = new Cluster({ reference });
  c.addNodesFromTable([{ name: "node1" }]);
  c.applySync(PODS);
  const out: string[] = [];
  for (let i = 0; i < 12; i++) {
    c.advanceSync(4_321);
    for (const kubelet of kubelets(c.ctx).values()) {
      for (const pod of c.api.list("Pod")) {
        for (const inst of kubelet.runtime.instances(pod.metadata.uid!)) {
          if (inst.state !== "running" || !inst.fs) continue;
          out.push(`== ${i} ${pod.metadata.name}/${inst.name} ${inst.restartCount}`, ...walk(inst.fs));
        }
      }
    }
  }
  return out;
}

test("container roots (images with and without passwd, host network, host aliases, QoS, restarts) are the same trees on both engines", () => {
  const fast = roots(false);
  const reference = roots(true);
  assert.ok(fast.some((l) => l.startsWith("/etc/passwd")) && fast.some((l) => l.startsWith("/proc/1/oom_score_adj")));
  // Burstable containers of one pod with different memory requests: different oom_score_adj, kept per container.
  const adj = new Set(fast.filter((l) => l.startsWith("/proc/1/oom_score_adj")).map((l) => l.slice(l.lastIndexOf(" "))));
  assert.ok(adj.size >= 3, [...adj].join());
  assert.ok(fast.filter((l) => l.startsWith("== ")).length > 30);
  assert.deepEqual(fast, reference);
});
