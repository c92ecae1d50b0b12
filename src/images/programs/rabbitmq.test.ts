// RabbitMQ's broker (rabbitmq.ts) on its own, and the official image running it in a cluster.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Broker, Connection, type Delivery } from "./rabbitmq.ts";
import { Cluster } from "../../cluster.ts";

const guest = () => new Map([["guest", "guest"]]);

function open(b: Broker): Connection {
  const c = b.connect("guest", "guest", "/", false);
  assert.ok(c instanceof Connection);
  return c;
}

test("login: guest/guest, a wrong password refused with 403, guest from afar refused unless loopback_users.guest = false, an unknown vhost 530", () => {
  const b = new Broker(guest(), false);
  assert.ok(b.connect("guest", "guest", "/", false) instanceof Connection);
  assert.deepEqual(b.connect("guest", "nope", "/", false), { level: "connection", code: 403, text: "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile." });
  assert.equal((b.connect("guest", "guest", "/prod", false) as { code: number; text: string }).text, "NOT_ALLOWED - vhost /prod not found");
  const strict = new Broker(guest(), true);
  assert.equal((strict.connect("guest", "guest", "/", false) as { code: number }).code, 403);
  assert.ok(strict.connect("guest", "guest", "/", true) instanceof Connection);
});

test("queue.declare: idempotent with the same flags, 406 inequivalent arg with others; passive 404; reserved amq. prefix", () => {
  const b = new Broker(guest(), false);
  const c = open(b);
  assert.deepEqual(b.declare(c, "job1", { durable: true, exclusive: false, autoDelete: false }), { name: "job1", messages: 0, consumers: 0 });
  assert.deepEqual(b.declare(c, "job1", { durable: true, exclusive: false, autoDelete: false }), { name: "job1", messages: 0, consumers: 0 });
  assert.deepEqual(b.declare(c, "job1", { durable: false, exclusive: false, autoDelete: true }), {
    level: "channel",
    code: 406,
    text: "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'job1' in vhost '/': received 'false' but current is 'true'",
  });
  assert.equal((b.declare(c, "none", { durable: false, exclusive: false, autoDelete: false, passive: true }) as { code: number }).code, 404);
  assert.equal((b.declare(c, "amq.x", { durable: false, exclusive: false, autoDelete: false }) as { code: number }).code, 403);
});

test("publish through the default exchange, get in order; unroutable messages dropped; unknown exchange 404", () => {
  const b = new Broker(guest(), false);
  const c = open(b);
  b.declare(c, "q", { durable: true, exclusive: false, autoDelete: false });
  for (const f of ["apple", "banana", "cherry"]) assert.equal(b.publish(c, "", "q", f, true), undefined);
  assert.equal(b.publish(c, "", "nowhere", "lost", true), undefined);
  assert.equal((b.publish(c, "logs", "q", "x", false) as { code: number }).code, 404);
  assert.equal((b.get(c, "q", true) as Delivery).body, "apple");
  assert.equal((b.get(c, "q", true) as Delivery).body, "banana");
  assert.equal(b.queues.get("q")!.messages.length, 1);
  assert.equal((b.get(c, "nowhere", true) as { text: string }).text, "NOT_FOUND - no queue 'nowhere' in vhost '/'");
});

