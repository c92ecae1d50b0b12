/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/** Text applets: wc, grep, head, tail, seq, expr, basename, dirname, tr, cut, sort, uniq, rev. */
import type { G } from "./effects.ts";
import type { Shell } from "./interp.ts";
import { appletError, getopt, vfsErrorText, type CommandFn } from "./util.ts";

type Inputs = { list: { name: string; text: string }[]; failed: boolean };

/** Reads each operand (or stdin for none / `-`, until end of file); reports unreadable files busybox-style. */
function* inputs(sh: Shell, applet: string, files: string[]): G<Inputs> {
  const list: { name: string; text: string }[] = [];
  let failed = false;
  if (files.length === 0) return { list: [{ name: "-", text: yield* sh.stdin.readAllG() }], failed };
  for (const f of files) {
    if (f === "-") {
      list.push({ name: f, text: yield* sh.stdin.readAllG() });
      continue;
    }
    try {
      list.push({ name: f, text: sh.io.fs.readFile(sh.resolve(f)) });
    } catch (e) {
      appletError(sh, applet, `${f}: ${vfsErrorText(e)}`);
      failed = true;
    }
  }
  return { list, failed };
}

function lines(text: string): string[] {
  if (text === "") return [];
  const ls = text.split("\n");
  if (ls[ls.length - 1] === "") ls.pop();
  return ls;
}

function* wc(sh: Shell, argv: string[]): G<number> {
  const { opts, rest, bad } = getopt(argv, "lwcmL");
  if (bad) {
    appletError(sh, "wc", bad);
    return 1;
  }
  const sel = ["l", "w", "c"].filter((c) => opts.has(c) || (c === "c" && opts.has("m")));
  const cols = sel.length ? sel : ["l", "w", "c"];
  const { list, failed } = (yield* inputs(sh, "wc", rest));
  const totals = [0, 0, 0];
  const rows: string[] = [];
  for (const f of list) {
    const counts = [(f.text.match(/\n/g) ?? []).length, f.text.split(/\s+/).filter(Boolean).length, Buffer.byteLength(f.text)];
    counts.forEach((n, i) => (totals[i]! += n));
    const nums = cols.map((c) => counts["lwc".indexOf(c)]!);
    const body = cols.length === 1 && rest.length === 0 ? String(nums[0]) : nums.map((n) => String(n).padStart(cols.length === 1 ? 0 : 7)).join(" ");
    rows.push(rest.length ? `${body} ${f.name}` : body);
  }
  if (list.length > 1) rows.push(`${cols.map((c) => String(totals["lwc".indexOf(c)]).padStart(cols.length === 1 ? 0 : 7)).join(" ")} total`);
  if (rows.length) sh.stdout.write(rows.join("\n") + "\n");
  return failed ? 1 : 0;
}

