// The facade's REST semantics driven by the real kubectl (v1.32 from PATH), one test per finding of
// issue #16 that kubectl made visible.
import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_KUBECTL, withKubectl, type Harness } from "./testutil.ts";

const DEPLOY_WITH_BUDGET = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: kubetm/app}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
`;

/** Lets simulated time pass in steps while a kubectl command runs (it polls on the wall clock). */
async function whileAdvancing<T>(h: Harness, run: Promise<T>, stepMs = 5_000): Promise<T> {
  let done = false;
  const ticker = (async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, 200));
      if (!done) h.cluster.advanceSync(stepMs);
    }
  })();
  try {
    return await run;
  } finally {
    done = true;
    await ticker;
  }
}

test("kubectl delete --dry-run=server deletes nothing, not even gracefully", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    const { kubectl, cluster } = h;
    assert.equal((await kubectl(["run", "web", "--image=nginx"])).code, 0);
    assert.equal((await kubectl(["create", "-f", "-"], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n")).code, 0);
    cluster.advanceSync(5_000);
    assert.deepEqual(await kubectl(["delete", "pod", "web", "--dry-run=server"]), { code: 0, out: 'pod "web" deleted (server dry run)\n', err: "" });
    assert.deepEqual(await kubectl(["delete", "configmap", "cm", "--dry-run=server"]), { code: 0, out: 'configmap "cm" deleted (server dry run)\n', err: "" });
    assert.equal(cluster.api.get("Pod", "default", "web")?.metadata.deletionTimestamp, undefined, "the pod is not being deleted");
    assert.ok(cluster.api.get("ConfigMap", "default", "cm"), "the ConfigMap is still there");
    cluster.advanceSync(60_000);
    assert.equal((await kubectl(["get", "pod", "web", "-o", "jsonpath={.status.phase}"])).out, "Running");
    // The same through the other verbs: nothing stored.
    assert.equal((await kubectl(["label", "pod", "web", "x=1", "--dry-run=server"])).out, "pod/web labeled (server dry run)\n");
    assert.equal((await kubectl(["scale", "deploy/none", "--replicas=2", "--dry-run=server"])).code, 1);
    assert.equal(cluster.api.get("Pod", "default", "web")?.metadata.labels?.x, undefined);
    assert.equal((await kubectl(["delete", "configmap", "--all", "--dry-run=server"])).out, 'configmap "cm" deleted (server dry run)\nconfigmap "kube-root-ca.crt" deleted (server dry run)\n');
    assert.ok(cluster.api.get("ConfigMap", "default", "cm"));
    assert.equal((await kubectl(["delete", "configmap", "cm"])).out, 'configmap "cm" deleted\n');
    assert.equal(cluster.api.get("ConfigMap", "default", "cm"), undefined);
  });
});

test("kubectl delete --cascade=foreground and =orphan send their DeleteOptions body: the garbage collector's finalizer on the object, its dependents gone or kept", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    const { kubectl, cluster } = h;
    for (const name of ["fg", "orphaned"]) assert.equal((await kubectl(["create", "deployment", name, "--image=nginx"])).code, 0);
    cluster.advanceSync(10_000);
    assert.deepEqual(await kubectl(["delete", "deployment", "fg", "--cascade=foreground", "--wait=false"]), { code: 0, out: 'deployment.apps "fg" deleted\n', err: "" });
    assert.deepEqual(await kubectl(["delete", "deployment", "orphaned", "--cascade=orphan", "--wait=false"]), { code: 0, out: 'deployment.apps "orphaned" deleted\n', err: "" });
    const fg = cluster.api.get("Deployment", "default", "fg");
    // Foreground: the Deployment waits (foregroundDeletion) for its ReplicaSet and pods, or is already gone with them.
    if (fg) assert.deepEqual(fg.metadata.finalizers, ["foregroundDeletion"]);
    cluster.advanceSync(60_000);
    assert.equal(cluster.api.get("Deployment", "default", "fg"), undefined);
    assert.deepEqual(cluster.api.list("ReplicaSet", { namespace: "default" }).map((rs) => [rs.metadata.labels?.app, rs.metadata.ownerReferences ?? []]), [["orphaned", []]]);
  });
});

test("kubectl drain evicts through pods/eviction and waits while a PodDisruptionBudget forbids it", { skip: NO_KUBECTL, timeout: 90_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    const { kubectl, cluster } = h;
    cluster.applySync(DEPLOY_WITH_BUDGET);
    cluster.advanceSync(30_000);
    const onNode1 = cluster.api.list("Pod").filter((p) => p.spec?.nodeName === "k8s-node1").map((p) => p.metadata.name!);
    assert.equal(onNode1.length, 1, "one replica on each node");
    const blocked = await kubectl(["drain", "k8s-node1", "--timeout=3s"]);
    assert.equal(blocked.code, 1);
    assert.match(blocked.err, new RegExp(`error when evicting pods/"${onNode1[0]}" -n "default" \\(will retry after 5s\\): Cannot evict pod as it would violate the pod's disruption budget\\.\\n`));
    assert.ok(cluster.api.get("Pod", "default", onNode1[0]!), "the budget kept the pod");
    // With room in the budget the same drain evicts it: DisruptionTarget, then graceful deletion.
    assert.equal((await kubectl(["patch", "pdb", "web", "--type=merge", "-p", '{"spec":{"minAvailable":1}}'])).code, 0);
    cluster.advanceSync(1_000);
    const drained = await whileAdvancing(h, kubectl(["drain", "k8s-node1", "--timeout=60s"]));
    assert.equal(drained.code, 0, drained.err);
    assert.equal(drained.out, `node/k8s-node1 already cordoned\nevicting pod default/${onNode1[0]}\npod/${onNode1[0]} evicted\nnode/k8s-node1 drained\n`);
    assert.equal(cluster.api.get("Pod", "default", onNode1[0]!), undefined);
    assert.ok(cluster.api.list("Pod").every((p) => p.spec?.nodeName !== "k8s-node1"));
  });
});

