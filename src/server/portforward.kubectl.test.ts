/**
 * `kubectl port-forward` through the facade with the real kubectl v1.32 (pods/portforward: SPDY/3.1
 * tunnelled in a WebSocket, and by the HTTP upgrade kubectl falls back to): a client on this
 * machine reaches the simulated pod's application through the forwarded port, and what kubectl
 * prints is compared with the in-process kubectl's.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { connect, type Socket } from "node:net";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

const HELLO = `apiVersion: v1
kind: Pod
metadata: {name: hello}
spec:
  containers:
  - name: hello
    image: gcr.io/google-samples/hello-app:1.0
    ports: [{containerPort: 8080}]
`;

function get(port: number, path = "/"): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end();
  });
}

for (const [mode, env] of [
  ["tunnelled in a WebSocket", {}],
  ["by the SPDY upgrade", { KUBECTL_PORT_FORWARD_WEBSOCKETS: "false" }],
] as const) {
  test(`kubectl port-forward ${mode}: the pod's application answers through the local port`, { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
    await withKubectl(t, async ({ kubectl, kubectlStream, file, cluster }) => {
      assert.equal((await kubectl(["apply", "-f", file("pod.yaml", HELLO)])).code, 0);
      cluster.advanceSync(30_000);
      const port = 20000 + Math.floor(Math.random() * 20000);
      const saved = { ...process.env };
      Object.assign(process.env, env);
      const fwd = kubectlStream(["port-forward", "pod/hello", `${port}:8080`]);
      process.env = saved;
      await fwd.waitFor(/Forwarding from \[::1\]/, AbortSignal.timeout(20_000));
      const got = await get(port);
      assert.deepEqual(got, { status: 200, body: "Hello, world!\nVersion: 1.0.0\nHostname: hello\n" });
      await fwd.waitFor(/Handling connection/, AbortSignal.timeout(10_000));
      const again = await get(port, "/x");
      assert.deepEqual(again, { status: 200, body: "Hello, world!\nVersion: 1.0.0\nHostname: hello\n" });
      // A port nothing listens on in the pod: the runtime's error on the error stream, and kubectl ends.
      const bad = kubectlStream(["port-forward", "pod/hello", `${port + 1}:9999`]);
      await bad.waitFor(/Forwarding from \[::1\]/, AbortSignal.timeout(20_000));
      await get(port + 1);
      await bad.waitFor(/never/, AbortSignal.timeout(20_000)).catch(() => undefined);
      const ended = await bad.stop();
      assert.equal(ended.code, 1, JSON.stringify(ended));
      assert.match(ended.err, /portforward\.go:\d+\] "Unhandled Error" err="an error occurred forwarding \d+ -> 9999: error forwarding port 9999 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace .*connect: connection refused/);
      assert.match(ended.err, /error: lost connection to pod\n$/);
      const done = await fwd.stop();
      assert.equal(done.out, `Forwarding from 127.0.0.1:${port} -> 8080\nForwarding from [::1]:${port} -> 8080\nHandling connection for ${port}\nHandling connection for ${port}\n`);
      // The in-process kubectl prints the same lines for the same connections.
      cluster.kubectlSync(`kubectl port-forward pod/hello ${port}:8080 &`);
      const local = cluster.kubectlSync(`curl -s localhost:${port}/`);
      assert.equal(local.stdout + local.stderr, `Handling connection for ${port}\nHello, world!\nVersion: 1.0.0\nHostname: hello\n`);
    });
  });
}

const WEB = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: web
    image: nginx
    ports: [{containerPort: 80}]
`;

/** Reads HTTP/1.1 responses (Content-Length bodies) off a socket until `n` are whole. */
function responses(socket: Socket, n: number, wait = 0): Promise<Array<{ head: string; body: string }>> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const out: Array<{ head: string; body: string }> = [];
    const parse = () => {
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buf.toString("latin1", 0, end);
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        out.push({ head, body: buf.toString("utf8", end + 4, end + 4 + length) });
        buf = buf.subarray(end + 4 + length);
        if (out.length === n) return resolve(out);
      }
    };
    socket.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      parse();
    });
    socket.on("error", reject);
    socket.on("close", () => reject(new Error(`closed after ${out.length} responses`)));
    // A slow reader: nothing is read for `wait` ms.
    if (wait) {
      socket.pause();
      setTimeout(() => socket.resume(), wait);
    }
  });
}

test("kubectl port-forward keeps a client's connection: keep-alive requests, pipelined requests, a large answer read slowly", { skip: NO_KUBECTL, timeout: 120_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, kubectlStream, file, cluster }) => {
    assert.equal((await kubectl(["apply", "-f", file("pod.yaml", WEB)])).code, 0);
    cluster.advanceSync(30_000);
    assert.equal(cluster.kubectlSync("exec web -- sh -c 'seq 1 100000 > /tmp/a; cat /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a /tmp/a > /usr/share/nginx/html/big; wc -c < /usr/share/nginx/html/big'").stdout, "3533370\n");
    const big = cluster.kubectlSync("exec web -- cat /usr/share/nginx/html/big").stdout;
    const index = cluster.kubectlSync("exec web -- cat /usr/share/nginx/html/index.html").stdout;
    const port = 20000 + Math.floor(Math.random() * 20000);
    const fwd = kubectlStream(["port-forward", "pod/web", `${port}:80`]);
    await fwd.waitFor(/Forwarding from \[::1\]/, AbortSignal.timeout(20_000));
    // A keep-alive agent: three requests, one connection.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    for (const path of ["/", "/index.html", "/"]) {
      const got = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path, agent }, (res) => {
          sockets.add(res.socket);
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (d) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end();
      });
      assert.deepEqual(got, { status: 200, body: index });
    }
    assert.equal(sockets.size, 1);
    agent.destroy();
    // Three pipelined requests in one write: three answers in order.
    const pipelined = connect(port, "127.0.0.1");
    const three = responses(pipelined, 3);
    pipelined.write(["/", "/nothing", "/index.html"].map((p) => `GET ${p} HTTP/1.1\r\nHost: localhost\r\n\r\n`).join(""));
    assert.deepEqual((await three).map((r) => r.head.split("\r\n")[0]), ["HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK"]);
    pipelined.destroy();
    // A 3.5 MB answer to a client that reads nothing for a second, then the next request on the connection.
    const slow = connect(port, "127.0.0.1");
    const two = responses(slow, 2, 1000);
    slow.write("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const [first, second] = await two;
    assert.equal(first!.body.length, big.length);
    assert.ok(first!.body === big);
    assert.equal(second!.body, index);
    slow.destroy();
    const done = await fwd.stop();
    assert.equal(done.out, `Forwarding from 127.0.0.1:${port} -> 80\nForwarding from [::1]:${port} -> 80\n${`Handling connection for ${port}\n`.repeat(3)}`);
  });
});