/** Translates a POSIX basic (or extended) regular expression to a JavaScript one. */
export function posixRegex(re: string, extended: boolean, ignoreCase: boolean, fixed: boolean, word: boolean, whole: boolean): RegExp {
  let src = "";
  if (fixed) src = re.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  else if (extended) src = re.replace(/\[\[:(\w+):\]\]/g, (_m, c: string) => `[${cls(c)}]`).replace(/\[:(\w+):\]/g, (_m, c: string) => cls(c));
  else {
    for (let i = 0; i < re.length; i++) {
      const c = re[i]!;
      if (c === "\\" && i + 1 < re.length) {
        const n = re[++i]!;
        if ("(){}|+?".includes(n)) src += n;
        else if (n === "<" || n === ">") src += "\\b";
        else src += "\\" + n;
      } else if ("(){}|+?".includes(c)) src += "\\" + c;
      else if (c === "[") {
        const end = re.indexOf("]", i + (re[i + 1] === "]" ? 2 : re[i + 1] === "^" && re[i + 2] === "]" ? 3 : 1));
        if (end < 0) {
          src += "\\[";
          continue;
        }
        src += re.slice(i, end + 1).replace(/\[:(\w+):\]/g, (_m, k: string) => cls(k));
        i = end;
      } else src += c;
    }
  }
  if (word) src = `\\b(?:${src})\\b`;
  if (whole) src = `^(?:${src})$`;
  try {
    return new RegExp(src, ignoreCase ? "i" : "");
  } catch {
    return new RegExp(re.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"), ignoreCase ? "i" : "");
  }
}

function cls(c: string): string {
  return (
    {
      alpha: "A-Za-z",
      digit: "0-9",
      alnum: "A-Za-z0-9",
      upper: "A-Z",
      lower: "a-z",
      space: "\\s",
      blank: " \\t",
      punct: "!-\\/:-@\\[-`{-~",
      xdigit: "0-9A-Fa-f",
    } as Record<string, string>
  )[c] ?? "";
}

/**
 * GNU getopt's argument order (busybox's getopt32 over glibc or musl, and the user's own grep):
 * options may follow the operands (`grep nodePort -C 5`) until `--`.
 */
function permuteOptions(argv: string[], withValue: string): string[] {
  const opts: string[] = [];
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("-") && a !== "-") {
      opts.push(a);
      // `-C 5`: the option's value is the next word.
      const last = a.length === 2 ? a[1]! : undefined;
      if (last && withValue.includes(last) && i + 1 < argv.length) opts.push(argv[++i]!);
      else if (a.length > 2 && withValue.includes(a[a.length - 1]!) && ![...a.slice(1, -1)].some((c) => withValue.includes(c)) && i + 1 < argv.length) opts.push(argv[++i]!);
    } else operands.push(a);
  }
  return [argv[0]!, ...opts, "--", ...operands];
}

function* grep(sh: Shell, argv: string[]): G<number> {
  const { opts, rest, bad, all } = getopt(permuteOptions(argv, "ABCme"), "qvicnlLhHsEFwxor", "ABCme");
  if (bad) {
    appletError(sh, "grep", bad);
    return 2;
  }
  let patterns: string[];
  let files: string[];
  if (opts.has("e")) {
    patterns = all.get("e")!;
    files = rest;
  } else {
    if (rest.length === 0) {
      sh.stderr.write("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsriwFE] [-m N] [-A/B/C N] PATTERN/-e PATTERN.../-f FILE [FILE]...\n");
      return 2;
    }
    patterns = [rest[0]!];
    files = rest.slice(1);
  }
  patterns = patterns.flatMap((p) => p.split("\n"));
  const res = patterns.map((p) => posixRegex(p, opts.has("E"), opts.has("i"), opts.has("F"), opts.has("w"), opts.has("x")));
  const invert = opts.has("v");
  const after = Number(opts.get("A") ?? opts.get("C") ?? 0);
  const before = Number(opts.get("B") ?? opts.get("C") ?? 0);
  const max = opts.has("m") ? Number(opts.get("m")) : Infinity;
  const showName = opts.has("H") || (files.length > 1 && !opts.has("h"));
  let failed = false;
  let matchedAny = false;
  let printedGroup = false;
  const emit = (line: string) => sh.stdout.write(line + "\n");
  // Standard input is read a line at a time, so `tail -f log | grep x` prints matches as they come.
  for (const name of files.length ? files : ["-"]) {
    let fileLines: string[] | undefined;
    if (name !== "-") {
      try {
        fileLines = lines(sh.io.fs.readFile(sh.resolve(name)));
      } catch (e) {
        if (!opts.has("s")) appletError(sh, "grep", `${name}: ${vfsErrorText(e)}`);
        failed = true;
        continue;
      }
    }
    const ls: string[] = fileLines ?? [];
    const label = name === "-" ? "(standard input)" : name;
    let count = 0;
    let pendingAfter = 0;
    let lastPrinted = -1;
    const prefix = (i: number, sep: string) => (showName ? `${label}${sep}` : "") + (opts.has("n") ? `${i + 1}${sep}` : "");
    for (let i = 0; ; i++) {
      let l: string | undefined;
      if (fileLines) l = fileLines[i];
      else {
        l = yield* sh.stdin.readLineG();
        if (l !== undefined) ls.push(l);
      }
      if (l === undefined) break;
      const hit = res.some((re) => re.test(l)) !== invert;
      if (hit && count < max) {
        count++;
        matchedAny = true;
        if (opts.has("q")) return 0;
        if (opts.has("l") || opts.has("c") || opts.has("L")) continue;
        if ((before || after) && printedGroup && lastPrinted >= 0 && i - before > lastPrinted + 1) emit("--");
        for (let j = Math.max(lastPrinted + 1, i - before); j < i; j++) emit(prefix(j, "-") + ls[j]);
        if (opts.has("o") && !invert) {
          for (const re of res) for (const m of l.matchAll(new RegExp(re.source, re.flags + "g"))) if (m[0]) emit(prefix(i, ":") + m[0]);
        } else emit(prefix(i, ":") + l);
        lastPrinted = i;
        printedGroup = true;
        pendingAfter = after;
      } else if (pendingAfter > 0 && !opts.has("c") && !opts.has("l")) {
        emit(prefix(i, "-") + l);
        lastPrinted = i;
        pendingAfter--;
      }
    }
    if (opts.has("c")) emit((showName ? `${label}:` : "") + count);
    if (opts.has("l") && count > 0) emit(label);
    if (opts.has("L") && count === 0) emit(label);
  }
  if (failed && !opts.has("q")) return 2;
  return matchedAny ? 0 : 1;
}

