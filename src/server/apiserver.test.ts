import { mock, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { NO_KUBECTL, requireKubectl, withKubectl, closing } from "./testutil.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cluster } from "../cluster.ts";
import { serve, type RunningServer } from "./apiserver.ts";
import { clientFetch, type Fetch } from "./testutil.ts";

const POD = { apiVersion: "v1", kind: "Pod", metadata: { name: "web1", labels: { type: "web1" } }, spec: { containers: [{ name: "c", image: "kubetm/app" }] } };

let served: RunningServer | undefined;

/** fetch as an API client sends: HTTPS with the server's CA and token, JSON bodies (testutil.ts). */
const fetch: Fetch = (input, init) => clientFetch(served!)(input, init);

async function withServer(t: TestContext, fn: (url: string, cluster: Cluster) => Promise<void>): Promise<void> {
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "k8s-node1" }, { name: "k8s-node2" }]);
  const s = await serve(cluster);
  served = s;
  await closing(
    t,
    async () => {
      await s.close();
      await cluster.close();
    },
    async () => {
      await fn(s.url, cluster);
    },
  );
}

test("discovery, create, get, list with selectors, patch, status errors", async (t) => {
  await withServer(t, async (url) => {
    const api = (await (await fetch(`${url}/api`)).json()) as any;
    assert.deepEqual(api.versions, ["v1"]);
    // The advertise address, as kube-apiserver and the in-process API (kubectl proxy) give it, not
    // the address this client reached the facade by.
    assert.deepEqual(api.serverAddressByClientCIDRs, [{ clientCIDR: "0.0.0.0/0", serverAddress: "172.18.0.2:6443" }]);
    const v1 = (await (await fetch(`${url}/api/v1`)).json()) as any;
    assert.ok(v1.resources.some((r: any) => r.name === "pods" && r.shortNames?.includes("po")));
    const groups = (await (await fetch(`${url}/apis`)).json()) as any;
    assert.ok(groups.groups.some((g: any) => g.name === "apps"));

    const created = await fetch(`${url}/api/v1/namespaces/default/pods`, { method: "POST", body: JSON.stringify(POD), headers: { "content-type": "application/json" } });
    assert.equal(created.status, 201);
    const again = await fetch(`${url}/api/v1/namespaces/default/pods`, { method: "POST", body: JSON.stringify(POD) });
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as any).reason, "AlreadyExists");

    const list = (await (await fetch(`${url}/api/v1/namespaces/default/pods?labelSelector=type%3Dweb1`)).json()) as any;
    assert.equal(list.kind, "PodList");
    assert.deepEqual(list.items.map((p: any) => p.metadata.name), ["web1"]);
    const none = (await (await fetch(`${url}/api/v1/namespaces/default/pods?labelSelector=type%3Dother`)).json()) as any;
    assert.equal(none.items.length, 0);

    const patched = await fetch(`${url}/api/v1/nodes/k8s-node1`, { method: "PATCH", body: JSON.stringify({ metadata: { labels: { "a-team": "1" } } }), headers: { "content-type": "application/strategic-merge-patch+json" } });
    const afterPatch = (await patched.json()) as any;
    assert.equal(afterPatch.metadata.labels["a-team"], "1");
    // A resourceVersion in the patch is a precondition: the stored one passes, a stale one is a Conflict
    // (on a namespace: nothing else writes it while the test runs).
    const ns0 = ((await (await fetch(`${url}/api/v1/namespaces/default`)).json()) as any).metadata.resourceVersion;
    const mergePatch = (body: object) =>
      fetch(`${url}/api/v1/namespaces/default`, { method: "PATCH", body: JSON.stringify(body), headers: { "content-type": "application/merge-patch+json" } });
    const current = await mergePatch({ metadata: { resourceVersion: ns0, labels: { "b-team": "1" } } });
    assert.equal(current.status, 200);
    const stale = await mergePatch({ metadata: { resourceVersion: ns0, labels: { "c-team": "1" } } });
    assert.equal(stale.status, 409);
    assert.equal(((await stale.json()) as any).message, 'Operation cannot be fulfilled on namespaces "default": the object has been modified; please apply your changes to the latest version and try again');
    assert.equal(((await (await fetch(`${url}/api/v1/namespaces/default`)).json()) as any).metadata.labels["c-team"], undefined);

    const missing = await fetch(`${url}/api/v1/namespaces/default/pods/nope`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: 'pods "nope" not found', reason: "NotFound", details: { name: "nope", kind: "pods" }, code: 404 });
    const missingDeploy = (await (await fetch(`${url}/apis/apps/v1/namespaces/default/deployments/nope`)).json()) as any;
    assert.deepEqual(missingDeploy.details, { name: "nope", group: "apps", kind: "deployments" });
    const noPath = (await (await fetch(`${url}/api/v1/namespaces/default/pods/web1/nonsense`)).json()) as any;
    assert.deepEqual([noPath.code, noPath.details], [404, {}]);

    const invalid = await fetch(`${url}/api/v1/namespaces/default/pods`, { method: "POST", body: JSON.stringify({ ...POD, metadata: { name: "Bad_Name" } }) });
    assert.equal(invalid.status, 422);
    const status = (await invalid.json()) as any;
    assert.equal(status.reason, "Invalid");
    assert.ok(status.details.causes.length > 0);
  });
});

