/**
 * redis' configuration as `redis-server` reads it and `CONFIG GET`/`CONFIG SET` answer from it
 * (redis/redis src/config.c, src/util.c), and redis-cli's two renderings of a reply
 * (src/redis-cli.c: cliFormatReplyTTY when stdout is a terminal, cliFormatReplyRaw otherwise).
 *
 * - `redis-server [/path/to/redis.conf] [--name value …]`: a first argument not starting with `--`
 *   is the config file; each `--name value…` option becomes one more config line after the
 *   file's (main() in server.c). A missing file is fatal ("Fatal error, can't open config file").
 * - Config lines (loadServerConfigFromString): trimmed of spaces, tabs and line ends; empty lines
 *   and `#` comments skipped; split into words as sdssplitargs does (quotes, escapes); the
 *   directive is case-insensitive. An unknown directive, a bad memory value or an unknown enum
 *   value stops the server with redis' `*** FATAL CONFIG FILE ERROR ***` report, exit 1.
 * - Memory values (`maxmemory 2mb`) are parsed by memtoull: a number then `b`, `k` (1000), `kb`
 *   (1024), `m`, `mb`, `g`, `gb`, case-insensitive; CONFIG GET prints the byte count (2097152).
 * - The parameters modelled are the table below with redis 7.4's defaults (an image without a
 *   config file uses them: `maxmemory` 0, `maxmemory-policy` noeviction). CONFIG GET takes glob
 *   patterns (stringmatch, case-insensitive) and answers name/value pairs in the table's order.
 */

export type RedisReply =
  | { t: "status"; s: string }
  | { t: "error"; s: string }
  | { t: "int"; n: number }
  | { t: "bulk"; s: string }
  | { t: "nil" }
  | { t: "array"; items: RedisReply[] };

export const ok: RedisReply = { t: "status", s: "OK" };
export const bulk = (s: string): RedisReply => ({ t: "bulk", s });
export const err = (s: string): RedisReply => ({ t: "error", s });

interface Param {
  name: string;
  kind: "memory" | "int" | "enum" | "bool" | "string";
  def: string;
  values?: string[];
  /** Set only in the config file (CONFIG SET refuses it: "can't set immutable config"). */
  immutable?: boolean;
}

const POLICIES = ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"];

/** The modelled parameters, with redis 7.4's defaults (src/config.c standardConfig table). */
const PARAMS: Param[] = [
  { name: "maxmemory", kind: "memory", def: "0" },
  { name: "maxmemory-policy", kind: "enum", def: "noeviction", values: POLICIES },
  { name: "maxmemory-samples", kind: "int", def: "5" },
  { name: "maxclients", kind: "int", def: "10000" },
  { name: "port", kind: "int", def: "6379", immutable: false },
  { name: "databases", kind: "int", def: "16", immutable: true },
  { name: "timeout", kind: "int", def: "0" },
  { name: "tcp-keepalive", kind: "int", def: "300" },
  { name: "loglevel", kind: "enum", def: "notice", values: ["debug", "verbose", "notice", "warning", "nothing"] },
  { name: "appendonly", kind: "bool", def: "no" },
  { name: "requirepass", kind: "string", def: "" },
  { name: "protected-mode", kind: "bool", def: "yes" },
  { name: "daemonize", kind: "bool", def: "no", immutable: true },
  { name: "save", kind: "string", def: "3600 1 300 100 60 10000" },
  { name: "bind", kind: "string", def: "* -::*" },
];

const BY_NAME = new Map(PARAMS.map((p) => [p.name, p]));

/** memtoull (src/util.c): `2mb` → 2097152; undefined for what redis refuses. */
export function memtoull(p: string): number | undefined {
  const m = /^(\d*)(.*)$/.exec(p)!;
  const unit = m[2]!.toLowerCase();
  const mul = ({ "": 1, b: 1, k: 1000, kb: 1024, m: 1000 * 1000, mb: 1024 * 1024, g: 1000 * 1000 * 1000, gb: 1024 * 1024 * 1024 } as Record<string, number>)[unit];
  if (mul === undefined || m[1] === "") return undefined;
  return Number(m[1]) * mul;
}

