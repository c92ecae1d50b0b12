/**
 * POSIX basic and extended regular expressions as GNU sed 4.9 reads them (glibc's regcomp with sed's
 * own escapes: `\n \t \w \s \< \> \` \'`, `\cX \dNNN \oNNN \xHH`, and the GNU BRE operators `\+ \? \|`)
 * translated to JavaScript RegExp sources. `.` and `[^…]` match a newline in the pattern space, as
 * they do in sed; `^`/`$` anchor at the ends of it (and at embedded newlines with the M flag).
 *
 * POSIX picks the leftmost-longest match where JavaScript picks the first alternative that matches:
 * the two differ only with alternation, so a translated expression says whether it has one, and
 * sed.ts then looks for the longest match at the leftmost position (`longestAt`).
 */
import { POSIX_CLASSES } from "./glob.ts";

export interface Translated {
  source: string;
  /** Number of capturing groups. */
  groups: number;
  /** The expression has an alternation (`\|` or ERE `|`): leftmost-longest may differ from JS's choice. */
  alternation: boolean;
}

/** A glibc regcomp error text (sed prints it after the expression's position). */
export class RegexError extends Error {}

const JS_SPECIAL = /[.*+?^${}()|[\]\\/]/g;
function lit(c: string): string {
  return c.replace(JS_SPECIAL, "\\$&");
}

/** A character as a JavaScript regex source that matches exactly it (also inside a class). */
function litChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, "0")}`;
  return lit(c);
}

/** `\cX`, `\dNNN`, `\oNNN`, `\xHH`, `\n`, `\t`… at `re[i]` (the character after the backslash): [char, next index] or undefined. */
export function charEscape(re: string, i: number): [string, number] | undefined {
  const c = re[i];
  switch (c) {
    case "n":
      return ["\n", i + 1];
    case "t":
      return ["\t", i + 1];
    case "a":
      return ["\x07", i + 1];
    case "f":
      return ["\f", i + 1];
    case "v":
      return ["\v", i + 1];
    case "r":
      return ["\r", i + 1];
    case "c": {
      const x = re[i + 1];
      if (x === undefined) return undefined;
      return [String.fromCharCode(x.toUpperCase().charCodeAt(0) ^ 0x40), i + 2];
    }
    case "d": {
      const m = /^[0-9]{1,3}/.exec(re.slice(i + 1));
      return m ? [String.fromCharCode(Number(m[0]) & 0xff), i + 1 + m[0].length] : undefined;
    }
    case "o": {
      const m = /^[0-7]{1,3}/.exec(re.slice(i + 1));
      return m ? [String.fromCharCode(parseInt(m[0], 8) & 0xff), i + 1 + m[0].length] : undefined;
    }
    case "x": {
      const m = /^[0-9a-fA-F]{1,2}/.exec(re.slice(i + 1));
      return m ? [String.fromCharCode(parseInt(m[0], 16)), i + 1 + m[0].length] : undefined;
    }
  }
  return undefined;
}

/** Reads a bracket expression starting at `re[i] === "["`: [JS class source, index after `]`]. */
function bracket(re: string, i: number): [string, number] {
  let j = i + 1;
  let neg = false;
  if (re[j] === "^") {
    neg = true;
    j++;
  }
  let body = "";
  let first = true;
  for (;;) {
    const c = re[j];
    if (c === undefined) throw new RegexError("Unmatched [, [^, [:, [., or [=");
    if (c === "]" && !first) {
      j++;
      break;
    }
    first = false;
    if (c === "[" && (re[j + 1] === ":" || re[j + 1] === "=" || re[j + 1] === ".")) {
      const kind = re[j + 1]!;
      const end = re.indexOf(kind + "]", j + 2);
      if (end < 0) throw new RegexError("Unmatched [, [^, [:, [., or [=");
      const name = re.slice(j + 2, end);
      if (kind === ":") {
        const cls = POSIX_CLASSES[name];
        if (cls === undefined) throw new RegexError("Invalid character class name");
        body += cls;
      } else body += name.split("").map(litChar).join("");
      j = end + 2;
      continue;
    }
    if (c === "\\") {
      // sed turns \n, \t, \\ and the like into their characters before regcomp; any other
      // backslash in a bracket expression is itself (POSIX).
      const e = re[j + 1] === "\\" ? (["\\", j + 2] as [string, number]) : re[j + 1] === "]" ? undefined : charEscape(re, j + 1);
      if (e) {
        body += litChar(e[0]);
        j = e[1];
        continue;
      }
      body += "\\\\";
      j++;
      continue;
    }
    if (c === "-" && (body === "" || re[j + 1] === "]")) body += "\\-";
    else if (c === "-") body += "-";
    else body += litChar(c);
    j++;
  }
  return [`[${neg ? "^" : ""}${body}]`, j];
}

/**
 * Translates a sed regular expression (BRE, or ERE with -E/-r) to a JavaScript source. `multiline`
 * (the M flag) lets `^`/`$` match at embedded newlines, and `` \` ``/`\'` still only at the ends.
 */
