/* eslint-disable require-yield -- every command is a generator so that any of them may block in simulated time */
/**
 * Network applets: busybox 1.28 `nslookup`, `wget` and `ping` (networking/ping.c), and `curl`
 * (curl 8 texts). Names are resolved through ProcessIO.resolve (cluster DNS); requests go through
 * ProcessIO.http and block the script in simulated time until the answer (or the timeout)
 * arrives; an echo request asks ProcessIO.echoes whether the address answers.
 */
import type { HttpOutcome } from "../types.ts";
import { plainToTLS } from "../tls.ts";
import type { G } from "./effects.ts";
import type { Shell } from "./interp.ts";
import { appletError, vfsErrorText, type CommandFn } from "./util.ts";

const DEFAULT_NAMESERVER = "10.96.0.10";
const IP_RE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;

/** The pod's resolver configuration from /etc/resolv.conf (as the kubelet writes it). */
export function resolvConf(sh: Shell): { nameserver: string; search: string[] } {
  let text = "";
  try {
    text = sh.io.fs.readFile("/etc/resolv.conf");
  } catch {
    // no resolv.conf: cluster defaults
  }
  let nameserver = DEFAULT_NAMESERVER;
  let search: string[] = [];
  for (const line of text.split("\n")) {
    const [k, ...v] = line.trim().split(/\s+/);
    if (k === "nameserver" && v[0]) nameserver = v[0];
    if (k === "search") search = v;
  }
  return { nameserver, search };
}

/**
 * The C library's resolver: /etc/hosts first (the kubelet's managed file: the pod's own hostname,
 * hostAliases), then DNS (the cluster's, as the pod's resolv.conf names it).
 */
export function lookupHost(sh: Shell, name: string): string | undefined {
  if (IP_RE.test(name)) return name;
  return hostsEntry(sh, name)?.ip ?? sh.io.resolve(name);
}

/**
 * gethostbyname's canonical name (h_name) and address: the first name of the /etc/hosts line that
 * lists `name` (the kubelet writes `<ip> <fqdn> <hostname>` for a pod with a subdomain), else the
 * name as DNS answers it.
 */
export function canonicalHost(sh: Shell, name: string): { name: string; ip: string } | undefined {
  const entry = hostsEntry(sh, name);
  if (entry) return entry;
  const ip = sh.io.resolve(name);
  return ip === undefined ? undefined : { name, ip };
}

