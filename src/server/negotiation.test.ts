/**
 * Content negotiation (negotiation.ts) against the served facade: what v1.32's negotiate.go and
 * response.go answer for YAML, unknown and protobuf-only Accept headers, PartialObjectMetadata(List)
 * in meta.k8s.io v1 and v1beta1, Table v1beta1, pretty JSON, and watches in each form.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { parse as parseYAML } from "yaml";
import { Cluster } from "../cluster.ts";
import { serve, type RunningServer } from "./apiserver.ts";
import { clientFetch, closing } from "./testutil.ts";
import { negotiate, parseAccept } from "./negotiation.ts";

test("parseAccept: goautoneg's clauses in its order; negotiate without a resource refuses transformations", () => {
  // goautoneg's Less compares q, then wildcards regardless of q (a concrete type with a lower q
  // passes a wildcard with a higher one), in insertion sort's order.
  assert.deepEqual(
    parseAccept("*/*;q=0.5, application/json;as=Table;v=v1;g=meta.k8s.io, text/*, bad, application/yaml;q=0.9").map((c) => [c.type, c.subType, c.q, c.params]),
    [
      ["application", "json", 1, { as: "Table", v: "v1", g: "meta.k8s.io" }],
      ["application", "yaml", 0.9, {}],
      ["text", "*", 1, {}],
      ["*", "*", 0.5, {}],
    ],
  );
  assert.deepEqual(negotiate(undefined), { mediaType: "application/json", pretty: false });
  assert.deepEqual(negotiate("application/json;as=Table;v=v1;g=meta.k8s.io, application/yaml"), { mediaType: "application/yaml", pretty: false });
  assert.throws(() => negotiate("application/json;as=Table;v=v1;g=meta.k8s.io"), { reason: "NotAcceptable", code: 406 });
  assert.deepEqual(negotiate("application/*;pretty=1"), { mediaType: "application/json", pretty: true });
  assert.throws(() => negotiate("application/yaml", { watch: true }), { message: "only the following media types are accepted: application/json;stream=watch" });
});

let served: RunningServer | undefined;

async function withServer(t: TestContext, fn: (get: (path: string, accept?: string, headers?: Record<string, string>) => Promise<{ status: number; type: string | null; text: string }>, cluster: Cluster) => Promise<void>): Promise<void> {
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "n1" }]);
  cluster.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {x: y}}\ndata: {k: v}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
  const s = await serve(cluster);
  served = s;
  const fetch = clientFetch(s);
  await closing(
    t,
    async () => {
      await s.close();
      await cluster.close();
      served = undefined;
    },
    async () => {
      await fn(async (path, accept, headers = {}) => {
        const r = await fetch(path, { headers: { ...(accept === undefined ? {} : { accept }), ...headers } });
        return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
      }, cluster);
    },
  );
}

const CM = "/api/v1/namespaces/default/configmaps";
const NOT_ACCEPTABLE = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "only the following media types are accepted: application/json, application/yaml", reason: "NotAcceptable", code: 406 };

test("Accept: application/yaml is served as YAML (go-yaml's sorted keys), errors too; unknown and protobuf-only types are a 406", { timeout: 60_000 }, async (t) => {
  await withServer(t, async (get) => {
    const one = await get(`${CM}/a`, "application/yaml");
    assert.equal(one.status, 200);
    assert.equal(one.type, "application/yaml");
    assert.match(one.text, /^apiVersion: v1\ndata:\n {2}k: v\nkind: ConfigMap\nmetadata:\n/);
    assert.equal(parseYAML(one.text).metadata.name, "a");
    const list = parseYAML((await get(CM, "application/yaml")).text);
    assert.equal(list.kind, "ConfigMapList");
    assert.deepEqual(list.items.map((i: { metadata: { name: string } }) => i.metadata.name), ["a", "b", "kube-root-ca.crt"]);
    // An error is a Status in the negotiated type.
    const missing = await get(`${CM}/nope`, "application/yaml");
    assert.equal(missing.status, 404);
    assert.equal(missing.type, "application/yaml");
    assert.deepEqual(parseYAML(missing.text), { apiVersion: "v1", code: 404, details: { kind: "configmaps", name: "nope" }, kind: "Status", message: 'configmaps "nope" not found', metadata: {}, reason: "NotFound", status: "Failure" });
    for (const accept of ["text/html", "application/vnd.kubernetes.protobuf", "application/json;as=Foo;g=meta.k8s.io;v=v1", "application/json;as=Table;g=meta.k8s.io;v=v2"]) {
      const r = await get(CM, accept);
      assert.deepEqual([r.status, r.type, JSON.parse(r.text)], [406, "application/json", NOT_ACCEPTABLE], accept);
    }
    // client-go's protobuf clients also accept JSON: they get JSON. Wildcards and q values are read.
    for (const accept of ["application/vnd.kubernetes.protobuf, application/json", "*/*", "application/*", "text/html, */*;q=0.8"]) {
      const r = await get(`${CM}/a`, accept);
      assert.deepEqual([r.status, r.type, JSON.parse(r.text).kind], [200, "application/json", "ConfigMap"], accept);
    }
    assert.equal((await get(`${CM}/a`, "application/json;q=0.5, application/yaml")).type, "application/yaml");
    // A watch has no YAML stream.
    const yamlWatch = await get(`${CM}?watch=true`, "application/yaml");
    assert.deepEqual([yamlWatch.status, JSON.parse(yamlWatch.text).message], [406, "only the following media types are accepted: application/json;stream=watch"]);
    // curl's User-Agent or ?pretty=true: indented JSON.
    const compact = (await get(`${CM}/a`)).text;
    assert.match(compact, /^\{"/);
    const indented = JSON.stringify(JSON.parse(compact), null, 2);
    assert.equal((await get(`${CM}/a`, undefined, { "user-agent": "curl/8.5.0" })).text, indented);
    assert.equal((await get(`${CM}/a?pretty=true`)).text, indented);
  });
});

