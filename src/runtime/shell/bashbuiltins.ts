/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/**
 * The builtins a `bash` has beyond ash's, or where it behaves otherwise (bash's builtins/*.def):
 * `declare`/`typeset`/`local` with arrays (`-a`, `-A`), `unset 'a[i]'`, `read -a`/`-d`,
 * `mapfile`/`readarray`, `printf -v`, `shopt`. Consulted before ash's table when the shell is bash
 * (interp.ts runCommand); ash's behaviour is untouched.
 */
import type { G } from "./effects.ts";
import type { Shell } from "./interp.ts";
import type { CommandFn } from "./util.ts";
import { Parser, ShellSyntaxError, isName } from "./parser.ts";
import { printf } from "./printf.ts";

/** `name`, `name=value`, `name+=value`, `name[i]=value`, `name=(…)` as a declaration's argument. */
const DECL_ARG = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?=)?([\s\S]*)$/;

/** `declare`/`typeset` (local in a function unless -g) and `local`: attributes -a, -A, -x, -r, -g; -p prints. */
function* declare(sh: Shell, argv: string[], isLocal: boolean): G<number> {
  const cmd = argv[0]!;
  if (isLocal && sh.funcDepth === 0) {
    sh.error(`${cmd}: can only be used in a function`);
    return 1;
  }
  const on = new Set<string>();
  const off = new Set<string>();
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!/^[-+][a-zA-Z]+$/.test(a)) break;
    for (const c of a.slice(1)) {
      if (!"aAgilnrtuxpfF".includes(c)) {
        sh.error(`${cmd}: ${a[0]}${c}: invalid option`);
        return 2;
      }
      (a[0] === "-" ? on : off).add(c);
    }
  }
  const args = argv.slice(i);
  if (on.has("p")) return printDeclarations(sh, args);
  const local = isLocal || (sh.funcDepth > 0 && !on.has("g"));
  let st = 0;
  for (const arg of args) {
    const m = DECL_ARG.exec(arg);
    if (!m || (m[3] === undefined && m[4] !== "")) {
      sh.error(`${cmd}: \`${arg}': not a valid identifier`);
      st = 1;
      continue;
    }
    const name = m[1]!;
    if (local) sh.declareLocal(name);
    const v = sh.vars.get(name);
    if (v?.readonly && m[3] !== undefined) {
      sh.error(`${name}: readonly variable`);
      st = 1;
      continue;
    }
    if (on.has("A") && !v?.assoc) sh.setAssoc(name, new Map());
    else if (on.has("a") && !v?.array && !v?.assoc) sh.setArray(name, v && !local ? [v.value] : []);
    else if (!v && m[3] === undefined && local) sh.vars.set(name, { value: "", exported: false, unsetButExported: true } as never);
    if (m[3] !== undefined) {
      const value = m[4]!;
      const append = m[3] === "+=";
      if (value.startsWith("(") && value.endsWith(")") && m[2] === undefined) {
        try {
          yield* sh.assignArrayItems(name, Parser.arrayLiteral(value), append);
        } catch (e) {
          if (!(e instanceof ShellSyntaxError)) throw e;
          sh.error(`${cmd}: ${e.message}`);
          st = 1;
        }
      } else if (m[2] !== undefined) {
        const index = m[2].slice(1, -1);
        const cur = sh.vars.get(name);
        const key = cur?.assoc ? index : Number(index);
        sh.setElement(name, key, value, append);
      } else {
        const cur = sh.vars.get(name);
        if (cur?.assoc) sh.setElement(name, "0", value, append);
        else if (cur?.array) sh.setElement(name, 0, value, append);
        else {
          const old = cur && !(cur as { unsetButExported?: boolean }).unsetButExported ? cur.value : "";
          sh.vars.delete(name);
          sh.setVar(name, append ? old + value : value, { exported: cur?.exported });
        }
      }
    }
    const after = sh.vars.get(name);
    if (after) {
      if (on.has("x")) after.exported = true;
      if (off.has("x")) after.exported = false;
      if (on.has("r")) after.readonly = true;
    }
  }
  return st;
}

