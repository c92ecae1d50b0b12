import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { KubectlError } from "../command.ts";
import { applyOverrides, generatePod, generateService, parseEnvs, parseRunLabels, restartPolicyFor, type RunOptions } from "./run.ts";

// run_test.go TestGetRestartPolicy.
test("getRestartPolicy", () => {
  const table: Array<[string, boolean, string | undefined]> = [
    ["", false, "Always"],
    ["", true, "OnFailure"],
    ["Always", false, "Always"],
    ["Always", true, "Always"],
    ["OnFailure", false, "OnFailure"],
    ["Never", true, "Never"],
    ["foo", false, undefined],
  ];
  for (const [input, interactive, expected] of table) {
    if (expected === undefined) assert.throws(() => restartPolicyFor(input, interactive), (e: unknown) => e instanceof KubectlError && e.message.startsWith("error: invalid restart policy: foo\n"));
    else assert.equal(restartPolicyFor(input, interactive), expected, `${input} ${interactive}`);
  }
});

// generate/versioned/run_test.go TestParseEnv.
test("parseEnvs", () => {
  assert.deepEqual(parseEnvs(["FOO=bar", "BAZ=", "X=a=b"]), [{ name: "FOO", value: "bar" }, { name: "BAZ", value: "" }, { name: "X", value: "a=b" }]);
  for (const bad of ["FOO", "=bar", "1FOO=x", "F OO=x"]) assert.throws(() => parseEnvs([bad]), (e: unknown) => e instanceof KubectlError && e.message === `invalid env: ${bad}`);
});

test("labels: k=v pairs, else 'unexpected label spec'", () => {
  assert.deepEqual(parseRunLabels("app=web,tier=fe"), { app: "web", tier: "fe" });
  for (const bad of ["bad", "a=b=c", "=x", "a=%"]) assert.throws(() => parseRunLabels(bad), (e: unknown) => e instanceof KubectlError && e.message === `unexpected label spec: ${bad}`);
});

const base: RunOptions = { name: "nginx", image: "nginx", args: [], command: false, env: [], labels: "", annotations: [], port: "", restart: "", imagePullPolicy: "", stdin: false, leaveStdinOpen: false, tty: false, privileged: false };

// generate/versioned/run_test.go TestGeneratePod, the cases kubectl v1.32 still has flags for.
test("generatePod", () => {
  assert.deepEqual(generatePod(base), {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "nginx", labels: { run: "nginx" } },
    spec: { containers: [{ name: "nginx", image: "nginx", resources: {} }], restartPolicy: "Always", dnsPolicy: "ClusterFirst" },
    status: {},
  });
  const p = generatePod({ ...base, args: ["sh", "-c", "x"], command: true, port: "80", env: ["A=1"], imagePullPolicy: "Never", stdin: true, tty: true, labels: "a=b", restart: "Never" });
  assert.deepEqual(p.spec.containers[0], { name: "nginx", image: "nginx", command: ["sh", "-c", "x"], ports: [{ containerPort: 80 }], env: [{ name: "A", value: "1" }], resources: {}, imagePullPolicy: "Never", stdin: true, stdinOnce: true, tty: true });
  assert.deepEqual(p.metadata.labels, { a: "b" });
  assert.equal(p.spec.restartPolicy, "Never");
  assert.deepEqual(generatePod({ ...base, args: ["a"], stdin: true, leaveStdinOpen: true }).spec.containers[0].args, ["a"]);
  assert.equal(generatePod({ ...base, stdin: true, leaveStdinOpen: true }).spec.containers[0].stdinOnce, undefined);
});

test("generateService: the pod's labels as selector, port and targetPort", () => {
  assert.deepEqual(generateService({ ...base, port: "8080" }), {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "nginx" },
    spec: { ports: [{ port: 8080, protocol: "TCP", targetPort: 8080 }], selector: { run: "nginx" } },
    status: { loadBalancer: {} },
  });
  assert.deepEqual(generateService({ ...base, port: "80", labels: "app=x" }).metadata.labels, { app: "x" });
});

test("overrides: merge by default, strategic, json; a bad type or document is refused", () => {
  const pod = generatePod(base);
  assert.deepEqual(applyOverrides(pod, '{"spec":{"nodeSelector":{"disk":"ssd"}}}', "merge").spec.nodeSelector, { disk: "ssd" });
  // A merge patch replaces the list; the typed round trip gives each container its resources.
  assert.deepEqual(applyOverrides(pod, '{"spec":{"containers":[{"name":"nginx","image":"busybox"}]}}', "merge").spec.containers, [{ name: "nginx", image: "busybox", resources: {} }]);
  // A strategic patch merges containers by name.
  assert.deepEqual(applyOverrides(pod, '{"spec":{"containers":[{"name":"nginx","tty":true}]}}', "strategic").spec.containers, [{ name: "nginx", image: "nginx", resources: {}, tty: true }]);
  assert.equal(applyOverrides(pod, '[{"op":"add","path":"/spec/hostname","value":"h"}]', "json").spec.hostname, "h");
  assert.throws(() => applyOverrides(pod, "{bad", "merge"), /Invalid JSON Patch/);
  assert.throws(() => applyOverrides(pod, "{}", "other"), /invalid override type: other/);
});

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  return c;
}