interface CountArg {
  n: number;
  /** `+N`: from the Nth line or byte on (tail). */
  fromStart: boolean;
  /** `-N` to head: all but the last N. */
  allBut: boolean;
  /** `-c`: bytes rather than lines (the last of -n and -c wins). */
  bytes: boolean;
  rest: string[];
  follow: boolean;
}

/** head/tail's size suffixes (GNU coreutils 9.1 and busybox 1.28 share these): b 512, k/K 1024, m/M 1024². */
const SIZE_SUFFIX: Record<string, number> = { "": 1, b: 512, k: 1024, K: 1024, m: 1024 * 1024, M: 1024 * 1024 };

function countArg(sh: Shell, argv: string[], applet: string): CountArg | undefined {
  const c: CountArg = { n: 10, fromStart: false, allBut: false, bytes: false, rest: [], follow: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    let unit: string | undefined;
    let v = "";
    if (a === "-n" || a === "-c") {
      unit = a[1];
      v = argv[++i] ?? "";
    } else if (/^-[nc]./.test(a)) {
      // `-c+N`, `-n5`: the value attached (kubectl cp --retries runs `tail -c+N`).
      unit = a[1];
      v = a.slice(2);
    } else if (/^-[0-9]+$/.test(a)) {
      c.n = Number(a.slice(1));
      c.bytes = false;
      continue;
    } else if (a === "-f" || a === "-F") {
      c.follow = true;
      continue;
    } else if (a === "-q" || a === "-s" || a === "-v") continue;
    else {
      c.rest.push(a);
      continue;
    }
    const m = /^([+-]?)([0-9]+)(b|k|K|m|M|)$/.exec(v);
    if (!m) {
      // GNU coreutils (Debian's images, whose /bin/sh is dash): `tail: invalid number of bytes: 'x'`;
      // busybox: `tail: invalid number 'x'`.
      appletError(sh, applet, sh.env.binSh === "dash" ? `invalid number of ${unit === "c" ? "bytes" : "lines"}: '${v}'` : `invalid number '${v}'`);
      return undefined;
    }
    c.bytes = unit === "c";
    c.n = Number(m[2]) * SIZE_SUFFIX[m[3]!]!;
    c.fromStart = m[1] === "+" && applet === "tail";
    c.allBut = m[1] === "-" && applet === "head";
  }
  return c;
}

/**
 * A text's bytes: one per character for a binary stream (gzip's, which the shell keeps as latin1
 * text), else its UTF-8 (as `wc -c` counts them); `text` turns a slice back.
 */
function byteView(text: string): { bytes: Buffer; text(b: Buffer): string } {
  const enc = text.charCodeAt(0) === 0x1f && text.charCodeAt(1) === 0x8b ? "latin1" : "utf8";
  return { bytes: Buffer.from(text, enc), text: (b) => b.toString(enc) };
}