test("consumers: prefetch 1 each, round-robin; an ack lets the next message through; a closed connection requeues in place, redelivered", () => {
  const b = new Broker(guest(), false);
  const p = open(b);
  b.declare(p, "job1", { durable: true, exclusive: false, autoDelete: false });
  for (const f of ["apple", "banana", "cherry", "date"]) b.publish(p, "", "job1", f, true);
  const got: Record<string, Delivery[]> = { a: [], b: [] };
  const ca = open(b);
  const cb = open(b);
  b.qos(ca, 1);
  b.qos(cb, 1);
  b.consume(ca, "job1", false, (d) => got.a!.push(d));
  b.consume(cb, "job1", false, (d) => got.b!.push(d));
  assert.deepEqual(got.a!.map((d) => d.body), ["apple"]);
  assert.deepEqual(got.b!.map((d) => d.body), ["banana"]);
  b.ack(ca, got.a![0]!.tag);
  assert.deepEqual(got.a!.map((d) => d.body), ["apple", "cherry"]);
  // b dies before acknowledging banana: it goes back before date, flagged redelivered.
  b.close(cb);
  assert.deepEqual(b.queues.get("job1")!.messages.map((m) => [m.body, m.redelivered]), [
    ["banana", true],
    ["date", false],
  ]);
  b.ack(ca, got.a![1]!.tag);
  assert.deepEqual(got.a!.slice(2).map((d) => [d.body, d.redelivered]), [["banana", true]]);
  assert.equal((b.ack(ca, 99) as { code: number }).code, 406);
});

test("auto-delete queues go with their last consumer, exclusive ones with their connection (405 to others)", () => {
  const b = new Broker(guest(), false);
  const c = open(b);
  const other = open(b);
  b.declare(c, "tmp", { durable: false, exclusive: false, autoDelete: true });
  b.consume(c, "tmp", false, () => {});
  b.declare(c, "mine", { durable: false, exclusive: true, autoDelete: false });
  assert.equal((b.get(other, "mine", true) as { code: number }).code, 405);
  b.close(c);
  assert.equal(b.queues.has("tmp"), false);
  assert.equal(b.queues.has("mine"), false);
});

test("a snapshot keeps durable queues and their persistent messages, unacknowledged ones included; transient ones are lost", () => {
  const b = new Broker(guest(), false);
  const c = open(b);
  b.declare(c, "job1", { durable: true, exclusive: false, autoDelete: false });
  b.declare(c, "scratch", { durable: false, exclusive: false, autoDelete: false });
  b.publish(c, "", "job1", "apple", true);
  b.publish(c, "", "job1", "transient", false);
  b.publish(c, "", "job1", "banana", true);
  b.publish(c, "", "scratch", "x", true);
  b.get(c, "job1", false);
  const again = new Broker(guest(), false);
  again.restore(b.snapshot());
  assert.deepEqual([...again.queues.keys()], ["job1"]);
  assert.deepEqual(again.queues.get("job1")!.messages.map((m) => [m.body, m.redelivered]), [
    ["apple", true],
    ["banana", false],
  ]);
});

const DIR = "exercises/docs/application/job/rabbitmq";

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  c.applySync(readFileSync(`${DIR}/rabbitmq-service.yaml`, "utf8"));
  c.applySync(readFileSync(`${DIR}/rabbitmq-statefulset.yaml`, "utf8"));
  return c;
}

test("the rabbitmq image: the node boots (its log), listens on 5672 after the boot, no GenericImage notice; SIGTERM exits 0", () => {
  const c = cluster();
  c.advanceSync(20_000);
  const logs = c.kubectlSync("logs rabbitmq-0").stdout;
  assert.match(logs, /\[info\] <0\.254\.0> Starting RabbitMQ 4\.1\.8 on Erlang/);
  assert.match(logs, /node {11}: rabbit@rabbitmq-0/);
  assert.match(logs, /started TCP listener on \[::\]:5672/);
  assert.match(logs, /Server startup complete; 3 plugins started\./);
  const events = c.kubectlSync("get events -o custom-columns=R:.reason --no-headers").stdout;
  assert.doesNotMatch(events, /GenericImage/);
  assert.equal(c.kubectlSync("exec rabbitmq-0 -- cat /etc/rabbitmq/conf.d/10-defaults.conf").stdout.includes("loopback_users.guest = false"), true);
  c.kubectlSync("delete pod rabbitmq-0 --wait=false");
  c.advanceSync(5_000);
  assert.match(c.kubectlSync("logs rabbitmq-0").stdout, /Starting RabbitMQ/, "the StatefulSet's new pod boots");
});
