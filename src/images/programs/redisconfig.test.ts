import { test } from "node:test";
import assert from "node:assert/strict";
import { RedisConfig, RedisConfigError, formatRaw, formatTTY, globMatch, memtoull, repr, serverArgs, splitArgs } from "./redisconfig.ts";

test("memtoull: redis' memory units (src/util.c)", () => {
  // [input, bytes] as memtoull computes them; undefined where it sets *err.
  const table: Array<[string, number | undefined]> = [
    ["0", 0],
    ["100", 100],
    ["100b", 100],
    ["1k", 1000],
    ["1kb", 1024],
    ["2mb", 2097152],
    ["2MB", 2097152],
    ["2m", 2000000],
    ["1g", 1000000000],
    ["1gb", 1073741824],
    ["-1", undefined],
    ["2tb", undefined],
    ["mb", undefined],
    ["1.5mb", undefined],
  ];
  for (const [input, want] of table) assert.equal(memtoull(input), want, input);
});

test("splitArgs: sdssplitargs' words, quotes and escapes", () => {
  assert.deepEqual(splitArgs("maxmemory 2mb"), ["maxmemory", "2mb"]);
  assert.deepEqual(splitArgs("  set  k   v  "), ["set", "k", "v"]);
  assert.deepEqual(splitArgs('set k "a b\\n"'), ["set", "k", "a b\n"]);
  assert.deepEqual(splitArgs("set k 'it\\'s'"), ["set", "k", "it's"]);
  assert.deepEqual(splitArgs('set "\\x41"'), ["set", "A"]);
  assert.deepEqual(splitArgs(""), []);
  assert.equal(splitArgs('set "unbalanced'), undefined);
  assert.equal(splitArgs('set "a"b'), undefined);
});

test("globMatch: stringmatch without case", () => {
  assert.ok(globMatch("maxmemory*", "maxmemory-policy"));
  assert.ok(globMatch("MAXMEMORY", "maxmemory"));
  assert.ok(globMatch("max?emory", "maxmemory"));
  assert.ok(globMatch("[lm]axmemory", "maxmemory"));
  assert.ok(!globMatch("maxmemory", "maxmemory-policy"));
  assert.ok(globMatch("*", "port"));
});

test("RedisConfig: defaults, a config file, CONFIG GET and CONFIG SET", () => {
  const c = new RedisConfig();
  assert.deepEqual(c.configGet(["maxmemory"]), { t: "array", items: [{ t: "bulk", s: "maxmemory" }, { t: "bulk", s: "0" }] });
  assert.equal(c.get("maxmemory-policy"), "noeviction");
  // The page's file: leading spaces, a trailing empty line, a comment.
  c.load("# comment\n  maxmemory 2mb\n MAXMEMORY-POLICY allkeys-lru\n\n");
  assert.equal(c.get("maxmemory"), "2097152");
  assert.equal(c.get("maxmemory-policy"), "allkeys-lru");
  const names = (c.configGet(["maxmemory*"]) as { items: Array<{ s: string }> }).items.map((i) => i.s);
  assert.deepEqual(names, ["maxmemory", "2097152", "maxmemory-policy", "allkeys-lru", "maxmemory-samples", "5"]);
  assert.deepEqual(c.configGet(["nosuch"]), { t: "array", items: [] });
  assert.deepEqual(c.configSet(["maxmemory", "1kb"]), { t: "status", s: "OK" });
  assert.equal(c.get("maxmemory"), "1024");
  assert.deepEqual(c.configSet(["maxmemory", "lots"]), { t: "error", s: "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value" });
  assert.deepEqual(c.configSet(["nosuch", "1"]), { t: "error", s: "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'" });
  assert.deepEqual(c.configSet(["databases", "4"]), { t: "error", s: "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config" });
});

test("RedisConfig: what redis refuses in a config file stops it with its report", () => {
  const report = (text: string) => {
    try {
      new RedisConfig("7.4.1").load(text);
    } catch (e) {
      assert.ok(e instanceof RedisConfigError);
      return e.report;
    }
    return undefined;
  };
  assert.equal(report("maxmemory 2mb\nmaxmemroy 1"), "\n*** FATAL CONFIG FILE ERROR (Redis 7.4.1) ***\nReading the configuration file, at line 2\n>>> 'maxmemroy 1'\nBad directive or wrong number of arguments\n");
  assert.equal(report("maxmemory lots"), "\n*** FATAL CONFIG FILE ERROR (Redis 7.4.1) ***\nReading the configuration file, at line 1\n>>> 'maxmemory lots'\nargument must be a memory value\n");
  assert.match(report("maxmemory-policy lru")!, /argument\(s\) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction\n$/);
  assert.equal(report(""), undefined);
});

test("serverArgs: redis-server's config file and --options", () => {
  assert.deepEqual(serverArgs(["/usr/local/etc/redis/redis.conf"]), { file: "/usr/local/etc/redis/redis.conf", options: "" });
  assert.deepEqual(serverArgs(["--port", "6380"]), { options: "port 6380" });
  assert.deepEqual(serverArgs(["/r.conf", "--maxmemory", "1mb", "--save", ""]), { file: "/r.conf", options: 'maxmemory 1mb\nsave ""' });
  assert.deepEqual(serverArgs([]), { options: "" });
});

test("redis-cli's renderings: on a terminal and raw", () => {
  const pair = { t: "array" as const, items: [{ t: "bulk" as const, s: "maxmemory" }, { t: "bulk" as const, s: "2097152" }] };
  assert.equal(formatTTY(pair), '1) "maxmemory"\n2) "2097152"\n');
  assert.equal(formatRaw(pair), "maxmemory\n2097152\n");
  assert.equal(formatTTY({ t: "array", items: [] }), "(empty array)\n");
  assert.equal(formatTTY({ t: "int", n: 3 }), "(integer) 3\n");
  assert.equal(formatTTY({ t: "nil" }), "(nil)\n");
  assert.equal(formatTTY({ t: "error", s: "ERR x" }), "(error) ERR x\n");
  assert.equal(formatTTY({ t: "status", s: "OK" }), "OK\n");
  const eleven = { t: "array" as const, items: Array.from({ length: 11 }, (_, i) => ({ t: "int" as const, n: i })) };
  assert.ok(formatTTY(eleven).startsWith(" 1) (integer) 0\n 2) (integer) 1\n"));
  assert.ok(formatTTY(eleven).endsWith("11) (integer) 10\n"));
  const nested = { t: "array" as const, items: [{ t: "array" as const, items: [{ t: "bulk" as const, s: "a" }, { t: "bulk" as const, s: "b" }] }] };
  assert.equal(formatTTY(nested), '1) 1) "a"\n   2) "b"\n');
  assert.equal(repr('a"b\n'), '"a\\"b\\n"');
});
