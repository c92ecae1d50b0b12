import { test } from "node:test";
import assert from "node:assert/strict";
import { DNSServers } from "./dnsservers.ts";

test("a declared DNS server answers its records and NXDOMAIN for the rest; an undeclared address answers nothing", () => {
  const s = new DNSServers();
  s.declare("10.150.0.1", [{ name: "web.consul.local", address: "10.150.0.7" }, { name: "DB.consul.local.", address: "10.150.0.8" }]);
  assert.deepEqual(s.query("10.150.0.1", "web.consul.local."), { ip: "10.150.0.7" });
  assert.deepEqual(s.query("10.150.0.1", "db.consul.local"), { ip: "10.150.0.8" });
  assert.equal(s.query("10.150.0.1", "www.kubernetes.io"), "nxdomain");
  assert.equal(s.query("172.16.0.1", "web.consul.local"), undefined);
  assert.ok(s.has("10.150.0.1") && !s.has("172.16.0.1"));
});

test("bad declarations fail naming the server and the row", () => {
  const s = new DNSServers();
  assert.throws(() => s.declare("consul", []), /DNS server "consul": give the server's IPv4 address/);
  assert.throws(() => s.declare("10.0.0.1", [{ name: "a b", address: "1.2.3.4" }]), /row 1: "a b" is not a DNS name/);
  assert.throws(() => s.declare("10.0.0.1", [{ name: "a.b", address: "1.2.3" }]), /row 1: "1.2.3" is not an IPv4 address/);
  assert.throws(() => s.declare("10.0.0.1", [{ name: "a.b", ip: "1.2.3.4" } as Record<string, string>]), /unknown column "ip" \(name, address\)/);
});
