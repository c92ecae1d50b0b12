/**
 * bash's conditional command `[[ … ]]` (bash's execute_cmd.c execute_cond_node and test.c), evaluated
 * over the syntax tree the parser builds (ast.ts CondExpr): words are expanded without field
 * splitting or pathname expansion; `==`/`!=` match the right side as a pattern (its quoted parts
 * literally), `=~` as a POSIX extended regular expression (setting BASH_REMATCH), `-eq`… evaluate both
 * sides as arithmetic, `<`/`>` compare strings (bytewise, as in the C locale of a container).
 */
import type { CondExpr, Word } from "./ast.ts";
import type { G } from "./effects.ts";
import type { Shell } from "./interp.ts";
import { evalArith } from "./arith.ts";
import { escapeRe, globMatch, POSIX_CLASSES } from "./glob.ts";
import { TEST_UNARY } from "./builtins.ts";

/** Evaluates `[[ expr ]]`: 0 true, 1 false, 2 an invalid regular expression. */
export function* evalCond(sh: Shell, e: CondExpr): G<number> {
  switch (e.t) {
    case "and": {
      const l = yield* evalCond(sh, e.l);
      return l !== 0 ? l : yield* evalCond(sh, e.r);
    }
    case "or": {
      const l = yield* evalCond(sh, e.l);
      return l === 0 ? 0 : yield* evalCond(sh, e.r);
    }
    case "not":
      return (yield* evalCond(sh, e.e)) === 0 ? 1 : 0;
    case "unary":
      return (yield* unary(sh, e.op, e.arg)) ? 0 : 1;
    case "binary":
      return yield* binary(sh, e.op, e.l, e.r);
  }
}

/** A `[[` operand: expanded to one string, `~` at its start as in an argument. */
function* operand(sh: Shell, w: Word): G<string> {
  const first = w.parts[0];
  if (first?.t === "lit" && !first.quoted && (first.v === "~" || first.v.startsWith("~/"))) {
    const home = sh.getVar("HOME") ?? "/root";
    return home + first.v.slice(1) + (yield* sh.expandString({ parts: w.parts.slice(1), raw: w.raw }));
  }
  return yield* sh.expandString(w);
}

/**
 * bash's xtrace of a `[[` term (execute_cmd.c execute_cond_node, print_cmd.c
 * xtrace_print_cond_term): `+ [[ arg1 op arg2 ]]` with the expanded operands, an empty one as `''`.
 */
function* traceTerm(sh: Shell, l: string, op: string, rw?: Word): G<void> {
  if (!sh.xtrace) return;
  let r = "";
  if (rw) r = rw.parts.some((p) => p.t === "cmdsub") ? rw.raw : yield* sh.expandString(rw);
  const q = (s: string) => (s === "" ? "''" : s);
  sh.stderr.write(`${sh.tracePrefix()}[[ ${rw ? `${q(l)} ${op} ${q(r)}` : `${op} ${q(l)}`} ]]\n`);
}

function* unary(sh: Shell, op: string, w: Word): G<boolean> {
  const a = yield* operand(sh, w);
  yield* traceTerm(sh, a, op);
  switch (op) {
    case "-v":
      return sh.isSetName(a);
    case "-o":
      return sh.optionOn(a);
    case "-a":
      return TEST_UNARY["-e"]!(sh, a);
    case "-N":
    case "-O":
    case "-G":
      // the owner is the container's user; a file's modification after its last read is not tracked
      return op === "-N" ? false : TEST_UNARY["-e"]!(sh, a);
    case "-u":
    case "-g":
    case "-k":
    case "-R":
      return false;
  }
  const f = TEST_UNARY[op];
  return f ? f(sh, a) : false;
}

