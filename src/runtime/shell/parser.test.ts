import { test } from "node:test";
import assert from "node:assert/strict";
import { Parser, ShellSyntaxError, parsedSource, parseProgram } from "./parser.ts";

/** Parses a whole program, returning the busybox-style error text or "ok". */
function check(src: string): string {
  const p = new Parser(src);
  try {
    while (p.nextCommand());
    return "ok";
  } catch (e) {
    if (e instanceof ShellSyntaxError) return e.message;
    throw e;
  }
}

test("the course's typo is a syntax error at `do`, like busybox ash", () => {
  assert.equal(check("unitl mslookup mydb; do echo waiting for mydb; sleep 2; done;"), 'syntax error: unexpected "do"');
});

test("valid programs parse", () => {
  for (const src of [
    "until nslookup myservice; do echo waiting for myservice; sleep 2; done;",
    "echo The app is running! && sleep 3600",
    "while true; do date && curl 10.97.190.80:8080/hostname; sleep 1; done",
    "if [ -f /x ]; then echo a; elif true; then :; else echo b; fi",
    "for i in 1 2 3; do echo $i; done",
    "for i\ndo echo $i\ndone",
    "case $x in a|b) echo ab;; (c) ;; *) echo other\nesac",
    "f() { echo f; }\nf",
    "g() ( echo sub )",
    "a=1 b=2 env > /tmp/out 2>&1",
    "echo $(echo $(echo nested)) `echo bq` $((1 + (2 * 3)))",
    "! grep -q x /f || echo missing",
    "{ echo a; echo b; } | wc -l",
    "cat <<EOF\nline $x\nEOF\necho done",
    "cat <<-'EOF'\n\tliteral $x\n\tEOF",
    "echo a # a comment ; fi",
    "echo 'single ; quoted' \"double $x ${y:-z}\" \\; escaped",
    "sleep 1 &\nwait",
    "echo do done fi then",
    "echo line1 \\\n continued",
  ]) {
    assert.equal(check(src), "ok", src);
  }
});

test("syntax errors read like busybox ash", () => {
  const cases: Array<[string, string]> = [
    ["while true; do", 'syntax error: unexpected end of file (expecting "done")'],
    ["while true; do done", 'syntax error: unexpected "done"'],
    ["if true; then fi", 'syntax error: unexpected "fi"'],
    ["if true; then echo", 'syntax error: unexpected end of file (expecting "fi")'],
    ["if true; echo; fi", 'syntax error: unexpected "fi" (expecting "then")'],
    ["echo a; fi", 'syntax error: unexpected "fi"'],
    ["echo a )", 'syntax error: unexpected ")"'],
    ["( echo a", 'syntax error: unexpected end of file (expecting ")")'],
    ["echo 'open", "syntax error: unterminated quoted string"],
    ['echo "open', "syntax error: unterminated quoted string"],
    ["| echo", 'syntax error: unexpected "|"'],
    ["echo a && ;", 'syntax error: unexpected ";"'],
    ["echo >", "syntax error: unexpected end of file"],
    ["echo > ;", 'syntax error: unexpected ";"'],
    ["case x in a) echo", 'syntax error: unexpected end of file (expecting "esac")'],
    ["{ echo a", 'syntax error: unexpected end of file (expecting "}")'],
    ["done", 'syntax error: unexpected "done"'],
    ["echo ${", "syntax error: bad substitution"],
  ];
  for (const [src, msg] of cases) assert.equal(check(src), msg, src);
});

test("the parser reads one complete command per line (ash runs line 1 before parsing line 2)", () => {
  const p = new Parser("echo one\necho two; fi\n");
  const first = p.nextCommand();
  assert.ok(first);
  assert.equal(first.items.length, 1);
  assert.throws(() => p.nextCommand(), /unexpected "fi"/);
});

test("words: quotes, expansions and assignments are distinguished", () => {
  const list = parseProgram("X=1 echo \"a $b\" 'c' ${d:-e} $(f) $((1+2))");
  const cmd = list.items[0]!.cmd;
  assert.equal(cmd.t, "simple");
  if (cmd.t !== "simple") return;
  assert.deepEqual(cmd.assigns.map((a) => a.name), ["X"]);
  assert.equal(cmd.words.length, 6);
  assert.deepEqual(cmd.words[1]!.parts.map((p) => p.t), ["lit", "param"]);
  assert.ok(cmd.words[1]!.parts.every((p) => p.quoted));
  assert.deepEqual(cmd.words[3]!.parts[0], {
    t: "param",
    name: "d",
    op: ":-",
    arg: { parts: [{ t: "lit", v: "e", quoted: false }], raw: "e" },
    quoted: false,
  });
  assert.equal(cmd.words[4]!.parts[0]!.t, "cmdsub");
  assert.equal(cmd.words[5]!.parts[0]!.t, "arith");
});

test("redirections and io numbers", () => {
  const cmd = parseProgram("cmd 2>/dev/null >>out <in 2>&1 3>x")!.items[0]!.cmd;
  assert.equal(cmd.t, "simple");
  if (cmd.t !== "simple") return;
  assert.deepEqual(
    cmd.redirs.map((r) => [r.fd, r.op, r.target.raw]),
    [
      [2, ">", "/dev/null"],
      [1, ">>", "out"],
      [0, "<", "in"],
      [2, ">&", "1"],
      [3, ">", "x"],
    ],
  );
});

test("here-documents: body, quoting and tab stripping", () => {
  const a = parseProgram("cat <<EOF\nhi $x\nEOF\n").items[0]!.cmd;
  const b = parseProgram("cat <<-'E'\n\thi $x\n\tE\n").items[0]!.cmd;
  assert.ok(a.t === "simple" && b.t === "simple");
  if (a.t !== "simple" || b.t !== "simple") return;
  assert.deepEqual(a.redirs[0]!.heredoc, { body: "hi $x\n", expand: true });
  assert.deepEqual(b.redirs[0]!.heredoc, { body: "hi $x\n", expand: false });
});

test("a parsed source is shared by its runs: the same lists, and the syntax error where a run reaches it (issue #19)", () => {
  const owner = {};
  const src = "echo a; echo b\nsleep 1\nif then fi\necho never";
  const p = parsedSource(owner, src);
  assert.equal(parsedSource(owner, src), p);
  assert.notEqual(parsedSource({}, src), p, "another cluster parses for itself");
  const fresh = new Parser(src);
  const a0 = p.at(0);
  assert.deepEqual(a0, fresh.nextCommand());
  assert.equal(p.at(0), a0, "the same node for every run");
  assert.deepEqual(p.at(1), fresh.nextCommand());
  const err = (f: () => unknown) => {
    try {
      f();
      return "no error";
    } catch (e) {
      assert.ok(e instanceof ShellSyntaxError);
      return `${e.line}: ${e.message}`;
    }
  };
  const expected = err(() => fresh.nextCommand());
  assert.equal(err(() => p.at(2)), expected);
  assert.equal(err(() => p.at(2)), expected, "a later run meets the same error");
  assert.equal(parsedSource(owner, "true").at(1), undefined);
});
