import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { NO_KUBECTL, requireKubectl, closing } from "../server/testutil.ts";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { AddressInfo } from "node:net";
import { Cluster } from "../cluster.ts";
import { serve, type RunningServer } from "../server/apiserver.ts";
import { kubeconfigFor } from "../server/kubeconfig.ts";
import { expect } from "../assert/expect.ts";
import { checkContainerState, checkPodPhase } from "../assert/pods.ts";
import { podPhaseUntil } from "../assert/eventually.ts";

const expectPodPhase = (v: Parameters<typeof checkPodPhase>[0], pod: string, phase: string) => expect(checkPodPhase(v, pod, phase));
const expectContainerState = (...a: Parameters<typeof checkContainerState>) => expect(checkContainerState(...a));
import { SimBackend, SkipScenario } from "../backend.ts";
import { LiveConnection } from "./connection.ts";
import { kubeconfigWithNamespace, LiveBackend, namespaceFor, restorePatch } from "./backend.ts";

const POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web1}\nspec:\n  containers: [{name: c, image: busybox, command: ['sh', '-c', 'echo hello from web1; sleep 3600']}]\n";

async function withFacade(t: TestContext, opts: { resettable: boolean; nodes?: string[] }, fn: (conn: LiveConnection, s: RunningServer) => Promise<void>): Promise<void> {
  const fresh = () => {
    const c = new Cluster();
    if (opts.nodes) c.addNodesFromTable(opts.nodes.map((name) => ({ name })));
    return c;
  };
  const s = await serve(fresh(), { reset: opts.resettable ? fresh : undefined });
  const kc = join(mkdtempSync(join(tmpdir(), "ks-live-test-")), "kubeconfig");
  writeFileSync(kc, s.kubeconfig());
  await closing(
    t,
    async () => {
      await s.close();
      rmSync(dirname(kc), { recursive: true, force: true });
    },
    async () => {
      await fn(await LiveConnection.connect(kc), s);
    },
  );
}

test("namespaceFor gives a DNS-1123 label of at most 63 characters from the scenario's words", () => {
  const ns = namespaceFor("A pod whose image never pulls stays Pending, then fails at its active deadline — 한국어");
  assert.match(ns, /^ks-a-pod-whose-image-never-pulls-stays-pend-[0-9a-f]{6}$/);
  assert.ok(ns.length <= 63);
  assert.match(namespaceFor("한국어만"), /^ks-[0-9a-f]{6}$/);
  assert.notEqual(namespaceFor("same"), namespaceFor("same"));
});

test("kubeconfigWithNamespace sets the namespace of the current context only", () => {
  const out = JSON.parse(
    kubeconfigWithNamespace(
      JSON.stringify({ "current-context": "b", contexts: [{ name: "a", context: { cluster: "x" } }, { name: "b", context: { cluster: "y", namespace: "default" } }] }),
      "ks-1",
    ),
  );
  assert.deepEqual(out.contexts, [{ name: "a", context: { cluster: "x" } }, { name: "b", context: { cluster: "y", namespace: "ks-1" } }]);
  assert.throws(() => kubeconfigWithNamespace(JSON.stringify({ "current-context": "z", contexts: [] }), "n"), /no current context "z"/);
});

test("restorePatch brings labels, taints and the cordon back, and is undefined when nothing changed", () => {
  const before = { labels: { a: "1", b: "2" }, taints: undefined, unschedulable: undefined };
  assert.equal(restorePatch(before, { ...before, labels: { ...before.labels } }), undefined);
  assert.deepEqual(
    restorePatch(before, { labels: { a: "1", b: "3", kr: "az-1" }, taints: [{ key: "hw", value: "gpu", effect: "NoSchedule" }], unschedulable: true }),
    { metadata: { labels: { kr: null, b: "2" } }, spec: { taints: null, unschedulable: null } },
  );
  const tainted = { labels: {}, taints: [{ key: "k", effect: "NoExecute" }], unschedulable: false };
  assert.deepEqual(restorePatch(tainted, { labels: {}, taints: [], unschedulable: false }), { spec: { taints: [{ key: "k", effect: "NoExecute" }] } });
});