test("subresource verbs the API server lacks answer 405 or 404, and never delete the object", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, cluster }) => {
    cluster.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox, command: [sleep, '3600']}]\n");
    cluster.advanceSync(5_000);
    const podStatus = await kubectl(["delete", "--raw", "/api/v1/namespaces/default/pods/p/status"]);
    assert.deepEqual([podStatus.code, podStatus.err], [1, "Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n"]);
    const cmStatus = await kubectl(["delete", "--raw", "/api/v1/namespaces/default/configmaps/cm/status"]);
    assert.deepEqual([cmStatus.code, cmStatus.err], [1, "Error from server (NotFound): the server could not find the requested resource\n"]);
    assert.ok(cluster.api.get("Pod", "default", "p") && !cluster.api.get("Pod", "default", "p")!.metadata.deletionTimestamp);
    assert.ok(cluster.api.get("ConfigMap", "default", "cm"));
    const logPost = await kubectl(["create", "--raw", "/api/v1/namespaces/default/pods/p/log", "-f", "-"], "{}");
    assert.equal(logPost.err, "Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n");
    // pods/ephemeralcontainers is served: kubectl debug's strategic merge patch adds the container.
    const debug = await kubectl(["debug", "p", "--image=busybox", "--profile=general", "-c", "dbg"]);
    assert.deepEqual([debug.code, debug.err], [0, ""]);
    assert.deepEqual(cluster.api.get("Pod", "default", "p")!.spec.ephemeralContainers.map((c: { name: string }) => c.name), ["dbg"]);
    const unknown = await kubectl(["get", "--raw", "/api/v1/namespaces/default/pods/p/nosuch"]);
    assert.equal(unknown.err, "Error from server (NotFound): the server could not find the requested resource\n");
    const missing = await kubectl(["get", "--raw", "/api/v1/namespaces/default/pods/nope"]);
    assert.match(missing.err, /Error from server \(NotFound\): pods "nope" not found/);
  });
});

test("kubectl get -w prints the normal columns, simulated ages, and each pod once", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    const { cluster } = h;
    cluster.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: c, image: busybox, command: [sleep, '3600']}]\n");
    cluster.advanceSync(40_000);
    const watching = h.kubectlStream(["get", "pods", "-w"]);
    // kubectl prints the list, then watches from the list's resourceVersion: pod b, made once the
    // list is out, reaches it only as watch events, and in order after anything the watch's start
    // would have replayed (a second row for a would come before b's rows).
    const safety = AbortSignal.timeout(45_000); // against a hang only: the test waits on output
    await watching.waitFor(/^a\s.*\n/m, safety);
    cluster.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers: [{name: c, image: busybox, command: [sleep, '3600']}]\n");
    cluster.advanceSync(3_000);
    await watching.waitFor(/^b\s+1\/1\s+Running\s.*\n/m, safety);
    const { out } = await watching.stop();
    const lines = out.trimEnd().split("\n");
    assert.match(lines[0]!, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.match(lines[1]!, /^a\s+1\/1\s+Running\s+0\s+40s$/);
    assert.equal(lines.filter((l) => l.startsWith("a ")).length, 1, `pod a is listed once:\n${out}`);
    assert.ok(lines.some((l) => /^b\s+1\/1\s+Running\s+0\s+[0-3]s$/.test(l)), out);
    assert.doesNotMatch(out, /\d+y\d+d/);
  });
});

