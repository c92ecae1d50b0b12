/**
 * `kubectl port-forward` through the facade with the real kubectl v1.32 (pods/portforward: SPDY/3.1
 * tunnelled in a WebSocket, and by the HTTP upgrade kubectl falls back to): a client on this
 * machine reaches the simulated pod's application through the forwarded port, and what kubectl
 * prints is compared with the in-process kubectl's.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
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
  test(`kubectl port-forward ${mode}: the pod's application answers through the local port`, { skip: NO_KUBECTL, timeout: 60_000 }, async () => {
    await withKubectl(async ({ kubectl, kubectlStream, file, cluster }) => {
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
