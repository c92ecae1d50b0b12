/** The course's (seed/pod-course.md) container commands, verbatim, as busybox:1.28 runs them. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { harness } from "./testutil.ts";

test("course: ['sh', '-c', 'echo The app is running! && sleep 3600']", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "echo The app is running! && sleep 3600"], { pid1: true });
  assert.equal(h.stdout(), "The app is running!\n");
  h.clock.advance(3_600_000);
  assert.equal(p.exit(), 0);
});

test("course: ['sh', '-c', 'until nslookup myservice; ...'] loops every 2 s until the Service resolves", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "until nslookup myservice; do echo waiting for myservice; sleep 2; done;"], { pid1: true });
  h.clock.advance(60_000);
  assert.equal(p.exit(), undefined);
  assert.equal(h.out.filter((o) => o === "waiting for myservice\n").length, 31);
  h.dns.set("myservice", "10.96.7.7");
  h.clock.advance(2_000);
  assert.equal(p.exit(), 0);
});

test("course: the typo `unitl mslookup mydb; do …` fails at once with busybox's syntax error, exit 2", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "unitl mslookup mydb; do echo waiting for mydb; sleep 2; done;"], { pid1: true });
  h.clock.settle();
  assert.equal(p.exit(), 2);
  assert.equal(h.stderr(), 'sh: syntax error: unexpected "do"\n');
  assert.equal(h.stdout(), "");
});

test('course: exec probe ["cat", "/readiness/ready.txt"] fails until the file exists on the hostPath', async () => {
  const { MemFs, MountedFs } = await import("../vfs.ts");
  const h = harness();
  const node = new MemFs(h.clock);
  node.mkdir("/tmp/readiness", { recursive: true });
  h.io.fs = new MountedFs(new MemFs(h.clock), [{ path: "/readiness", fs: node, subPath: "/tmp/readiness" }]);
  const before = h.run(["cat", "/readiness/ready.txt"]);
  assert.equal(before.exit(), 1);
  assert.equal(h.stderr(), "cat: can't open '/readiness/ready.txt': No such file or directory\n");
  // `touch /tmp/readiness/ready.txt` on the node
  const nodeShell = harness();
  nodeShell.io.fs = node;
  assert.equal(nodeShell.run(["sh", "-c", "touch /tmp/readiness/ready.txt"]).exit(), 0);
  const after = h.run(["cat", "/readiness/ready.txt"]);
  assert.equal(after.exit(), 0);
});