test("kubectl run creates the pod; --expose the Service first; client dry runs create nothing", () => {
  const c = cluster();
  assert.equal(c.kubectlSync("run web --image=nginx --port=80 --expose").stdout, "service/web created\npod/web created\n");
  assert.deepEqual(c.api.get("Service", "default", "web")?.spec.selector, { run: "web" });
  assert.equal(c.api.get("Pod", "default", "web")?.spec.containers[0].name, "web");
  assert.equal(c.kubectlSync("run other --image=nginx --dry-run=client").stdout, "pod/other created (dry run)\n");
  assert.equal(c.api.get("Pod", "default", "other"), undefined);
  const again = c.kubectlSync("run web --image=nginx");
  assert.deepEqual([again.exitCode, again.stderr], [1, 'Error from server (AlreadyExists): pods "web" already exists\n']);
});

test("-i --rm --restart=Never: the output, the deletion, the container's exit code", () => {
  const c = cluster();
  const ok = c.kubectlSync(["run", "t", "--image=busybox", "-i", "--rm", "--restart=Never", "--", "echo", "hi"]);
  assert.deepEqual([ok.exitCode, ok.stdout, ok.stderr], [0, 'hi\npod "t" deleted\n', ""]);
  assert.equal(c.api.get("Pod", "default", "t")?.metadata.deletionTimestamp !== undefined || !c.api.get("Pod", "default", "t"), true);
  const bad = c.kubectlSync(["run", "t2", "--image=busybox", "-i", "--rm", "--restart=Never", "--", "sh", "-c", "echo bye; exit 3"]);
  assert.deepEqual([bad.exitCode, bad.stdout, bad.stderr], [3, 'bye\npod "t2" deleted\n', "pod default/t2 terminated (Error)\n"]);
});

test("-i -t in a scenario: kubectl's no-terminal notice, then attached without a TTY", () => {
  const c = cluster();
  const r = c.kubectlSync(["run", "w", "--image=busybox", "-i", "-t", "--rm", "--restart=Never", "--", "sh", "-c", "sleep 8; echo later"]);
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout, 'later\npod "w" deleted\n');
  assert.equal(r.stderr, "Unable to use a TTY - input is not a terminal or the right kind of file\nIf you don't see a command prompt, try pressing enter.\n");
});

test("the attach shows what the container writes after it: what it printed before kubectl saw it running is lost (kubernetes/kubernetes#27264)", () => {
  const c = cluster();
  const script = ["sh", "-c", "echo before; sleep 3; echo after"];
  const i = c.kubectlSync(["run", "b", "--image=busybox", "-i", "--rm", "--restart=Never", "--", ...script]);
  assert.deepEqual([i.exitCode, i.stdout, i.stderr], [0, 'after\npod "b" deleted\n', "If you don't see a command prompt, try pressing enter.\n"]);
  const a = c.kubectlSync(["run", "a", "--image=busybox", "--attach", "--rm", "--restart=Never", "--", ...script]);
  assert.deepEqual([a.exitCode, a.stdout, a.stderr], [0, 'after\npod "a" deleted\n', "If you don't see a command prompt, try pressing enter.\n"]);
  const q = c.kubectlSync(["run", "q", "--image=busybox", "-i", "-q", "--rm", "--restart=Never", "--", ...script]);
  assert.deepEqual([q.exitCode, q.stdout, q.stderr], [0, "after\n", ""]);
  // The logs have both lines.
  c.kubectlSync(["run", "k", "--image=busybox", "--restart=Never", "--", ...script]);
  c.advanceSync(10_000);
  assert.equal(c.kubectlSync("logs k").stdout, "before\nafter\n");
});

test("a container that exited while its status still said Running: the attach is refused and kubectl falls back to the logs", () => {
  const c = cluster();
  // The image is on the node: the container starts at once and exits after 1 s, as the kubelet reports it running.
  c.kubectlSync(["run", "pre", "--image=busybox:1.36", "-i", "--restart=Never", "--", "true"]);
  const r = c.kubectlSync(["run", "e", "--image=busybox:1.36", "-i", "--restart=Never", "--", "sh", "-c", "echo before; sleep 1; echo after"]);
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout, "before\nafter\n");
  assert.equal(r.stderr, 'If you don\'t see a command prompt, try pressing enter.\nwarning: couldn\'t attach to pod/e, falling back to streaming logs: unable to upgrade connection: container not found ("e")\n');
});

