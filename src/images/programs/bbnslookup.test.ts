import { test } from "node:test";
import assert from "node:assert/strict";
import { harness } from "../../runtime/shell/testutil.ts";
import { bigNslookup, busyboxCommands, busyboxTagVersion } from "./bbnslookup.ts";

/** Runs a script in a shell whose nslookup is busybox 1.37's (or 1.29's without the search list). */
function run(script: string, setup?: (h: ReturnType<typeof harness>) => void, search = true) {
  const h = harness();
  setup?.(h);
  const r = h.run(["sh", "-c", script], { commands: { nslookup: bigNslookup({ search, version: search ? "1.37.0" : "1.29.3" }) } });
  for (let i = 0; i < 10 && r.exit() === undefined; i++) h.clock.advance(1000);
  return { code: r.exit(), out: h.stdout(), err: h.stderr() };
}

const HEADER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n";

/** The cluster DNS of the harness: a Service `my-nginx` in `default`, as the pod's resolver answers it. */
function service(h: ReturnType<typeof harness>): void {
  for (const n of ["my-nginx", "my-nginx.default", "my-nginx.default.svc", "my-nginx.default.svc.cluster.local"]) h.dns.set(n, "10.105.253.216");
}

test("busybox 1.37: an A and an AAAA query per search domain, each reply printed; NXDOMAIN makes exit 1", () => {
  const r = run("nslookup my-nginx", service);
  assert.equal(r.code, 1);
  assert.equal(
    r.out,
    HEADER +
      "Name:\tmy-nginx.default.svc.cluster.local\nAddress: 10.105.253.216\n\n" +
      "** server can't find my-nginx.svc.cluster.local: NXDOMAIN\n\n" +
      "** server can't find my-nginx.cluster.local: NXDOMAIN\n\n" +
      // The AAAA query of the Service's name: an empty answer, an empty line.
      "\n" +
      "** server can't find my-nginx.svc.cluster.local: NXDOMAIN\n\n" +
      "** server can't find my-nginx.cluster.local: NXDOMAIN\n\n",
  );
});

test("busybox 1.37: a name with a dot is asked as it is; the DNS server does not complete it with the search list", () => {
  // `my-nginx.default` resolves through a pod's C library resolver (search list), not as an absolute name.
  const r = run("nslookup my-nginx.default", service);
  assert.equal(r.code, 1);
  assert.equal(r.out, HEADER + "** server can't find my-nginx.default: NXDOMAIN\n\n** server can't find my-nginx.default: NXDOMAIN\n\n");
  const full = run("nslookup my-nginx.default.svc.cluster.local", service);
  assert.equal(full.code, 0);
  assert.equal(full.out, HEADER + "Name:\tmy-nginx.default.svc.cluster.local\nAddress: 10.105.253.216\n\n\n");
});

test("busybox 1.37: a name outside the cluster is forwarded upstream (not authoritative); -type=a asks A only", () => {
  const r = run("nslookup -type=a example.com", (h) => h.dns.set("example.com", "203.0.113.10"));
  assert.equal(r.code, 0);
  assert.equal(r.out, HEADER + "Non-authoritative answer:\nName:\texample.com\nAddress: 203.0.113.10\n\n");
  const server = run("nslookup -type=a example.com 10.96.0.99", (h) => h.dns.set("example.com", "203.0.113.10"));
  assert.match(server.out, /^Server:\t\t10\.96\.0\.99\nAddress:\t10\.96\.0\.99:53\n\n/);
});

test("busybox 1.29-1.32: no search list, exit 0 whatever the replies", () => {
  const r = run("nslookup my-nginx", service, false);
  assert.equal(r.code, 0);
  assert.equal(r.out, HEADER + "** server can't find my-nginx: NXDOMAIN\n\n** server can't find my-nginx: NXDOMAIN\n\n");
});

test("busybox nslookup: usage without a name", () => {
  const r = run("nslookup");
  assert.equal(r.code, 1);
  assert.match(r.err, /^BusyBox v1\.37\.0 multi-call binary\.\n\nUsage: nslookup \[-type=QUERY_TYPE\] \[-debug\] HOST \[DNS_SERVER\]\n/);
});

test("which busybox tags have the big nslookup", () => {
  assert.deepEqual(busyboxTagVersion("1.36.1-glibc"), [1, 36]);
  assert.equal(busyboxTagVersion("latest"), undefined);
  assert.equal(busyboxCommands("1.28", "busybox"), undefined);
  assert.equal(busyboxCommands("1.28.4", "docker.io/library/busybox"), undefined);
  assert.ok(busyboxCommands("1.37", "busybox")?.nslookup);
  assert.ok(busyboxCommands("latest", "busybox")?.nslookup);
  assert.ok(busyboxCommands("musl", "docker.io/library/busybox")?.nslookup);
  // registry.k8s.io/busybox's latest is an old build (1.24's applet).
  assert.equal(busyboxCommands("latest", "registry.k8s.io/busybox"), undefined);
  assert.ok(busyboxCommands("1.29-4", "registry.k8s.io/e2e-test-images/busybox")?.nslookup);
});