test("as=PartialObjectMetadata and PartialObjectMetadataList (meta.k8s.io v1, v1beta1), Table v1beta1, and watches in each form", { timeout: 60_000 }, async (t) => {
  await withServer(t, async (get, cluster) => {
    for (const v of ["v1", "v1beta1"]) {
      const one = JSON.parse((await get(`${CM}/a`, `application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=${v}`)).text);
      assert.deepEqual(Object.keys(one), ["kind", "apiVersion", "metadata"]);
      assert.deepEqual([one.kind, one.apiVersion, one.metadata.name, one.metadata.labels], ["PartialObjectMetadata", `meta.k8s.io/${v}`, "a", { x: "y" }]);
      const list = JSON.parse((await get(`${CM}?limit=2`, `application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=${v}`)).text);
      assert.deepEqual([list.kind, list.apiVersion, Object.keys(list.metadata).sort()], ["PartialObjectMetadataList", `meta.k8s.io/${v}`, ["continue", "remainingItemCount", "resourceVersion"]]);
      assert.deepEqual(list.items.map((i: Record<string, unknown>) => [i.kind, i.apiVersion, (i.metadata as { name: string }).name, "data" in i]), [
        ["PartialObjectMetadata", `meta.k8s.io/${v}`, "a", false],
        ["PartialObjectMetadata", `meta.k8s.io/${v}`, "b", false],
      ]);
      const table = JSON.parse((await get(CM, `application/json;as=Table;g=meta.k8s.io;v=${v}`)).text);
      assert.deepEqual([table.kind, table.apiVersion, table.rows[0].object.apiVersion], ["Table", `meta.k8s.io/${v}`, `meta.k8s.io/${v}`]);
    }
    // A transformation the object cannot take: response.go's 406.
    const onList = await get(CM, "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
    assert.deepEqual([onList.status, JSON.parse(onList.text).message, JSON.parse(onList.text).reason], [406, "you requested PartialObjectMetadata, but the requested object is a list (*core.ConfigMapList)", "NotAcceptable"]);
    const onObject = await get(`${CM}/a`, "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
    assert.deepEqual([onObject.status, JSON.parse(onObject.text).message], [406, "you requested PartialObjectMetadataList, but the requested object is not a list (*core.ConfigMap)"]);
    // A YAML Table.
    const yamlTable = await get(`${CM}/a`, "application/yaml;as=Table;g=meta.k8s.io;v=v1");
    assert.deepEqual([yamlTable.type, parseYAML(yamlTable.text).kind], ["application/yaml", "Table"]);
    // `kubectl get -w`'s Table watch: the column definitions in the first event only.
    const tw = new AbortController();
    const tr = await clientFetch(served!)(`${CM}?watch=true&resourceVersion=0`, { headers: { accept: "application/json;as=Table;g=meta.k8s.io;v=v1" }, signal: tw.signal });
    const treader = tr.body!.getReader();
    let ttext = "";
    while (ttext.split("\n").length < 4) ttext += new TextDecoder().decode((await treader.read()).value);
    tw.abort();
    const tables = ttext.trim().split("\n").map((l) => JSON.parse(l).object);
    assert.deepEqual(tables.map((t) => [t.kind, Array.isArray(t.columnDefinitions) ? t.columnDefinitions.length : t.columnDefinitions, t.rows[0].cells[0]]), [
      ["Table", 3, "a"],
      ["Table", null, "b"],
      ["Table", null, "kube-root-ca.crt"],
    ]);
    // A metadata informer's watch: each event's object a PartialObjectMetadata.
    const ac = new AbortController();
    const r = await clientFetch(served!)(`${CM}?watch=true&resourceVersion=0`, { headers: { accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1" }, signal: ac.signal });
    assert.equal(r.status, 200);
    const reader = r.body!.getReader();
    let text = "";
    cluster.applySync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n");
    while (text.split("\n").length < 5) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const events = text.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => [e.type, e.object.kind, e.object.apiVersion, e.object.metadata.name, "data" in e.object]), [
      ["ADDED", "PartialObjectMetadata", "meta.k8s.io/v1beta1", "a", false],
      ["ADDED", "PartialObjectMetadata", "meta.k8s.io/v1beta1", "b", false],
      ["ADDED", "PartialObjectMetadata", "meta.k8s.io/v1beta1", "kube-root-ca.crt", false],
      ["ADDED", "PartialObjectMetadata", "meta.k8s.io/v1beta1", "c", false],
    ]);
  });
});

test("parseAccept of a 1 MiB header (40,000 clauses) costs well under a second of CPU (an insertion sort took seconds per request), higher q first", () => {
  const header = Array.from({ length: 40_000 }, (_, i) => `application/x${i};q=0.${i % 9}`).join(", ");
  const before = process.cpuUsage();
  const clauses = parseAccept(header);
  const used = process.cpuUsage(before);
  assert.equal(clauses.length, 40_000);
  for (let i = 1; i < clauses.length; i++) assert.ok(clauses[i - 1]!.q >= clauses[i]!.q, `clause ${i} out of order`);
  // CPU time, not wall time: a loaded machine does not change it much (4 s before, milliseconds now).
  assert.ok(used.user + used.system < 1_000_000, `parseAccept took ${((used.user + used.system) / 1000).toFixed(0)} ms of CPU`);
  // Short headers are still sorted by insertion sort (Go's pdqsort for up to 12 elements): ties keep their order.
  assert.deepEqual(parseAccept("a/b;q=0.5, */*;q=0.5, c/d;q=0.5, e/f").map((c) => `${c.type}/${c.subType}`), ["e/f", "a/b", "c/d", "*/*"]);
});
