import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { requestAndWait } from "../../network/traffic.ts";
import type { ClusterContext } from "../../context.ts";

function get(ctx: ClusterContext, url: string): { status: number; body: string } {
  const r = requestAndWait(ctx, url).outcome;
  if (!r.ok) throw new Error(`GET ${url}: ${r.error}`);
  return { status: r.status, body: r.body };
}

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  return c;
}

const lifecycle = `apiVersion: v1
kind: Pod
metadata:
  name: lifecycle-demo
spec:
  containers:
  - name: lifecycle-demo-container
    image: nginx
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "echo Hello from the postStart handler > /usr/share/message"]
      preStop:
        exec:
          command: ["/bin/sh","-c","nginx -s quit; while killall -0 nginx; do sleep 1; done"]
`;

test("nginx: the entrypoint's steps, files served from /usr/share/nginx/html, a postStart hook's file, nginx -s quit in preStop", async () => {
  const c = cluster();
  c.applySync(lifecycle);
  await c.advance("10s");
  const logs = await c.kubectl("logs lifecycle-demo");
  assert.match(logs.stdout, /^\/docker-entrypoint\.sh: \/docker-entrypoint\.d\/ is not empty, will attempt to perform configuration\n/);
  assert.match(logs.stdout, /10-listen-on-ipv6-by-default\.sh: info: Enabled listen on IPv6 in \/etc\/nginx\/conf\.d\/default\.conf\n/);
  assert.match(logs.stdout, /\[notice\] 1#1: nginx\/1\.27\.3\n/);
  assert.equal((await c.kubectl("exec lifecycle-demo -- cat /usr/share/message")).stdout, "Hello from the postStart handler\n");
  const conf = await c.kubectl("exec lifecycle-demo -- cat /etc/nginx/conf.d/default.conf");
  assert.match(conf.stdout, /listen {7}80;\n {4}listen {2}\[::\]:80;/);
  const ip = c.api.get("Pod", "default", "lifecycle-demo")!.status!.podIP;
  const home = get(c.ctx, `http://${ip}/`);
  assert.equal(home.status, 200);
  assert.match(home.body, /<title>Welcome to nginx!<\/title>/);
  await c.kubectl(`exec lifecycle-demo -- sh -c "echo hi > /usr/share/nginx/html/hi.txt"`);
  assert.equal(get(c.ctx, `http://${ip}/hi.txt`).body, "hi\n");
  const missing = get(c.ctx, `http://${ip}/nope`);
  assert.equal(missing.status, 404);
  assert.match(missing.body, /<center>nginx\/1\.27\.3<\/center>/);
  const v = await c.kubectl("exec lifecycle-demo -- nginx -v");
  assert.equal(v.stdout + v.stderr, "nginx version: nginx/1.27.3\n");
  // Deleting: the preStop hook's `nginx -s quit` ends the master gracefully, long before 30 s.
  await c.kubectl("delete pod lifecycle-demo --wait=false");
  await c.advance("5s");
  assert.equal(c.api.get("Pod", "default", "lifecycle-demo"), undefined);
  await c.close();
});

test("nginx: a tag's version, a container command that starts nginx from a shell", async () => {
  const c = cluster();
  c.applySync(`apiVersion: v1
kind: Pod
metadata:
  name: old
spec:
  containers:
  - name: web
    image: nginx:1.14.2
---
apiVersion: v1
kind: Pod
metadata:
  name: custom
spec:
  containers:
  - name: web
    image: nginx:1.27
    command: ["/bin/sh", "-c", "echo custom > /usr/share/nginx/html/index.html && nginx -g 'daemon off;'"]
`);
  await c.advance("20s");
  const old = c.api.get("Pod", "default", "old")!;
  assert.match(get(c.ctx, `http://${old.status!.podIP}/nope`).body, /nginx\/1\.14\.2/);
  assert.doesNotMatch((await c.kubectl("logs old")).stdout, /docker-entrypoint/, "1.14 had no entrypoint scripts");
  const custom = c.api.get("Pod", "default", "custom")!;
  assert.equal(get(c.ctx, `http://${custom.status!.podIP}/`).body, "custom\n");
  await c.close();
});
