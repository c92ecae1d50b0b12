import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

const POD = `apiVersion: v1
kind: Pod
metadata: {name: p1}
spec:
  containers: [{name: c, image: busybox, command: ["sleep", "3600"]}]
`;

test("kubectl exec over WebSocket: stdout, stderr, exit codes, stdin, errors", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, file, cluster }) => {
    assert.equal((await kubectl(["apply", "-f", file("pod.yaml", POD)])).code, 0);
    cluster.advanceSync(20_000);
    const ok = await kubectl(["exec", "p1", "--", "hostname"]);
    assert.deepEqual(ok, { code: 0, out: "p1\n", err: "" });
    const fail = await kubectl(["exec", "p1", "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    assert.deepEqual(fail, { code: 3, out: "out\n", err: "err\ncommand terminated with exit code 3\n" });
    const stdin = await kubectl(["exec", "-i", "p1", "--", "sh", "-c", "wc -l"], "a\nb\nc\n");
    assert.deepEqual(stdin, { code: 0, out: "3\n", err: "" });
    // The same as the in-process kubectl says for the same simulated container.
    const notFound = await kubectl(["exec", "p1", "--", "no-such-command"]);
    const inProcess = cluster.kubectlSync(["exec", "p1", "--", "no-such-command"]);
    assert.equal(notFound.code, inProcess.exitCode);
    assert.equal(notFound.out + notFound.err, inProcess.stdout + inProcess.stderr);
    const badContainer = await kubectl(["exec", "p1", "-c", "nope", "--", "ls"]);
    assert.deepEqual(badContainer, { code: 1, out: "", err: "Error from server (BadRequest): container nope is not valid for pod p1\n" });
    const missing = await kubectl(["exec", "nope", "--", "ls"]);
    assert.deepEqual(missing, { code: 1, out: "", err: 'Error from server (NotFound): pods "nope" not found\n' });
    // A container with no running instance: the kubelet refuses the stream.
    cluster.applySync(POD.replace("name: p1", "name: crash").replace('["sleep", "3600"]', '["sh", "-c", "sleep 5; exit 1"]'));
    cluster.advanceSync(8_000);
    const down = await kubectl(["exec", "crash", "--", "ls"]);
    assert.deepEqual(down, { code: 1, out: "", err: 'error: unable to upgrade connection: container not found ("c")\n' });
    const inProcessDown = cluster.kubectlSync(["exec", "crash", "--", "ls"]);
    assert.equal(inProcessDown.stderr, down.err);
  });
});

test("@kubernetes/client-node's Exec (v5.channel.k8s.io) with stdin, stdout, stderr and status", { timeout: 30_000 }, async (t) => {
  const k8s = await import("@kubernetes/client-node");
  const { Writable, Readable } = await import("node:stream");
  await withKubectl(t, async ({ cluster, dir }) => {
    cluster.applySync(POD);
    cluster.advanceSync(20_000);
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(join(dir, "kubeconfig"));
    let out = "";
    let err = "";
    const sink = (to: (t: string) => void) => new Writable({ write(c, _e, cb) { to(String(c)); cb(); } });
    const status = await new Promise<any>((resolve, reject) => {
      new k8s.Exec(kc)
        .exec("default", "p1", "c", ["sh", "-c", "wc -l; echo oops >&2; exit 4"], sink((t) => (out += t)), sink((t) => (err += t)), Readable.from(["a\nb\n"]), false, resolve)
        .catch(reject);
    });
    assert.equal(out, "2\n");
    assert.equal(err, "oops\n");
    assert.equal(status.reason, "NonZeroExitCode");
    assert.deepEqual(status.details.causes, [{ reason: "ExitCode", message: "4" }]);
  });
});
