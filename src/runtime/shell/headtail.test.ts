// head -c / tail -c as GNU coreutils 9.1 (Debian images) and busybox 1.28 take them; the outputs
// are what this machine's GNU head and tail print for the same input (`printf 'hello\nworld\n'`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { harness, sh } from "./testutil.ts";

const setup = "printf 'hello\\nworld\\n' > /f";

test("tail -c N and -c +N (attached as kubectl cp --retries runs it: tail -c+N), head -c N and -c -N", () => {
  const r = sh(`${setup}; tail -c+3 /f; tail -c 3 /f; head -c 3 /f; echo; head -c -3 /f; echo; head -c3 /f; echo; tail -c +0 /f | wc -c; printf 'a\\nb\\n' | tail -c +2; printf 'a\\nb\\n' | tail -n +2 -c 2`);
  assert.equal(r.out, "llo\nworld\nld\nhel\nhello\nwor\nhel\n12\n\nb\nb\n");
  // Size suffixes: k is 1024 bytes.
  assert.equal(sh(`${setup}; head -c 1k /f | wc -c; tail -c 1k /f | wc -c`).out, "12\n12\n");
  // Bytes, not characters: é is two.
  assert.equal(sh("printf 'aé\\n' | tail -c 3").out, "é\n");
});

test("a bad count: GNU's message where /bin/sh is dash (Debian), busybox's elsewhere", () => {
  let h = harness();
  h.run(["sh", "-c", `${setup}; head -c x /f; tail -c x /f; tail -n y /f`], { binSh: "dash" });
  assert.equal(h.stderr(), "head: invalid number of bytes: 'x'\ntail: invalid number of bytes: 'x'\ntail: invalid number of lines: 'y'\n");
  h = harness();
  h.run(["sh", "-c", `${setup}; head -c x /f; echo $?; tail -c x /f`]);
  assert.equal(h.stderr(), "head: invalid number 'x'\ntail: invalid number 'x'\n");
  assert.equal(h.stdout(), "1\n");
});

test("tar's archive through tail -c+1 is the same archive (kubectl cp --retries)", () => {
  const r = sh(`${setup}; tar cf - /f 2>/dev/null | tail -c+1 | tar tf -; tar czf - /f 2>/dev/null | tail -c+1 | tar tzf -`);
  assert.equal(r.out, "f\nf\n");
});
