/**
 * sed's script compiler, after GNU sed 4.9's compile.c: addresses (`N`, `$`, `/re/I`, `\cREc`,
 * `first~step`, `addr1,+N`, `addr1,~N`, `0,/re/`, `!`), commands and their arguments, blocks and
 * labels resolved to jumps, and compile.c's error texts with the expression and character they
 * were found at (`sed: -e expression #1, char 5: unterminated `s' command`).
 */
import { charEscape, compileRegex, RegexError, translateRegex, type Translated } from "./sedregex.ts";

export interface SedRegex {
  re: RegExp;
  t: Translated;
}

/** A regex address or `s` pattern; `undefined` regex: the empty regex, the last one used. */
export interface RegexRef {
  rx?: SedRegex;
}

export type Address =
  | { k: "line"; n: number }
  | { k: "last" }
  | { k: "re"; r: RegexRef }
  | { k: "step"; first: number; step: number }
  | { k: "plus"; n: number }
  | { k: "mult"; n: number };

export type ReplPart = { k: "lit"; s: string } | { k: "ref"; n: number } | { k: "case"; c: "U" | "L" | "u" | "l" | "E" };

export interface Command {
  a1?: Address;
  a2?: Address;
  neg: boolean;
  /** Range state: whether the range is open, and the line its numeric end is at. */
  active: boolean;
  endLine?: number;
  name: string;
  /** a/i/c text, r/R/w/W file, b/t/T/: label. */
  text?: string;
  int?: number;
  /** Jump target (blocks: past the matching `}`; b/t/T: the label; -1 the end of the script). */
  jump?: number;
  s?: { r: RegexRef; repl: ReplPart[]; global: boolean; print: number; nth: number; wfile?: string; eval: boolean };
  y?: Map<string, string>;
}

export interface ScriptChunk {
  text: string;
  /** `-e expression #N` or `file F` (errors name it). */
  origin: { e: number } | { file: string };
}

