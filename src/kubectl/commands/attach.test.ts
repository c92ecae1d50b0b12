import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

const NOTICE = "If you don't see a command prompt, try pressing enter.\n";

test("kubectl attach prints what the running container writes from then on, as simulated time passes, until it ends (exit 0 whatever the container's code)", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(`apiVersion: v1
kind: Pod
metadata:
  name: counter
spec:
  restartPolicy: Never
  containers:
  - name: count
    image: busybox
    command: ["sh", "-c", "i=0; while [ $i -lt 5 ]; do echo tick $i; i=$((i+1)); sleep 10; done; echo done >&2; exit 3"]
`);
  await c.advance("15s");
  const r = await c.kubectl("attach counter");
  // What was written before the attach (tick 0, tick 1) is the log's, not the attach's.
  assert.deepEqual(r, { stdout: "tick 2\ntick 3\ntick 4\ndone\n", stderr: NOTICE, exitCode: 0 });
  await c.advance("5s");
  assert.equal(c.api.get("Pod", "default", "counter")!.status.phase, "Failed");
  assert.deepEqual(await c.kubectl("attach counter"), { stdout: "", stderr: "error: cannot attach a container in a completed pod; current phase is Failed\n", exitCode: 1 });
});

test("kubectl attach -i gives the step's input to a container that reads it (stdin: true), and refuses what kubectl refuses", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(`apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  restartPolicy: Never
  containers:
  - name: sh
    image: busybox
    command: ["sh"]
    stdin: true
    stdinOnce: true
  - name: sleeper
    image: busybox
    command: ["sleep", "3600"]
`);
  await c.advance("10s");
  const r = await c.kubectl("attach -i shell -c sh -t", "echo hello from $(hostname)\nexit 0\n");
  assert.deepEqual(r, {
    stdout: "hello from shell\n",
    stderr: "error: Unable to use a TTY - container sh did not allocate one\n" + NOTICE,
    exitCode: 0,
  });
  assert.deepEqual(await c.kubectl("attach"), { stdout: "", stderr: "error: at least 1 argument is required for attach\n", exitCode: 1 });
  assert.deepEqual(await c.kubectl("attach a b c"), { stdout: "", stderr: "error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw 3: [a b c]\n", exitCode: 1 });
  assert.deepEqual(await c.kubectl("attach nope"), { stdout: "", stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
  assert.deepEqual(await c.kubectl("attach shell -c zz"), { stdout: "", stderr: "error: cannot attach to the container: container zz not found in pod shell\n", exitCode: 1 });
  // The first container (sh) has ended: its pod still runs the other.
  const ended = await c.kubectl("attach shell -c sh -q");
  assert.deepEqual(ended, { stdout: "", stderr: 'error: unable to upgrade connection: container not found ("sh")\n', exitCode: 1 });
});