test("kubectl get pages through limit and continue", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, cluster, url, fetch }) => {
    for (const n of ["c1", "c2", "c3", "c4", "c5"]) cluster.applySync(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\ndata: {a: b}\n`);
    const paged = await kubectl(["get", "configmaps", "--chunk-size=2", "-o", "name", "-v=6"]);
    // The namespace's kube-root-ca.crt is the sixth.
    assert.equal(paged.out, "configmap/c1\nconfigmap/c2\nconfigmap/c3\nconfigmap/c4\nconfigmap/c5\nconfigmap/kube-root-ca.crt\n");
    assert.equal(paged.err.match(/GET https?:\/\/\S+\/api\/v1\/namespaces\/default\/configmaps\?(continue=\S+&)?limit=2 200 OK/g)?.length, 3, paged.err);
    const first = (await (await fetch(`${url}/api/v1/namespaces/default/configmaps?limit=2`)).json()) as any;
    assert.equal(first.metadata.remainingItemCount, 4);
    // A page is read as the list was when the first page was: a ConfigMap added since does not show.
    cluster.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c0}\ndata: {a: b}\n");
    cluster.api.delete("ConfigMap", "default", "c3");
    const second = (await (await fetch(`${url}/api/v1/namespaces/default/configmaps?limit=10&continue=${first.metadata.continue}`)).json()) as any;
    assert.deepEqual(second.items.map((c: any) => c.metadata.name), ["c3", "c4", "c5", "kube-root-ca.crt"]);
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion);
    const bad = await kubectl(["get", "--raw", "/api/v1/namespaces/default/configmaps?limit=1&continue=xyz"]);
    assert.match(bad.err, /Error from server \(BadRequest\): invalid continue token: continue key is not valid/);
  });
});

test("timeoutSeconds is validated as an int64 and any value keeps the watch open", { skip: NO_KUBECTL, timeout: 60_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, url, fetch }) => {
    const bad = await kubectl(["get", "--raw", "/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=abc"]);
    assert.equal(bad.err, 'Error from server (BadRequest): strconv.ParseInt: parsing "abc": invalid syntax\n');
    for (const t of ["2147484", "9223372036854775807"]) {
      const ctrl = new AbortController();
      const res = await fetch(`${url}/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=${t}`, { signal: ctrl.signal });
      const reader = res.body!.getReader();
      const ended = await Promise.race([reader.read().then((r) => r.done), new Promise((r) => setTimeout(() => r("open"), 500))]);
      assert.equal(ended, "open", `timeoutSeconds=${t} does not end the watch at once`);
      ctrl.abort();
    }
  });
});

const TICKER = `apiVersion: v1
kind: Pod
metadata: {name: ticker}
spec:
  restartPolicy: Never
  containers: [{name: c, image: busybox, command: [sh, -c, 'for i in 1 2 3 4 5 6; do echo line $i; sleep 10; done']}]
`;

test("kubectl logs honours --tail, --since, --since-time, --timestamps, --limit-bytes and -f on simulated time", { skip: NO_KUBECTL, timeout: 90_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    const { kubectl, cluster } = h;
    cluster.applySync(TICKER);
    cluster.advanceSync(35_000); // lines 1-4 written, 10 s apart
    // Times as the facade presents them: the simulated instant plus the wall clock's lead (whole
    // seconds), which grows while simulated time stands still: read right before each use.
    const simStart = Date.parse(cluster.api.get("Pod", "default", "ticker")!.status.containerStatuses[0].state.running.startedAt);
    const lead = async () => Date.parse(((await (await h.fetch(`${h.url}/api/v1/namespaces/default/pods/ticker`)).json()) as any).metadata.creationTimestamp) - Date.parse(cluster.api.get("Pod", "default", "ticker")!.metadata.creationTimestamp!);
    assert.equal((await kubectl(["logs", "ticker"])).out, "line 1\nline 2\nline 3\nline 4\n");
    assert.equal((await kubectl(["logs", "ticker", "--tail=2"])).out, "line 3\nline 4\n");
    assert.equal((await kubectl(["logs", "ticker", "--since=15s"])).out, "line 3\nline 4\n");
    assert.equal((await kubectl(["logs", "ticker", `--since-time=${new Date(simStart + (await lead()) + 20_000).toISOString()}`])).out, "line 3\nline 4\n");
    assert.equal((await kubectl(["logs", "ticker", "--limit-bytes=10"])).out, "line 1\nlin");
    const before = await lead();
    const stamped = (await kubectl(["logs", "ticker", "--timestamps", "--tail=1"])).out;
    const after = await lead();
    // RFC 3339 with the fraction the log line was written at, presented with the lead of the moment.
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) line 4\n$/.exec(stamped);
    assert.ok(m, stamped);
    const at = Date.parse(m[1]!);
    // The server read its lead at some moment between \`before\` and \`after\` (a slow kubectl start widens
    // that span), and line 4 was written 30 s and a little after the container started.
    assert.ok(at - before - simStart >= 29_000 && at - after - simStart < 32_000, `${stamped} (lead ${before}..${after})`);
    const bad = await kubectl(["get", "--raw", "/api/v1/namespaces/default/pods/ticker/log?tailLines=-1"]);
    assert.match(bad.err, /PodLogOptions "ticker" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0/);
    // -f sends lines as simulated time passes and ends when the container ends.
    // (Lines 5 and 6 are written only after the request starts.)
    const follow = whileAdvancing(h, kubectl(["logs", "-f", "ticker"]), 10_000);
    const { code, out } = await follow;
    assert.deepEqual([code, out], [0, "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n"]);
    assert.equal(cluster.api.get("Pod", "default", "ticker")!.status.phase, "Succeeded");
  });
});

test("kubectl create's generators (protobuf bodies) create what they say", { skip: NO_KUBECTL, timeout: 90_000 }, async (t) => {
  await withKubectl(t, async ({ kubectl, cluster }) => {
    const creates: Array<[string[], string]> = [
      [["create", "namespace", "ns1"], "namespace/ns1 created\n"],
      [["create", "configmap", "cm", "--from-literal=a=b"], "configmap/cm created\n"],
      [["create", "secret", "generic", "s", "--from-literal=p=q"], "secret/s created\n"],
      [["create", "deployment", "d", "--image=nginx", "--replicas=0"], "deployment.apps/d created\n"],
      [["create", "job", "j", "--image=busybox", "--", "echo", "hi"], "job.batch/j created\n"],
      [["create", "service", "clusterip", "svc", "--tcp=80:8080"], "service/svc created\n"],
      [["create", "serviceaccount", "sa"], "serviceaccount/sa created\n"],
    ];
    for (const [args, out] of creates) assert.deepEqual(await kubectl(args), { code: 0, out, err: "" }, args.join(" "));
    const api = cluster.api;
    assert.ok(api.get("Namespace", undefined, "ns1"));
    assert.deepEqual(api.get("ConfigMap", "default", "cm")!.data, { a: "b" });
    assert.deepEqual(api.get("Secret", "default", "s")!.data, { p: Buffer.from("q").toString("base64") });
    assert.equal(api.get("Deployment", "default", "d")!.spec.replicas, 0, "a pointer field's 0 is kept");
    assert.deepEqual(api.get("Job", "default", "j")!.spec.template.spec.containers[0].command, ["echo", "hi"]);
    assert.equal(api.get("Job", "default", "j")!.spec.template.metadata.creationTimestamp, null);
    assert.deepEqual(api.get("Service", "default", "svc")!.spec.ports, [{ name: "80-8080", port: 80, protocol: "TCP", targetPort: 8080 }]);
    assert.ok(api.get("ServiceAccount", "default", "sa"));
    // The same body sent twice is a conflict, with the real message.
    assert.deepEqual(await kubectl(["create", "namespace", "ns1"]), { code: 1, out: "", err: 'Error from server (AlreadyExists): namespaces "ns1" already exists\n' });
    assert.equal((await kubectl(["auth", "can-i", "delete", "pods"])).out, "yes\n");
  });
});
