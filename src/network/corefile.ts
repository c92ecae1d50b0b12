/**
 * CoreDNS's Corefile: the Caddyfile syntax CoreDNS v1.11.3 reads (coredns/caddy v1.1.1
 * caddyfile/lexer.go, parse.go, dispenser.go, ported), the reload plugin's fingerprint of it
 * (plugin/reload/reload.go: SHA512 of `json.Marshal` of the parsed server blocks, so comments and
 * spacing do not count), and what the simulated cluster DNS takes from it to route a query
 * (core/dnsserver: the server block of the most specific zone; the kubernetes, hosts and forward
 * plugins).
 *
 * Not ported: `import` and snippets (an error here), environment references (`{$VAR}`), the
 * other plugins' arguments (they are accepted as written, not checked).
 */
import { createHash } from "node:crypto";

export interface CaddyToken {
  line: number;
  text: string;
}

/** caddyfile.ServerBlock: its keys (`.:53`) and each directive's tokens (the name first), in order. */
export interface ServerBlock {
  keys: string[];
  tokens: Map<string, CaddyToken[]>;
}

/** The directives CoreDNS v1.11.3 is built with (plugin.cfg, in its order). */
export const COREDNS_DIRECTIVES = [
  "root", "metadata", "geoip", "cancel", "tls", "timeouts", "reload", "nsid", "bufsize", "bind", "debug", "trace", "ready",
  "health", "pprof", "prometheus", "errors", "log", "dnstap", "local", "dns64", "acl", "any", "chaos", "loadbalance", "tsig",
  "cache", "rewrite", "header", "dnssec", "autopath", "minimal", "template", "transfer", "hosts", "route53", "azure", "clouddns",
  "k8s_external", "kubernetes", "file", "auto", "secondary", "etcd", "loop", "forward", "grpc", "erratic", "whoami", "on", "sign", "view",
];

/** lexer.next: words separated by white space, `"quoted words"` (only `\"` escapes), `#` to the line's end. */
export function lex(text: string): CaddyToken[] {
  const out: CaddyToken[] = [];
  let line = 1;
  let val = "";
  let has = false;
  let tokLine = 0;
  let comment = false;
  let quoted = false;
  let escaped = false;
  const push = () => {
    out.push({ line: tokLine, text: val });
    val = "";
    has = false;
  };
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (!escaped) {
        if (ch === "\\") {
          escaped = true;
          continue;
        } else if (ch === '"') {
          quoted = false;
          push();
          continue;
        }
      }
      if (ch === "\n") line++;
      if (escaped && ch !== '"') val += "\\";
      val += ch;
      escaped = false;
      continue;
    }
    if (/\s/.test(ch)) {
      if (ch === "\r") continue;
      if (ch === "\n") {
        line++;
        comment = false;
      }
      if (has && val.length > 0) push();
      continue;
    }
    if (ch === "#") comment = true;
    if (comment) continue;
    if (!has || val.length === 0) {
      tokLine = line;
      has = true;
      val = "";
      if (ch === '"') {
        quoted = true;
        continue;
      }
    }
    val += ch;
  }
  if (has && val.length > 0) push();
  return out;
}

/** A parse error as caddy words it: `<file>:<line> - Error during parsing: <msg>` (Dispenser.Err). */
export class CorefileError extends Error {}

/**
 * caddyfile.Parse: server blocks (keys, then `{ directives }`); `validDirectives` (CoreDNS's
 * plugin list at start-up) makes an unknown directive an error, as caddy.Start does; the reload
 * plugin's own parse passes none.
 */
