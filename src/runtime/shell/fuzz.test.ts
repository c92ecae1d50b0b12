/** Property tests: arbitrary scripts never crash the interpreter or hang the simulation. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Parser, ShellSyntaxError } from "./parser.ts";
import { harness } from "./testutil.ts";

const TOKENS = [
  "echo", "x", "$x", "${x:-y}", "$(", ")", "`", "'", '"', "\\", ";", "&&", "||", "|", "&", "(", "{", "}", "if", "then", "else", "fi",
  "while", "until", "do", "done", "for", "in", "case", "esac", ";;", ">", ">>", "<", "2>&1", "<<", "EOF", "\n", " ", "=", "x=1", "$((", "))",
  "1+2", "sleep", "0.5", "true", "false", "exit", "3", "cat", "/tmp/f", "[", "]", "-f", "test", "!", "f()", "return", "break", "continue",
  "*", "?", "#", "$?", "$@", "$#", "set", "-e", "trap", "TERM", "kill", "$$", "wait", "read", "nslookup", "svc", "grep", "-q", "wc", "-l",
];

const script = fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).map((ts) => ts.join(" "));

test("the parser only ever throws ShellSyntaxError", () => {
  fc.assert(
    fc.property(fc.oneof(script, fc.string({ maxLength: 40 })), (src) => {
      const p = new Parser(src);
      try {
        while (p.nextCommand());
      } catch (e) {
        if (!(e instanceof ShellSyntaxError)) throw e;
        assert.match(e.message, /^(syntax error: |bad substitution)/);
      }
    }),
    { numRuns: 2000, seed: 42 },
  );
});

test("any script either exits with a status in 0..255 or keeps running, and SIGKILL always ends it", () => {
  fc.assert(
    fc.property(script, (src) => {
      const h = harness();
      h.dns.set("svc", "10.96.0.1");
      const p = h.run(["sh", "-c", src]);
      h.clock.advance(3000);
      const code = p.exit();
      if (code !== undefined) assert.ok(Number.isInteger(code) && code >= 0 && code <= 255, `exit ${code} for ${JSON.stringify(src)}`);
      else {
        p.proc.kill("SIGKILL");
        assert.equal(p.exit(), 137);
      }
    }),
    { numRuns: 400, seed: 7 },
  );
});