function* binary(sh: Shell, op: string, lw: Word, rw: Word): G<number> {
  const l = yield* operand(sh, lw);
  yield* traceTerm(sh, l, op, rw);
  switch (op) {
    case "=":
    case "==":
    case "!=": {
      const pat = yield* sh.expandPattern(rw);
      return globMatch(pat, l) === (op !== "!=") ? 0 : 1;
    }
    case "=~":
      return yield* regexMatch(sh, l, rw);
    case "<":
    case ">": {
      const r = yield* operand(sh, rw);
      return (op === "<" ? l < r : l > r) ? 0 : 1;
    }
    case "-eq":
    case "-ne":
    case "-lt":
    case "-le":
    case "-gt":
    case "-ge": {
      const r = yield* operand(sh, rw);
      const a = evalArith(l, sh, true);
      if (typeof a === "string") {
        sh.error(`[[: ${a}`);
        return 1;
      }
      const b = evalArith(r, sh, true);
      if (typeof b === "string") {
        sh.error(`[[: ${b}`);
        return 1;
      }
      const v = op === "-eq" ? a === b : op === "-ne" ? a !== b : op === "-lt" ? a < b : op === "-le" ? a <= b : op === "-gt" ? a > b : a >= b;
      return v ? 0 : 1;
    }
    case "-nt":
    case "-ot":
    case "-ef": {
      const r = yield* operand(sh, rw);
      const fs = sh.io.fs;
      const sa = fs.stat(sh.resolve(l));
      const sb = fs.stat(sh.resolve(r));
      if (op === "-ef") return sa && sb && sh.resolve(l) === sh.resolve(r) ? 0 : 1;
      if (op === "-nt") return sa && (!sb || sa.mtimeMs > sb.mtimeMs) ? 0 : 1;
      return sb && (!sa || sa.mtimeMs < sb.mtimeMs) ? 0 : 1;
    }
  }
  return 2;
}

/** `=~`: an unanchored match; BASH_REMATCH gets the match and its groups (empty when none). */
function* regexMatch(sh: Shell, subject: string, rw: Word): G<number> {
  const src = yield* sh.expandPattern(rw, escapeRe);
  const re = ereToRegExp(src);
  if (!re) return 2;
  const m = re.exec(subject);
  sh.setArray("BASH_REMATCH", m ? [...m].map((g) => g ?? "") : []);
  return m ? 0 : 1;
}

/**
 * A POSIX extended regular expression (glibc's regcomp, as bash calls it) as a JavaScript RegExp, or
 * undefined when regcomp would refuse it (bash's `=~` then returns 2). Bracket expressions take a
 * backslash literally and know the `[:class:]` names; `\<`/`\>` are word boundaries. JavaScript
 * matches leftmost-first where POSIX takes the leftmost-longest alternative (docs/divergences.md).
 */
export function ereToRegExp(ere: string): RegExp | undefined {
  let out = "";
  let depth = 0;
  for (let i = 0; i < ere.length; ) {
    const c = ere[i]!;
    if (c === "\\") {
      const n = ere[i + 1];
      if (n === undefined) return undefined;
      if ("wWsSbB".includes(n)) out += "\\" + n;
      else if (n === "<" || n === ">") out += "\\b";
      else if (n === "`") out += "^";
      else if (n === "'") out += "$";
      else out += escapeRe(n);
      i += 2;
      continue;
    }
    if (c === "[") {
      let j = i + 1;
      let body = "";
      let neg = false;
      if (ere[j] === "^") {
        neg = true;
        j++;
      }
      if (ere[j] === "]") {
        body += "\\]";
        j++;
      }
      for (;;) {
        if (j >= ere.length) return undefined;
        const d = ere[j]!;
        if (d === "]") break;
        if (d === "[" && (ere[j + 1] === ":" || ere[j + 1] === "=" || ere[j + 1] === ".")) {
          const kind = ere[j + 1]!;
          const close = ere.indexOf(kind + "]", j + 2);
          if (close < 0) return undefined;
          const name = ere.slice(j + 2, close);
          if (kind === ":") {
            const cls = POSIX_CLASSES[name];
            if (cls === undefined) return undefined;
            body += cls;
          } else body += escapeRe(name);
          j = close + 2;
          continue;
        }
        body += d === "\\" || d === "[" || d === "^" ? "\\" + d : d;
        j++;
      }
      out += `[${neg ? "^" : ""}${body}]`;
      i = j + 1;
      continue;
    }
    if (c === "{") {
      const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(ere.slice(i));
      if (!m || out === "" || out.endsWith("(") || out.endsWith("|")) return undefined;
      out += m[0];
      i += m[0].length;
      continue;
    }
    if (c === "(") {
      if (ere[i + 1] === "?") return undefined;
      depth++;
    } else if (c === ")") {
      if (depth === 0) return undefined;
      depth--;
    } else if ((c === "*" || c === "+" || c === "?") && (out === "" || out.endsWith("(") || out.endsWith("|"))) {
      // a repetition with nothing to repeat: glibc takes `*` literally there, and refuses `+`/`?`
      if (c !== "*") return undefined;
      out += "\\*";
      i++;
      continue;
    }
    out += c === "/" ? "\\/" : c;
    i++;
  }
  if (depth !== 0) return undefined;
  try {
    return new RegExp(out, "s");
  } catch {
    return undefined;
  }
}
