import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { ApiError } from "../../api/errors.ts";

const POD = `apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
  - name: app
    image: busybox:1.28
    command: ["sleep", "3600"]
`;

async function cluster(): Promise<Cluster> {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(POD);
  await c.advance("10s");
  return c;
}

test("an ephemeral container runs in the target's process table, its status and events as the kubelet's", async () => {
  const c = await cluster();
  const r = await c.kubectl("debug app --image=busybox:1.28 --target=app -c dbg --profile=general -it", "ps\necho done\n");
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout, `Targeting container "app". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\nPID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n    7 root      0:00 sh\n    8 root      0:00 ps\ndone\n`);
  assert.equal(r.stderr, "Unable to use a TTY - input is not a terminal or the right kind of file\nIf you don't see a command prompt, try pressing enter.\n");
  await c.advance("2s");
  const pod = c.api.get("Pod", "default", "app")!;
  const st = pod.status.ephemeralContainerStatuses;
  assert.equal(st.length, 1);
  assert.deepEqual([st[0].name, st[0].ready, st[0].state.terminated?.exitCode, st[0].started], ["dbg", false, 0, undefined]);
  // The pod itself is untouched: Running, its container ready.
  assert.equal(pod.status.phase, "Running");
  const events = c.api.list("Event", { namespace: "default" }).filter((e) => e.involvedObject.fieldPath === "spec.ephemeralContainers{dbg}").map((e) => e.reason);
  assert.deepEqual(events, ["Pulled", "Created", "Started"]);
  // Logs of an ephemeral container, like any other's.
  assert.equal((await c.kubectl("logs app -c dbg")).stdout.includes("done"), true);
});

test("the ephemeralcontainers subresource: upstream's validation texts, existing containers kept", async () => {
  const c = await cluster();
  const write = (ecs: unknown[]) => {
    const p = structuredClone(c.api.get("Pod", "default", "app")!);
    p.spec.ephemeralContainers = ecs;
    delete p.metadata.resourceVersion;
    return c.api.update(p, { subresource: "ephemeralcontainers" });
  };
  const message = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof ApiError) return e.message;
      throw e;
    }
    return "";
  };
  assert.equal(message(() => write([{ name: "d", image: "busybox", ports: [{ containerPort: 80 }], readinessProbe: { exec: { command: ["true"] } } }])),
    'Pod "app" is invalid: [spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container, spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container]');
  assert.equal(message(() => write([{ name: "app", image: "busybox" }])), 'Pod "app" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "app"');
  assert.equal(message(() => write([{ name: "d", image: "busybox", targetContainerName: "nope" }])), 'Pod "app" is invalid: spec.ephemeralContainers[0].targetContainerName: Not found: "nope"');
  const ok = write([{ name: "d", image: "busybox" }]);
  // Defaulted as a container is, and only spec.ephemeralContainers changed.
  assert.equal(ok.spec.ephemeralContainers[0].terminationMessagePath, "/dev/termination-log");
  assert.equal(ok.spec.containers[0].image, "busybox:1.28");
  assert.match(message(() => write([])), /existing ephemeral containers "d" may not be removed/);
  assert.match(message(() => write([{ name: "d", image: "busybox:1.36" }])), /existing ephemeral containers "d" may not be changed/);
  // Other changes sent to the subresource are dropped.
  const p = structuredClone(c.api.get("Pod", "default", "app")!);
  p.metadata.labels = { x: "y" };
  p.spec.ephemeralContainers.push({ name: "e", image: "busybox" });
  delete p.metadata.resourceVersion;
  const after = c.api.update(p, { subresource: "ephemeralcontainers" });
  assert.equal(after.metadata.labels, undefined);
  assert.deepEqual(after.spec.ephemeralContainers.map((x: { name: string }) => x.name), ["d", "e"]);
});

test("a container with stdin running an interactive shell waits for the client's input", async () => {
  const c = await cluster();
  const r = await c.kubectl("debug app --copy-to=copy -c app -i --profile=general -- sh", "echo from copy; exit 4\n");
  assert.equal(r.stdout, "from copy\n");
  assert.equal(r.exitCode, 0);
  await c.advance("2s");
  // The copy restarts it (restartPolicy Always): the exit shows as the terminated or last state.
  const ended = (name: string) => {
    const s = c.api.get("Pod", "default", name)!.status.containerStatuses[0];
    return (s.state.terminated ?? s.lastState.terminated)?.exitCode;
  };
  assert.equal(ended("copy"), 4);
  // Without -i the copy's shell has no input and ends at once.
  await c.kubectl("debug app --copy-to=copy2 -c app --profile=general -- sh");
  await c.advance("5s");
  assert.equal(ended("copy2"), 0);
});