test("connect tells the facade (and whether it resets) from another API server", async (t) => {
  await withFacade(t, { resettable: true }, async (conn) => {
    assert.equal(conn.facade, true);
    assert.equal(conn.resettable, true);
  });
  await withFacade(t, { resettable: false }, async (conn) => {
    assert.equal(conn.facade, true);
    assert.equal(conn.resettable, false);
  });
  // Any other server that answers /version: not the facade, so time really passes there.
  const other = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ major: "1", minor: "32", gitVersion: "v1.32.0" }));
  });
  await new Promise<void>((r) => other.listen(0, "127.0.0.1", () => r()));
  const kc = join(mkdtempSync(join(tmpdir(), "ks-live-test-")), "kubeconfig");
  writeFileSync(kc, kubeconfigFor(`http://127.0.0.1:${(other.address() as AddressInfo).port}`));
  try {
    const conn = await LiveConnection.connect(kc);
    assert.equal(conn.facade, false);
    assert.equal(conn.resettable, false);
  } finally {
    other.close();
    rmSync(dirname(kc), { recursive: true, force: true });
  }
  await assert.rejects(LiveConnection.connect(join(tmpdir(), "no-such-kubeconfig-here")), /ENOENT|no such file/);
});

test("a scenario's namespace, nodes, time and checks on the facade; cleaned up at the end", async (t) => {
  await withFacade(t, { resettable: false }, async (conn) => {
    const b = await LiveBackend.start(conn, "Scenario one");
    assert.equal(b.target, "facade");
    assert.match(b.namespace, /^ks-scenario-one-/);
    assert.equal(JSON.parse(readFileSync(b.kubeconfigPath, "utf8")).contexts[0].context.namespace, b.namespace);
    assert.ok((await conn.list("Namespace")).some((n) => n.metadata.name === b.namespace));

    await b.addNodes([{ name: "k8s-node1", labels: "kr=az-1" }]);
    const nodes = await conn.list("Node");
    assert.deepEqual(nodes.map((n) => n.metadata.name), ["k8s-node1"]);
    assert.equal(nodes[0].metadata.labels?.kr, "az-1");
    await assert.rejects(Promise.resolve(b.addNodes([{ name: "k8s-node1" }])), /node "k8s-node1" already exists/);

    // Objects created in the scenario's namespace read as `default` in checks.
    await conn.json("POST", `/api/v1/namespaces/${b.namespace}/pods`, {
      metadata: { name: "web1" },
      spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "echo hello from web1; sleep 5"] }] },
    });
    await b.check((v) => expectPodPhase(v, "web1", "Pending"));
    const t0 = await conn.now();
    await b.pass(2000);
    assert.equal((await conn.now()) - t0, 2000, "the facade's clock advanced instead of waiting");
    await b.check((v) => expectContainerState(v, "web1", "c", "running"));
    await assert.rejects(Promise.resolve(b.check((v) => expectPodPhase(v, "web1", "Succeeded"))), /pod "web1" is Running, not Succeeded/);
    await assert.rejects(Promise.resolve(b.within(1000, 500, podPhaseUntil("web1", "Succeeded"))), /did not become Succeeded within 1 s: it is Running/);
    assert.equal((await conn.now()) - t0, 3000, "within advanced the clock to its deadline");
    const { tookMs: took, instant } = await b.within(60_000, 100, podPhaseUntil("web1", "Succeeded"));
    assert.match(instant, /^pod "web1" was Succeeded after \d+(\.\d)? s$/);
    assert.ok(took > 0 && took < 10_000 && took % 100 === 0, `took ${took} ms in 100 ms steps`);
    assert.equal(await b.check((v) => v.api.get("Pod", "default", "web1")?.metadata.namespace), "default");
    assert.match(await b.logs("web1"), /hello from web1/);
    await assert.rejects(Promise.resolve(b.logs("nope")), /cannot read the logs of pod "nope"/);

    assert.deepEqual(await b.finish(), []);
    assert.deepEqual(await conn.list("Node"), []);
    assert.deepEqual(await conn.list("Pod", b.namespace), []);
    // Its namespace is deleted: empty already, the namespace controller finalizes it at once.
    assert.equal((await conn.list("Namespace")).find((n) => n.metadata.name === b.namespace), undefined);
    assert.deepEqual(await b.finish(), [], "finishing twice is harmless");
  });
});

