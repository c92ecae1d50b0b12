import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { requestAndWait } from "../../network/traffic.ts";
import { matchLocation, parseNginxFile } from "./nginx.ts";
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

test("nginx: the configuration's directives, file and line; its syntax errors as nginx words them", () => {
  const parsed = parseNginxFile("upstream hello {\n    server hello;\n}\n\nserver {\n    listen 80; # here\n    location / {\n        proxy_pass http://hello;\n    }\n}\n", "/etc/nginx/conf.d/f.conf");
  assert.ok(!("error" in parsed));
  assert.deepEqual(parsed.map((d) => [d.name, d.args, d.line]), [["upstream", ["hello"], 1], ["server", [], 5]]);
  assert.deepEqual(parsed[0]!.block!.map((d) => [d.name, d.args, d.line]), [["server", ["hello"], 2]]);
  assert.deepEqual(parsed[1]!.block![1]!.block!.map((d) => [d.name, d.args, d.line]), [["proxy_pass", ["http://hello"], 8]]);
  assert.deepEqual(parseNginxFile("server {\n listen 80;\n", "/x.conf"), { error: 'unexpected end of file, expecting "}" in /x.conf:3' });
  assert.deepEqual(parseNginxFile("}\n", "/x.conf"), { error: 'unexpected "}" in /x.conf:1' });
  assert.deepEqual(parseNginxFile("listen 80", "/x.conf"), { error: 'unexpected end of file, expecting ";" or "}" in /x.conf:1' });
});

test("nginx: locations by exact match, else the longest prefix", () => {
  const l = (prefix: string, exact = false) => ({ prefix, exact });
  const locs = [l("/"), l("/api/"), l("/api/v1/"), l("/50x.html", true)];
  assert.equal(matchLocation(locs, "/api/v1/x")?.prefix, "/api/v1/");
  assert.equal(matchLocation(locs, "/api/x")?.prefix, "/api/");
  assert.equal(matchLocation(locs, "/50x.html")?.exact, true);
  assert.equal(matchLocation(locs, "/index.html")?.prefix, "/");
  assert.equal(matchLocation([l("/api/")], "/"), undefined);
});

test("nginx: proxy_pass to an upstream by Service name — resolved at start, 502 when refused, the upstream's answer otherwise", async () => {
  const c = cluster();
  c.applySync(`apiVersion: v1
kind: ConfigMap
metadata:
  name: conf
data:
  proxy.conf: |
    upstream app { server web; }
    server {
      listen 80;
      location /api/ { proxy_pass http://app/; }
      location / { root /usr/share/nginx/html; }
    }
---
apiVersion: v1
kind: Pod
metadata:
  name: proxy
spec:
  containers:
  - name: nginx
    image: nginx
    volumeMounts:
    - name: conf
      mountPath: /etc/nginx/conf.d
  volumes:
  - name: conf
    configMap:
      name: conf
`);
  await c.advance("10s");
  // No Service web yet: nginx stops at once, saying where the name is.
  const logs = await c.kubectl("logs proxy");
  assert.match(logs.stdout, /\[emerg\] 1#1: host not found in upstream "web" in \/etc\/nginx\/conf\.d\/proxy\.conf:1\nnginx: \[emerg\] host not found in upstream "web" in \/etc\/nginx\/conf\.d\/proxy\.conf:1\n$/);
  assert.equal(c.api.get("Pod", "default", "proxy")!.status!.containerStatuses![0]!.lastState?.terminated?.exitCode ?? c.api.get("Pod", "default", "proxy")!.status!.containerStatuses![0]!.state?.terminated?.exitCode, 1);
  c.applySync(`apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`);
  await c.advance("60s");
  const ip = c.api.get("Pod", "default", "proxy")!.status!.podIP;
  // The Service has no endpoint: kube-proxy rejects, nginx answers 502 and logs why.
  const bad = get(c.ctx, `http://${ip}/api/x`);
  assert.equal(bad.status, 502);
  assert.match(bad.body, /<title>502 Bad Gateway<\/title>/);
  assert.match((await c.kubectl("logs proxy")).stdout, /\[error\] 29#29: \*1 connect\(\) failed \(111: Connection refused\) while connecting to upstream, client: -, server: , request: "GET \/api\/x HTTP\/1\.1", upstream: "http:\/\/10\.\d+\.\d+\.\d+:80\/x"\n/);
  // Static files still come from the root.
  assert.equal(get(c.ctx, `http://${ip}/`).status, 200);
  c.applySync(`apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: hello
    image: registry.k8s.io/e2e-test-images/agnhost:2.39
    args: ["netexec", "--http-port=8080"]
`);
  await c.advance("20s");
  // The URI part of proxy_pass replaces the location's prefix: /api/hostname reaches /hostname.
  const ok = get(c.ctx, `http://${ip}/api/hostname`);
  assert.equal(ok.status, 200);
  assert.equal(ok.body, "web");
  await c.close();
});