/**
 * sdssplitargs (src/sds.c): words separated by blanks; `"…"` with backslash escapes (\n, \t,
 * \xHH, …), `'…'` with only \' ; undefined for unbalanced quotes or a quote not followed by a
 * blank.
 */
export function splitArgs(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  const blank = (c: string | undefined) => c === " " || c === "\n" || c === "\r" || c === "\t" || c === "\0" || c === "\v" || c === "\f";
  for (;;) {
    while (i < n && blank(line[i])) i++;
    if (i >= n) return out;
    let cur = "";
    let inq = false;
    let insq = false;
    for (;;) {
      const c = line[i];
      if (inq) {
        if (c === undefined) return undefined;
        if (c === "\\" && line[i + 1] === "x" && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === "\\" && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += ({ n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" } as Record<string, string>)[e] ?? e;
        } else if (c === '"') {
          if (i + 1 < n && !blank(line[i + 1])) return undefined;
          i++;
          break;
        } else cur += c;
      } else if (insq) {
        if (c === undefined) return undefined;
        if (c === "\\" && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !blank(line[i + 1])) return undefined;
          i++;
          break;
        } else cur += c;
      } else {
        if (c === undefined || blank(c)) break;
        if (c === '"') inq = true;
        else if (c === "'") insq = true;
        else cur += c;
      }
      i++;
    }
    out.push(cur);
  }
}

/** stringmatch (src/util.c) with nocase: `*`, `?`, `[…]`, `\x`. */
export function globMatch(pattern: string, s: string): boolean {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith("^")) body = "^" + body.slice(1).replace(/[\\\]]/g, "\\$&");
        else body = body.replace(/[\\\]^]/g, "\\$&");
        re += `[${body}]`;
        i = end;
      }
    } else if (c === "\\" && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(re + "$", "is").test(s);
}

/** Why a value is refused for a parameter (redis 7.4's words), or the value as CONFIG GET prints it. */
function normalise(p: Param, args: string[]): { value: string } | { error: string } {
  const v = args.join(" ");
  switch (p.kind) {
    case "memory": {
      if (args.length !== 1) return { error: "wrong number of arguments" };
      const n = memtoull(v);
      return n === undefined ? { error: "argument must be a memory value" } : { value: String(n) };
    }
    case "int":
      if (args.length !== 1) return { error: "wrong number of arguments" };
      return /^-?\d+$/.test(v) ? { value: String(Number(v)) } : { error: "argument couldn't be parsed into an integer" };
    case "enum": {
      if (args.length !== 1) return { error: "wrong number of arguments" };
      const l = v.toLowerCase();
      return p.values!.includes(l) ? { value: l } : { error: `argument(s) must be one of the following: ${p.values!.join(", ")}` };
    }
    case "bool": {
      if (args.length !== 1) return { error: "wrong number of arguments" };
      const l = v.toLowerCase();
      return l === "yes" || l === "no" ? { value: l } : { error: "argument must be 'yes' or 'no'" };
    }
    case "string":
      return { value: v };
  }
}

/** A fatal error while loading the configuration, as redis prints it on stderr before exit(1). */
export class RedisConfigError extends Error {
  constructor(
    readonly report: string,
    readonly toLog = false,
  ) {
    super(report);
  }
}

export class RedisConfig {
  private readonly values = new Map<string, string>();

  constructor(private readonly version = "7.4.1") {
    for (const p of PARAMS) this.values.set(p.name, p.def);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /**
   * loadServerConfigFromString: each line of the file (then the command line's options); throws
   * RedisConfigError with redis' report for the first line it refuses.
   */
  load(text: string): void {
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
      if (line === "" || line.startsWith("#")) continue;
      const fail = (why: string): never => {
        throw new RedisConfigError(`\n*** FATAL CONFIG FILE ERROR (Redis ${this.version}) ***\nReading the configuration file, at line ${i + 1}\n>>> '${line}'\n${why}\n`);
      };
      const argv = splitArgs(line);
      if (!argv) fail("Unbalanced quotes in configuration line");
      if (!argv!.length) continue;
      const name = argv![0]!.toLowerCase();
      const p = BY_NAME.get(name);
      if (!p || argv!.length < 2) fail("Bad directive or wrong number of arguments");
      const r = normalise(p!, argv!.slice(1));
      if ("error" in r) fail(r.error);
      else this.values.set(p!.name, r.value);
    }
  }

