/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/** busybox 1.28's `echo` and `printf` (shared by the shell builtins and the applets). */
import type { G } from "./effects.ts";
import type { Shell } from "./interp.ts";


export function* done(n: number): G<number> {
  return n;
}

// ---- echo / printf ----------------------------------------------------------------------------

function echoEscapes(s: string, dash = false): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\" || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    switch (n) {
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "c":
        return { text: out, stop: true };
      case "e":
        out += dash ? "\\e" : "\x1b";
        break;
      case "f":
        out += "\f";
        break;
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "t":
        out += "\t";
        break;
      case "v":
        out += "\v";
        break;
      case "\\":
        out += "\\";
        break;
      case "0": {
        const m = /^[0-7]{0,3}/.exec(s.slice(i + 1))![0];
        out += String.fromCharCode(parseInt(m || "0", 8));
        i += m.length;
        break;
      }
      case "x": {
        const m = dash ? null : /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          i += m[0].length;
        } else out += "\\x";
        break;
      }
      default:
        out += "\\" + n;
    }
  }
  return { text: out, stop: false };
}

/** The shell's builtin echo: dash's in a dash shell, else busybox's. */
export function* echo(sh: Shell, argv: string[]): G<number> {
  if (sh.env.dashEcho) return dashEcho(sh, argv);
  return yield* echoApplet(sh, argv);
}

/** busybox's echo (also what `/bin/echo` runs: busybox's applet, or coreutils' echo, which reads escapes only with -e too). */
export function* echoApplet(sh: Shell, argv: string[]): G<number> {
  let i = 1;
  let newline = true;
  let escapes = false;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!/^-[neE]+$/.test(a)) break;
    for (const c of a.slice(1)) {
      if (c === "n") newline = false;
      else if (c === "e") escapes = true;
      else escapes = false;
    }
  }
  let text = argv.slice(i).join(" ");
  if (escapes) {
    const r = echoEscapes(text);
    text = r.text;
    if (r.stop) newline = false;
  }
  sh.stdout.write(newline ? text + "\n" : text);
  return 0;
}

/**
 * dash's echo (src/bltin/printf.c echocmd): only a first `-n` is an option; backslash escapes are
 * always read (\a \b \c \f \n \r \t \v \\ and \0nnn; dash knows no \e or \x).
 */
function dashEcho(sh: Shell, argv: string[]): number {
  let i = 1;
  let newline = true;
  if (argv[1] === "-n") {
    newline = false;
    i = 2;
  }
  const r = echoEscapes(argv.slice(i).join(" "), true);
  sh.stdout.write(r.text + (newline && !r.stop ? "\n" : ""));
  return 0;
}

function parseNumberArg(s: string): number | undefined {
  if (/^[+-]?[0-9]+$/.test(s.trim())) return parseInt(s, 10);
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(s.trim())) return parseInt(s, 16);
  if (/^['"]./.test(s)) return s.charCodeAt(1);
  if (/^[+-]?[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?$/.test(s.trim())) return Number(s);
  return undefined;
}

export function formatPrintf(sh: Shell, fmt: string, args: string[]): { out: string; status: number } {
  let out = "";
  let status = 0;
  let ai = 0;
  const next = (): string | undefined => args[ai++];
  do {
    const startAi = ai;
    for (let i = 0; i < fmt.length; i++) {
      const c = fmt[i]!;
      if (c === "\\") {
        const r = echoEscapes(fmt.slice(i, i + 5));
        // consume exactly one escape
        const m = /^\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/.exec(fmt.slice(i));
        const esc = m ? m[0] : "\\";
        if (/^\\[1-7]/.test(esc)) out += String.fromCharCode(parseInt(esc.slice(1), 8));
        else out += echoEscapes(esc).text;
        void r;
        i += esc.length - 1;
        continue;
      }
      if (c !== "%") {
        out += c;
        continue;
      }
      const m = /^%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]+))?([diouxXfeEgGcsb%])/.exec(fmt.slice(i));
      if (!m) {
        sh.stderr.write(`printf: %${fmt[i + 1] ?? ""}: invalid format\n`);
        return { out, status: 1 };
      }
      i += m[0].length - 1;
      const flags = m[1]!;
      let width = m[2] === "*" ? Number(next() ?? 0) : m[2] ? Number(m[2]) : undefined;
      const prec = m[3] === "*" ? Number(next() ?? 0) : m[3] !== undefined ? Number(m[3]) : undefined;
      const conv = m[4]!;
      if (conv === "%") {
        out += "%";
        continue;
      }
      const arg = next();
      let s: string;
      switch (conv) {
        case "s":
          s = arg ?? "";
          if (prec !== undefined) s = s.slice(0, prec);
          break;
        case "b":
          s = echoEscapes(arg ?? "").text;
          break;
        case "c":
          s = (arg ?? "").slice(0, 1);
          break;
        case "d":
        case "i":
        case "o":
        case "u":
        case "x":
        case "X": {
          let n = arg === undefined || arg === "" ? 0 : parseNumberArg(arg);
          if (n === undefined) {
            sh.stderr.write(`printf: invalid number '${arg}'\n`);
            status = 1;
            n = 0;
          }
          n = Math.trunc(n);
          const base = conv === "o" ? 8 : conv === "x" || conv === "X" ? 16 : 10;
          s = Math.abs(n).toString(base);
          if (conv === "X") s = s.toUpperCase();
          if (prec !== undefined) s = s.padStart(prec, "0");
          if (n < 0) s = "-" + s;
          else if (flags.includes("+")) s = "+" + s;
          else if (flags.includes(" ")) s = " " + s;
          break;
        }
        default: {
          let n = arg === undefined || arg === "" ? 0 : parseNumberArg(arg);
          if (n === undefined) {
            sh.stderr.write(`printf: invalid number '${arg}'\n`);
            status = 1;
            n = 0;
          }
          const p = prec ?? 6;
          s = conv === "f" ? n.toFixed(p) : conv === "e" || conv === "E" ? n.toExponential(p) : String(Number(n.toPrecision(p || 1)));
          if (conv === "E" || conv === "G") s = s.toUpperCase();
          if (n >= 0 && flags.includes("+")) s = "+" + s;
        }
      }
      if (width !== undefined && width < 0) {
        width = -width;
        s = s.padEnd(width);
      } else if (width !== undefined) {
        if (flags.includes("-")) s = s.padEnd(width);
        else if (flags.includes("0") && /[diouxXfeEgG]/.test(conv)) {
          const neg = /^[-+ ]/.test(s) ? s[0]! : "";
          s = neg + s.slice(neg.length).padStart(width - neg.length, "0");
        } else s = s.padStart(width);
      }
      out += s;
    }
    if (ai === startAi) break;
  } while (ai < args.length);
  return { out, status };
}

export function* printf(sh: Shell, argv: string[]): G<number> {
  const args = argv[1] === "--" ? argv.slice(2) : argv.slice(1);
  if (args.length === 0) {
    sh.stderr.write("printf: usage: printf FORMAT [ARGUMENT...]\n");
    return 2;
  }
  const r = formatPrintf(sh, args[0]!, args.slice(1));
  sh.stdout.write(r.out);
  return r.status;
}

