/* eslint-disable require-yield -- shell commands are generators so that any of them may block in simulated time */
/**
 * busybox's `nslookup` by version. Up to 1.28 it is the small applet over the C library's resolver
 * (src/runtime/shell/net.ts: `Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local`).
 * From 1.29 it is the "big" nslookup from LEDE/OpenWrt (networking/nslookup.c,
 * FEATURE_NSLOOKUP_BIG, on in the docker images), which asks the resolv.conf nameserver itself:
 *
 * - no type given and a name that is not an address: an A and an AAAA query (IPv6 is on);
 * - from 1.33, a name without a dot is completed with each domain of the `search` line (one query
 *   per domain and type, A queries first: add_query_with_search), a name with a dot is asked as
 *   it is (busybox ignores `ndots`); 1.29–1.32 ask the name as given;
 * - `Server:\t\t<ns>` and `Address:\t<ns>:53` before the first reply, then each reply: an
 *   error rcode as `** server can't find <name>: NXDOMAIN`; an answer's A/AAAA records as
 *   `Name:\t<name>` / `Address: <ip>`, after `Non-authoritative answer:` when the server is not
 *   authoritative (CoreDNS forwarding a name outside the cluster); an empty answer (the AAAA
 *   query of an IPv4 Service) prints nothing; every reply ends with an empty line;
 * - from 1.33 an error reply makes the exit status 1 (G.exitcode), so `nslookup my-svc` in a pod
 *   exits 1 although the name resolves: the other search domains answer NXDOMAIN.
 *
 * Replies arrive in any order on a real network (they are printed as they come); here they come
 * in the order the queries were sent.
 */
import type { G } from "../../runtime/shell/effects.ts";
import type { Shell } from "../../runtime/shell/interp.ts";
import type { CommandFn } from "../../runtime/shell/util.ts";

const IP_RE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const CLUSTER_ZONE = "cluster.local";

/** The busybox version a tag names (`1.37`, `1.36.1-glibc` → [1, 36]); undefined for `latest`, `musl`, …. */
export function busyboxTagVersion(tag: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(tag);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The resolv.conf lines busybox reads: every nameserver, and the search (or domain) list. */
function resolvConf(sh: Shell): { nameservers: string[]; search: string[] } {
  let text = "";
  try {
    text = sh.io.fs.readFile("/etc/resolv.conf");
  } catch {
    // no resolv.conf: localhost, no search list
  }
  const nameservers: string[] = [];
  let search: string[] | undefined;
  let haveSearch = false;
  for (const line of text.split("\n")) {
    const m = /^[ \t]*(\S+)[ \t]+(.*)$/.exec(line);
    if (!m) continue;
    const [, key, arg] = m;
    if (key === "domain" && !haveSearch) search = arg!.trim().split(/\s+/);
    else if (key === "search") {
      haveSearch = true;
      search = arg!.trim().split(/\s+/);
    } else if (key === "nameserver") nameservers.push(arg!.trim());
  }
  if (search && search.length === 1 && search[0] === ".") search = undefined;
  return { nameservers: nameservers.length ? nameservers : ["127.0.0.1"], search: search ?? [] };
}

interface Reply {
  rcode: "NOERROR" | "NXDOMAIN";
  authoritative: boolean;
  address?: string;
}

/**
 * What the cluster DNS answers for one absolute name and type: names under cluster.local are
 * CoreDNS' own zone (authoritative; a name it does not know is NXDOMAIN), others are forwarded
 * upstream (not authoritative). The pod's resolver completes short names with the search path,
 * a DNS server does not: a name outside the zone that only a search domain makes a cluster name
 * is NXDOMAIN.
 */
function ask(sh: Shell, name: string, type: "A" | "AAAA", search: string[]): Reply {
  const host = name.toLowerCase().replace(/\.$/, "");
  const inZone = host === CLUSTER_ZONE || host.endsWith(`.${CLUSTER_ZONE}`);
  let ip = sh.io.resolve(host);
  if (ip !== undefined && !inZone && search.some((d) => sh.io.resolve(`${host}.${d}`) === ip)) ip = undefined;
  if (ip === undefined) return { rcode: "NXDOMAIN", authoritative: inZone };
  // The cluster is IPv4: an AAAA query of a name that exists has an empty answer.
  return { rcode: "NOERROR", authoritative: inZone, ...(type === "A" ? { address: ip } : {}) };
}

/** bb_show_usage's text (the banner without the image's build date, which the simulation does not know). */
function usage(version: string): string {
  return `BusyBox v${version} multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n`;
}

/** The "big" nslookup of busybox 1.29 and later (`search`: 1.33 and later). */
export function bigNslookup(opts: { search: boolean; version: string }): CommandFn {
  return function* (sh: Shell, argv: string[]): G<number> {
    const args: string[] = [];
    const types: Array<"A" | "AAAA"> = [];
    for (const a of argv.slice(1)) {
      if (!args.length && a.startsWith("-")) {
        const [opt, val = ""] = a.slice(1).split("=", 2) as [string, string?];
        if ((opt === "type" || opt === "querytype") && /^(a|aaaa)$/i.test(val)) types.push(val.toUpperCase() as "A" | "AAAA");
        else if (opt === "type" || opt === "querytype") {
          sh.stderr.write(`nslookup: kube-scenario's nslookup asks A and AAAA records only, not "${val}"\n`);
          return 1;
        } else if (!["port", "retry", "debug", "t", "timeout"].includes(opt)) {
          sh.stderr.write(usage(opts.version));
          return 1;
        }
        continue;
      }
      args.push(a);
    }
    const name = args[0];
    if (!name || args.length > 2) {
      sh.stderr.write(usage(opts.version));
      return 1;
    }
    const conf = resolvConf(sh);
    const server = args[1] ?? conf.nameservers[0]!;
    if (IP_RE.test(name)) {
      sh.stderr.write(`nslookup: reverse lookups (${name}) are not simulated\n`);
      return 1;
    }
    const queries: Array<{ name: string; type: "A" | "AAAA" }> = [];
    for (const type of types.length ? types : (["A", "AAAA"] as const)) {
      if (!opts.search || !conf.search.length || name.includes(".")) queries.push({ name, type });
      else for (const d of conf.search) queries.push({ name: `${name}.${d}`, type });
    }
    let out = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
    let failed = false;
    for (const q of queries) {
      const r = ask(sh, q.name, q.type, conf.search);
      if (r.rcode !== "NOERROR") {
        out += `** server can't find ${q.name}: ${r.rcode}\n`;
        failed = true;
      } else {
        if (!r.authoritative) out += "Non-authoritative answer:\n";
        if (r.address) out += `Name:\t${q.name}\nAddress: ${r.address}\n`;
      }
      out += "\n";
    }
    sh.stdout.write(out);
    return opts.search && failed ? 1 : 0;
  };
}

/** The commands a busybox tag has beside the shell's (busybox 1.28) applets. */
export function busyboxCommands(tag: string, repository: string): Record<string, CommandFn> | undefined {
  // Docker Hub's `latest`, `musl`, `glibc`, `stable`, …: the current release (1.37).
  const v = busyboxTagVersion(tag) ?? (/^(docker\.io\/)?(library\/)?busybox$/.test(repository) ? [1, 37] : undefined);
  if (!v || v[0] !== 1 || v[1] < 29) return undefined;
  return { nslookup: bigNslookup({ search: v[1] >= 33, version: /^\d+\.\d+(\.\d+)?/.exec(tag)?.[0] ?? "1.37.0" }) };
}
