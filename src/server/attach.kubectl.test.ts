/**
 * `kubectl attach` and `kubectl run -i` through the facade with the real kubectl v1.32 (pods/attach
 * over WebSocket, v5.channel.k8s.io): what kubectl prints is compared with the in-process kubectl's
 * for the same simulated container.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_KUBECTL, until, withKubectl } from "./testutil.ts";

const COUNTER = `apiVersion: v1
kind: Pod
metadata: {name: counter}
spec:
  restartPolicy: Never
  containers: [{name: count, image: busybox, command: ["sh", "-c", "i=0; while [ $i -lt 4 ]; do echo tick $i; i=$((i+1)); sleep 10; done; exit 3"]}]
`;

test("kubectl attach streams what the container writes as simulated time passes, then ends with 0", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, kubectlStream, file, cluster, server }) => {
    assert.equal((await kubectl(["apply", "-f", file("pod.yaml", COUNTER)])).code, 0);
    cluster.advanceSync(15_000);
    const attach = kubectlStream(["attach", "counter"]);
    // Nothing of what was written before the attach; each line as time reaches it. Time moves
    // on once the facade holds the attach (before, tick 2 would be written before it).
    await until(() => server.openStreams === 1, "kubectl attach's stream", AbortSignal.timeout(20_000));
    assert.equal(attach.out, "");
    cluster.advanceSync(10_000);
    await attach.waitFor(/tick 2\n/, AbortSignal.timeout(20_000));
    cluster.advanceSync(30_000);
    // kubectl ends by itself once the stream does (waitFor rejects when it exits first).
    await attach.waitFor(/never printed/, AbortSignal.timeout(20_000)).catch((e: Error) => assert.match(e.message, /exited \(0\)/));
    const done = await attach.stop();
    assert.deepEqual(done, { code: 0, out: "tick 2\ntick 3\n", err: "If you don't see a command prompt, try pressing enter.\n" });
    const completed = await kubectl(["attach", "counter"]);
    assert.deepEqual(completed, { code: 1, out: "", err: "error: cannot attach a container in a completed pod; current phase is Failed\n" });
    assert.equal(cluster.kubectlSync(["attach", "counter"]).stderr, completed.err);
    const missing = await kubectl(["attach", "nope"]);
    assert.deepEqual(missing, { code: 1, out: "", err: 'Error from server (NotFound): pods "nope" not found\n' });
  });
});

test("kubectl attach -i gives its input to a shell waiting for it (stdin: true)", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, file, cluster }) => {
    const shell = `apiVersion: v1
kind: Pod
metadata: {name: shell}
spec:
  restartPolicy: Never
  containers: [{name: sh, image: busybox, command: ["sh"], stdin: true, stdinOnce: true}]
`;
    assert.equal((await kubectl(["apply", "-f", file("shell.yaml", shell)])).code, 0);
    cluster.advanceSync(10_000);
    const r = await kubectl(["attach", "-i", "shell"], "echo hello from $(hostname)\n");
    assert.deepEqual(r, { code: 0, out: "hello from shell\n", err: "If you don't see a command prompt, try pressing enter.\n" });
  });
});

test("kubectl run -i --rm: attached to the new pod's shell, its exit status reported, the pod deleted", { skip: NO_KUBECTL, timeout: 90_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, cluster }) => {
    // Simulated time passes while kubectl waits for the pod (as a cluster's would).
    const ticker = setInterval(() => cluster.advanceSync(1_000), 50);
    try {
      const input = "echo got hello\nexit 2\n";
      const r = await kubectl(["run", "-i", "--rm", "--restart=Never", "once", "--image=busybox", "--", "sh"], input);
      const inProcess = cluster.kubectlSync(["run", "-i", "--rm", "--restart=Never", "twice", "--image=busybox", "--", "sh"], input);
      assert.deepEqual(r, { code: 2, out: 'got hello\npod "once" deleted\n', err: "If you don't see a command prompt, try pressing enter.\npod default/once terminated (Error)\n" });
      assert.deepEqual([inProcess.exitCode, inProcess.stdout, inProcess.stderr], [r.code, r.out.replace("once", "twice"), r.err.replace("once", "twice")]);
    } finally {
      clearInterval(ticker);
    }
  });
});

test("kubectl run -i and --attach: what the container printed before the attach is not shown (v1.32 does not replay it)", { skip: NO_KUBECTL, timeout: 90_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, cluster }) => {
    const ticker = setInterval(() => cluster.advanceSync(500), 50);
    try {
      const script = ["sh", "-c", "echo before; sleep 20; echo after"];
      for (const mode of ["-i", "--attach"]) {
        const r = await kubectl(["run", mode, "--rm", "--restart=Never", "real", "--image=busybox", "--", ...script]);
        const inProcess = cluster.kubectlSync(["run", mode, "--rm", "--restart=Never", "mine", "--image=busybox", "--", ...script]);
        assert.deepEqual(r, { code: 0, out: 'after\npod "real" deleted\n', err: "If you don't see a command prompt, try pressing enter.\n" });
        assert.deepEqual([inProcess.exitCode, inProcess.stdout, inProcess.stderr], [r.code, r.out.replace("real", "mine"), r.err]);
      }
    } finally {
      clearInterval(ticker);
    }
  });
});