export class SedError extends Error {
  /** sed's exit status: 1 for a bad script, 4 (panic) for what is found after compiling it. */
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

export interface Compiled {
  cmds: Command[];
  /** The script began with `#n` on its own line (as -n). */
  hashN: boolean;
  /** Files the w commands and flags write (opened, that is emptied, before any input is read). */
  wfiles: Set<string>;
}

/** Compiles the script chunks (joined by newlines, as GNU does, so a block may span -e options). */
export function compileScript(chunks: ScriptChunk[], ere: boolean): Compiled {
  const text = chunks.map((c) => c.text).join("\n");
  const starts: number[] = [];
  let acc = 0;
  for (const c of chunks) {
    starts.push(acc);
    acc += c.text.length + 1;
  }
  let pos = 0;
  const fail = (msg: string, at = pos): never => {
    let k = starts.length - 1;
    while (k > 0 && starts[k]! > at - (at > 0 && text[at - 1] === "\n" && starts.includes(at) ? 1 : 0)) k--;
    const chunk = chunks[k]!;
    const ch = Math.min(at - starts[k]!, chunk.text.length);
    const where = "e" in chunk.origin ? `-e expression #${chunk.origin.e}, char ${ch}` : `file ${chunk.origin.file} line ${text.slice(starts[k]!, at).split("\n").length}`;
    throw new SedError(`${where}: ${msg}`);
  };
  const peek = () => text[pos];
  const next = () => text[pos++];
  const skipWs = () => {
    while (pos < text.length && (text[pos] === " " || text[pos] === "\t")) pos++;
  };
  const cmds: Command[] = [];
  const blocks: number[] = [];
  const labels = new Map<string, number>();
  const jumps: { cmd: Command; label: string }[] = [];
  const wfiles = new Set<string>();
  const hashN = text.startsWith("#n\n") || text === "#n";

  const regex = (delim: string, what: string, isRegex = true): string => {
    // match_slash: up to the unescaped delimiter; `\delim` is the delimiter character itself (its
    // backslash dropped), `\n` in a regex a newline, a backslash-newline a newline.
    let s = "";
    for (;;) {
      const c = next();
      if (c === undefined) return fail(what);
      if (c === "\n") return fail(what, pos - 1);
      if (c === delim) return s;
      if (c === "[" && isRegex) {
        // A bracket expression may hold the delimiter (`s/[/]/x/`).
        let j = pos;
        if (text[j] === "^") j++;
        if (text[j] === "]") j++;
        for (; j < text.length && text[j] !== "]" && text[j] !== "\n"; j++) {
          if (text[j] === "[" && (text[j + 1] === ":" || text[j + 1] === "." || text[j + 1] === "=")) {
            const e = text.indexOf(text[j + 1] + "]", j + 2);
            if (e > 0) j = e + 1;
          }
        }
        if (j >= text.length || text[j] === "\n") {
          pos = j;
          return fail(what);
        }
        s += "[" + text.slice(pos, j + 1);
        pos = j + 1;
        continue;
      }
      if (c === "\\") {
        const d = next();
        if (d === undefined) return fail(what);
        if (d === "n" && isRegex) s += "\n";
        else if (d === "\n") s += isRegex ? "\n" : "\\\n";
        else if (d === delim && !(d === "&" && !isRegex)) s += d;
        else s += "\\" + d;
        continue;
      }
      s += c;
    }
  };
  let anyRegex = false;
  const compileRe = (src: string, icase: boolean, multiline: boolean): RegexRef => {
    if (src === "") {
      if (!anyRegex) fail("no previous regular expression", 0);
      return {};
    }
    anyRegex = true;
    try {
      const t = translateRegex(src, ere, multiline);
      return { rx: { t, re: compileRegex(t, icase, multiline) } };
    } catch (e) {
      if (e instanceof RegexError) return fail(e.message);
      throw e;
    }
  };
  const number = (): number => {
    let s = "";
    while (pos < text.length && text[pos]! >= "0" && text[pos]! <= "9") s += next();
    return Number(s);
  };
  const address = (second: boolean): Address | undefined => {
    const c = peek();
    if (c === "/" || c === "\\") {
      next();
      const delim = c === "\\" ? next() : "/";
      if (delim === undefined || delim === "\n" || delim === "\\") return fail("unterminated address regex");
      const src = regex(delim, "unterminated address regex");
      let icase = false;
      let multi = false;
      for (;;) {
        if (peek() === "I") icase = true;
        else if (peek() === "M") multi = true;
        else break;
        pos++;
      }
      return { k: "re", r: compileRe(src, icase, multi) };
    }
    if (c !== undefined && c >= "0" && c <= "9") {
      const n = number();
      skipWs();
      if (peek() === "~" && !second) {
        next();
        skipWs();
        return { k: "step", first: n, step: number() };
      }
      return { k: "line", n };
    }
    if (second && (c === "+" || c === "~")) {
      next();
      skipWs();
      const d = peek();
      if (d === undefined || d < "0" || d > "9") return fail("expected newer version of sed");
      const n = number();
      return c === "+" ? { k: "plus", n } : { k: "mult", n };
    }
    if (c === "$") {
      next();
      return { k: "last" };
    }
    return undefined;
  };
  const endOfCmd = () => {
    skipWs();
    const c = peek();
    if (c === undefined || c === "\n" || c === ";") {
      if (c !== undefined) pos++;
      return;
    }
    if (c === "#" || c === "}") return;
    pos++;
    fail("extra characters after command");
  };
  const label = (): string => {
    skipWs();
    let s = "";
    while (pos < text.length && text[pos] !== "\n" && text[pos] !== ";") s += next();
    if (text[pos] === ";" || text[pos] === "\n") pos++;
    return s.replace(/\s+$/, "");
  };
  const filename = (): string => {
    skipWs();
    let s = "";
    while (pos < text.length && text[pos] !== "\n") s += next();
    if (text[pos] === "\n") pos++;
    return s;
  };
  const readText = (cmd: string): string => {
    // GNU read_text: `a\` newline text, or the one-liner `a text`; a line ending in `\` goes on.
    skipWs();
    if (peek() === undefined) return fail("expected \\ after `a', `c' or `i'");
    if (peek() === "\\") {
      pos++;
      if (peek() === "\n") pos++;
    }
    void cmd;
    let s = "";
    for (;;) {
      const c = next();
      if (c === undefined) break;
      if (c === "\\") {
        const d = next();
        if (d === undefined) break;
        s += d;
        continue;
      }
      if (c === "\n") break;
      s += c;
    }
    return s + "\n";
  };
  const replacement = (src: string, groups: number | undefined): ReplPart[] => {
    const parts: ReplPart[] = [];
    let lit = "";
    const flush = () => {
      if (lit) parts.push({ k: "lit", s: lit });
      lit = "";
    };
    for (let i = 0; i < src.length; i++) {
      const c = src[i]!;
      if (c === "&") {
        flush();
        parts.push({ k: "ref", n: 0 });
      } else if (c === "\\") {
        const d = src[i + 1];
        if (d === undefined) {
          lit += "\\";
          break;
        }
        i++;
        if (d >= "0" && d <= "9") {
          if (groups !== undefined && Number(d) > groups) fail(`invalid reference \\${d} on \`s' command's RHS`);
          flush();
          parts.push({ k: "ref", n: Number(d) });
        } else if ("ULulE".includes(d)) {
          flush();
          parts.push({ k: "case", c: d as "U" });
        } else if (d === "\n") lit += "\n";
        else if (d === "&" || d === "\\") lit += d;
        else {
          const e = charEscape(src, i);
          if (e) {
            lit += e[0];
            i = e[1] - 1;
          } else lit += d;
        }
      } else lit += c;
    }
    flush();
    return parts;
  };

  for (;;) {
    while (pos < text.length && /[\s;]/.test(text[pos]!)) pos++;
    if (pos >= text.length) break;
    const cmd: Command = { neg: false, active: false, name: "" };
    const a1 = address(false);
    if (a1) {
      cmd.a1 = a1;
      skipWs();
      if (peek() === ",") {
        next();
        skipWs();
        const a2 = address(true);
        if (!a2) fail("unexpected `,'", pos + 1);
        cmd.a2 = a2;
      }
      if (a1.k === "line" && a1.n === 0) cmd.active = true;
    }
    skipWs();
    if (peek() === "!") {
      next();
      cmd.neg = true;
      skipWs();
      if (peek() === "!") fail("multiple `!'s");
    }
    const name = next();
    if (name === undefined || name === "\n" || name === ";") {
      if (cmd.a1 || cmd.neg) fail("missing command");
      continue;
    }
    cmd.name = name;
    if (cmd.a1?.k === "line" && cmd.a1.n === 0 && cmd.a2?.k !== "re") fail("invalid usage of line address 0");
    const oneAddr = () => {
      if (cmd.a2) fail("command only uses one address");
    };
    const noAddr = (what: string) => {
      if (cmd.a1) fail(what);
    };
    switch (name) {
      case "#":
        noAddr("comments don't accept any addresses");
        while (pos < text.length && text[pos] !== "\n") pos++;
        continue;
      case "{":
        blocks.push(cmds.length);
        cmds.push(cmd);
        continue;
      case "}": {
        noAddr("unexpected `}'");
        const open = blocks.pop();
        if (open === undefined) fail("unexpected `}'");
        cmds[open!]!.jump = cmds.length + 1;
        cmds.push(cmd);
        endOfCmd();
        continue;
      }
      case ":": {
        noAddr(": doesn't want any addresses");
        const l = label();
        if (l === "") fail("\":\" lacks a label");
        labels.set(l, cmds.length);
        continue;
      }
      case "a":
      case "i":
      case "c":
        cmd.text = readText(name);
        break;
      case "b":
      case "t":
      case "T":
        jumps.push({ cmd, label: label() });
        break;
      case "=":
      case "d":
      case "D":
      case "F":
      case "g":
      case "G":
      case "h":
      case "H":
      case "n":
      case "N":
      case "p":
      case "P":
      case "x":
      case "z":
        endOfCmd();
        break;
      case "l":
      case "L":
      case "q":
      case "Q": {
        if (name === "q" || name === "Q") oneAddr();
        skipWs();
        const d = peek();
        if (d !== undefined && d >= "0" && d <= "9") cmd.int = number();
        endOfCmd();
        break;
      }
      case "r":
      case "R":
      case "w":
      case "W": {
        const f = filename();
        if (f === "") fail("missing filename in r/R/w/W commands");
        cmd.text = f;
        if (name === "w" || name === "W") wfiles.add(f);
        break;
      }
      case "e":
        // Running a command from sed (`e`, `s///e`) is not simulated: docs/divergences.md.
        fail("the e command (running a shell command) is not simulated");
        break;
      case "v":
        label();
        continue;
      case "s": {
        const delim = next();
        if (delim === undefined || delim === "\n" || delim === "\\") fail("unterminated `s' command");
        const src = regex(delim!, "unterminated `s' command");
        const replSrc = regex(delim!, "unterminated `s' command", false);
        let global = false;
        let print = 0;
        let nth = 0;
        let icase = false;
        let multi = false;
        let wfile: string | undefined;
        flags: for (;;) {
          const f = peek();
          switch (f) {
            case "g":
              if (global) fail("multiple `g' options to `s' command", pos + 1);
              global = true;
              pos++;
              continue;
            case "p":
              if (print) fail("multiple `p' options to `s' command", pos + 1);
              print = 1;
              pos++;
              continue;
            case "i":
            case "I":
              icase = true;
              pos++;
              continue;
            case "m":
            case "M":
              multi = true;
              pos++;
              continue;
            case "e":
              pos++;
              fail("the e command (running a shell command) is not simulated");
              continue;
            case " ":
            case "\t":
              pos++;
              continue;
            case "w":
              pos++;
              wfile = filename();
              if (wfile === "") fail("missing filename in r/R/w/W commands");
              wfiles.add(wfile);
              break flags;
            case undefined:
            case "\n":
            case ";":
              if (f !== undefined) pos++;
              break flags;
            case "#":
            case "}":
              break flags;
            default:
              if (f >= "0" && f <= "9") {
                if (nth) fail("multiple number options to `s' command", pos + 1);
                const n = number();
                if (n === 0) fail("number option to `s' command may not be zero");
                nth = n;
                continue;
              }
              pos++;
              fail("unknown option to `s'");
          }
        }
        const r = compileRe(src, icase, multi);
        cmd.s = { r, repl: replacement(replSrc, r.rx?.t.groups), global, print, nth: nth || 1, wfile, eval: false };
        break;
      }
      case "y": {
        const delim = next();
        if (delim === undefined || delim === "\n" || delim === "\\") fail("unterminated `y' command");
        const unescape = (s: string): string[] => {
          const out: string[] = [];
          for (let i = 0; i < s.length; i++) {
            if (s[i] === "\\" && i + 1 < s.length) {
              const d = s[++i]!;
              out.push(d === "n" ? "\n" : d === "\\" ? "\\" : d === delim ? d : d === "t" ? "\t" : "\\" + d);
            } else out.push(s[i]!);
          }
          return out;
        };
        const from = unescape(regex(delim!, "unterminated `y' command"));
        const to = unescape(regex(delim!, "unterminated `y' command"));
        if (from.length !== to.length || from.some((c) => c.length > 1) || to.some((c) => c.length > 1)) fail("strings for `y' command are different lengths");
        cmd.y = new Map(from.map((c, i) => [c, to[i]!]));
        endOfCmd();
        break;
      }
      default:
        fail(`unknown command: \`${name}'`);
    }
    cmds.push(cmd);
  }
  if (blocks.length) {
    pos = 0;
    fail("unmatched `{'", 0);
  }
  for (const j of jumps) {
    if (j.label === "") j.cmd.jump = -1;
    else {
      const at = labels.get(j.label);
      if (at === undefined) throw new SedError(`can't find label for jump to \`${j.label}'`, 4);
      j.cmd.jump = at;
    }
  }
  return { cmds, hashN, wfiles };
}
