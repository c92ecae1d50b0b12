import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { unreachable } from "./kubeconfigclient.ts";

test("unreachable: what dialling a server from the user's machine gives", () => {
  assert.deepEqual(unreachable("https://1.2.3.4"), { url: "https://1.2.3.4/api?timeout=32s", dialError: "dial tcp 1.2.3.4:443: i/o timeout", waitMs: 30_000, final: "Unable to connect to the server: dial tcp 1.2.3.4:443: i/o timeout" });
  assert.equal(unreachable("http://10.0.0.1:8080/").dialError, "dial tcp 10.0.0.1:8080: i/o timeout");
  assert.equal(unreachable("http://10.0.0.1:8080/").url, "http://10.0.0.1:8080/api?timeout=32s");
  // Recorded against kubectl v1.32.4 (src/kubectl/testdata/config-files.yaml): a loopback port is refused at once.
  assert.deepEqual(unreachable("http://localhost:8080"), { url: "http://localhost:8080/api?timeout=32s", dialError: "dial tcp 127.0.0.1:8080: connect: connection refused", waitMs: 0, final: "The connection to the server localhost:8080 was refused - did you specify the right host or port?" });
  assert.equal(unreachable("https://127.0.0.1:1").final, "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?");
  assert.equal(unreachable("https://my-cluster.example.com").final, "Unable to connect to the server: dial tcp: lookup my-cluster.example.com on 127.0.0.53:53: no such host");
});

test("a command on a kubeconfig file: the scenario's server answers, another one times out in simulated time", async () => {
  const c = new Cluster();
  c.kubectlSync("kubectl config --kubeconfig=k set-cluster here --server=http://127.0.0.1:6443");
  c.kubectlSync("kubectl config --kubeconfig=k set-cluster far --server=https://192.0.2.1:6443");
  c.kubectlSync("kubectl config --kubeconfig=k set-context here --cluster=here --namespace=kube-system");
  c.kubectlSync("kubectl config --kubeconfig=k set-context far --cluster=far");
  assert.equal(c.kubectlSync("kubectl --kubeconfig=k --context=here get pods").stderr, "No resources found in kube-system namespace.\n");
  const before = c.clock.now();
  const r = c.kubectlSync("kubectl --kubeconfig=k --context=far get pods");
  assert.equal(r.exitCode, 1);
  assert.equal(c.clock.now() - before, 6 * 30_000);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 6);
  assert.match(lines[0]!, /^E\d{4} \d\d:\d\d:\d\d\.\d{6} {4}4242 memcache\.go:265\] "Unhandled Error" err="couldn't get current server API group list: Get \\"https:\/\/192\.0\.2\.1:6443\/api\?timeout=32s\\": dial tcp 192\.0\.2\.1:6443: i\/o timeout"$/);
  assert.equal(lines[5], "Unable to connect to the server: dial tcp 192.0.2.1:6443: i/o timeout");
  // Without --kubeconfig, the simulated kubeconfig as before.
  assert.equal(c.kubectlSync("kubectl get pods").stderr, "No resources found in default namespace.\n");
  await c.close();
});
