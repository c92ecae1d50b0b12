import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { containerInstance } from "../server.ts";
import { followLog, logChunks } from "./runtime_service.ts";

/**
 * Issue #19: a compiled shell loop whose cycles differ only by their counters is left to a dormant
 * chain and its lines are written by the runtime when the log is read (catchUpLog); a follower
 * (`kubectl logs -f`) wakes it, so the follower is called at every line as on the reference engine.
 */
test("a dormant loop's log, read, followed (woken) and unfollowed, is the reference engine's at every instant", () => {
  const runs = [false, true].map((reference) => {
    const c = new Cluster({ reference });
    c.addNodesFromTable([{ name: "n1" }]);
    c.applySync(`apiVersion: v1
kind: Pod
metadata: {name: ticker}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "n=0; while true; do echo tick $n; n=$((n+1)); sleep 10; done"]`);
    c.advanceSync(35_000);
    const inst = () => containerInstance(c.ctx, c.api.get("Pod", "default", "ticker")!, "app", false)!;
    const seen: string[] = [];
    const read = () => {
      const { texts, times } = logChunks(inst());
      seen.push(`${c.clock.now()}: ${texts.length} lines, last ${times[times.length - 1]} ${texts[texts.length - 1]}`);
    };
    read();
    c.advanceSync(60_000);
    read();
    const fired0 = c.clock.fired;
    const calls: string[] = [];
    const onLog = () => calls.push(`${c.clock.now()} ${logChunks(inst()).texts.at(-1)}`);
    followLog(inst(), onLog);
    c.advanceSync(25_000);
    inst().onLog!.delete(onLog);
    c.advanceSync(65_000);
    read();
    return { seen, calls, fired: c.clock.fired, firedAfter: c.clock.fired - fired0, log: logChunks(inst()) };
  });
  const [fast, reference] = runs as [(typeof runs)[0], (typeof runs)[0]];
  assert.deepEqual(fast.seen, reference.seen);
  assert.deepEqual(fast.calls, reference.calls);
  assert.equal(fast.calls.length, 2, "the follower is called at each line while it follows (two in 25 s)");
  assert.deepEqual(fast.log, reference.log);
  assert.ok(fast.fired < reference.fired, `fewer timer callbacks (${fast.fired} vs ${reference.fired})`);
});

test("runc's setupUser: HOME appended last when unset, an empty one replaced in place, a set one kept", async () => {
  const { ociProcessEnv, withHome } = await import("./runtime_service.ts");
  const env = withHome(ociProcessEnv("web", [["NGINX_VERSION", "1.27.3"]], [["A", "1"]]), "/root");
  assert.deepEqual(Object.keys(env), ["PATH", "HOSTNAME", "NGINX_VERSION", "A", "HOME"]);
  assert.equal(env["HOME"], "/root");
  assert.deepEqual(Object.entries(withHome(ociProcessEnv("web", [["HOME", ""]], [["A", "1"]]), "/root")).map(([k, v]) => `${k}=${v}`), [
    `PATH=${"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}`,
    "HOSTNAME=web",
    "HOME=/root",
    "A=1",
  ]);
  assert.equal(withHome(ociProcessEnv("web", [], [["HOME", "/data"]]), "/root")["HOME"], "/data");
});
