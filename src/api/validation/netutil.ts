/**
 * IP addresses and CIDRs as k8s.io/utils/net's ParseIPSloppy and ParseCIDRSloppy read them (Go's
 * net package before 1.17: IPv4 parts may have leading zeros, `010.0.0.1` is 10.0.0.1), for the
 * validators that v1.32 still runs with them.
 */

/** An address as 16 bytes (IPv4 as its IPv4-mapped IPv6 form), and whether it was written as IPv4. */
export interface IP {
  bytes: Uint8Array;
  v4: boolean;
}

function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  for (let i = 0; i < 4; i++) {
    if (!/^[0-9]+$/.test(parts[i]) || parts[i].length > 7) return undefined;
    const n = Number(parts[i]);
    if (n > 255) return undefined;
    out[12 + i] = n;
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  let ellipsis = -1;
  let i = 0;
  let rest = s;
  if (rest.startsWith("::")) {
    ellipsis = 0;
    rest = rest.slice(2);
    if (rest === "") return out;
  }
  while (i < 16) {
    const m = /^[0-9a-fA-F]{1,4}/.exec(rest);
    if (!m) return undefined;
    // An embedded IPv4 address in the last 32 bits.
    if (rest.length > m[0].length && rest[m[0].length] === ".") {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const v4 = parseIPv4(rest);
      if (!v4) return undefined;
      out.set(v4.subarray(12), i);
      i += 4;
      rest = "";
      break;
    }
    const n = parseInt(m[0], 16);
    out[i] = n >> 8;
    out[i + 1] = n & 0xff;
    i += 2;
    rest = rest.slice(m[0].length);
    if (rest === "") break;
    if (rest[0] !== ":" || rest.length === 1) return undefined;
    rest = rest.slice(1);
    if (rest[0] === ":") {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      rest = rest.slice(1);
      if (rest === "") break;
    }
  }
  if (rest !== "") return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) out[j + n] = out[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) out[j] = 0;
  } else if (ellipsis >= 0) return undefined;
  return out;
}

/** netutils.ParseIPSloppy: an address, or undefined. */
export function parseIPSloppy(s: string): IP | undefined {
  if (s.includes(":")) {
    const b = parseIPv6(s);
    return b ? { bytes: b, v4: false } : undefined;
  }
  const b = parseIPv4(s);
  return b ? { bytes: b, v4: true } : undefined;
}

/** A parsed CIDR: the network address (masked), the mask's length and the address family's bits. */
export interface CIDR {
  ip: IP;
  ones: number;
  bits: number;
}

/** netutils.ParseCIDRSloppy: `addr/len`, the address masked to the network. */
export function parseCIDRSloppy(s: string): CIDR | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIPSloppy(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(lenText)) return undefined;
  const bits = ip.v4 ? 32 : 128;
  const ones = Number(lenText);
  if (ones > bits) return undefined;
  const bytes = new Uint8Array(ip.bytes);
  const start = ip.v4 ? 12 : 0;
  for (let i = start; i < 16; i++) {
    const bitIndex = (i - start) * 8;
    const keep = Math.max(0, Math.min(8, ones - bitIndex));
    bytes[i] &= keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
  }
  return { ip: { bytes, v4: ip.v4 }, ones, bits };
}

/** IPNet.Contains: the address lies in the network (an IPv4 address only in an IPv4 network). */
export function cidrContainsIP(net: CIDR, ip: IP): boolean {
  if (net.ip.v4 !== ip.v4) {
    // Go compares the 4-byte forms when both have one: an IPv4-mapped IPv6 address is in an IPv4 network.
    const mapped = (b: Uint8Array) => b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
    if (!(net.ip.v4 && mapped(ip.bytes))) return false;
  }
  const start = net.ip.v4 ? 12 : 0;
  for (let i = start; i < 16; i++) {
    const bitIndex = (i - start) * 8;
    const keep = Math.max(0, Math.min(8, net.ones - bitIndex));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((ip.bytes[i] & mask) !== net.ip.bytes[i]) return false;
  }
  return true;
}