test("--attach to a container that never ends stops at the cap with our message, leaving the pod", () => {
  const c = cluster();
  const r = c.kubectlSync(["run", "srv", "--image=nginx", "--attach"]);
  assert.equal(r.exitCode, 1);
  // attach.go's notice comes with --attach too (it does not depend on -i).
  assert.match(r.stderr, /^If you don't see a command prompt, try pressing enter\.\nkube-scenario: kubectl run stopped following pod\/srv after 10m of simulated time/);
  assert.equal(c.api.get("Pod", "default", "srv")?.status.phase, "Running");
});

test("a pod that cannot start: timed out waiting for the condition after --pod-running-timeout, then --rm", () => {
  const c = cluster();
  const r = c.kubectlSync(["run", "p", "--image=busybox", "--overrides", '{"spec":{"nodeSelector":{"none":"x"}}}', "-i", "--rm", "--restart=Never", "--pod-running-timeout=20s", "--", "true"]);
  assert.deepEqual([r.exitCode, r.stdout, r.stderr], [1, 'pod "p" deleted\n', "error: timed out waiting for the condition\n"]);
});

// In a terminal of its own (`When I run "kubectl run … -i -t …" in a second terminal`): no time
// passes while it starts; what the container writes shows as the scenario lets time pass.
test("in a second terminal: the container's output as time passes, then --rm and the exit code when it ends", () => {
  const c = cluster();
  const t = c.startKubectl(["run", "w", "--image=busybox", "-i", "-t", "--rm", "--restart=Never", "--", "sh", "-c", "for i in 1 2 3; do sleep 2; echo tick $i; done; exit 3"]);
  assert.equal(t.running, true);
  assert.deepEqual(t.output(), { stdout: "", stderr: "", exitCode: 0 });
  // The image is pulled and the container started; then one line every 2 s.
  let waited = 0;
  while (t.output().stdout === "" && waited++ < 60) c.advanceSync("1s");
  assert.equal(t.output().stdout, "tick 1\n");
  assert.equal(t.output().stderr, "Unable to use a TTY - input is not a terminal or the right kind of file\nIf you don't see a command prompt, try pressing enter.\n");
  c.advanceSync("2s");
  assert.equal(t.output().stdout, "tick 1\ntick 2\n");
  assert.equal(t.running, true);
  c.advanceSync("3s");
  assert.equal(t.running, false);
  assert.deepEqual(t.output(), {
    stdout: 'tick 1\ntick 2\ntick 3\npod "w" deleted\n',
    stderr: "Unable to use a TTY - input is not a terminal or the right kind of file\nIf you don't see a command prompt, try pressing enter.\npod default/w terminated (Error)\n",
    exitCode: 3,
  });
  assert.equal(c.api.get("Pod", "default", "w"), undefined);
});

test("in a second terminal: Ctrl-C ends kubectl and leaves the pod running; no cap", () => {
  const c = cluster();
  const t = c.startKubectl(["run", "loop", "--image=busybox", "-i", "--rm", "--restart=Never", "--", "sh", "-c", "while sleep 60; do echo minute; done"]);
  c.advanceSync("15m");
  assert.equal(t.running, true);
  assert.equal(t.output().stdout.split("\n").filter((l) => l === "minute").length, 14);
  const r = t.stop();
  assert.equal(t.running, false);
  assert.equal(r.stdout.split("\n").filter((l) => l === "minute").length, 14);
  c.advanceSync("2m");
  assert.equal(t.output().stdout, r.stdout);
  assert.equal(c.api.get("Pod", "default", "loop")?.status.phase, "Running");
});

test("in a second terminal: the pod deleted from another terminal: kubectl sees it fail (killed at the end of its 1 s grace)", () => {
  const c = cluster();
  const t = c.startKubectl(["run", "loop", "--image=busybox", "-i", "--rm", "--restart=Never", "--", "sh", "-c", "while sleep 1; do echo tick; done"]);
  c.advanceSync("20s");
  assert.equal(c.kubectlSync(["delete", "pod", "loop", "--now"]).stdout, 'pod "loop" deleted\n');
  assert.equal(t.running, false);
  const r = t.output();
  assert.equal(r.exitCode, 137);
  assert.match(r.stdout, /^(tick\n)+$/);
  assert.equal(r.stderr, "If you don't see a command prompt, try pressing enter.\npod default/loop terminated (Error)\n");
});

test("in a second terminal: a pod that cannot start times out after --pod-running-timeout, then --rm", () => {
  const c = cluster();
  const t = c.startKubectl(["run", "p", "--image=busybox", "--overrides", '{"spec":{"nodeSelector":{"none":"x"}}}', "-i", "--rm", "--restart=Never", "--pod-running-timeout=20s", "--", "true"]);
  c.advanceSync("19s");
  assert.equal(t.running, true);
  c.advanceSync("2s");
  assert.equal(t.running, false);
  assert.deepEqual(t.output(), { stdout: 'pod "p" deleted\n', stderr: "error: timed out waiting for the condition\n", exitCode: 1 });
});