/** `declare -p name…`: each as bash prints it (`declare -a a=([0]="x" [1]="y")`). */
function printDeclarations(sh: Shell, names: string[]): number {
  let st = 0;
  const quote = (s: string) => `"${s.replace(/(["\\$`])/g, "\\$1")}"`;
  for (const name of names) {
    const v = sh.vars.get(name);
    if (!v) {
      sh.error(`declare: ${name}: not found`);
      st = 1;
      continue;
    }
    const flags = (v.array ? "a" : v.assoc ? "A" : "") + (v.readonly ? "r" : "") + (v.exported ? "x" : "");
    const f = flags ? `-${flags}` : "--";
    if ((v as { unsetButExported?: boolean }).unsetButExported) sh.stdout.write(`declare ${f} ${name}\n`);
    else if (v.array || v.assoc) {
      const items = sh.entries(name).map(([k, e]) => `[${k}]=${quote(e)}`);
      sh.stdout.write(`declare ${f} ${name}=(${items.join(" ")}${v.assoc && items.length ? " " : ""})\n`);
    } else sh.stdout.write(`declare ${f} ${name}=${quote(v.value)}\n`);
  }
  return st;
}

/** `unset name`, `unset 'a[i]'`, `unset -f f`, `unset -v v`. */
function* unset(sh: Shell, argv: string[]): G<number> {
  let funcs = false;
  let st = 0;
  for (const a of argv.slice(1)) {
    if (a === "-f") funcs = true;
    else if (a === "-v") funcs = false;
    else if (funcs) sh.funcs.delete(a);
    else {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/.exec(a);
      const name = m ? m[1]! : a;
      if (!m && !isName(a)) {
        sh.error(`unset: \`${a}': not a valid identifier`);
        st = 1;
        continue;
      }
      if (sh.vars.get(name)?.readonly) {
        sh.error(`unset: ${name}: cannot unset: readonly variable`);
        st = 1;
        continue;
      }
      if (m && m[2] !== "@" && m[2] !== "*") yield* sh.unsetElement(name, { parts: [{ t: "lit", v: m[2]!, quoted: true }], raw: m[2]! });
      else sh.vars.delete(name);
    }
  }
  return st;
}

/** bash's `read [-r] [-a array] [-d delim] [-n count] [-p prompt] [-s] [-t timeout] [name…]`. */
function* read(sh: Shell, argv: string[]): G<number> {
  let raw = false;
  let arrayName: string | undefined;
  let delim = "\n";
  let count: number | undefined;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!/^-[a-zA-Z]/.test(a)) break;
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      if (c === "r" || c === "s" || c === "e") {
        if (c === "r") raw = true;
        continue;
      }
      if (!"adnNptiu".includes(c)) {
        sh.error(`read: -${c}: invalid option`);
        return 2;
      }
      const v = a.slice(k + 1) || argv[++i];
      if (v === undefined) {
        sh.error(`read: -${c}: option requires an argument`);
        return 2;
      }
      if (c === "a") arrayName = v;
      else if (c === "d") delim = v === "" ? "\0" : v[0]!;
      else if (c === "n" || c === "N") count = Number(v);
      break;
    }
  }
  const names = argv.slice(i);
  // the text up to the delimiter (a backslash-newline continues the line unless -r)
  const all = yield* readUpTo(sh, delim, count, raw);
  if (all === undefined) {
    if (arrayName) sh.setArray(arrayName, []);
    else for (const n of names.length ? names : ["REPLY"]) sh.setVar(n, "");
    return 1;
  }
  const { text, ended } = all;
  if (!arrayName && names.length === 0) {
    sh.setVar("REPLY", text);
    return ended ? 0 : 1;
  }
  const ifs = sh.getVar("IFS") ?? " \t\n";
  const fields = splitFields(text, ifs, arrayName ? Infinity : names.length);
  if (arrayName) sh.setArray(arrayName, fields);
  else names.forEach((n, k) => sh.setVar(n, fields[k] ?? ""));
  return ended ? 0 : 1;
}