  /** CONFIG GET pattern…: name/value pairs of every parameter a pattern matches, in table order. */
  configGet(patterns: string[]): RedisReply {
    const items: RedisReply[] = [];
    const seen = new Set<string>();
    for (const p of PARAMS) {
      if (seen.has(p.name) || !patterns.some((pat) => globMatch(pat, p.name))) continue;
      seen.add(p.name);
      items.push(bulk(p.name), bulk(this.values.get(p.name)!));
    }
    return { t: "array", items };
  }

  /** CONFIG SET name value (redis 7's replies). */
  configSet(args: string[]): RedisReply {
    if (args.length < 2 || args.length % 2 !== 0) return err("ERR wrong number of arguments for 'config|set' command");
    const name = args[0]!.toLowerCase();
    const p = BY_NAME.get(name);
    if (!p) return err(`ERR Unknown option or number of arguments for CONFIG SET - '${args[0]}'`);
    if (p.immutable) return err(`ERR CONFIG SET failed (possibly related to argument '${args[0]}') - can't set immutable config`);
    const r = normalise(p, p.kind === "string" ? [args[1]!] : splitArgs(args[1]!) ?? [args[1]!]);
    if ("error" in r) return err(`ERR CONFIG SET failed (possibly related to argument '${args[0]}') - ${r.error}`);
    this.values.set(p.name, r.value);
    return ok;
  }
}

/** The text of redis-server's command line: `[file] [--opt v…]` → the file path and the options as config lines. */
export function serverArgs(args: string[]): { file?: string; options: string } {
  let j = 0;
  let file: string | undefined;
  if (args[0] !== undefined && !args[0].startsWith("--")) {
    file = args[0];
    j = 1;
  }
  const lines: string[] = [];
  for (; j < args.length; j++) {
    const a = args[j]!;
    if (a.startsWith("--")) lines.push(a.slice(2));
    else if (lines.length) lines[lines.length - 1] += " " + quoteArg(a);
  }
  return { ...(file !== undefined ? { file } : {}), options: lines.join("\n") };
}

/** sdscatrepr (src/sds.c): a quoted string with C escapes, as redis-cli prints a bulk reply on a terminal. */
export function repr(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\" || ch === '"') out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\x07") out += "\\a";
    else if (ch === "\b") out += "\\b";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

function quoteArg(a: string): string {
  return /[\s"'\\]/.test(a) || a === "" ? repr(a) : a;
}

/** cliFormatReplyTTY: what redis-cli prints on a terminal (`1) "maxmemory"`, `(integer) 1`, `(nil)`). */
export function formatTTY(r: RedisReply, prefix = ""): string {
  switch (r.t) {
    case "status":
      return r.s + "\n";
    case "error":
      return `(error) ${r.s}\n`;
    case "int":
      return `(integer) ${r.n}\n`;
    case "bulk":
      return repr(r.s) + "\n";
    case "nil":
      return "(nil)\n";
    case "array": {
      if (!r.items.length) return "(empty array)\n";
      const width = String(r.items.length).length;
      let out = "";
      r.items.forEach((item, i) => {
        const label = `${String(i + 1).padStart(width)}) `;
        const inner = formatTTY(item, prefix + " ".repeat(label.length));
        out += (i === 0 ? "" : prefix) + label + inner;
      });
      return out;
    }
  }
}

/** cliFormatReplyRaw: what redis-cli prints when its output is not a terminal (one element a line, no quotes). */
export function formatRaw(r: RedisReply): string {
  switch (r.t) {
    case "status":
    case "bulk":
    case "error":
      return r.s + "\n";
    case "int":
      return `${r.n}\n`;
    case "nil":
      return "\n";
    case "array":
      return r.items.map(formatRaw).join("");
  }
}
