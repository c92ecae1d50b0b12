import { test } from "node:test";
import assert from "node:assert/strict";
import { detached, guarded, setErrorReporter } from "./panicrecovery.ts";

test("guarded callbacks report an exception and recover instead of throwing; detached promises likewise", async () => {
  const reported: string[] = [];
  const restore = setErrorReporter((where, e) => reported.push(`${where}: ${(e as Error).message}`));
  try {
    let recovered = 0;
    const fn = guarded("a socket", (x: number) => {
      if (x > 1) throw new Error(`too big: ${x}`);
    }, () => recovered++);
    fn(1);
    fn(2);
    assert.equal(recovered, 1);
    guarded("twice", () => {
      throw new Error("first");
    }, () => {
      throw new Error("second");
    })();
    detached("a timer", Promise.reject(new Error("late")), () => recovered++);
    await new Promise((r) => setImmediate(r));
    assert.equal(recovered, 2);
    assert.deepEqual(reported, ["a socket: too big: 2", "twice: first", "twice (while recovering): second", "a timer: late"]);
  } finally {
    restore();
  }
});
