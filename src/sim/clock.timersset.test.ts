import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "./clock.ts";

test("timersSet counts every timer set (zero-delay, one-shot, interval, chain), and nothing else", () => {
  const clock = new SimClock();
  assert.equal(clock.timersSet, 0);
  clock.setTimeout(() => {}, 0);
  clock.setTimeout(() => {}, 5);
  const i = clock.setInterval(() => {}, 1000);
  clock.setChain(() => {}, 250);
  assert.equal(clock.timersSet, 4);
  clock.advance(3000);
  clock.clear(i);
  clock.settle();
  assert.equal(clock.timersSet, 4, "firings, advances and clears set no timer");
});
