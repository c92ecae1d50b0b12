/**
 * One REST handler, three front ends: the same requests sent through `kube-scenario serve` (the
 * facade, as a real client reaches it), `kubectl proxy` (curl on the user's machine) and the
 * in-pod API server (a pod's request to https://10.96.0.1:443 with a token RBAC lets do anything)
 * get the same status and the same body, field order included (Go's: `kind` before `apiVersion`);
 * the facade and the proxy the same Content-Type and Warning headers. Writes are dry runs, so each
 * request meets the same stored objects on every path.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../../cluster.ts";
import { serve } from "../../../server/apiserver.ts";
import { clientFetch } from "../../../server/testutil.ts";
import { SIMULATED_TIME_HEADER } from "../../../server/timeshift.ts";
import { clusterNetwork } from "../../../network/network.ts";

interface Row {
  what: string;
  method: string;
  path: string;
  body?: string;
  type?: string;
  /** The status every path must answer. */
  status: number;
}

const CM = (extra = "") => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"new","labels":{"b":"1","a":"2"}},"data":{"z":"1","a":"2"}${extra}}`;
const ROWS: Row[] = [
  { what: "GET an object", method: "GET", path: "/api/v1/namespaces/default/configmaps/cm1", status: 200 },
  { what: "GET a list with a label selector", method: "GET", path: "/api/v1/namespaces/default/configmaps?labelSelector=app%3Dweb", status: 200 },
  { what: "GET a page of a list", method: "GET", path: "/api/v1/namespaces/default/configmaps?limit=1", status: 200 },
  { what: "GET a node's status", method: "GET", path: "/api/v1/nodes/n1/status", status: 200 },
  { what: "GET a missing object", method: "GET", path: "/api/v1/namespaces/default/configmaps/nope", status: 404 },
  { what: "a selector that does not parse", method: "GET", path: "/api/v1/namespaces/default/configmaps?labelSelector=a%20in", status: 400 },
  { what: "POST (dry run)", method: "POST", path: "/api/v1/namespaces/default/configmaps?dryRun=All", body: CM(), status: 201 },
  { what: "POST of another kind", method: "POST", path: "/api/v1/namespaces/default/configmaps?dryRun=All", body: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}', status: 400 },
  { what: "POST of a body that is not JSON", method: "POST", path: "/api/v1/namespaces/default/configmaps", body: "{nope", status: 400 },
  { what: "POST with an unknown field, warned", method: "POST", path: "/api/v1/namespaces/default/configmaps?dryRun=All", body: CM(',"bogus":1'), status: 201 },
  { what: "POST with an unknown field, Strict", method: "POST", path: "/api/v1/namespaces/default/configmaps?dryRun=All&fieldValidation=Strict", body: CM(',"bogus":1'), status: 400 },
  { what: "POST in a media type not decoded", method: "POST", path: "/api/v1/namespaces/default/configmaps", body: "a=b", type: "application/x-www-form-urlencoded", status: 415 },
  { what: "POST to an object", method: "POST", path: "/api/v1/namespaces/default/configmaps/cm1", body: CM(), status: 405 },
  { what: "PUT (dry run)", method: "PUT", path: "/api/v1/namespaces/default/configmaps/cm1?dryRun=All", body: '{"metadata":{"name":"cm1"},"data":{"k":"v"}}', status: 200 },
  { what: "PUT under another name", method: "PUT", path: "/api/v1/namespaces/default/configmaps/cm1?dryRun=All", body: '{"metadata":{"name":"cm2"}}', status: 400 },
  { what: "merge patch (dry run)", method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm1?dryRun=All", body: '{"data":{"k":"v"}}', type: "application/merge-patch+json", status: 200 },
  { what: "JSON patch of a node's status (dry run)", method: "PATCH", path: "/api/v1/nodes/n1/status?dryRun=All", body: '[{"op":"add","path":"/status/capacity/example.com~1dongle","value":"4"}]', type: "application/json-patch+json", status: 200 },
  { what: "strategic merge patch (dry run)", method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm1?dryRun=All", body: '{"metadata":{"labels":{"x":"y"}}}', type: "application/strategic-merge-patch+json", status: 200 },
  { what: "apply without a field manager", method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm1?dryRun=All", body: '{"apiVersion":"v1","kind":"ConfigMap","data":{"k":"v"}}', type: "application/apply-patch+yaml", status: 400 },
  { what: "apply (dry run)", method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm1?dryRun=All&fieldManager=me", body: '{"apiVersion":"v1","kind":"ConfigMap","data":{"k":"v"}}', type: "application/apply-patch+yaml", status: 200 },
  { what: "a patch in a media type not decoded", method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm1", body: "{}", type: "application/json", status: 415 },
  { what: "DELETE (dry run)", method: "DELETE", path: "/api/v1/namespaces/default/configmaps/cm1?dryRun=All", status: 200 },
  { what: "deletecollection (dry run)", method: "DELETE", path: "/api/v1/namespaces/default/configmaps?dryRun=All&labelSelector=app%3Dweb", status: 200 },
  { what: "GET a Deployment's scale", method: "GET", path: "/apis/apps/v1/namespaces/default/deployments/web/scale", status: 200 },
  { what: "PUT a scale (dry run)", method: "PUT", path: "/apis/apps/v1/namespaces/default/deployments/web/scale?dryRun=All", body: '{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":3}}', status: 200 },
  { what: "merge patch of a scale (dry run)", method: "PATCH", path: "/apis/apps/v1/namespaces/default/deployments/web/scale?dryRun=All", body: '{"spec":{"replicas":2}}', type: "application/merge-patch+json", status: 200 },
  { what: "an eviction (dry run)", method: "POST", path: "/api/v1/namespaces/default/pods/p1/eviction", body: '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p1"},"deleteOptions":{"dryRun":["All"]}}', status: 201 },
  { what: "an eviction naming another pod", method: "POST", path: "/api/v1/namespaces/default/pods/p1/eviction", body: '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p2"}}', status: 400 },
  { what: "a Binding without a target", method: "POST", path: "/api/v1/namespaces/default/pods/p1/binding", body: '{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p1"}}', status: 500 },
  { what: "a TokenRequest of the wrong kind", method: "POST", path: "/api/v1/namespaces/default/serviceaccounts/default/token", body: '{"apiVersion":"authentication.k8s.io/v1","kind":"Pod"}', status: 400 },
];

const DEPLOYMENT_AND_POD =
  "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx}]}\n" +
  "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec: {containers: [{name: c, image: nginx}]}\n";

interface Answer {
  status: number;
  /** The body re-encoded compactly, its key order kept. */
  body: string;
  headers?: { contentType: string; warning: string };
}

/** The body compact, key order kept; a dry-run create's new uid (random on every path, as upstream's) masked. */
const compact = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text)).replace(/"uid":"[0-9a-f-]{36}","creationTimestamp"/, '"uid":"<new>","creationTimestamp"');
  } catch {
    return text;
  }
};

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

test("the facade, kubectl proxy and the in-pod API server give the same answers to the same requests", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm1, labels: {app: web}}\ndata: {k: v}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm2}\n` + DEPLOYMENT_AND_POD);
  c.kubectlSync("create clusterrolebinding everything --clusterrole=cluster-admin --serviceaccount=default:default");
  await c.advance("5s");
  const token = (await c.kubectl("kubectl create token default")).stdout.trim();
  assert.equal((await c.kubectl("kubectl proxy --port=8001 &")).exitCode, 0);
  const s = await serve(c);
  const f = clientFetch(s);
  try {
    for (const row of ROWS) {
      const type = row.type ?? (row.body !== undefined ? "application/json" : undefined);
      const headers: Record<string, string> = { "User-Agent": "curl/8.5.0", ...(type ? { "Content-Type": type } : {}) };
      // The facade, as a client that reads simulated instants.
      const res = await f(s.url + row.path, { method: row.method, headers: { ...headers, [SIMULATED_TIME_HEADER]: "simulated" }, ...(row.body !== undefined ? { body: row.body } : {}) });
      const facade: Answer = { status: res.status, body: compact(await res.text()), headers: { contentType: res.headers.get("content-type") ?? "", warning: res.headers.get("warning") ?? "" } };
      // kubectl proxy, from curl on the user's machine.
      const cmd = `curl -s -i -X ${row.method} ${type ? `-H ${shellQuote(`Content-Type: ${type}`)} ` : ""}${row.body !== undefined ? `--data-binary ${shellQuote(row.body)} ` : ""}${shellQuote(`http://localhost:8001${row.path}`)}`;
      const out = (await c.kubectl(cmd)).stdout;
      const [head, ...rest] = out.split("\r\n\r\n");
      const lines = head!.split("\r\n");
      const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name}: `))?.slice(name.length + 2) ?? "";
      const proxy: Answer = { status: Number(lines[0]!.split(" ")[1]), body: compact(rest.join("\r\n\r\n")), headers: { contentType: header("content-type"), warning: header("warning") } };
      // The in-pod API server through the kubernetes Service.
      const o = clusterNetwork(c.ctx).exchange({ method: row.method, url: `https://10.96.0.1:443${row.path}`, headers: { ...headers, Authorization: `Bearer ${token}` }, ...(row.body !== undefined ? { body: row.body } : {}) }).outcome;
      assert.ok(o.ok, row.what);
      const pod: Answer = { status: o.status, body: compact(o.body) };
      assert.equal(facade.status, row.status, `${row.what}: the facade's status (${facade.body})`);
      assert.deepEqual(proxy, facade, `${row.what}: kubectl proxy answers as the facade`);
      assert.deepEqual(pod, { status: facade.status, body: facade.body }, `${row.what}: the in-pod API server answers as the facade`);
      if (facade.body.startsWith("{")) assert.match(facade.body, /^\{"kind":/, `${row.what}: kind first`);
    }
  } finally {
    await s.close();
    await c.close();
  }
});