/** head -c N (the first N bytes), -c -N (all but the last N). */
function headBytes(text: string, c: CountArg): string {
  const v = byteView(text);
  return v.text(c.allBut ? v.bytes.subarray(0, Math.max(0, v.bytes.length - c.n)) : v.bytes.subarray(0, c.n));
}

/** tail -c N (the last N bytes), -c +N (from the Nth byte on; +0 as +1). */
function tailBytes(text: string, c: CountArg): string {
  const v = byteView(text);
  if (c.fromStart) return v.text(v.bytes.subarray(Math.max(0, c.n - 1)));
  return c.n === 0 ? "" : v.text(v.bytes.subarray(Math.max(0, v.bytes.length - c.n)));
}

function* head(sh: Shell, argv: string[]): G<number> {
  const c = countArg(sh, argv, "head");
  if (!c) return 1;
  if (c.rest.length === 0 && !c.bytes && !c.allBut) {
    // Standard input: read only the lines needed, then stop (an upstream writer gets SIGPIPE).
    for (let k = 0; k < c.n; k++) {
      const l = yield* sh.stdin.readLineG();
      if (l === undefined) break;
      sh.stdout.write(l + "\n");
    }
    return 0;
  }
  const { list, failed } = yield* inputs(sh, "head", c.rest);
  for (const [k, f] of list.entries()) {
    if (list.length > 1) sh.stdout.write(`${k ? "\n" : ""}==> ${f.name} <==\n`);
    if (c.bytes) {
      sh.stdout.write(headBytes(f.text, c));
      continue;
    }
    const all_ = lines(f.text);
    const ls = c.allBut ? all_.slice(0, Math.max(0, all_.length - c.n)) : all_.slice(0, c.n);
    if (ls.length) sh.stdout.write(ls.join("\n") + "\n");
  }
  return failed ? 1 : 0;
}

function* tail(sh: Shell, argv: string[]): G<number> {
  const c = countArg(sh, argv, "tail");
  if (!c) return 1;
  const { list, failed } = (yield* inputs(sh, "tail", c.rest));
  for (const [k, f] of list.entries()) {
    if (list.length > 1) sh.stdout.write(`${k ? "\n" : ""}==> ${f.name} <==\n`);
    if (c.bytes) {
      sh.stdout.write(tailBytes(f.text, c));
      continue;
    }
    const all_ = lines(f.text);
    const ls = c.fromStart ? all_.slice(Math.max(0, c.n - 1)) : c.n === 0 ? [] : all_.slice(-c.n);
    if (ls.length) sh.stdout.write(ls.join("\n") + "\n");
  }
  if (c.follow) yield* follow(sh, c.rest, list);
  return failed ? 1 : 0;
}

/** `tail -f`/`-F`: like busybox, checks the files once a (simulated) second and prints what was appended. */
function* follow(sh: Shell, names: string[], initial: { name: string; text: string }[]): G<void> {
  const files = names.filter((f) => f !== "-");
  if (files.length === 0) {
    yield { k: "forever" };
    return;
  }
  const seen = new Map<string, number>(files.map((f) => [f, initial.find((x) => x.name === f)?.text.length ?? 0]));
  let lastShown = initial.length ? initial[initial.length - 1]!.name : undefined;
  for (;;) {
    yield { k: "sleep", ms: 1000 };
    for (const f of files) {
      let text: string;
      try {
        text = sh.io.fs.readFile(sh.resolve(f));
      } catch {
        continue;
      }
      let prev = seen.get(f) ?? 0;
      if (text.length < prev) {
        appletError(sh, "tail", `${f}: file truncated`);
        prev = 0;
      }
      if (text.length > prev) {
        if (files.length > 1 && lastShown !== f) sh.stdout.write(`\n==> ${f} <==\n`);
        sh.stdout.write(text.slice(prev));
        lastShown = f;
      }
      seen.set(f, text.length);
    }
  }
}

