import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "../api/store.ts";
import { EventRecorder } from "../api/events.ts";
import { ServiceRegistry, type ClusterContext } from "../context.ts";
import { SimClock } from "../sim/clock.ts";
import { Random } from "../sim/random.ts";
import { Controller } from "./controller.ts";
import { RATE_LIMIT_BASE_DELAY_MS, RATE_LIMIT_MAX_DELAY_MS, WorkQueue } from "./queue.ts";

function context(): ClusterContext {
  const clock = new SimClock();
  const api = new ApiServer(clock);
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  return { clock, chance: new Random(1), api, events: new EventRecorder(api), services: new ServiceRegistry() };
}

const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data });

/** A controller of ConfigMaps: records each sync with its instant; fails the keys in `failing`. */
class Recorder extends Controller {
  readonly name = "recorder";
  readonly synced: Array<[number, string]> = [];
  readonly failing = new Set<string>();
  ticks = 0;

  start(): void {
    this.watch("ConfigMap", (ev) => this.enqueue(ev.object));
  }

  protected override syncHandler(key: string): void | Error {
    this.synced.push([this.ctx.clock.now(), key]);
    if (this.failing.has(key)) return new Error("conflict");
  }

  requeues(key: string): number {
    return this.queue.numRequeues(key);
  }

  resync(periodMs: number): void {
    this.resyncEvery(periodMs, () => this.ticks++);
  }

  later(ms: number, fn: () => void): void {
    this.after(ms, fn);
  }
}

test("event handlers enqueue keys; the queue drains at the same instant, after the write, deduplicated", () => {
  const ctx = context();
  const c = new Recorder(ctx);
  c.start();
  const t0 = ctx.clock.now();
  ctx.api.create(cm("a"));
  ctx.api.create(cm("b"));
  ctx.api.mutate("ConfigMap", "default", "a", (o) => (o.data = { x: "1" }));
  assert.deepEqual(c.synced, [], "never inside the watch handler");
  ctx.clock.advance(0);
  assert.deepEqual(c.synced, [[t0, "default/a"], [t0, "default/b"]]);
});

test("a sync that returns an Error is requeued rate-limited: 5 ms, doubling; success forgets", () => {
  const ctx = context();
  const c = new Recorder(ctx);
  c.start();
  const t0 = ctx.clock.now();
  c.failing.add("default/a");
  ctx.api.create(cm("a"));
  ctx.clock.advance(0);
  ctx.clock.advance(100);
  assert.deepEqual(c.synced.map(([t]) => t - t0), [0, 5, 15, 35, 75]);
  assert.equal(c.requeues("default/a"), 5);
  c.failing.clear();
  ctx.clock.advance(100);
  assert.equal(c.synced.at(-1)![0] - t0, 155);
  assert.equal(c.requeues("default/a"), 0, "forgotten after a successful sync");
  ctx.clock.advance(10_000);
  assert.equal(c.synced.length, 6, "no further syncs");
});

test("the rate limiter's delay stops growing at 1000 s", () => {
  const clock = new SimClock();
  const seen: number[] = [];
  const q = new WorkQueue(clock, () => seen.push(clock.now()));
  for (let i = 0; i < 30; i++) q.addRateLimited("k");
  assert.equal(q.numRequeues("k"), 30);
  // The earliest pending delayed add stands (the first, at the base delay).
  clock.advance(RATE_LIMIT_BASE_DELAY_MS);
  assert.equal(seen.length, 1);
  q.addRateLimited("k");
  clock.advance(RATE_LIMIT_MAX_DELAY_MS - 1);
  assert.equal(seen.length, 1);
  clock.advance(1);
  assert.equal(seen.length, 2);
});

test("periodic resync and one-shot timers run on the cluster clock and all stop with the controller", () => {
  const ctx = context();
  const c = new Recorder(ctx);
  c.start();
  c.resync(1000);
  let fired = 0;
  c.later(2500, () => fired++);
  c.later(10_000, () => fired++);
  ctx.clock.advance(3000);
  assert.equal(c.ticks, 3);
  assert.equal(fired, 1);
  c.stop();
  ctx.api.create(cm("late"));
  ctx.clock.advance(20_000);
  assert.equal(c.ticks, 3);
  assert.equal(fired, 1);
  assert.deepEqual(c.synced, [], "no watch after stop");
});

test("a controller without a syncHandler says so when a key is queued", () => {
  const ctx = context();
  class Loop extends Controller {
    readonly name = "loop";
    start(): void {
      this.watch("ConfigMap", (ev) => this.enqueue(ev.object));
    }
  }
  new Loop(ctx).start();
  ctx.api.create(cm("a"));
  assert.throws(() => ctx.clock.advance(0), /loop: a key was queued but the controller has no syncHandler/);
});
