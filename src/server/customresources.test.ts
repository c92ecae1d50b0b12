import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { serve } from "./apiserver.ts";
import { clientFetch } from "./testutil.ts";

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct], categories: [all]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {cronSpec: {type: string}, replicas: {type: integer, default: 1}}}
          status: {type: object, properties: {ready: {type: boolean}}}
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
`;

test("the facade serves custom resources: discovery, OpenAPI, create, Table with printer columns, the status subresource", async () => {
  const cluster = new Cluster();
  await cluster.apply(CRD);
  const s = await serve(cluster);
  try {
    const url = s.url;
    // As an API client sends it: HTTPS with the server's CA and token.
    const fetch = clientFetch(s);
    const groups = (await (await fetch(`${url}/apis`)).json()) as any;
    assert.deepEqual(groups.groups.find((g: any) => g.name === "stable.example.com")?.preferredVersion, { groupVersion: "stable.example.com/v1", version: "v1" });
    const list = (await (await fetch(`${url}/apis/stable.example.com/v1`)).json()) as any;
    assert.deepEqual(list.resources.map((r: any) => r.name), ["crontabs", "crontabs/status"]);
    assert.deepEqual(list.resources[0].verbs, ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]);
    assert.deepEqual(list.resources[0].categories, ["all"]);
    const openapi = (await (await fetch(`${url}/openapi/v3`)).json()) as any;
    assert.ok(openapi.paths["apis/stable.example.com/v1"]);

    const base = `${url}/apis/stable.example.com/v1/namespaces/default/crontabs`;
    const body = { apiVersion: "stable.example.com/v1", kind: "CronTab", metadata: { name: "c1" }, spec: { cronSpec: "* * * * */5" }, status: { ready: true } };
    const created = await fetch(base, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    assert.equal(created.status, 201);
    const obj = (await created.json()) as any;
    assert.equal(obj.spec.replicas, 1);
    assert.equal(obj.status, undefined, "with a status subresource, a create drops the status");

    const table = (await (await fetch(base, { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } })).json()) as any;
    assert.deepEqual(table.columnDefinitions.map((c: any) => c.name), ["Name", "Spec", "Replicas"]);
    assert.deepEqual(table.rows[0].cells, ["c1", "* * * * */5", "1"]);

    const st = await fetch(`${base}/c1/status`, { method: "PUT", body: JSON.stringify({ ...obj, status: { ready: true } }), headers: { "content-type": "application/json" } });
    assert.equal(st.status, 200);
    assert.deepEqual(((await st.json()) as any).status, { ready: true });
  } finally {
    await s.close();
    await cluster.close();
  }
});
