/**
 * The sed applet beyond the GNU sed table (sedcases.test.ts): in-place editing where the filesystem
 * refuses it, standard input read as it arrives, busybox's sh, and the regex translation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { harness, sh } from "./testutil.ts";
import { MountedFs } from "../vfs.ts";
import { compileRegex, longestAt, RegexError, translateRegex } from "./sedregex.ts";

test("sed -i on a read-only root filesystem fails as GNU sed does, leaving the file", () => {
  const r = sh("sed -i \"s/PORT/$PORT/\" /etc/nginx/default.conf; echo $?; cat /etc/nginx/default.conf", (h) => {
    h.fs.mkdir("/etc/nginx", { recursive: true });
    h.fs.writeFile("/etc/nginx/default.conf", "listen PORT;\n");
    h.io.env.PORT = "8080";
    h.io.fs = new MountedFs(h.fs, [{ path: "/tmp", fs: h.fs, subPath: "/tmp" }], true);
  });
  assert.match(r.err, /^sed: couldn't open temporary file \/etc\/nginx\/sed[A-Za-z0-9]{6}: Read-only file system\n$/);
  assert.equal(r.out, "4\nlisten PORT;\n");
  // The temporary file's name is the same every run (GNU's is random).
  const again = sh("sed -i s/a/b/ /etc/nginx/default.conf", (h) => {
    h.fs.mkdir("/etc/nginx", { recursive: true });
    h.fs.writeFile("/etc/nginx/default.conf", "a\n");
    h.io.fs = new MountedFs(h.fs, [], true);
  });
  assert.equal(again.err, r.err);
});

test("sed -i where the root filesystem is writable edits the file (busybox sh, an entrypoint's idiom)", () => {
  const r = sh("sed -i \"s/PORT/$PORT/\" /etc/nginx/default.conf && cat /etc/nginx/default.conf", (h) => {
    h.fs.mkdir("/etc/nginx", { recursive: true });
    h.fs.writeFile("/etc/nginx/default.conf", "server {\n  listen PORT;\n}\n");
    h.io.env.PORT = "8080";
  });
  assert.deepEqual([r.out, r.err, r.code], ["server {\n  listen 8080;\n}\n", "", 0]);
});

test("sed reads a pipe as lines arrive: output comes before the writer ends", () => {
  const h = harness();
  const run = h.run(["sh", "-c", "(echo port; sleep 5; echo done) | sed s/port/PORT/"]);
  h.clock.advance(1000);
  assert.equal(h.stdout(), "PORT\n");
  assert.equal(run.exit(), undefined);
  h.clock.advance(5000);
  assert.equal(h.stdout(), "PORT\ndone\n");
  assert.equal(run.exit(), 0);
});

test("sed is a command: type, which and busybox sed", () => {
  const r = sh("type sed; which sed; echo ab | busybox sed s/a/x/");
  assert.equal(r.out, "sed is /bin/sed\n/bin/sed\nxb\n");
});

test("regex translation: BRE and ERE operators, repeated repetition, leftmost-longest", () => {
  const cases: [string, boolean, string, string | null][] = [
    ["a\\{2\\}", false, "xaaay", "aa"],
    ["a**", false, "aaa", "aaa"],
    ["(ab|a)(c|bcd)", true, "abcd", "abcd"],
    ["x\\|xy\\|xyz", false, "xyz", "xyz"],
    ["[[:digit:]]\\+", false, "ab123c", "123"],
    ["a|b+", true, "bbb", "bbb"],
    ["^*a", false, "*a", "*a"],
    ["\\(a\\)\\1", false, "baab", "aa"],
    ["[]x]", false, "a]", "]"],
    ["\\<foo\\>", false, "a foo b", "foo"],
    ["\\<foo\\>", false, "afoob", null],
  ];
  for (const [src, ere, text, want] of cases) {
    const t = translateRegex(src, ere);
    const m = longestAt(compileRegex(t, false, false), t, text, 0);
    assert.equal(m ? m[0] : null, want, `${src} on ${text}`);
  }
  assert.throws(() => translateRegex("\\(a", false), RegexError);
  assert.throws(() => translateRegex("a\\2", false), /Invalid back reference/);
  assert.throws(() => translateRegex("*a", true), /Invalid preceding regular expression/);
});