/** The /etc/hosts line that lists `name` (case-insensitively, a trailing dot ignored): its address and first name. */
function hostsEntry(sh: Shell, name: string): { name: string; ip: string } | undefined {
  const wanted = name.toLowerCase().replace(/\.$/, "");
  let hosts = "";
  try {
    hosts = sh.io.fs.readFile("/etc/hosts");
  } catch {
    // no hosts file
  }
  for (const line of hosts.split("\n")) {
    const fields = line.replace(/#.*/, "").trim().split(/\s+/);
    if (fields.length < 2 || !IP_RE.test(fields[0]!)) continue;
    if (fields.slice(1).some((h) => h.toLowerCase() === wanted)) return { name: fields[1]!, ip: fields[0]! };
  }
  return undefined;
}

/** The fully qualified name the reverse lookup of a Service's address gives. */
function fqdn(sh: Shell, name: string, ip: string, search: string[]): string {
  if (IP_RE.test(name)) return name;
  const bare = name.replace(/\.$/, "");
  if (bare.endsWith(".cluster.local")) return bare;
  for (const d of search) {
    if (sh.io.resolve(`${bare}.${d}`) === ip) return `${bare}.${d}`;
  }
  // A name outside the cluster: its address has no PTR record the cluster's DNS knows.
  return ip;
}

function* nslookup(sh: Shell, argv: string[]): G<number> {
  const args = argv.slice(1).filter((a) => !a.startsWith("-"));
  const name = args[0];
  if (!name) {
    sh.stderr.write("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n");
    return 1;
  }
  const conf = resolvConf(sh);
  const server = args[1] ?? conf.nameserver;
  const serverName = server === DEFAULT_NAMESERVER ? "kube-dns.kube-system.svc.cluster.local" : (IP_RE.test(server) ? "" : server);
  sh.stdout.write(`Server:    ${server}\nAddress 1: ${server}${serverName ? ` ${serverName}` : ""}\n\n`);
  const ip = lookupHost(sh, name);
  if (!ip) {
    appletError(sh, "nslookup", `can't resolve '${name}'`);
    return 1;
  }
  const rev = fqdn(sh, name, ip, conf.search);
  sh.stdout.write(`Name:      ${name}\nAddress 1: ${ip}${rev !== ip ? ` ${rev}` : ""}\n`);
  return 0;
}

/**
 * BIND 9's `nslookup` (bind-tools, as alpine-based images such as agnhost carry it): asks the
 * resolv.conf nameserver directly (no /etc/hosts), trying the search list first as the name has
 * fewer dots than `ndots`; prints the answer's fully qualified name. The cluster's names are
 * CoreDNS's own zone (an authoritative answer); a name CoreDNS forwards upstream is marked
 * "Non-authoritative answer:". Texts of bin/dig/nslookup.c.
 */
export function* bindNslookup(sh: Shell, argv: string[]): G<number> {
  const args = argv.slice(1).filter((a) => !a.startsWith("-"));
  const name = args[0];
  if (!name) {
    // Interactive mode needs a terminal the simulation does not have.
    sh.stderr.write("nslookup: interactive mode is not simulated: give the name to look up\n");
    return 1;
  }
  const conf = resolvConf(sh);
  const server = args[1] ?? conf.nameserver;
  sh.stdout.write(`Server:\t\t${server}\nAddress:\t${server}#53\n\n`);
  if (IP_RE.test(name)) {
    sh.stderr.write(`nslookup: reverse lookups (${name}) are not simulated\n`);
    return 1;
  }
  const ip = sh.io.resolve(name);
  if (!ip) {
    sh.stdout.write(`** server can't find ${name.replace(/\.$/, "")}: NXDOMAIN\n\n`);
    return 1;
  }
  const full = fqdn(sh, name, ip, conf.search);
  const inCluster = full !== ip;
  if (!inCluster) sh.stdout.write("Non-authoritative answer:\n");
  sh.stdout.write(`Name:\t${inCluster ? full : name.replace(/\.$/, "")}\nAddress: ${ip}\n\n`);
  return 0;
}

interface Url {
  url: string;
  host: string;
  port: number;
  path: string;
  /** The host as the URL writes it, with its port if it names one (what busybox wget prints). */
  hostText: string;
}

function parseUrl(raw: string): Url | undefined {
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`;
  const m = /^(https?):\/\/([^/:?#]+)(?::([0-9]+))?([^#]*)/i.exec(withScheme);
  if (!m) return undefined;
  const port = m[3] ? Number(m[3]) : m[1]!.toLowerCase() === "https" ? 443 : 80;
  const path = m[4] || "/";
  return { url: `${m[1]!.toLowerCase()}://${m[2]}:${port}${path.startsWith("/") ? path : "/" + path}`, host: m[2]!, port, path, hostText: m[3] ? `${m[2]}:${m[3]}` : m[2]! };
}

const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  301: "Moved Permanently",
  302: "Found",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? "";
}

function* request(sh: Shell, method: string, u: Url, headers: Record<string, string>, timeoutMs: number | undefined, body?: string, resolved?: string): G<HttpOutcome> {
  // curl's --resolve: the address given for host:port, without asking the resolver.
  const ip = resolved ?? lookupHost(sh, u.host);
  if (ip === undefined) return { ok: false, error: `dial tcp: lookup ${u.host}: no such host`, kind: "nxdomain" };
  // The connection goes to the address the resolver gave (a hosts-file name is unknown to DNS).
  const url = ip === u.host || (resolved === undefined && sh.io.resolve(u.host) === ip) ? u.url : u.url.replace(`//${u.host}:`, `//${ip}:`);
  // The Host header is the URL's host unless the caller sent one (curl's carries the port; a -H of any case replaces it).
  const sent = Object.keys(headers).some((k) => k.toLowerCase() === "host") ? headers : { Host: u.host, ...headers };
  const r = (yield { k: "http", req: body === undefined ? { method, url, headers: sent, timeoutMs } : { method, url, headers: sent, timeoutMs, body } }) as HttpOutcome;
  // A plain http request to a port that speaks TLS (the API server's 6443, a webhook's, metrics-server's)
  // gets Go's `400 Client sent an HTTP request to an HTTPS server.` (src/runtime/tls.ts).
  return /^http:/i.test(u.url) ? plainToTLS(r) : r;
}