function* seq(sh: Shell, argv: string[]): G<number> {
  let sep = "\n";
  let width = false;
  const nums: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-s") sep = argv[++i] ?? "";
    else if (a.startsWith("-s")) sep = a.slice(2);
    else if (a === "-w") width = true;
    else nums.push(a);
  }
  const vals = nums.map(Number);
  if (nums.length === 0 || nums.length > 3 || vals.some((v) => Number.isNaN(v))) {
    if (nums.length && vals.some((v) => Number.isNaN(v))) appletError(sh, "seq", `invalid number '${nums[vals.findIndex((v) => Number.isNaN(v))]}'`);
    else sh.stderr.write("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n");
    return 1;
  }
  const [first, inc, last] = nums.length === 1 ? [1, 1, vals[0]!] : nums.length === 2 ? [vals[0]!, 1, vals[1]!] : [vals[0]!, vals[1]!, vals[2]!];
  const out: string[] = [];
  if (inc === 0) return 1;
  const decimals = Math.max(...nums.map((n) => (n.includes(".") ? n.split(".")[1]!.length : 0)));
  for (let v = first; inc > 0 ? v <= last + 1e-9 : v >= last - 1e-9; v += inc) {
    out.push(v.toFixed(decimals));
    if (out.length > 1_000_000) break;
  }
  const w = Math.max(...out.map((s) => s.length));
  if (out.length) sh.stdout.write(out.map((s) => (width ? s.padStart(w, "0") : s)).join(sep) + "\n");
  return 0;
}