export function parseCorefile(text: string, file: string, validDirectives: string[] | null = COREDNS_DIRECTIVES): ServerBlock[] {
  const tokens = lex(text);
  let cursor = -1;
  const val = () => tokens[cursor]?.text ?? "";
  const lineOf = () => tokens[cursor]?.line ?? 0;
  const next = () => (cursor < tokens.length - 1 ? (cursor++, true) : false);
  const numLineBreaks = (i: number) => (tokens[i]?.text.match(/\n/g) ?? []).length;
  const isNewLine = () => cursor < 1 || (cursor < tokens.length && tokens[cursor - 1]!.line + numLineBreaks(cursor - 1) < tokens[cursor]!.line);
  const err = (msg: string) => new CorefileError(`${file}:${lineOf()} - Error during parsing: ${msg}`);
  const syntaxErr = (expected: string) => new CorefileError(`${file}:${lineOf()} - Syntax error: Unexpected token '${val()}', expecting '${expected}'`);
  const blocks: ServerBlock[] = [];
  while (next()) {
    const block: ServerBlock = { keys: [], tokens: new Map() };
    // addresses
    let expectingAnother = false;
    let eof = false;
    for (;;) {
      let tkn = val();
      if (tkn === "import" && isNewLine()) throw err("import is not simulated: write the imported lines into the Corefile");
      if (tkn === "{") {
        if (expectingAnother) throw err(`Expected another address but had '${tkn}' - check for extra comma`);
        break;
      }
      if (tkn !== "") {
        if (tkn.endsWith(",")) {
          tkn = tkn.slice(0, -1);
          expectingAnother = true;
        } else expectingAnother = false;
        block.keys.push(tkn);
      }
      const hasNext = next();
      if (expectingAnother && !hasNext) throw err("Unexpected EOF");
      if (!hasNext) {
        eof = true;
        break;
      }
      if (!expectingAnother && isNewLine()) break;
    }
    if (!eof) {
      if (block.keys.length === 1 && block.keys[0]!.startsWith("(") && block.keys[0]!.endsWith(")")) throw err("snippets are not simulated");
      // blockContents
      const open = val() === "{";
      if (!open) cursor--;
      while (next()) {
        if (val() === "}") break;
        if (val() === "import") throw err("import is not simulated: write the imported lines into the Corefile");
        // directive
        const dir = val();
        if (validDirectives && !validDirectives.includes(dir)) throw err(`Unknown directive '${dir}'`);
        const list = block.tokens.get(dir) ?? [];
        block.tokens.set(dir, list);
        list.push(tokens[cursor]!);
        let nesting = 0;
        while (next()) {
          if (val() === "{") nesting++;
          else if (isNewLine() && nesting === 0) {
            cursor--;
            break;
          } else if (val() === "}" && nesting > 0) nesting--;
          else if (val() === "}" && nesting === 0) throw err("Unexpected '}' because no matching opening brace");
          list.push(tokens[cursor]!);
        }
        if (nesting > 0) throw err("Unexpected EOF");
      }
      if (open && val() !== "}") throw syntaxErr("}");
    }
    if (block.keys.length > 0) blocks.push(block);
  }
  return blocks;
}

/** Go's encoding/json string: `<`, `>`, `&`, U+2028/9 escaped as \u00XX, as json.Marshal does. */
function goJSONString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** json.Marshal([]ServerBlock): `[{"Keys":[...],"Tokens":{"<dir>":[{"File":"","Line":n,"Text":"..."}]}}]`, map keys sorted. */
export function serverBlocksJSON(blocks: ServerBlock[]): string {
  const parts = blocks.map((b) => {
    const keys = `[${b.keys.map(goJSONString).join(",")}]`;
    const dirs = [...b.tokens.keys()].sort((a, z) => (a < z ? -1 : a > z ? 1 : 0));
    const toks = dirs.map((d) => `${goJSONString(d)}:[${b.tokens.get(d)!.map((t) => `{"File":"","Line":${t.line},"Text":${goJSONString(t.text)}}`).join(",")}]`);
    return `{"Keys":${keys},"Tokens":{${toks.join(",")}}}`;
  });
  return `[${parts.join(",")}]`;
}

/** The reload plugin's `Running configuration SHA512 = <hex>` of a Corefile (throws a CorefileError when it does not parse). */
export function corefileSHA512(text: string, file: string): string {
  return createHash("sha512").update(serverBlocksJSON(parseCorefile(text, file, null))).digest("hex");
}

// ---- What a query goes through ------------------------------------------------------------

/** A `forward FROM TO...` of a server block: where names under `from` are sent. */
export interface Forward {
  from: string;
  /** Upstream addresses (`dns://` and `:53` taken off), or `/etc/resolv.conf` (the pod's own resolver: the node's). */
  to: string[];
}

/** One zone a server block serves on port 53. */
export interface DNSZone {
  /** Fully qualified, lower case: `.`, `consul.local.` */
  zone: string;
  kubernetes?: string[];
  hosts?: { entries: Map<string, string>; fallthrough: boolean };
  forward?: Forward;
}

/** The Corefile as the cluster DNS routes queries by it. */
export interface CoreDNSConfig {
  zones: DNSZone[];
  /** The startup lines CoreDNS prints (`.:53`, `consul.local.:53`: startUpZones, sorted). */
  startup: string[];
}

