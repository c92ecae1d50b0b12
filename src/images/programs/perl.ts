/**
 * `perl` in the perl image, for what the kubernetes.io pages run: the Job page's
 * `perl -Mbignum=bpi -wle 'print bpi(2000)'` prints π to 2,000 digits (./pi.ts) after the time
 * Math::BigFloat takes to compute it. Switches: `-e`/`-E` (script), `-l` (a newline after each
 * print), `-w`, `-M<module>[=imports]`, clustered as perl reads them (`-wle`). The script may
 * `print` string literals, numbers and `bpi(N)`, `sleep N` and `exit N`; anything else fails
 * with a message saying the model does not run it. The image's CMD `perl5.40.0 -de0` starts the
 * debugger, which ends at once on an empty standard input.
 */
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";
import type { ModelBehaviour } from "../launch.ts";
import { piDigits } from "./pi.ts";

interface PerlRun {
  script?: string;
  lineEnds: boolean;
  modules: string[];
  debugger: boolean;
  file?: string;
  error?: string;
}

function parseSwitches(args: string[]): PerlRun {
  const run: PerlRun = { lineEnds: false, modules: [], debugger: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      run.file = args[i + 1];
      break;
    }
    if (!a.startsWith("-") || a === "-") {
      run.file = a;
      break;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === "e" || c === "E") {
        const rest = a.slice(j + 1);
        const script = rest || args[++i];
        if (script === undefined) return { ...run, error: "No code specified for -e." };
        run.script = run.script === undefined ? script : `${run.script}\n${script}`;
        break;
      }
      if (c === "M" || c === "m") {
        run.modules.push(a.slice(j + 1) || args[++i] || "");
        break;
      }
      if (c === "d") {
        run.debugger = true;
        continue;
      }
      if (c === "l") run.lineEnds = true;
      else if ("wWXnpaTtsSuUc".includes(c)) continue;
      else if (c === "v") return { ...run, script: 'print "\\nThis is perl 5, version 40, subversion 0 (v5.40.0) built for x86_64-linux-gnu\\n"' };
      else return { ...run, error: `Unrecognized switch: -${a.slice(j)}  (-h will show valid options).` };
    }
  }
  return run;
}

/** Splits `a; b; c` at semicolons outside quotes. */
function statements(script: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | undefined;
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') {
        cur += c + (script[++i] ?? "");
        continue;
      }
      if (c === quote) quote = undefined;
      cur += c;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if (c === ";" || c === "\n") {
      if (cur.trim()) out.push(cur.trim());
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

type Value = { text: string; costMs: number };

/** One item of a print list: a string literal, a number, or bpi(N) when bignum exports it. */
function evalItem(expr: string, hasBpi: boolean): Value | undefined {
  const e = expr.trim();
  let m = /^"((?:[^"\\]|\\.)*)"$/.exec(e);
  if (m) return { text: m[1]!.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\(.)/g, "$1"), costMs: 0 };
  m = /^'((?:[^'\\]|\\.)*)'$/.exec(e);
  if (m) return { text: m[1]!.replace(/\\(['\\])/g, "$1"), costMs: 0 };
  if (/^-?\d+(\.\d+)?$/.test(e)) return { text: String(Number(e)), costMs: 0 };
  m = /^bpi\s*\(\s*(\d+)\s*\)$/.exec(e);
  if (m && hasBpi) {
    const n = Number(m[1]);
    // Math::BigFloat's pure-Perl bpi takes about half a second per thousand digits squared.
    return { text: piDigits(n), costMs: Math.round((n * n) / 2_000) };
  }
  return undefined;
}

function splitList(list: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | undefined;
  let depth = 0;
  for (const c of list) {
    if (quote) {
      if (c === quote) quote = undefined;
      cur += c;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

export const perlCommand: CommandFn = function* (sh: Shell, argv: string[]): G<number> {
  const run = parseSwitches(argv.slice(1));
  if (run.error) {
    sh.stderr.write(`${run.error}\n`);
    return run.error.startsWith("Unrecognized") ? 29 : 2;
  }
  if (run.debugger && run.script === "0") {
    sh.stdout.write("\nLoading DB routines from perl5db.pl version 1.77\nEditor support available.\n\nEnter h or 'h h' for help, or 'man perldebug' for more help.\n\nmain::(-e:1):\t0\n");
    return 0;
  }
  let script = run.script;
  if (script === undefined) {
    if (run.file === undefined) return 0; // the script would come from an empty standard input
    try {
      script = sh.io.fs.readFile(run.file.startsWith("/") ? run.file : `${sh.cwd.replace(/\/$/, "")}/${run.file}`);
    } catch {
      sh.stderr.write(`Can't open perl script "${run.file}": No such file or directory\n`);
      return 2;
    }
  }
  const hasBpi = run.modules.some((m) => /^bignum=.*\bbpi\b/.test(m) || /^bigrat=.*\bbpi\b/.test(m) || /^Math::BigFloat/.test(m));
  for (const stmt of statements(script)) {
    const printList = /^print\s*\((.*)\)$/.exec(stmt)?.[1] ?? /^print(?:\s+(.*))?$/.exec(stmt)?.[1];
    if (printList !== undefined || stmt === "print") {
      let out = "";
      let cost = 0;
      for (const item of splitList(printList ?? "")) {
        const v = evalItem(item, hasBpi);
        if (!v) return unsupported(sh, script);
        out += v.text;
        cost += v.costMs;
      }
      if (cost) yield { k: "sleep", ms: cost };
      sh.stdout.write(out + (run.lineEnds ? "\n" : ""));
      continue;
    }
    let m = /^sleep\s*\(?\s*(\d+)\s*\)?$/.exec(stmt);
    if (m) {
      yield { k: "sleep", ms: Number(m[1]) * 1000 };
      continue;
    }
    m = /^exit\s*\(?\s*(\d*)\s*\)?$/.exec(stmt);
    if (m) return Number(m[1] || 0) & 255;
    return unsupported(sh, script);
  }
  return 0;
};

function unsupported(sh: Shell, script: string): number {
  sh.stderr.write(`kube-scenario's perl model cannot run this script (it runs print of strings, numbers and bpi(N), sleep and exit; docs/images.md): ${script}\n`);
  return 255;
}

export const PERL: ModelBehaviour = {
  commands: { perl: perlCommand, "perl5.40.0": perlCommand, "/usr/local/bin/perl": perlCommand, "/usr/bin/perl": perlCommand },
};
