import { test } from "node:test";
import assert from "node:assert/strict";
import { harness, sh } from "./testutil.ts";
import { bindNslookup } from "./net.ts";

const SERVER = "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n";

test("nslookup prints busybox 1.28's answer for a Service", () => {
  const r = sh("nslookup myservice", (h) => {
    h.dns.set("myservice", "10.96.12.34");
    h.dns.set("myservice.default.svc.cluster.local", "10.96.12.34");
  });
  assert.equal(r.code, 0);
  assert.equal(r.out, `${SERVER}Name:      myservice\nAddress 1: 10.96.12.34 myservice.default.svc.cluster.local\n`);
});

test("nslookup of an unknown name: can't resolve, exit 1", () => {
  const r = sh("nslookup mydb");
  assert.equal(r.code, 1);
  assert.equal(r.out, SERVER);
  assert.equal(r.err, "nslookup: can't resolve 'mydb'\n");
});

test("the course's init container waits until the Service exists, 2 s per try", () => {
  const h = harness();
  const p = h.run(["sh", "-c", "until nslookup myservice; do echo waiting for myservice; sleep 2; done;"], { pid1: true });
  h.clock.advance(5_000);
  assert.equal(p.exit(), undefined);
  assert.equal(h.out.filter((o) => o === "waiting for myservice\n").length, 3);
  h.dns.set("myservice", "10.96.0.50");
  h.clock.advance(1_000);
  assert.equal(p.exit(), 0);
  assert.equal(p.exitedAt(), Date.parse("2024-01-08T00:00:06Z"));
  assert.match(h.stdout(), /Name: {6}myservice\nAddress 1: 10\.96\.0\.50/);
  assert.equal(h.err.filter((e) => e === "nslookup: can't resolve 'myservice'\n").length, 3);
});

test("curl prints the body; connection refused is exit 7 with curl 8's text", () => {
  const r = sh("curl 10.97.190.80:8080/hostname; echo; curl http://10.0.0.1:8080/; echo $?", (h) => {
    h.http = (req) =>
      req.url.startsWith("http://10.97.190.80:8080/hostname")
        ? { outcome: { ok: true, status: 200, body: "pod1" } }
        : { outcome: { ok: false, error: "dial tcp 10.0.0.1:8080: connect: connection refused", kind: "refused" } };
  });
  assert.equal(r.out, "pod1\n7\n");
  assert.equal(r.err, "curl: (7) Failed to connect to 10.0.0.1 port 8080 after 0 ms: Couldn't connect to server\n");
  assert.equal(r.h.requests[0]!.url, "http://10.97.190.80:8080/hostname");
  assert.equal(r.h.requests[0]!.method, "GET");
});

test("curl --resolve host:port:addr connects to addr for that host and port only, keeping the Host header (ingress-nginx's Local testing)", () => {
  const r = sh("curl --resolve demo.localdev.me:8080:127.0.0.1 http://demo.localdev.me:8080; echo; curl -s --resolve=demo.localdev.me:8080:127.0.0.1 http://demo.localdev.me:9090/; echo $?; curl -sS --resolve nonsense http://demo.localdev.me:8080; echo $?", (h) => {
    h.http = (req) => (req.url.startsWith("http://127.0.0.1:8080/") ? { outcome: { ok: true, status: 200, body: "<html><body><h1>It works!</h1></body></html>" } } : { outcome: { ok: false, error: "no", kind: "nxdomain" } });
  });
  assert.equal(r.out, "<html><body><h1>It works!</h1></body></html>\n6\n49\n");
  assert.equal(r.h.requests[0]!.url, "http://127.0.0.1:8080/");
  assert.equal(r.h.requests[0]!.headers?.Host, "demo.localdev.me:8080");
  assert.equal(r.err, "curl: (49) Couldn't parse CURLOPT_RESOLVE entry 'nonsense'\n");
});