/** Reads to the delimiter (or `count` characters); undefined at end of input with nothing read. */
function* readUpTo(sh: Shell, delim: string, count: number | undefined, raw: boolean): G<{ text: string; ended: boolean } | undefined> {
  const input = sh.stdin;
  let text = "";
  for (;;) {
    if (input.pos >= input.data.length) {
      const more = yield* input.readChunkG();
      if (more === undefined) return text === "" ? undefined : { text, ended: false };
      input.data = more;
      input.pos = 0;
    }
    const c = input.data[input.pos++]!;
    if (!raw && c === "\\") {
      if (input.pos >= input.data.length) {
        const more = yield* input.readChunkG();
        if (more !== undefined) {
          input.data = more;
          input.pos = 0;
        }
      }
      const n = input.data[input.pos];
      if (n !== undefined) {
        input.pos++;
        if (n !== "\n") text += "\u0001" + n;
        continue;
      }
      continue;
    }
    if (c === delim) return { text, ended: true };
    text += c;
    if (count !== undefined && text.length >= count) return { text, ended: true };
  }
}

/**
 * Splits read's text on IFS into at most `max` fields (the last takes the rest), as bash's read does:
 * IFS whitespace around fields is dropped; an escaped character (marked \u0001) never separates.
 */
function splitFields(text: string, ifs: string, max: number): string[] {
  const isWs = (c: string) => ifs.includes(c) && " \t\n".includes(c);
  const isSep = (c: string) => ifs.includes(c);
  const fields: string[] = [];
  let i = 0;
  while (i < text.length && isWs(text[i]!)) i++;
  while (i < text.length) {
    if (fields.length === max - 1) {
      let rest = text.slice(i);
      let e = rest.length;
      while (e > 0 && isWs(rest[e - 1]!) && rest[e - 2] !== "\u0001") e--;
      rest = rest.slice(0, e);
      fields.push(rest.split("\u0001").join(""));
      return fields;
    }
    let cur = "";
    while (i < text.length && !isSep(text[i]!)) {
      if (text[i] === "\u0001") {
        cur += text[i + 1] ?? "";
        i += 2;
      } else cur += text[i++];
    }
    fields.push(cur);
    // one separator: whitespace around it, at most one non-whitespace IFS character
    while (i < text.length && isWs(text[i]!)) i++;
    if (i < text.length && isSep(text[i]!) && !isWs(text[i]!)) {
      i++;
      while (i < text.length && isWs(text[i]!)) i++;
    }
  }
  return fields;
}

/** `mapfile`/`readarray [-t] [-n count] [-s skip] [-d delim] [array]`: standard input's lines into an array (MAPFILE). */
function* mapfile(sh: Shell, argv: string[]): G<number> {
  let trim = false;
  let count = 0;
  let skip = 0;
  let delim = "\n";
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-t") trim = true;
    else if (a === "-n" || a === "-s" || a === "-d" || a === "-O" || a === "-u" || a === "-C" || a === "-c") {
      const v = argv[++i] ?? "";
      if (a === "-n") count = Number(v);
      else if (a === "-s") skip = Number(v);
      else if (a === "-d") delim = v === "" ? "\0" : v[0]!;
    } else break;
  }
  const name = argv[i] ?? "MAPFILE";
  const text = yield* sh.stdin.readAllG();
  const lines: string[] = [];
  let from = 0;
  while (from < text.length) {
    const end = text.indexOf(delim, from);
    const stop = end < 0 ? text.length : end + 1;
    const line = text.slice(from, stop);
    from = stop;
    lines.push(trim && line.endsWith(delim) ? line.slice(0, -1) : line);
  }
  const kept = lines.slice(skip, count > 0 ? skip + count : undefined);
  sh.setArray(name, kept);
  return 0;
}