export function translateRegex(re: string, ere: boolean, multiline = false): Translated {
  let out = "";
  let groups = 0;
  let alternation = false;
  const open: number[] = [];
  /** Where the last atom starts in `out` (undefined: nothing to repeat, as at the start). */
  let atom: number | undefined;
  /** The last thing emitted was a repetition (`a**`: repeat the repeated atom). */
  let repeated = false;
  const startOfExpr = () => atom === undefined;
  const quantify = (q: string) => {
    if (atom === undefined) throw new RegexError("Invalid preceding regular expression");
    if (repeated) {
      out = out.slice(0, atom) + "(?:" + out.slice(atom) + ")";
    }
    out += q;
    repeated = true;
  };
  const emitAtom = (src: string) => {
    atom = out.length;
    out += src;
    repeated = false;
  };
  for (let i = 0; i < re.length; ) {
    const c = re[i]!;
    if (c === "\\") {
      const n = re[i + 1];
      if (n === undefined) throw new RegexError("Trailing backslash");
      i += 2;
      if (!ere && n === "(") {
        open.push(out.length);
        groups++;
        out += "(";
        atom = undefined;
        repeated = false;
        continue;
      }
      if (!ere && n === ")") {
        const at = open.pop();
        if (at === undefined) throw new RegexError("Unmatched ) or \\)");
        out += ")";
        atom = at;
        repeated = false;
        continue;
      }
      if (!ere && n === "|") {
        alternation = true;
        out += "|";
        atom = undefined;
        repeated = false;
        continue;
      }
      if (!ere && (n === "+" || n === "?")) {
        if (startOfExpr()) emitAtom(lit(n));
        else quantify(n);
        continue;
      }
      if (!ere && n === "{") {
        const end = re.indexOf("\\}", i);
        if (end < 0) throw new RegexError("Unmatched \\{");
        const body = re.slice(i, end);
        if (!/^[0-9]+(,[0-9]*)?$|^,[0-9]+$/.test(body)) throw new RegexError("Invalid content of \\{\\}");
        const [lo, hi] = body.split(",");
        if (hi !== undefined && hi !== "" && Number(hi) < Number(lo || 0)) throw new RegexError("Invalid content of \\{\\}");
        if (startOfExpr()) throw new RegexError("Invalid preceding regular expression");
        quantify(`{${lo || 0}${hi === undefined ? "" : "," + hi}}`);
        i = end + 2;
        continue;
      }
      if (n >= "1" && n <= "9") {
        if (Number(n) > groups) throw new RegexError("Invalid back reference");
        emitAtom(`\\${n}`);
        continue;
      }
      switch (n) {
        case "w":
        case "W":
        case "s":
        case "S":
          emitAtom(`\\${n}`);
          continue;
        case "b":
        case "B":
          out += `\\${n}`;
          continue;
        case "<":
          out += "\\b(?=\\w)";
          continue;
        case ">":
          out += "\\b(?<=\\w)";
          continue;
        case "`":
          out += "(?<![\\s\\S])";
          continue;
        case "'":
          out += "(?![\\s\\S])";
          continue;
      }
      const e = charEscape(re, i - 1);
      if (e) {
        emitAtom(litChar(e[0]));
        i = e[1];
        continue;
      }
      emitAtom(lit(n));
      continue;
    }
    if (c === "[") {
      const [cls, next] = bracket(re, i);
      emitAtom(cls);
      i = next;
      continue;
    }
    if (c === ".") {
      emitAtom(multiline ? "[^\\n]" : "[\\s\\S]");
      i++;
      continue;
    }
    if (c === "*") {
      i++;
      if (startOfExpr() && !ere) {
        emitAtom("\\*");
        continue;
      }
      quantify("*");
      continue;
    }
    if (c === "^") {
      i++;
      // BRE: an anchor at the start of the expression or of a group or alternative; ERE: everywhere.
      if (ere || startOfExpr()) {
        out += "^";
        continue;
      }
      emitAtom("\\^");
      continue;
    }
    if (c === "$") {
      i++;
      const rest = re.slice(i);
      if (ere || rest === "" || rest.startsWith("\\)") || rest.startsWith("\\|")) {
        out += "$";
        atom = undefined;
        continue;
      }
      emitAtom("\\$");
      continue;
    }
    if (ere) {
      if (c === "(") {
        open.push(out.length);
        groups++;
        out += "(";
        atom = undefined;
        repeated = false;
        i++;
        continue;
      }
      if (c === ")") {
        const at = open.pop();
        if (at === undefined) throw new RegexError("Unmatched ) or \\)");
        out += ")";
        atom = at;
        repeated = false;
        i++;
        continue;
      }
      if (c === "|") {
        alternation = true;
        out += "|";
        atom = undefined;
        repeated = false;
        i++;
        continue;
      }
      if (c === "+" || c === "?") {
        i++;
        quantify(c);
        continue;
      }
      if (c === "{") {
        const end = re.indexOf("}", i);
        if (end < 0) throw new RegexError("Unmatched \\{");
        const body = re.slice(i + 1, end);
        if (!/^[0-9]+(,[0-9]*)?$|^,[0-9]+$/.test(body)) throw new RegexError("Invalid content of \\{\\}");
        const [lo, hi] = body.split(",");
        if (hi !== undefined && hi !== "" && Number(hi) < Number(lo || 0)) throw new RegexError("Invalid content of \\{\\}");
        quantify(`{${lo || 0}${hi === undefined ? "" : "," + hi}}`);
        i = end + 1;
        continue;
      }
    }
    emitAtom(litChar(c));
    i++;
  }
  if (open.length) throw new RegexError("Unmatched ( or \\(");
  return { source: out, groups, alternation };
}

/** Compiles a translated expression: global (for lastIndex searches), `i` for I, `m` for M. */
export function compileRegex(t: Translated, icase: boolean, multiline: boolean): RegExp {
  try {
    return new RegExp(t.source, `g${icase ? "i" : ""}${multiline ? "m" : ""}`);
  } catch (e) {
    throw new RegexError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * The leftmost-longest match at or after `from` (POSIX), where the JavaScript match there may be a
 * shorter alternative: tries every longer end at the same start, longest first.
 */
export function longestAt(re: RegExp, t: Translated, text: string, from: number): RegExpExecArray | null {
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m || !t.alternation) return m;
  const start = m.index;
  for (let end = text.length; end > start + m[0].length; end--) {
    const probe = new RegExp(`(?:${t.source})(?=[\\s\\S]{${text.length - end}}(?![\\s\\S]))`, re.flags.replace("g", "").replace("m", "") + "y" + (re.multiline ? "m" : ""));
    probe.lastIndex = start;
    const longer = probe.exec(text);
    if (longer && longer.index === start && longer[0].length === end - start) return longer;
  }
  return m;
}