test("on a cluster whose nodes it cannot create, the node table is checked and its labels undone", async (t) => {
  await withFacade(t, { resettable: false, nodes: ["worker"] }, async (conn) => {
    // The facade stands in for a real cluster here: pretend it is not ours.
    const real = Object.assign(Object.create(Object.getPrototypeOf(conn)), conn, { facade: false });
    const b = await LiveBackend.start(real, "real nodes", { timeoutMs: 300, pollMs: 100 });
    assert.equal(b.target, "cluster");
    await assert.rejects(Promise.resolve(b.addNodes([{ name: "k8s-node1" }])), (e: Error) => e instanceof SkipScenario && /no node "k8s-node1" \(it has worker\)/.test(e.message));
    await assert.rejects(Promise.resolve(b.addNodes([{ name: "worker", cpu: "2" }])), (e: Error) => e instanceof SkipScenario && /sets cpu/.test(e.message));
    await b.addNodes([{ name: "worker", labels: "kr=az-1", taints: "hw=gpu:NoSchedule" }]);
    let node = (await conn.list("Node"))[0];
    assert.equal(node.metadata.labels?.kr, "az-1");
    assert.deepEqual(node.spec?.taints, [{ key: "hw", value: "gpu", effect: "NoSchedule" }]);
    // A real cluster is polled until the timeout before a check fails.
    const start = performance.now();
    await assert.rejects(Promise.resolve(b.check((v) => expectPodPhase(v, "nope", "Running"))), /after polling for 0.3 s: pod "nope" does not exist/);
    assert.ok(performance.now() - start >= 250);
    assert.deepEqual(await b.finish(), []);
    node = (await conn.list("Node"))[0];
    assert.equal(node.metadata.name, "worker", "a node the scenario did not create stays");
    assert.equal(node.metadata.labels?.kr, undefined);
    assert.equal(node.spec?.taints, undefined);
  });
});

test("kubectl runs the real binary in the scenario's namespace; manifests apply there", { skip: NO_KUBECTL }, async (t) => {
  requireKubectl();
  await withFacade(t, { resettable: true }, async (conn) => {
    const b = await LiveBackend.start(conn, "kubectl");
    await b.addNodes([{ name: "k8s-node1" }]);
    const applied = await b.apply(POD, "-");
    assert.equal(applied.exitCode, 0, applied.stderr);
    assert.equal(applied.stdout, "pod/web1 created\n");
    await b.pass(5000);
    const got = await b.kubectl("kubectl get pods");
    assert.equal(got.exitCode, 0, got.stderr);
    assert.match(got.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nweb1\s+1\/1\s+Running\s+0\s+5s\n$/);
    const missing = await b.kubectl(["get", "pod", "nope"]);
    assert.equal(missing.exitCode, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): pods "nope" not found\n');
    assert.equal((await b.kubectl("kubectl get pods -n default")).stderr, "No resources found in default namespace.\n");
    await b.finish();
  });
});

test("side by side: the simulation and the live backend on the facade print the same kubectl output", { skip: NO_KUBECTL }, async (t) => {
  requireKubectl();
  const manifest =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: myapp-pod}\nspec:\n  containers:\n  - {name: app, image: busybox:1.28, command: ['sh', '-c', 'sleep 3600']}\n" +
    "  initContainers:\n  - {name: init-myservice, image: busybox:1.28, command: ['sh', '-c', 'until nslookup myservice; do echo waiting; sleep 2; done;']}\n";
  const story = async (b: { addNodes: (r: Record<string, string>[]) => unknown; apply: (t: string, s: string) => unknown; pass: (ms: number) => unknown; kubectl: (c: string) => unknown }) => {
    await b.addNodes([{ name: "k8s-node1" }]);
    await b.apply(manifest, "-");
    await b.pass(10_000);
    const r = (await b.kubectl("kubectl get pods")) as { stdout: string };
    await b.pass(30_000);
    const logs = (await b.kubectl("kubectl logs myapp-pod -c init-myservice")) as { stdout: string };
    return [r.stdout, logs.stdout.split("\n").slice(0, 2).join("\n")];
  };
  const sim = new SimBackend(new Cluster());
  const simulated = await story(sim);
  await sim.cluster.close();
  let live: string[] = [];
  await withFacade(t, { resettable: true }, async (conn) => {
    const b = await LiveBackend.start(conn, "side by side");
    live = await story(b);
    await b.finish();
  });
  assert.equal(simulated[0], "NAME        READY   STATUS     RESTARTS   AGE\nmyapp-pod   0/1     Init:0/1   0          10s\n");
  assert.deepEqual(live, simulated);
});

test("a kubectl that exits without reading its standard input is its exit code, not a write EPIPE", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ks-live-epipe-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = join(dir, "kubectl");
  writeFileSync(bin, "#!/bin/sh\necho done\nexit 3\n", { mode: 0o755 });
  await withFacade(t, { resettable: true }, async (conn) => {
    const b = await LiveBackend.start(conn, "epipe", { kubectl: bin });
    // 4 MiB is more than a pipe holds, so the write is still under way when the process exits.
    for (let i = 0; i < 5; i++) {
      const r = await b.kubectl(["label", "nodes", "n", "a=1"], "x".repeat(4 * 1024 * 1024));
      assert.deepEqual(r, { stdout: "done\n", stderr: "", exitCode: 3 });
    }
    const plain = await b.kubectl(["get", "pods"]);
    assert.equal(plain.exitCode, 3);
    await b.finish();
  });
});