/** `printf -v var fmt args…`: the output into a variable. */
function* printfV(sh: Shell, argv: string[]): G<number> {
  if (argv[1] !== "-v") return yield* printf(sh, argv);
  const name = argv[2];
  if (name === undefined) {
    sh.error("printf: -v: option requires an argument");
    return 2;
  }
  const saved = sh.stdout;
  const cap = {
    text: "",
    write(s: string) {
      this.text += s;
    },
  };
  sh.stdout = cap;
  let st: number;
  try {
    st = yield* printf(sh, ["printf", ...argv.slice(3)]);
  } finally {
    sh.stdout = saved;
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/.exec(name);
  if (m) sh.setElement(m[1]!, sh.vars.get(m[1]!)?.assoc ? m[2]! : Number(m[2]), cap.text);
  else if (isName(name)) sh.setVar(name, cap.text);
  else {
    sh.error(`printf: \`${name}': not a valid identifier`);
    return 2;
  }
  return st;
}

/** bash 5.2's shopt options and their defaults in a non-interactive shell. */
const SHOPT_DEFAULTS: Record<string, boolean> = {
  autocd: false, assoc_expand_once: false, cdable_vars: false, cdspell: false, checkhash: false, checkjobs: false, checkwinsize: false,
  cmdhist: true, compat31: false, compat32: false, compat40: false, compat41: false, compat42: false, compat43: false, compat44: false,
  complete_fullquote: true, direxpand: false, dirspell: false, dotglob: false, execfail: false, expand_aliases: false, extdebug: false,
  extglob: false, extquote: true, failglob: false, force_fignore: true, globasciiranges: true, globskipdots: true, globstar: false,
  gnu_errfmt: false, histappend: false, histreedit: false, histverify: false, hostcomplete: true, huponexit: false,
  inherit_errexit: false, interactive_comments: true, lastpipe: false, lithist: false, localvar_inherit: false, localvar_unset: false,
  login_shell: false, mailwarn: false, no_empty_cmd_completion: false, nocaseglob: false, nocasematch: false, noexpand_translation: false,
  nullglob: false, patsub_replacement: true, progcomp: true, progcomp_alias: false, promptvars: true, restricted_shell: false,
  shift_verbose: false, sourcepath: true, varredir_close: false, xpg_echo: false,
};

/** `shopt [-s|-u] [-q] [opt…]`: options are kept (nullglob and dotglob change pathname expansion). */
function* shopt(sh: Shell, argv: string[]): G<number> {
  let mode: "s" | "u" | undefined;
  let quiet = false;
  let i = 1;
  for (; i < argv.length && /^-[supqo]+$/.test(argv[i]!); i++) {
    for (const c of argv[i]!.slice(1)) {
      if (c === "s" || c === "u") mode = c;
      else if (c === "q") quiet = true;
    }
  }
  const names = argv.slice(i);
  let st = 0;
  const value = (n: string) => sh.shopts.get(n) ?? SHOPT_DEFAULTS[n]!;
  for (const n of names) {
    if (!(n in SHOPT_DEFAULTS)) {
      sh.error(`shopt: ${n}: invalid shell option name`);
      st = 1;
      continue;
    }
    if (mode) sh.shopts.set(n, mode === "s");
    else if (!value(n)) st = 1;
  }
  if (!mode && !quiet) {
    const list = names.length ? names.filter((n) => n in SHOPT_DEFAULTS) : Object.keys(SHOPT_DEFAULTS);
    for (const n of list) sh.stdout.write(`${n.padEnd(15)}\t${value(n) ? "on" : "off"}\n`);
  }
  return st;
}

export const BASH_BUILTINS: Record<string, CommandFn> = {
  declare: (sh, argv) => declare(sh, argv, false),
  typeset: (sh, argv) => declare(sh, argv, false),
  local: (sh, argv) => declare(sh, argv, true),
  unset,
  read,
  mapfile,
  readarray: mapfile,
  printf: printfV,
  shopt,
};
