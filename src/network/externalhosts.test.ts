import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { clusterNetwork } from "./network.ts";
import { ExternalHosts, parseAnswers } from "./externalhosts.ts";
import type { HttpOutcome } from "../runtime/types.ts";

function request(cluster: Cluster, url: string, timeoutMs?: number): HttpOutcome {
  let out: HttpOutcome | undefined;
  clusterNetwork(cluster.ctx).http({ method: "GET", url, timeoutMs }, (o) => (out = o));
  cluster.clock.advance(200_000);
  assert.ok(out, "answered");
  return out!;
}

test("by default nothing outside the cluster resolves (no Internet)", () => {
  const c = new Cluster();
  assert.equal(clusterNetwork(c.ctx).resolve("info.cern.ch"), undefined);
  assert.deepEqual(request(c, "http://info.cern.ch/"), { ok: false, kind: "nxdomain", error: "dial tcp: lookup info.cern.ch on 10.96.0.10:53: no such host" });
});

test("a declared host resolves to TEST-NET-3 in declaration order and answers its paths on 80 and 443", () => {
  const c = new Cluster();
  const ext = clusterNetwork(c.ctx).externalHosts;
  ext.declare("info.cern.ch", { "/": { status: 200, body: "<html>first website</html>" }, "/plain": "hello", "/gone": { status: 410 } });
  ext.declare("Example.COM.", {});
  const net = clusterNetwork(c.ctx);
  assert.equal(net.resolve("info.cern.ch"), "203.0.113.10");
  assert.equal(net.resolve("example.com"), "203.0.113.11");
  assert.deepEqual(request(c, "http://info.cern.ch"), { ok: true, status: 200, body: "<html>first website</html>" });
  assert.deepEqual(request(c, "https://info.cern.ch/plain?x=1"), { ok: true, status: 200, body: "hello" });
  assert.equal((request(c, "http://info.cern.ch/gone") as { status: number }).status, 410);
  assert.equal((request(c, "http://203.0.113.10/nope") as { status: number }).status, 404);
  // Another port, or an address no host has, drops the connection.
  assert.equal(request(c, "http://info.cern.ch:8080/", 5000).ok, false);
  assert.equal((request(c, "http://8.8.8.8/", 5000) as { kind: string }).kind, "timeout");
  // Redeclaring keeps the address and replaces the answers.
  ext.declare("info.cern.ch", { "/": "v2" });
  assert.equal(net.resolve("info.cern.ch"), "203.0.113.10");
  assert.deepEqual(request(c, "http://info.cern.ch/"), { ok: true, status: 200, body: "v2" });
});

test("bad declarations fail with a readable message", () => {
  const ext = new ExternalHosts();
  assert.throws(() => ext.declare("localhost", {}), /external host "localhost": give a DNS name outside the cluster/);
  assert.throws(() => ext.declare("web.default.svc.cluster.local", {}), /names under cluster.local are the cluster's own/);
  assert.throws(() => parseAnswers("h.io", ["/"]), /the answers must be a mapping of paths/);
  assert.throws(() => parseAnswers("h.io", { index: "x" }), /path "index" must start with "\/"/);
  assert.throws(() => parseAnswers("h.io", { "/": { status: 99 } }), /status must be an HTTP status code \(100-599\), not 99/);
  assert.throws(() => parseAnswers("h.io", { "/": { code: 200 } }), /unknown field "code"/);
  assert.throws(() => parseAnswers("h.io", { "/": { body: 3 } }), /body must be a string/);
  assert.throws(() => ext.declareYaml("h.io", { rows: [] }), /as a YAML doc string/);
  assert.throws(() => ext.declareYaml("h.io", "/: [unclosed"), /the answers are not valid YAML/);
  assert.equal(ext.declareYaml("h.io", '/: "ok"').answers.get("/")?.body, "ok");
});

test("mayOwn: only addresses external hosts are given out from (203.0.113.10-254) may ever be one", () => {
  const hosts = new ExternalHosts();
  const h = hosts.declare("info.cern.ch", { "/": { status: 200, body: "hi" } });
  assert.equal(ExternalHosts.mayOwn(h.ip), true);
  assert.equal(ExternalHosts.mayOwn("203.0.113.254"), true);
  assert.equal(ExternalHosts.mayOwn("203.0.113.9"), false);
  assert.equal(ExternalHosts.mayOwn("10.244.1.5"), false);
});
