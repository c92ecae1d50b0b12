/**
 * DNS servers outside the cluster that a scenario declares: what CoreDNS's `forward` sends a
 * stub domain's queries to (the Consul server at 10.150.0.1 of the Customizing DNS Service page),
 * an upstream resolver the Corefile names (`forward . 172.16.0.1`), or the nameserver a Pod's
 * `dnsConfig` gives with `dnsPolicy: None`:
 *
 *   Given the DNS server "10.150.0.1" answers:
 *     | name               | address    |
 *     | web.consul.local   | 10.150.0.7 |
 *
 * A declared server answers its names (A records) and NXDOMAIN for every other; it does not recurse.
 * An address no scenario declared answers nothing: a query sent there times out (CoreDNS then
 * answers SERVFAIL; the simulated lookups fail as for a name that does not exist).
 */
import { isIPv4 } from "../api/registry/core/service/ipallocator.ts";

/** A name of a DNS record: labels of letters, digits, hyphens and underscores, a trailing dot allowed. */
const NAME_RE = /^(?=.{1,253}\.?$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/;

function bad(server: string, message: string): never {
  throw new Error(`DNS server ${JSON.stringify(server)}: ${message}`);
}

/** What a server answers for a name: an address, or that the name does not exist there. */
export type DNSAnswer = { ip: string } | "nxdomain";

export class DNSServers {
  private readonly servers = new Map<string, Map<string, string>>();

  /** Declares (or redeclares) a server at `ip` with its records (rows of name and address); throws a readable error for a bad row. */
  declare(ip: string, rows: Array<Record<string, string>>): void {
    if (!isIPv4(ip)) bad(ip, "give the server's IPv4 address, such as 10.150.0.1");
    const records = new Map<string, string>();
    rows.forEach((row, i) => {
      for (const k of Object.keys(row)) if (k !== "name" && k !== "address") bad(ip, `row ${i + 1}: unknown column ${JSON.stringify(k)} (name, address)`);
      const name = (row.name ?? "").trim().toLowerCase();
      const address = (row.address ?? "").trim();
      if (!NAME_RE.test(name)) bad(ip, `row ${i + 1}: ${JSON.stringify(row.name ?? "")} is not a DNS name`);
      if (!isIPv4(address)) bad(ip, `row ${i + 1}: ${JSON.stringify(row.address ?? "")} is not an IPv4 address`);
      records.set(name.replace(/\.$/, ""), address);
    });
    this.servers.set(ip, records);
  }

  /** Whether a server was declared at `ip`. */
  has(ip: string): boolean {
    return this.servers.has(ip);
  }

  /** The server's answer for `name`; undefined when no server was declared there (the query times out). */
  query(ip: string, name: string): DNSAnswer | undefined {
    const records = this.servers.get(ip);
    if (!records) return undefined;
    const addr = records.get(name.toLowerCase().replace(/\.$/, ""));
    return addr === undefined ? "nxdomain" : { ip: addr };
  }
}