/** dns.Fqdn and lower case: `consul.local` → `consul.local.` */
export function fqdn(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith(".") ? n : `${n}.`;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A server block's key: `[dns://]zone[:port]` (core/dnsserver/address.go normalizeZone). */
function splitKey(key: string, file: string): { zone: string; port: string } {
  let k = key;
  const m = /^([a-z]+):\/\//.exec(k);
  if (m) {
    if (m[1] !== "dns") throw new CorefileError(`${file}: the ${m[1]}:// transport is not simulated (${key})`);
    k = k.slice(m[0].length);
  }
  const colon = k.lastIndexOf(":");
  const zone = colon >= 0 ? k.slice(0, colon) : k;
  const port = colon >= 0 ? k.slice(colon + 1) : "53";
  if (!/^\d+$/.test(port)) throw new CorefileError(`${file}: invalid port in ${JSON.stringify(key)}`);
  return { zone: fqdn(zone || "."), port };
}

/** The words of a directive's tokens, its sub-block's lines apart: `[args, [[word...]...]]`. */
function directiveParts(tokens: CaddyToken[]): Array<{ args: string[]; block: string[][] }> {
  // The tokens of every occurrence of the directive, one after the other: each starts with its name.
  const out: Array<{ args: string[]; block: string[][] }> = [];
  const name = tokens[0]?.text;
  let i = 0;
  while (i < tokens.length) {
    const start = tokens[i]!;
    i++;
    const args: string[] = [];
    while (i < tokens.length && tokens[i]!.line === start.line && tokens[i]!.text !== "{") args.push(tokens[i++]!.text);
    const block: string[][] = [];
    if (i < tokens.length && tokens[i]!.text === "{") {
      i++;
      let depth = 1;
      let cur: string[] = [];
      let curLine = -1;
      while (i < tokens.length && depth > 0) {
        const t = tokens[i++]!;
        if (t.text === "{") depth++;
        if (t.text === "}") {
          depth--;
          if (depth === 0) break;
        }
        if (t.line !== curLine && cur.length) {
          block.push(cur);
          cur = [];
        }
        curLine = t.line;
        cur.push(t.text);
      }
      if (cur.length) block.push(cur);
    }
    out.push({ args, block });
    // The next occurrence starts with the directive's name on a new line.
    while (i < tokens.length && tokens[i]!.text !== name) i++;
  }
  return out;
}

/** A plugin's setup error as CoreDNS reports it (`plugin/forward: ...`). */
function pluginError(plugin: string, msg: string): CorefileError {
  return new CorefileError(`plugin/${plugin}: ${msg}`);
}

/** An upstream of `forward`: an IPv4 address, `dns://` or `:53` allowed, or a resolv.conf path. */
function upstream(to: string): string {
  if (to.startsWith("/")) return to;
  let t = to.replace(/^dns:\/\//, "");
  const m = /^(.*):(\d+)$/.exec(t);
  if (m) {
    if (m[2] !== "53") throw pluginError("forward", `upstream ${to}: only port 53 is simulated`);
    t = m[1]!;
  }
  if (!IPV4.test(t)) throw pluginError("forward", `not an IP address or file: ${JSON.stringify(to)}`);
  return t;
}

/** What the cluster DNS takes from the server blocks (throws a CorefileError for what CoreDNS's plugin setup would refuse). */
export function coreDNSConfig(blocks: ServerBlock[], file: string): CoreDNSConfig {
  const zones: DNSZone[] = [];
  const startup = new Set<string>();
  for (const b of blocks) {
    for (const key of b.keys) {
      const { zone, port } = splitKey(key, file);
      startup.add(`${zone}:${port}`);
      if (port !== "53") continue;
      if (zones.some((z) => z.zone === zone)) throw new CorefileError(`cannot serve dns://${zone}:${port} - it is already defined`);
      const z: DNSZone = { zone };
      const k8s = b.tokens.get("kubernetes");
      if (k8s) {
        const [first] = directiveParts(k8s);
        z.kubernetes = first && first.args.length ? first.args.map(fqdn) : [zone];
      }
      const hosts = b.tokens.get("hosts");
      if (hosts) {
        const [first] = directiveParts(hosts);
        const entries = new Map<string, string>();
        let fallthrough = false;
        for (const line of first?.block ?? []) {
          if (line[0] === "fallthrough") fallthrough = true;
          else if (line[0] && IPV4.test(line[0])) for (const n of line.slice(1)) entries.set(fqdn(n), line[0]);
          else if (line[0] && !["ttl", "reload", "no_reverse"].includes(line[0])) throw pluginError("hosts", `unknown property '${line[0]}'`);
        }
        if (first?.args.length) throw pluginError("hosts", "a hosts file is not simulated: give the entries inline");
        z.hosts = { entries, fallthrough };
      }
      const fwd = b.tokens.get("forward");
      if (fwd) {
        const [first] = directiveParts(fwd);
        if (!first || first.args.length < 2) throw pluginError("forward", "Wrong argument count or unexpected line ending after 'forward'");
        z.forward = { from: fqdn(first.args[0]!), to: first.args.slice(1).map(upstream) };
      }
      zones.push(z);
    }
  }
  return { zones, startup: [...startup].sort() };
}

/** Parses a Corefile as CoreDNS does at start-up (throws a CorefileError with CoreDNS's message). */
export function loadCorefile(text: string, file: string): CoreDNSConfig {
  return coreDNSConfig(parseCorefile(text, file), file);
}

/** The server block that answers `name` (dnsserver: the longest zone the name is in), if any. */
export function zoneFor(cfg: CoreDNSConfig, name: string): DNSZone | undefined {
  const n = fqdn(name);
  let best: DNSZone | undefined;
  for (const z of cfg.zones) {
    if (z.zone === "." || n === z.zone || n.endsWith(`.${z.zone}`)) {
      if (!best || z.zone.length > best.zone.length) best = z;
    }
  }
  return best;
}

/** Whether `name` is in one of `zones` (plugin.Zones.Matches). */
export function inZones(zones: string[], name: string): boolean {
  const n = fqdn(name);
  return zones.some((z) => z === "." || n === z || n.endsWith(`.${z}`));
}
