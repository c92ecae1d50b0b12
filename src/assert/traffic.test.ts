// The traffic checks over what a request or a client saw (src/network/traffic.ts sends them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { clusterNetwork } from "../network/network.ts";
import { createRunningPod } from "../network/testutil.ts";
import { AppProcess } from "../images/apps/model.ts";
import type { ProcessIO } from "../runtime/types.ts";
import { requestAndWait, runClient } from "../network/traffic.ts";
import { expect } from "./expect.ts";
import { checkAnsweredBy, checkCounts, checkFailedBetween, checkFailedRate, checkStatus, nameList } from "./traffic.ts";

function setup() {
  const c = new Cluster({ seed: 3 });
  createRunningPod(c, "web", { ip: "10.244.1.2", ready: true });
  const app = new AppProcess(
    { ports: [8080], routes: { "/": { status: 200, timeline: [{ after: 0, status: 200, body: "ok" }, { after: "30s", status: 503, body: "down" }] }, "/slow": { status: 200, delay: "2s" } } },
    { clock: c.clock, hostname: "web" } as unknown as ProcessIO,
  );
  app.start(() => {});
  clusterNetwork(c.ctx).attach(c.get("Pod", "web")!, "app", "10.244.1.2", app);
  return c;
}

test("requestAndWait lets time pass only as long as the answer takes", () => {
  const c = setup();
  const t0 = c.clock.now();
  const r = requestAndWait(c.ctx, "http://web:8080/");
  assert.equal(c.clock.now(), t0);
  expect(checkStatus(r, 200));
  const slow = requestAndWait(c.ctx, "http://web:8080/slow");
  assert.equal(slow.tookMs, 2000);
  assert.throws(() => expect(checkStatus(requestAndWait(c.ctx, "http://web:9999/"), 200)), /expected status 200, but GET http:\/\/web:9999\/ failed: dial tcp 10.244.1.2:9999: connect: connection refused/);
});

test("runClient: one request per interval, the first at once; counts, rates and answering pods", () => {
  const c = setup();
  const client = runClient(c.ctx, "http://web:8080/", "1s", "60s");
  assert.equal(client.records.length, 60);
  expect(checkCounts(client, 30, 30));
  expect(checkFailedBetween(client, 25, 35));
  expect(checkFailedRate(client, 50, 0));
  assert.throws(() => expect(checkFailedRate(client, 20, 10)), /expected 20% failed requests \(± 10\), but 50.0% failed/);
  assert.throws(() => expect(checkCounts(client, 60, 0)), /expected 60 successful and 0 failed requests, but saw\n60 requests to http:\/\/web:8080\/: 30 successful, 30 failed/);
  expect(checkAnsweredBy(client, "web"));
  assert.throws(() => expect(checkAnsweredBy(client, "web, other")), /expected answers from pods other, web, but they came from web/);
});

test("requests still unanswered when the client stops count as failed", () => {
  const c = setup();
  const client = runClient(c.ctx, "http://web:8080/slow", "1s", "3s");
  assert.equal(client.records.length, 3);
  // Sent at 0, 1 and 2 s, each answered 2 s later: the last answer (4 s) comes after the 3 s window.
  expect(checkCounts(client, 2, 1));
});

test("nameList", () => {
  assert.deepEqual(nameList("pod1, pod-readiness-exec1"), ["pod1", "pod-readiness-exec1"]);
  assert.deepEqual(nameList(""), []);
});