function* wget(sh: Shell, argv: string[]): G<number> {
  let quiet = false;
  let out: string | undefined;
  let timeoutS = 900;
  let spider = false;
  let serverResponse = false;
  const headers: Record<string, string> = {};
  const urls: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--quiet") quiet = true;
    else if (a === "--server-response") serverResponse = true;
    else if (a === "--timeout") timeoutS = Number(argv[++i]);
    else if (a.startsWith("--timeout=")) timeoutS = Number(a.slice(10));
    else if (a === "--output-document") out = argv[++i];
    else if (a.startsWith("--output-document=")) out = a.slice(18);
    else if (a === "--spider") spider = true;
    else if (a === "--header") {
      const h = argv[++i] ?? "";
      const k = h.indexOf(":");
      if (k > 0) headers[h.slice(0, k).trim()] = h.slice(k + 1).trim();
    } else if (a === "--no-check-certificate") continue;
    else if (a.startsWith("--")) {
      appletError(sh, "wget", `unrecognized option '${a}'`);
      return 1;
    } else if (a.startsWith("-") && a.length > 1) {
      // getopt32's "cqSO:P:Y:U:T:" (wget.c): short options cluster (`-qO-` is `-q -O -`), and one
      // that takes an argument takes the rest of the word or the next word.
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === "q") quiet = true;
        else if (c === "S") serverResponse = true;
        else if (c === "c" || c === "s") continue;
        else if ("OPYUT".includes(c)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
          if (c === "O") out = v;
          else if (c === "T") timeoutS = Number(v);
          break;
        } else {
          appletError(sh, "wget", `invalid option -- '${c}'`);
          return 1;
        }
      }
    } else urls.push(a);
  }
  if (urls.length === 0) {
    sh.stderr.write("BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: wget [-c|--continue] [--spider] [-q|--quiet] [-O|--output-document FILE]\n\t[--header 'header: value'] [-Y|--proxy on/off] [-P DIR]\n\t[-S|--server-response] [-U|--user-agent AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n");
    return 1;
  }
  let st = 0;
  for (const raw of urls) {
    const u = parseUrl(raw);
    if (!u) {
      appletError(sh, "wget", `not an http or ftp url: ${raw}`);
      st = 1;
      continue;
    }
    // xhost2sockaddr resolves first and dies on a name that does not resolve, before saying anything.
    const ip = lookupHost(sh, u.host);
    if (ip === undefined) {
      appletError(sh, "wget", `bad address '${u.hostText}'`);
      st = 1;
      continue;
    }
    if (!quiet) sh.stderr.write(`Connecting to ${u.hostText} (${ip}:${u.port})\n`);
    const r = yield* request(sh, spider ? "HEAD" : "GET", u, headers, timeoutS * 1000);
    if (!r.ok) {
      if (r.kind === "nxdomain") appletError(sh, "wget", `bad address '${u.hostText}'`);
      else if (r.kind === "empty") appletError(sh, "wget", "error getting response");
      else if (r.kind === "timeout") appletError(sh, "wget", "download timed out");
      else appletError(sh, "wget", `can't connect to remote host (${ip ?? u.host}): ${r.kind === "refused" ? "Connection refused" : "No route to host"}`);
      st = 1;
      continue;
    }
    // -S (wget.c fgets_trim_sanitize): the status line and each header line as read, indented by
    // two spaces, the empty line that ends the headers included; the headers are the simulated
    // server's own (the generic process sends none), as `curl -i` shows them
    if (serverResponse) sh.stderr.write(`  HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}\n`);
    if (r.status >= 400) {
      appletError(sh, "wget", `server returned error: HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}`);
      st = 1;
      continue;
    }
    if (serverResponse) sh.stderr.write(Object.entries(r.headers ?? {}).map(([k, v]) => `  ${k}: ${v}\n`).join("") + "  \n");
    if (spider) continue;
    const file = out ?? (u.path.replace(/[?#].*$/, "").split("/").pop() || "index.html");
    const size = Buffer.byteLength(r.body);
    if (file === "-") {
      if (!quiet) sh.stderr.write("writing to stdout\n");
      sh.stdout.write(r.body);
      if (!quiet) sh.stderr.write(`-                    100% |********************************| ${String(size).padStart(5)}  0:00:00 ETA\nwritten to stdout\n`);
      continue;
    }
    const path = sh.resolve(file);
    if (out === undefined && sh.io.fs.stat(path)) {
      appletError(sh, "wget", `can't open '${file}': File exists`);
      st = 1;
      continue;
    }
    try {
      sh.io.fs.writeFile(path, r.body);
    } catch (e) {
      // xopen(fname_out, O_WRONLY|O_CREAT|O_TRUNC|O_EXCL) after the headers: `Read-only file system`
      // in a container with readOnlyRootFilesystem, `No such file or directory` under a missing directory
      appletError(sh, "wget", `can't open '${file}': ${vfsErrorText(e)}`);
      st = 1;
      continue;
    }
    if (!quiet) sh.stderr.write(`saving to '${file}'\n${file.padEnd(20).slice(0, 20)} 100% |********************************| ${String(size).padStart(5)}  0:00:00 ETA\n'${file}' saved\n`);
  }
  return st;
}

/** The User-Agent curl 8 sends (servers that answer curl differently look at its `curl/` prefix: kube-apiserver indents its JSON). */
const CURL_USER_AGENT = "curl/8.5.0";

function* curl(sh: Shell, argv: string[]): G<number> {
  let silent = false;
  let showError = false;
  let fail = false;
  let include = false;
  let method: string | undefined;
  let outFile: string | undefined;
  let remoteName = false;
  let writeOut: string | undefined;
  let maxTime: number | undefined;
  let connectTimeout: number | undefined;
  let caFile: string | undefined;
  // curl sends `User-Agent: curl/<version>` unless told otherwise (-A, -H "User-Agent: …").
  let userAgent = CURL_USER_AGENT;
  const headers: Record<string, string> = {};
  const urls: string[] = [];
  // -d/--data, --data-ascii, --data-binary, --data-raw: the parts of the request body, joined with `&` (tool_getparam.c).
  const data: string[] = [];
  const needsArg = new Set(["-o", "--output", "-X", "--request", "-H", "--header", "-m", "--max-time", "--connect-timeout", "-w", "--write-out", "-d", "--data", "--data-ascii", "--data-binary", "--data-raw", "-A", "--user-agent", "-u", "--user", "--retry", "--cacert", "--resolve"]);
  // --resolve <[+]host:port:addr[,addr]…>: host:port (lower-case; `*` any host) → the first address (tool_getparam.c, hostip.c Curl_loadhostpairs).
  const resolves = new Map<string, string>();
  let badResolve: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    let val: string | undefined;
    let opt = a;
    if (a.startsWith("--") && a.includes("=")) {
      opt = a.slice(0, a.indexOf("="));
      val = a.slice(a.indexOf("=") + 1);
    }
    if (needsArg.has(opt) && val === undefined) {
      val = argv[++i];
      if (val === undefined) {
        sh.stderr.write(`curl: option ${opt}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
        return 2;
      }
    }
    switch (opt) {
      case "-o":
      case "--output":
        outFile = val;
        continue;
      case "--resolve": {
        const m = /^\+?(\[[^\]]*\]|[^:]+):([0-9]+):\[?([^,\]]+)/.exec(val!);
        if (!m) {
          // Curl_loadhostpairs: the transfer fails with CURLE_SETOPT_OPTION_SYNTAX.
          badResolve ??= val!;
          continue;
        }
        resolves.set(`${m[1]!.toLowerCase()}:${m[2]}`, m[3]!);
        continue;
      }
      case "--cacert":
        // The CA file must exist for an https URL; the handshake itself is not simulated (docs/divergences.md).
        caFile = val;
        continue;
      case "-X":
      case "--request":
        method = val;
        continue;
      case "-H":
      case "--header": {
        const k = val!.indexOf(":");
        if (k > 0) headers[val!.slice(0, k).trim()] = val!.slice(k + 1).trim();
        continue;
      }
      case "-m":
      case "--max-time":
        maxTime = Number(val) * 1000;
        continue;
      case "--connect-timeout":
        connectTimeout = Number(val) * 1000;
        continue;
      case "-w":
      case "--write-out":
        writeOut = val;
        continue;
      case "-d":
      case "--data":
      case "--data-ascii":
      case "--data-binary":
      case "--data-raw": {
        // `@file` reads the body from a file (`-` is standard input, not simulated here): -d strips
        // its carriage returns and newlines, --data-binary keeps them; --data-raw takes `@` literally.
        let part = val!;
        if (opt !== "--data-raw" && part.startsWith("@")) {
          const name = part.slice(1);
          let text: string | undefined;
          try {
            text = sh.io.fs.readFile(sh.resolve(name));
          } catch {
            text = undefined;
          }
          if (text === undefined) {
            sh.stderr.write(`Warning: Couldn't read data from file "${name}", this makes an empty\nWarning: POST.\n`);
            part = "";
          } else part = opt === "--data-binary" ? text : text.replace(/[\r\n]/g, "");
        }
        data.push(part);
        continue;
      }
      case "-A":
      case "--user-agent":
        userAgent = val!;
        continue;
      case "-u":
      case "--user":
      case "--retry":
        continue;
      case "--silent":
        silent = true;
        continue;
      case "--show-error":
        showError = true;
        continue;
      case "--fail":
        fail = true;
        continue;
      case "--include":
        include = true;
        continue;
      case "--head":
        method = "HEAD";
        include = true;
        continue;
      case "--remote-name":
        remoteName = true;
        continue;
      case "--location":
      case "--insecure":
      case "--verbose":
      case "--no-progress-meter":
        continue;
    }
    if (/^-[a-zA-Z]+$/.test(a)) {
      for (const c of a.slice(1)) {
        if (c === "s") silent = true;
        else if (c === "S") showError = true;
        else if (c === "f") fail = true;
        else if (c === "i") include = true;
        else if (c === "O") remoteName = true;
        else if (c === "I") {
          method = "HEAD";
          include = true;
        } else if ("Lkv".includes(c)) continue;
        else {
          sh.stderr.write(`curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
          return 2;
        }
      }
      continue;
    }
    if (a.startsWith("-")) {
      sh.stderr.write(`curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
      return 2;
    }
    urls.push(a);
  }
  if (urls.length === 0) {
    sh.stderr.write("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const err = (code: number, msg: string): number => {
    if (!silent || showError) sh.stderr.write(`curl: (${code}) ${msg}\n`);
    return code;
  };
  let st = 0;
  for (const raw of urls) {
    const u = parseUrl(raw);
    if (!u) {
      st = err(3, `URL using bad/illegal format or missing URL`);
      continue;
    }
    if (caFile !== undefined && /^https:/i.test(u.url) && sh.io.fs.stat(caFile.startsWith("/") ? caFile : `${sh.io.cwd ?? "/"}/${caFile}`)?.type !== "file") {
      st = err(77, `error setting certificate file: ${caFile}`);
      continue;
    }
    const t0 = sh.io.clock.now();
    const timeout = maxTime ?? connectTimeout;
    // curl's own headers first, in its order (Host, User-Agent, Accept: lib/http.c), each left out when
    // -H gives one of that name; then the -H headers. Host: the URL's host, with its port unless it is
    // the scheme's default (Curl_http_host: no port for http on 80 or https on 443).
    const given = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
    const sent: Record<string, string> = {};
    if (!given("host")) sent.Host = u.port === (/^https:/i.test(u.url) ? 443 : 80) ? u.host : `${u.host}:${u.port}`;
    if (!given("user-agent")) sent["User-Agent"] = userAgent;
    if (!given("accept")) sent.Accept = "*/*";
    Object.assign(sent, headers);
    // A body is a POST unless -X says otherwise, form-encoded unless -H names its type.
    const body = data.length ? data.join("&") : undefined;
    if (body !== undefined && !Object.keys(sent).some((k) => k.toLowerCase() === "content-type")) sent["Content-Type"] = "application/x-www-form-urlencoded";
    if (badResolve !== undefined) {
      st = err(49, `Couldn't parse CURLOPT_RESOLVE entry '${badResolve}'`);
      continue;
    }
    const resolved = resolves.get(`${u.host.toLowerCase()}:${u.port}`) ?? resolves.get(`*:${u.port}`);
    const r = yield* request(sh, method ?? (body !== undefined ? "POST" : "GET"), u, sent, timeout, body, resolved);
    const elapsed = sh.io.clock.now() - t0;
    if (!r.ok) {
      if (r.kind === "nxdomain") st = err(6, `Could not resolve host: ${u.host}`);
      else if (r.kind === "empty") st = err(52, "Empty reply from server");
      else if (r.kind === "timeout") {
        st = maxTime !== undefined ? err(28, `Operation timed out after ${elapsed} milliseconds with 0 bytes received`) : err(28, `Failed to connect to ${u.host} port ${u.port} after ${elapsed} ms: Timeout was reached`);
      } else st = err(7, `Failed to connect to ${u.host} port ${u.port} after ${elapsed} ms: Couldn't connect to server`);
      if (writeOut) sh.stdout.write(writeOut.replace(/%\{http_code\}/g, "000").replace(/\\n/g, "\n"));
      continue;
    }
    if (fail && r.status >= 400) {
      st = err(22, `The requested URL returned error: ${r.status}`);
      if (writeOut) sh.stdout.write(writeOut.replace(/%\{http_code\}/g, String(r.status)).replace(/\\n/g, "\n"));
      continue;
    }
    let text = "";
    if (include) {
      text += `HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}\r\n`;
      for (const [k, v] of Object.entries(r.headers ?? {})) text += `${k}: ${v}\r\n`;
      text += "\r\n";
    }
    if (method !== "HEAD") text += r.body;
    // -O: the file name part of the URL's path, in the working directory (tool_operate.c get_url_file_name).
    const file = outFile ?? (remoteName ? u.path.replace(/[?#].*$/, "").slice(u.path.replace(/[?#].*$/, "").lastIndexOf("/") + 1) : undefined);
    if (file === "") {
      // tool_cb_wrt.c tool_create_output_file: a warning (muted by -s), then the write error.
      if (!silent) sh.stderr.write("Warning: Remote filename has no length!\n");
      st = err(23, "Failure writing output to destination");
      continue;
    }
    if (file === "-") sh.stdout.write(text);
    else if (file === "/dev/null") {
      // discarded (`-o /dev/null -w '%{http_code}'`)
    } else if (file !== undefined) {
      try {
        sh.io.fs.writeFile(sh.resolve(file), text);
      } catch {
        st = err(23, `Failure writing output to destination`);
        continue;
      }
    } else sh.stdout.write(text);
    if (writeOut) {
      sh.stdout.write(
        writeOut
          .replace(/%\{http_code\}/g, String(r.status))
          .replace(/%\{time_total\}/g, (elapsed / 1000).toFixed(6))
          .replace(/\\n/g, "\n"),
      );
    }
  }
  return st;
}

const PING_USAGE =
  "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUEST packets to network hosts\n\n" +
  "\t-4,-6\t\tForce IP or IPv6 name resolution\n\t-c CNT\t\tSend only CNT pings\n\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n" +
  "\t-t TTL\t\tSet TTL\n\t-I IFACE/IP\tSource interface or IP address\n\t-W SEC\t\tSeconds to wait for the first response (default 10)\n" +
  "\t\t\t(after all -c CNT packets are sent)\n\t-w SEC\t\tSeconds until ping exits (default:infinite)\n\t\t\t(can exit earlier with -c CNT)\n" +
  "\t-q\t\tQuiet, only display output at start\n\t\t\tand when finished\n\t-p\t\tPattern to use for payload\n";

/** The round trip the simulation reports for an answered echo (a cluster network's order of magnitude). */
const PING_RTT_US = 80;

/**
 * busybox `ping` (networking/ping.c, the "fancy" ping): one echo request a second (`-i`), `-c`
 * requests, then waits `-W` seconds (10) for an answer if none came; `-w` ends it after that many
 * seconds. Exits 0 when an answer came, 1 otherwise; `bad address` when the name does not resolve.
 */
function* ping(sh: Shell, argv: string[]): G<number> {
  let count = 0;
  let size = 56;
  let quiet = false;
  let waitS = 10;
  let deadlineS = 0;
  let intervalMs = 1000;
  const hosts: string[] = [];
  const num = (v: string | undefined, flag: string): number | undefined => {
    if (v === undefined) {
      appletError(sh, "ping", `option requires an argument -- '${flag}'`);
      return undefined;
    }
    if (!/^[0-9]+(\.[0-9]+)?$/.test(v)) {
      appletError(sh, "ping", `invalid number '${v}'`);
      return undefined;
    }
    return Number(v);
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("-") || a === "-") {
      hosts.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if ("qvAn4".includes(c)) {
        if (c === "q") quiet = true;
        continue;
      }
      if ("cstwWIpi".includes(c)) {
        const raw = a.slice(j + 1) || argv[++i];
        if (c === "I" || c === "p") break;
        const v = num(raw, c);
        if (v === undefined) return 1;
        if (c === "c") count = v;
        else if (c === "s") size = v;
        else if (c === "w") deadlineS = v;
        else if (c === "W") waitS = v;
        else if (c === "i") intervalMs = v * 1000;
        break;
      }
      appletError(sh, "ping", `invalid option -- '${c}'`);
      sh.stderr.write(PING_USAGE);
      return 1;
    }
  }
  if (hosts.length !== 1) {
    sh.stderr.write(PING_USAGE);
    return 1;
  }
  const host = hosts[0]!;
  const ip = IP_RE.test(host) ? host : sh.io.resolve(host);
  if (!ip) {
    appletError(sh, "ping", `bad address '${host}'`);
    return 1;
  }
  const start = sh.io.clock.now();
  const bytes = size + 8;
  const rtt = `${Math.floor(PING_RTT_US / 1000)}.${String(PING_RTT_US % 1000).padStart(3, "0")}`;
  sh.stdout.write(`PING ${host} (${ip}): ${size} data bytes\n`);
  let sent = 0;
  let received = 0;
  const pastDeadline = () => deadlineS > 0 && sh.io.clock.now() - start >= deadlineS * 1000;
  for (;;) {
    sent++;
    if (sh.io.echoes?.(ip)) {
      received++;
      if (!quiet) sh.stdout.write(`${bytes} bytes from ${ip}: seq=${sent - 1} ttl=64 time=${rtt} ms\n`);
    }
    if (count > 0 && received >= count) break;
    if (count > 0 && sent >= count) {
      // Every request sent: wait for a late answer (-W) only if none came at all.
      if (received === 0) {
        const waitMs = deadlineS > 0 ? Math.min(waitS * 1000, Math.max(0, deadlineS * 1000 - (sh.io.clock.now() - start))) : waitS * 1000;
        if (waitMs > 0) yield { k: "sleep", ms: waitMs };
      }
      break;
    }
    if (deadlineS > 0) {
      const left = deadlineS * 1000 - (sh.io.clock.now() - start);
      if (left <= 0) break;
      yield { k: "sleep", ms: Math.min(intervalMs, left) };
      if (pastDeadline()) break;
    } else {
      yield { k: "sleep", ms: intervalMs };
    }
  }
  const loss = sent === 0 ? 0 : Math.floor(((sent - received) * 100) / sent);
  sh.stdout.write(`\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${received} packets received, ${loss}% packet loss\n`);
  if (received > 0) sh.stdout.write(`round-trip min/avg/max = ${rtt}/${rtt}/${rtt} ms\n`);
  return received > 0 ? 0 : 1;
}

export const NET_APPLETS: Record<string, CommandFn> = { nslookup, wget, curl, ping };