function* expr(sh: Shell, argv: string[]): G<number> {
  const t = argv.slice(1);
  let i = 0;
  const isInt = (s: string) => /^-?[0-9]+$/.test(s);
  class ExprError extends Error {}
  const num = (s: string) => {
    if (!isInt(s)) throw new ExprError("non-numeric argument");
    return Number(s);
  };
  const orE = (): string => {
    let l = andE();
    while (t[i] === "|") {
      i++;
      const r = andE();
      l = l !== "" && l !== "0" ? l : r !== "" && r !== "0" ? r : "0";
    }
    return l;
  };
  const andE = (): string => {
    let l = cmpE();
    while (t[i] === "&") {
      i++;
      const r = cmpE();
      l = l !== "" && l !== "0" && r !== "" && r !== "0" ? l : "0";
    }
    return l;
  };
  const cmpE = (): string => {
    let l = addE();
    for (;;) {
      const op = t[i];
      if (!op || !["=", "==", "!=", "<", "<=", ">", ">="].includes(op)) return l;
      i++;
      const r = addE();
      const c = isInt(l) && isInt(r) ? Number(l) - Number(r) : l < r ? -1 : l > r ? 1 : 0;
      const res = op === "=" || op === "==" ? c === 0 : op === "!=" ? c !== 0 : op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
      l = res ? "1" : "0";
    }
  };
  const addE = (): string => {
    let l = mulE();
    while (t[i] === "+" || t[i] === "-") {
      const op = t[i++];
      const r = mulE();
      l = String(op === "+" ? num(l) + num(r) : num(l) - num(r));
    }
    return l;
  };
  const mulE = (): string => {
    let l = matchE();
    while (t[i] === "*" || t[i] === "/" || t[i] === "%") {
      const op = t[i++];
      const r = matchE();
      if ((op === "/" || op === "%") && num(r) === 0) throw new ExprError("division by zero");
      l = String(op === "*" ? num(l) * num(r) : op === "/" ? Math.trunc(num(l) / num(r)) : num(l) % num(r));
    }
    return l;
  };
  const matchE = (): string => {
    let l = prim();
    while (t[i] === ":") {
      i++;
      const re = prim();
      const m = posixRegex("^(?:" + re + ")", false, false, false, false, false).exec(l);
      const src = posixRegex(re, false, false, false, false, false);
      const mm = new RegExp("^(?:" + src.source + ")").exec(l);
      void m;
      l = mm ? (mm[1] !== undefined ? mm[1] : String(mm[0].length)) : /\\\(/.test(re) ? "" : "0";
    }
    return l;
  };
  const prim = (): string => {
    const a = t[i++];
    if (a === undefined) throw new ExprError("syntax error");
    if (a === "(") {
      const v = orE();
      if (t[i++] !== ")") throw new ExprError("syntax error");
      return v;
    }
    if (a === "length") return String((t[i++] ?? "").length);
    if (a === "substr") {
      const s = t[i++] ?? "";
      const p = num(t[i++] ?? "");
      const n = num(t[i++] ?? "");
      return s.substr(p - 1, n);
    }
    if (a === "index") {
      const s = t[i++] ?? "";
      const chars = t[i++] ?? "";
      const k = [...s].findIndex((ch) => chars.includes(ch));
      return String(k + 1);
    }
    return a;
  };
  try {
    if (t.length === 0) throw new ExprError("syntax error");
    const v = orE();
    if (i < t.length) throw new ExprError("syntax error");
    sh.stdout.write(v + "\n");
    return v === "" || v === "0" ? 1 : 0;
  } catch (e) {
    if (e instanceof ExprError) {
      appletError(sh, "expr", e.message);
      return 2;
    }
    throw e;
  }
}

function* basename(sh: Shell, argv: string[]): G<number> {
  const p = argv[1];
  if (p === undefined) {
    sh.stderr.write("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: basename FILE [SUFFIX]\n");
    return 1;
  }
  let b = p.replace(/\/+$/, "");
  b = b === "" ? "/" : b.slice(b.lastIndexOf("/") + 1);
  const suf = argv[2];
  if (suf && b !== suf && b.endsWith(suf)) b = b.slice(0, -suf.length);
  sh.stdout.write(b + "\n");
  return 0;
}

function* dirname(sh: Shell, argv: string[]): G<number> {
  const p = argv[1];
  if (p === undefined) {
    sh.stderr.write("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: dirname FILENAME\n");
    return 1;
  }
  const s = p.replace(/\/+$/, "");
  const k = s.lastIndexOf("/");
  sh.stdout.write((k < 0 ? "." : k === 0 ? "/" : s.slice(0, k).replace(/\/+$/, "") || "/") + "\n");
  return 0;
}

function expandSet(s: string): string {
  let out = "";
  s = s.replace(/\[:(\w+):\]/g, (_m, c: string) => ({ upper: "A-Z", lower: "a-z", digit: "0-9", alpha: "a-zA-Z", alnum: "a-zA-Z0-9", space: " \t\n\r\f\v" })[c] ?? "");
  s = s.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\\\/g, "\\");
  for (let i = 0; i < s.length; i++) {
    if (s[i + 1] === "-" && i + 2 < s.length) {
      for (let c = s.charCodeAt(i); c <= s.charCodeAt(i + 2); c++) out += String.fromCharCode(c);
      i += 2;
    } else out += s[i];
  }
  return out;
}

function* tr(sh: Shell, argv: string[]): G<number> {
  const { opts, rest } = getopt(argv, "dsc");
  const text = yield* sh.stdin.readAllG();
  const a = expandSet(rest[0] ?? "");
  const b = expandSet(rest[1] ?? "");
  let out = "";
  if (opts.has("d")) out = [...text].filter((c) => !a.includes(c)).join("");
  else {
    for (const c of text) {
      const k = a.indexOf(c);
      out += k < 0 || !b ? c : (b[Math.min(k, b.length - 1)] ?? c);
    }
  }
  if (opts.has("s")) {
    const set = b || a;
    out = out.replace(/(.)\1+/gs, (m, c: string) => (set.includes(c) ? c : m));
  }
  sh.stdout.write(out);
  return 0;
}

