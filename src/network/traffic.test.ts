import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { clusterNetwork } from "./network.ts";
import { createRunningPod } from "./testutil.ts";
import { AppProcess } from "../images/apps/model.ts";
import type { ProcessIO } from "../runtime/types.ts";
import { requestAndWait, runClient } from "./traffic.ts";

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
  assert.ok(r.outcome.ok && r.outcome.status === 200 && r.pod === "web");
  const slow = requestAndWait(c.ctx, "http://web:8080/slow");
  assert.equal(slow.tookMs, 2000);
  const refused = requestAndWait(c.ctx, "http://web:9999/");
  assert.ok(!refused.outcome.ok && /dial tcp 10.244.1.2:9999: connect: connection refused/.test(refused.outcome.error));
});

test("runClient: one request per interval, the first at once, while the clock advances by the span", () => {
  const c = setup();
  const t0 = c.clock.now();
  const client = runClient(c.ctx, "http://web:8080/", "1s", "60s");
  assert.equal(c.clock.now() - t0, 60_000);
  assert.equal(client.records.length, 60);
  assert.equal(client.successful, 30);
  assert.equal(client.failed, 30);
  assert.deepEqual([...client.answeredBy()], ["web"]);
});

test("requests still unanswered when the client stops count as failed", () => {
  const c = setup();
  const client = runClient(c.ctx, "http://web:8080/slow", "1s", "3s");
  assert.equal(client.records.length, 3);
  // Sent at 0, 1 and 2 s, each answered 2 s later: the last answer (4 s) comes after the 3 s window.
  assert.equal(client.successful, 2);
  assert.equal(client.failed, 1);
});