test("server-side Table for kubectl get, with AGE on the simulated clock", async (t) => {
  await withServer(t, async (url, cluster) => {
    cluster.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: web1}\nspec:\n  containers: [{name: c, image: kubetm/app}]\n");
    await fetch(`${url}/kube-scenario/v1/advance?duration=35s`, { method: "POST" });
    const t = (await (await fetch(`${url}/api/v1/namespaces/default/pods`, { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } })).json()) as any;
    assert.equal(t.kind, "Table");
    assert.deepEqual(t.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name), ["Name", "Ready", "Status", "Restarts", "Age"]);
    assert.equal(t.rows[0].cells[0], "web1");
    assert.equal(t.rows[0].cells[4], "35s");
  });
});

test("watch streams changes as they happen in simulated time", { timeout: 10_000 }, async (t) => {
  await withServer(t, async (url, cluster) => {
    const ctrl = new AbortController();
    const res = await fetch(`${url}/api/v1/namespaces/default/pods?watch=true`, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    cluster.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  containers: [{name: c, image: busybox}]\n");
    let text = "";
    while (!text.includes('"ADDED"')) text += new TextDecoder().decode((await reader.read()).value);
    assert.match(text, /"name":"w"/);
    ctrl.abort();
  });
});

test("the real kubectl client works against the facade", { skip: NO_KUBECTL }, async (t) => {
  requireKubectl();
  await withServer(t, async (url, cluster) => {
    const dir = mkdtempSync(join(tmpdir(), "ks-"));
    try {
      const kc = join(dir, "kubeconfig");
      writeFileSync(kc, served!.kubeconfig());
      cluster.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: web1, labels: {type: web1}}\nspec:\n  nodeSelector: {a-team: '1'}\n  containers: [{name: c, image: kubetm/app}]\n");
      // kubectl is synchronous here; run it in a child process while this process serves.
      const run = (...args: string[]) =>
        new Promise<{ code: number; out: string; err: string }>((resolve) => {
          import("node:child_process").then(({ execFile }) =>
            execFile("kubectl", ["--kubeconfig", kc, "--cache-dir", join(dir, "cache"), ...args], (error, out, err) => resolve({ code: error ? (error.code as number) ?? 1 : 0, out, err })),
          );
        });
      const nodes = await run("get", "nodes");
      assert.equal(nodes.code, 0, nodes.err);
      assert.match(nodes.out, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nk8s-node1\s+Ready\s+<none>\s+0s\s+v1\.32\.0\n/);
      assert.equal((await run("label", "nodes", "k8s-node1", "a-team=1")).out, "node/k8s-node1 labeled\n");
      cluster.advanceSync(5000);
      const pods = await run("get", "pods", "-o", "wide");
      assert.match(pods.out, /web1\s+\S+\s+\S+\s+0\s+5s\s+\S+\s+k8s-node1/);
      const missing = await run("get", "pod", "nope");
      assert.equal(missing.code, 1);
      assert.equal(missing.err, 'Error from server (NotFound): pods "nope" not found\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("the real kubectl's describe pod of a simulated pod reads as the in-process kubectl's, event ages included", { skip: NO_KUBECTL }, async (t) => {
  await withKubectl(t, async ({ kubectl: run, cluster }) => {
    cluster.applySync(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: web1, labels: {type: web1}}\nspec:\n  containers:\n  - name: c\n    image: kubetm/app\n    ports: [{containerPort: 8080}]\n    readinessProbe: {httpGet: {path: /hostname, port: 8080}, periodSeconds: 5}\n",
    );
    cluster.advanceSync(40_000);
    // The facade presents times on the wall clock (the simulated instant plus the wall clock's lead,
    // whole seconds), so the real kubectl's ages are the simulated ones; absolute times carry the
    // lead of the moment the pod was served, read back from the Start Time kubectl printed.
    const simStart = Date.parse(cluster.api.get("Pod", "default", "web1")!.status.startTime!);
    const ours = cluster.kubectlSync("describe pod web1");
    assert.equal(ours.exitCode, 0, ours.stderr);
    // Absolute times (Start Time, Started) as the facade presented them.
    const rfc1123z = (ms: number) => {
      const d = new Date(ms);
      const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()];
      const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
      const p = (n: number) => String(n).padStart(2, "0");
      return `${day}, ${p(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
    };
    const TIME = /\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000/g;
    // The lead is whole seconds, so kubectl's clock runs up to a second past it, plus the time from
    // serving the events to printing them: an age can read one second more. A few tries usually see
    // the exact text; a loaded machine may not, and then each Events row must still match with its
    // ages exact or one second more.
    let real: { code: number; out: string; err: string } = { code: -1, out: "", err: "" };
    let expected = "";
    for (let attempt = 0; attempt < 5 && (attempt === 0 || real.out !== expected); attempt++) {
      // The lead is read at the first request of a simulated instant and kept for it (ages then
      // grow with the wall clock while time stands still): each try starts a new instant, a
      // millisecond on (the ages print whole seconds), so its kubectl reads the lead afresh.
      if (attempt > 0) cluster.advanceSync(1);
      real = await run(["describe", "pod", "web1"]);
      assert.equal(real.code, 0, real.err);
      const shown = /^Start Time:\s+(.+)$/m.exec(real.out);
      assert.ok(shown, real.out);
      const delta = Date.parse(shown[1]!) - simStart;
      assert.ok(Number.isInteger(delta / 1000) && delta >= 0, `the lead is whole seconds: ${delta}`);
      expected = ours.stdout.replace(TIME, (t) => rfc1123z(Date.parse(t) + delta));
    }
    assert.equal(real.code, 0, real.err);
    assert.match(real.out, /^Name:\s+web1\n[^]*Node:\s+k8s-node\d\/172\.18\.[^]*Ready\s+True/);
    assert.ok(real.out.split("\nEvents:\n")[1]!.trimEnd().split("\n").length >= 7);
    if (real.out !== expected) {
      const [realHead, realEvents] = real.out.split("\nEvents:\n");
      const [head, events] = expected.split("\nEvents:\n");
      assert.equal(realHead, head);
      const rows = (t: string) => t.trimEnd().split("\n").map((l) => l.trim().split(/\s{2,}/));
      const seconds = (age: string) => [...age.matchAll(/(\d+)([smhd])/g)].reduce((n, m) => n + Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s"], 0);
      const got = rows(realEvents!);
      const want = rows(events!);
      assert.equal(got.length, want.length, real.out);
      for (const [i, row] of want.entries()) {
        const ages = (r: string[]) => (r[2] ?? "").match(/\d+[smhd]/g) ?? [];
        assert.deepEqual([...got[i]!.slice(0, 2), ...got[i]!.slice(3)], [...row.slice(0, 2), ...row.slice(3)], real.out);
        assert.deepEqual(ages(got[i]!).length, ages(row).length, real.out);
        for (const [j, a] of ages(row).entries()) {
          const d = seconds(ages(got[i]!)[j]!) - seconds(a);
          assert.ok(d === 0 || d === 1, `event age ${ages(got[i]!)[j]} against ${a}:\n${real.out}`);
        }
      }
    }
  });
});

/** Reads NDJSON watch events until `until` says stop (or the stream ends). */
async function readEvents(res: Response, until: (events: any[]) => boolean): Promise<any[]> {
  const reader = res.body!.getReader();
  const events: any[] = [];
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += new TextDecoder().decode(value);
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      events.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
    }
    if (until(events)) {
      await reader.cancel();
      break;
    }
  }
  return events;
}

test("watch from a resourceVersion replays the history, 410 Expired once it is gone, BOOKMARKs when allowed", { timeout: 20_000 }, async (t) => {
  await withServer(t, async (url, cluster) => {
    const cm = (v: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {v: "${v}"}\n`;
    cluster.applySync(cm(0));
    const listed = (await (await fetch(`${url}/api/v1/namespaces/default/configmaps`)).json()) as any;
    const rv0 = Number(listed.metadata.resourceVersion);
    cluster.applySync(cm(1));
    cluster.api.delete("ConfigMap", "default", "cm");
    const replay = await readEvents(await fetch(`${url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv0}`), (e) => e.length >= 2);
    assert.deepEqual(replay.map((e) => [e.type, e.object.data.v]), [["MODIFIED", "1"], ["DELETED", "1"]]);
    assert.equal(Number(replay[1].object.metadata.resourceVersion), Number(replay[0].object.metadata.resourceVersion) + 1, "a deletion has a resourceVersion of its own");
    // After eventFreshDuration (75 s) the history keeps 100 events of a kind: 99 more drop the two oldest.
    cluster.advanceSync(80_000);
    for (let i = 2; i < 101; i++) cluster.applySync(cm(i));
    const gone = await readEvents(await fetch(`${url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv0}`), () => false);
    assert.deepEqual(gone, [{ type: "ERROR", object: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `too old resource version: ${rv0} (${rv0 + 1})`, reason: "Expired", code: 410 } }]);
    // BOOKMARKs: two seconds before the timeout, with the latest resourceVersion.
    const marks = await readEvents(await fetch(`${url}/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&timeoutSeconds=3&resourceVersion=${cluster.api.resourceVersion}`), () => false);
    assert.deepEqual(marks, [{ type: "BOOKMARK", object: { kind: "ConfigMap", apiVersion: "v1", metadata: { resourceVersion: String(cluster.api.resourceVersion), creationTimestamp: null } } }]);
    // sendInitialEvents: the current objects, then a BOOKMARK that marks their end.
    const initial = await readEvents(await fetch(`${url}/api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`), (e) => e.some((x) => x.type === "BOOKMARK"));
    assert.deepEqual(initial.map((e) => [e.type, e.object.metadata.name ?? e.object.metadata.annotations?.["k8s.io/initial-events-end"]]), [["ADDED", "cm"], ["ADDED", "kube-root-ca.crt"], ["BOOKMARK", "true"]]);
  });
});

test("a BOOKMARK's object is a new object of the kind as Go writes it: zero values included (a Pod's spec.containers null, status {}), a custom resource's unstructured", { timeout: 20_000 }, async (t) => {
  await withServer(t, async (url, cluster) => {
    const firstBookmark = async (path: string) => {
      const r = await fetch(`${url}${path}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
      const reader = r.body!.getReader();
      let text = "";
      while (!text.includes('"BOOKMARK"')) text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      return text.split("\n").find((l) => l.includes('"BOOKMARK"'));
    };
    const rv = () => cluster.api.resourceVersion;
    const end = `"annotations":{"k8s.io/initial-events-end":"true"}`;
    // As a real v1.32 API server writes a Pod's (the search for it: kube-rs, client-go's watch tests).
    assert.equal(await firstBookmark("/api/v1/namespaces/default/pods"), `{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"${rv()}","creationTimestamp":null,${end}},"spec":{"containers":null},"status":{}}}`);
    assert.equal(
      await firstBookmark("/apis/apps/v1/namespaces/default/deployments"),
      `{"type":"BOOKMARK","object":{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"resourceVersion":"${rv()}","creationTimestamp":null,${end}},"spec":{"selector":null,"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":null}},"strategy":{}},"status":{}}}`,
    );
    assert.equal(await firstBookmark("/api/v1/nodes"), `{"type":"BOOKMARK","object":{"kind":"Node","apiVersion":"v1","metadata":{"resourceVersion":"${rv()}","creationTimestamp":null,${end}},"spec":{},"status":{"daemonEndpoints":{"kubeletEndpoint":{"Port":0}},"nodeInfo":{"machineID":"","systemUUID":"","bootID":"","kernelVersion":"","osImage":"","containerRuntimeVersion":"","kubeletVersion":"","kubeProxyVersion":"","operatingSystem":"","architecture":""}}}}`);
    cluster.applySync("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: crontabs.stable.example.com}\nspec:\n  group: stable.example.com\n  scope: Namespaced\n  names: {plural: crontabs, singular: crontab, kind: CronTab}\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}\n");
    cluster.advanceSync(1_000);
    assert.equal(await firstBookmark("/apis/stable.example.com/v1/namespaces/default/crontabs"), `{"type":"BOOKMARK","object":{"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{${end},"resourceVersion":"${rv()}"}}}`);
  });
});

test("a watch event's object is written as a GET answers it: kind, apiVersion, then Go's field order (initial and replayed events alike)", { timeout: 20_000 }, async (t) => {
  await withServer(t, async (url, cluster) => {
    cluster.applySync("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {app: web}}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}\n");
    cluster.advanceSync(5_000);
    const path = `${url}/apis/apps/v1/namespaces/default/deployments`;
    const got = async () => (await fetch(`${path}/web`)).text();
    /** The object of each event as the bytes it came in (the encoder's compact JSON). */
    const objectTexts = async (query: string, n: number) => {
      const r = await fetch(`${path}?watch=1&${query}`);
      const reader = r.body!.getReader();
      let text = "";
      while (text.split("\n").length <= n) text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      return text.split("\n").slice(0, n).map((line) => {
        const m = /^\{"type":"[A-Z]+","object":(.*)\}$/.exec(line);
        assert.ok(m, line);
        return m[1]!;
      });
    };
    const initial = await objectTexts("", 1);
    // A second of wall time between the watch and the GET (a loaded machine's gap): the same
    // simulated instant presents the same times, whatever the wall clock reads meanwhile.
    mock.timers.enable({ apis: ["Date"], now: Date.now() + 1_500 });
    let answer: string;
    try {
      answer = await got();
    } finally {
      mock.timers.reset();
    }
    assert.ok(answer.startsWith('{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","namespace":"default",'), answer);
    assert.equal(initial[0], answer);
    const rv = cluster.api.resourceVersion;
    cluster.applySync("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {app: web, tier: x}}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}\n");
    const replayed = await objectTexts(`resourceVersion=${rv}`, 1);
    assert.equal(replayed[0], await got());
  });
});