function* cut(sh: Shell, argv: string[]): G<number> {
  const { opts, rest, bad } = getopt(argv, "s", "dfc");
  if (bad || (!opts.has("f") && !opts.has("c"))) {
    appletError(sh, "cut", bad ?? "expected a list of bytes, characters, or fields");
    return 1;
  }
  const spec = String(opts.get("f") ?? opts.get("c"));
  const ranges = spec.split(",").map((r) => {
    const [a, b] = r.split("-");
    const lo = a ? Number(a) : 1;
    const hi = r.includes("-") ? (b ? Number(b) : Infinity) : lo;
    return [lo, hi] as const;
  });
  const pick = (n: number) => ranges.some(([lo, hi]) => n >= lo && n <= hi);
  const delim = String(opts.get("d") ?? "\t");
  const { list, failed } = (yield* inputs(sh, "cut", rest));
  const out: string[] = [];
  for (const f of list) {
    for (const l of lines(f.text)) {
      if (opts.has("c")) out.push([...l].filter((_c, i) => pick(i + 1)).join(""));
      else if (!l.includes(delim)) {
        if (!opts.has("s")) out.push(l);
      } else out.push(l.split(delim).filter((_c, i) => pick(i + 1)).join(delim));
    }
  }
  if (out.length) sh.stdout.write(out.join("\n") + "\n");
  return failed ? 1 : 0;
}

function* sort(sh: Shell, argv: string[]): G<number> {
  const { opts, rest } = getopt(argv, "rnu");
  const { list, failed } = (yield* inputs(sh, "sort", rest));
  let ls = list.flatMap((f) => lines(f.text));
  ls.sort(opts.has("n") ? (a, b) => parseFloat(a) - parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (opts.has("r")) ls.reverse();
  if (opts.has("u")) ls = ls.filter((l, i) => i === 0 || l !== ls[i - 1]);
  if (ls.length) sh.stdout.write(ls.join("\n") + "\n");
  return failed ? 1 : 0;
}

function* uniq(sh: Shell, argv: string[]): G<number> {
  const { opts, rest } = getopt(argv, "cdu");
  const { list, failed } = (yield* inputs(sh, "uniq", rest.slice(0, 1)));
  const ls = list.flatMap((f) => lines(f.text));
  const groups: Array<[string, number]> = [];
  for (const l of ls) {
    const g = groups[groups.length - 1];
    if (g && g[0] === l) g[1]++;
    else groups.push([l, 1]);
  }
  const out = groups.filter(([, n]) => (opts.has("d") ? n > 1 : opts.has("u") ? n === 1 : true)).map(([l, n]) => (opts.has("c") ? `${String(n).padStart(7)} ${l}` : l));
  if (out.length) sh.stdout.write(out.join("\n") + "\n");
  return failed ? 1 : 0;
}

/** busybox rev: each line reversed (its newline kept at the end; a last line without one stays without). */
function* rev(sh: Shell, argv: string[]): G<number> {
  const { list, failed } = yield* inputs(sh, "rev", argv.slice(1));
  for (const f of list) {
    const parts = f.text.split("\n");
    const out = parts.map((line) => [...line].reverse().join("")).join("\n");
    sh.stdout.write(out);
  }
  return failed ? 1 : 0;
}

/**
 * `base64 [-d] [FILE]` (busybox; coreutils' `--decode` too): encodes with lines of 76 characters
 * (busybox's and coreutils' default wrap), or decodes (whitespace ignored; invalid input is
 * `base64: invalid input`, exit 1). Text in, text out: the files here are text.
 */
function* base64(sh: Shell, argv: string[]): G<number> {
  const args = argv.slice(1).map((a) => (a === "--decode" ? "-d" : a));
  const { opts, rest, bad } = getopt(["base64", ...args], "d");
  if (bad) {
    appletError(sh, "base64", bad);
    return 1;
  }
  const { list, failed } = yield* inputs(sh, "base64", rest.slice(0, 1));
  if (failed) return 1;
  const text = list.map((f) => f.text).join("");
  if (opts.has("d")) {
    const clean = text.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
      appletError(sh, "base64", "invalid input");
      return 1;
    }
    sh.stdout.write(Buffer.from(clean, "base64").toString("utf8"));
    return 0;
  }
  const enc = Buffer.from(text, "utf8").toString("base64");
  sh.stdout.write(enc ? (enc.match(/.{1,76}/g) ?? []).join("\n") + "\n" : "");
  return 0;
}

export const TEXT_APPLETS: Record<string, CommandFn> = { wc, grep, head, tail, seq, expr, basename, dirname, tr, cut, sort, uniq, rev, base64 };