test("curl's own headers, in curl's order: Host with the port unless it is the scheme's default, User-Agent, Accept: */*; -H replaces one of the same name", () => {
  const r = sh("curl -s http://10.0.0.3/; curl -s http://10.0.0.3:80/a; curl -s http://10.0.0.3:8080/b; curl -s https://10.0.0.3:443/c; curl -s https://10.0.0.3:8443/d; curl -s -H 'Accept: text/plain' -H 'host: example.com' http://10.0.0.3:8080/e", (h) => {
    h.http = () => ({ outcome: { ok: true, status: 200, body: "" } });
  });
  const sent = r.h.requests.map((q) => q.headers);
  assert.deepEqual(Object.keys(sent[0]!), ["Host", "User-Agent", "Accept"]);
  assert.deepEqual(sent.slice(0, 5).map((s) => s!.Host), ["10.0.0.3", "10.0.0.3", "10.0.0.3:8080", "10.0.0.3", "10.0.0.3:8443"]);
  assert.equal(sent[0]!.Accept, "*/*");
  assert.match(sent[0]!["User-Agent"]!, /^curl\//);
  assert.deepEqual(sent[5], { "User-Agent": sent[0]!["User-Agent"], Accept: "text/plain", host: "example.com" });
});

test("curl -o /dev/null discards the body (the -w status still prints); -o - is standard output", () => {
  const r = sh("curl -s -o /dev/null -w '%{http_code}\\n' http://10.0.0.3/; echo $?; curl -s -o - http://10.0.0.3/", (h) => {
    h.http = () => ({ outcome: { ok: true, status: 200, body: "hello" } });
  });
  assert.equal(r.out, "200\n0\nhello");
  assert.equal(r.err, "");
});

test("curl --cacert: the file must exist for an https URL (77); the handshake is not simulated", () => {
  const setup = (h: Parameters<NonNullable<Parameters<typeof sh>[1]>>[0]) => {
    h.fs.writeFile("/tls.crt", "-----BEGIN CERTIFICATE-----\n");
    h.http = () => ({ outcome: { ok: true, status: 200, body: "hello" } });
  };
  const r = sh("curl https://10.0.0.5 --cacert /tls.crt; echo; curl --cacert=/nope.crt https://10.0.0.5; echo $?; curl http://10.0.0.5 --cacert /nope.crt", setup);
  assert.equal(r.out, "hello\n77\nhello");
  assert.equal(r.err, "curl: (77) error setting certificate file: /nope.crt\n");
  assert.equal(r.h.requests[0]!.url, "https://10.0.0.5:443/");
});

test("curl: timeouts (28), unknown hosts (6), -f on HTTP errors (22), -s, -o, -w", () => {
  const r = sh(
    [
      "curl -m 2 http://10.0.0.2/slow; echo \" $?\"",
      'curl http://nosuch/; echo " $?"',
      'curl -sf http://10.0.0.3/health; echo " $?"',
      'curl -f http://10.0.0.3/health; echo " $?"',
      'curl -s -o /tmp/body -w "%{http_code}" http://10.0.0.4/; echo; cat /tmp/body',
    ].join("\n"),
    (h) => {
      h.http = (req) => {
        if (req.url.includes("10.0.0.2")) return { outcome: { ok: false, error: "timeout", kind: "timeout" }, delayMs: req.timeoutMs };
        if (req.url.includes("10.0.0.3")) return { outcome: { ok: true, status: 500, body: "bad" } };
        return { outcome: { ok: true, status: 200, body: "hello" } };
      };
    },
  );
  assert.equal(r.out, " 28\n 6\n 22\n 22\n200\nhello");
  assert.equal(
    r.err,
    "curl: (28) Operation timed out after 2000 milliseconds with 0 bytes received\ncurl: (6) Could not resolve host: nosuch\ncurl: (22) The requested URL returned error: 500\n",
  );
  assert.equal(r.ms, 2000, "the timeout takes simulated time");
});

test("curl -O and --remote-name save the body under the URL's file name, in the working directory", () => {
  const r = sh(
    [
      "cd /tmp && curl -L -s -O http://10.0.0.4/examples/job-tmpl.yaml?x=1 && cat job-tmpl.yaml; echo",
      "curl --remote-name http://10.0.0.4/a/b.txt && cat /tmp/b.txt; echo",
      'curl -O http://10.0.0.4/; echo " $?"',
      'curl -sO http://10.0.0.4/; echo " $?"',
    ].join("\n"),
    (h) => {
      h.http = (req) => ({ outcome: { ok: true, status: 200, body: req.url.slice(req.url.lastIndexOf("/")) } });
    },
  );
  assert.equal(r.out, "/job-tmpl.yaml?x=1\n/b.txt\n 23\n 23\n");
  assert.equal(r.err, "Warning: Remote filename has no length!\ncurl: (23) Failure writing output to destination\n");
});

test("wget -q -O - prints the body; errors read like busybox", () => {
  const r = sh(
    [
      "wget -q -O - http://web:8080/; echo \" $?\"",
      'wget -q -O - http://web:8080/missing; echo " $?"',
      'wget -q -O - http://down:8080/; echo " $?"',
      'wget -q -O - http://nosuch/; echo " $?"',
      'wget -q -T 3 -O - http://slow/; echo " $?"',
    ].join("\n"),
    (h) => {
      h.dns.set("web", "10.96.1.1");
      h.dns.set("down", "10.96.1.2");
      h.dns.set("slow", "10.96.1.3");
      h.http = (req) => {
        if (req.url.includes("/missing")) return { outcome: { ok: true, status: 404, body: "nf" } };
        if (req.url.includes("down")) return { outcome: { ok: false, error: "refused", kind: "refused" } };
        if (req.url.includes("slow")) return { outcome: { ok: false, error: "timeout", kind: "timeout" }, delayMs: req.timeoutMs };
        return { outcome: { ok: true, status: 200, body: "<h1>hi</h1>\n" } };
      };
    },
  );
  assert.equal(r.out, "<h1>hi</h1>\n 0\n 1\n 1\n 1\n 1\n");
  assert.equal(
    r.err,
    [
      "wget: server returned error: HTTP/1.1 404 Not Found",
      "wget: can't connect to remote host (10.96.1.2): Connection refused",
      "wget: bad address 'nosuch'",
      "wget: download timed out",
      "",
    ].join("\n"),
  );
  assert.equal(r.ms, 3000);
});

test("wget's short options cluster as getopt's do: -qO- is -q -O -, -T5 and -O- take the rest of the word", () => {
  const r = sh(
    [
      "wget -qO- http://web:8080/; echo \" $?\"",
      "wget -qT5 -O- http://web:8080/; echo \" $?\"",
      "wget -qO /tmp/page http://web:8080/ && cat /tmp/page",
      'wget -qx http://web:8080/; echo " $?"',
      'wget --bogus http://web:8080/; echo " $?"',
    ].join("\n"),
    (h) => {
      h.dns.set("web", "10.96.1.1");
      h.http = () => ({ outcome: { ok: true, status: 200, body: "hi\n" } });
    },
  );
  assert.equal(r.out, "hi\n 0\nhi\n 0\nhi\n 1\n 1\n");
  assert.equal(r.err, "wget: invalid option -- 'x'\nwget: unrecognized option '--bogus'\n");
});

test("wget without -O saves index.html and reports progress on stderr", () => {
  const r = sh("cd /tmp && wget http://10.0.0.9/ && cat index.html", (h) => {
    h.http = () => ({ outcome: { ok: true, status: 200, body: "page\n" } });
  });
  assert.equal(r.out, "page\n");
  assert.match(r.err, /^Connecting to 10\.0\.0\.9 \(10\.0\.0\.9:80\)\nsaving to 'index\.html'\n.*\n'index\.html' saved\n$/);
});

test("busybox wget resolves before it connects: an unknown name fails at once with bad address, the port as the URL writes it", () => {
  const r = sh("wget -O /tmp/x http://info.cern.ch; echo \" $?\"; wget http://nosuch:8080/a; echo \" $?\"", (h) => {
    h.http = () => ({ outcome: { ok: true, status: 200, body: "never" } });
  });
  assert.equal(r.err, "wget: bad address 'info.cern.ch'\nwget: bad address 'nosuch:8080'\n");
  assert.equal(r.out, " 1\n 1\n");
});

test("the course's client loop: date and curl every second", () => {
  const h = harness();
  let n = 0;
  h.http = () => ({ outcome: { ok: true, status: 200, body: `pod${++n % 2}` } });
  const p = h.run(["sh", "-c", "while true; do date && curl 10.97.190.80:8080/hostname; sleep 1; done"]);
  h.clock.advance(2_500);
  assert.equal(h.stdout(), "Mon Jan  8 00:00:00 UTC 2024\npod1Mon Jan  8 00:00:01 UTC 2024\npod0Mon Jan  8 00:00:02 UTC 2024\npod1");
  p.proc.kill("SIGKILL");
  assert.equal(p.exit(), 137);
});

test("ping -c 1 of an answering name: busybox's lines, exit 0 at once", () => {
  const r = sh("ping -c 1 example-job-0.headless-svc; echo $?", (h) => {
    h.dns.set("example-job-0.headless-svc", "10.244.1.2");
    h.echoing.add("10.244.1.2");
  });
  assert.equal(
    r.out,
    "PING example-job-0.headless-svc (10.244.1.2): 56 data bytes\n64 bytes from 10.244.1.2: seq=0 ttl=64 time=0.080 ms\n\n" +
      "--- example-job-0.headless-svc ping statistics ---\n1 packets transmitted, 1 packets received, 0% packet loss\nround-trip min/avg/max = 0.080/0.080/0.080 ms\n0\n",
  );
  assert.equal(r.ms, 0);
});

test("ping of a name that does not resolve: bad address, exit 1; of a silent address: 10 s, 100% loss, exit 1", () => {
  const bad = sh("ping -c 1 nowhere; echo $?");
  assert.equal(bad.err, "ping: bad address 'nowhere'\n");
  assert.equal(bad.out, "1\n");
  const silent = sh("ping -c 2 10.96.0.1; echo $?");
  assert.equal(silent.out, "PING 10.96.0.1 (10.96.0.1): 56 data bytes\n\n--- 10.96.0.1 ping statistics ---\n2 packets transmitted, 0 packets received, 100% packet loss\n1\n");
  // The second request a second after the first, then -W's default 10 s for an answer.
  assert.equal(silent.ms, 11_000);
});

test("ping sends one request a second until -c answers; -w ends it; -q keeps only the summary", () => {
  const r = sh("ping -q -c 3 10.244.0.5", (h) => h.echoing.add("10.244.0.5"));
  assert.equal(r.out, "PING 10.244.0.5 (10.244.0.5): 56 data bytes\n\n--- 10.244.0.5 ping statistics ---\n3 packets transmitted, 3 packets received, 0% packet loss\nround-trip min/avg/max = 0.080/0.080/0.080 ms\n");
  assert.equal(r.ms, 2_000);
  const w = sh("ping -w 3 10.244.0.9; echo $?");
  assert.match(w.out, /3 packets transmitted, 0 packets received, 100% packet loss\n1\n$/);
  assert.equal(w.ms, 3_000);
  const opt = sh("ping -x 10.244.0.5");
  assert.equal(opt.code, 1);
  assert.match(opt.err, /^ping: invalid option -- 'x'\nBusyBox/);
});

/** Runs a script in a shell that has BIND's nslookup as an image command (agnhost's bind-tools). */
function bind(script: string, setup?: (h: ReturnType<typeof harness>) => void) {
  const h = harness();
  setup?.(h);
  const r = h.run(["sh", "-c", script], { commands: { nslookup: bindNslookup } });
  for (let i = 0; i < 10 && r.exit() === undefined; i++) h.clock.advance(1000);
  return { code: r.exit(), out: h.stdout(), err: h.stderr() };
}

const BIND_SERVER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n";

test("BIND's nslookup: the search list's fully qualified name, authoritative for the cluster's names", () => {
  const r = bind("nslookup kubernetes.default", (h) => {
    h.dns.set("kubernetes.default", "10.96.0.1");
    h.dns.set("kubernetes.default.svc.cluster.local", "10.96.0.1");
  });
  assert.equal(r.code, 0);
  assert.equal(r.out, `${BIND_SERVER}Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n`);
});

test("BIND's nslookup: NXDOMAIN on stdout, exit 1; an outside name is non-authoritative", () => {
  const r = bind("nslookup nope");
  assert.equal(r.code, 1);
  assert.equal(r.out, `${BIND_SERVER}** server can't find nope: NXDOMAIN\n\n`);
  const ext = bind("nslookup example.com", (h) => h.dns.set("example.com", "203.0.113.10"));
  assert.equal(ext.out, `${BIND_SERVER}Non-authoritative answer:\nName:\texample.com\nAddress: 203.0.113.10\n\n`);
  const rev = bind("nslookup 10.96.0.1");
  assert.equal(rev.code, 1);
  assert.equal(rev.err, "nslookup: reverse lookups (10.96.0.1) are not simulated\n");
});

test("wget -S / --server-response: the status line and the server's headers on stderr, two spaces in, as busybox prints them", () => {
  const r = sh("cd /tmp && wget -S -O - http://10.0.0.9/ 2>/tmp/err; cat /tmp/err; wget --server-response -q -O /dev/null http://10.0.0.9/missing; echo \"status $?\"", (h) => {
    h.http = (req) =>
      req.url.endsWith("/missing")
        ? { outcome: { ok: true, status: 404, body: "no\n" } }
        : { outcome: { ok: true, status: 200, body: "page\n", headers: { "Content-Type": "text/html" } } };
  });
  assert.equal(
    r.out,
    "page\nConnecting to 10.0.0.9 (10.0.0.9:80)\n  HTTP/1.1 200 OK\n  Content-Type: text/html\n  \nwriting to stdout\n-                    100% |********************************|     5  0:00:00 ETA\nwritten to stdout\nstatus 1\n",
  );
  assert.equal(r.err, "  HTTP/1.1 404 Not Found\nwget: server returned error: HTTP/1.1 404 Not Found\n");
});

test("wget without -O on a read-only root (readOnlyRootFilesystem): the headers, then busybox's can't open 'index.html'", async () => {
  const { MountedFs } = await import("../vfs.ts");
  const r = sh("wget --server-response http://frontend:80 2>&1 | awk '/^  HTTP/{print $2}'; wget http://frontend:80; echo \"status $?\"", (h) => {
    h.dns.set("frontend", "10.96.0.12");
    h.http = () => ({ outcome: { ok: true, status: 200, body: "<html></html>\n" } });
    h.io.fs = new MountedFs(h.fs, [], true);
  });
  assert.equal(r.out, "200\nstatus 1\n");
  assert.equal(r.err, "Connecting to frontend:80 (10.96.0.12:80)\nwget: can't open 'index.html': Read-only file system\n");
});

test("curl -d/--data sends its body: POST unless -X says otherwise, form-encoded unless -H names the type, parts joined with &, @file read", () => {
  const r = sh(
    `printf 'a=1\\nb=2\\n' > /body; curl -s -d x=1 -d y=2 http://10.0.0.5/; curl -s -X PATCH -H "Content-Type: application/json-patch+json" --data '[{"op": "remove", "path": "/a"}]' http://10.0.0.5/; curl -s -d @/body http://10.0.0.5/; curl -s --data-binary @/body http://10.0.0.5/; curl -s --data-raw @/body http://10.0.0.5/; curl -s http://10.0.0.5/`,
    (h) => {
      h.http = () => ({ outcome: { ok: true, status: 200, body: "" } });
    },
  );
  const reqs = r.h.requests.map((q) => [q.method, q.headers?.["Content-Type"], q.body]);
  assert.deepEqual(reqs, [
    ["POST", "application/x-www-form-urlencoded", "x=1&y=2"],
    ["PATCH", "application/json-patch+json", '[{"op": "remove", "path": "/a"}]'],
    ["POST", "application/x-www-form-urlencoded", "a=1b=2"],
    ["POST", "application/x-www-form-urlencoded", "a=1\nb=2\n"],
    ["POST", "application/x-www-form-urlencoded", "@/body"],
    ["GET", undefined, undefined],
  ]);
});
