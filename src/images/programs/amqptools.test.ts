// amqp-tools (amqptools.ts) from an ubuntu pod against the page's RabbitMQ, installed with apt-get
// (apt.ts); the page's worker.py run by amqp-consume (pyworker.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Cluster } from "../../cluster.ts";
import { clusterNetwork } from "../../network/network.ts";
import { parseAmqpUrl, parseOptions } from "./amqptools.ts";
import { pageWorkerText } from "./pyworker.ts";

const DIR = "exercises/docs/application/job/rabbitmq";
const URL = "amqp://guest:guest@rabbitmq-service:5672";

function cluster(opts: { internet?: boolean; image?: string } = {}): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  if (opts.internet !== false) for (const h of ["archive.ubuntu.com", "security.ubuntu.com"]) clusterNetwork(c.ctx).externalHosts.declareYaml(h, "");
  c.applySync(readFileSync(`${DIR}/rabbitmq-service.yaml`, "utf8"));
  c.applySync(readFileSync(`${DIR}/rabbitmq-statefulset.yaml`, "utf8"));
  c.applySync(`apiVersion: v1\nkind: Pod\nmetadata: {name: temp}\nspec:\n  containers: [{name: temp, image: "${opts.image ?? "ubuntu:22.04"}", command: [sleep, infinity]}]\n`);
  c.advanceSync(20_000);
  return c;
}

/** A command in the pod, its stderr without kubectl's own `command terminated with exit code N`. */
function sh(c: Cluster, script: string): { stdout: string; stderr: string; exitCode: number } {
  const r = c.kubectlSync(["exec", "temp", "--", "bash", "-c", script]);
  return { ...r, stderr: r.stderr.replace(/command terminated with exit code \d+\n$/, "") };
}

function installed(c: Cluster): void {
  const r = sh(c, "apt-get update && apt-get install -y curl ca-certificates amqp-tools python3 dnsutils");
  assert.equal(r.exitCode, 0, r.stderr);
}

test("the page's URL parses as amqp_parse_url reads it; bad URLs do not", () => {
  assert.deepEqual(parseAmqpUrl(URL), { user: "guest", password: "guest", host: "rabbitmq-service", port: 5672, vhost: "/" });
  assert.deepEqual(parseAmqpUrl("amqp://h"), { user: "guest", password: "guest", host: "h", port: 5672, vhost: "/" });
  assert.deepEqual(parseAmqpUrl("amqp://u:p%40ss@h:1/v%2Fh"), { user: "u", password: "p@ss", host: "h", port: 1, vhost: "v/h" });
  assert.equal(parseAmqpUrl(""), undefined);
  assert.equal(parseAmqpUrl("http://h"), undefined);
  assert.equal(parseAmqpUrl("amqp://h:port"), undefined);
});

test("popt: --opt=value, -o value, -ovalue, bundles, unknown options", () => {
  const specs = [
    { long: "queue", short: "q", arg: true },
    { long: "durable", short: "d", arg: false },
  ];
  const p = parseOptions(["amqp-declare-queue", `--url=${URL}`, "-q", "foo", "-d"], specs);
  assert.ok(!("message" in p));
  assert.deepEqual([...p.opts], [["url", URL], ["queue", "foo"], ["durable", "1"]]);
  const q = parseOptions(["x", "-dqjob1"], specs);
  assert.ok(!("message" in q) && q.opts.get("queue") === "job1" && q.opts.get("durable") === "1");
  assert.equal((parseOptions(["x", "--nope"], specs) as { message: string }).message, "--nope: unknown option");
});

test("without apt-get update the image has no package lists; without a reachable archive update warns and install fails", () => {
  const c = cluster({ internet: false });
  let r = sh(c, "apt-get install -y amqp-tools");
  assert.equal(r.exitCode, 100);
  assert.equal(r.stderr, "E: Unable to locate package amqp-tools\n");
  r = sh(c, "amqp-publish --help");
  assert.equal(r.exitCode, 127);
  assert.match(r.stderr, /amqp-publish: command not found/);
  r = sh(c, "apt-get update");
  assert.equal(r.exitCode, 0);
  assert.match(r.stdout, /^Err:1 http:\/\/archive\.ubuntu\.com\/ubuntu jammy InRelease\n {2}Temporary failure resolving 'archive\.ubuntu\.com'\n/);
  assert.match(r.stderr, /W: Some index files failed to download/);
  assert.equal(sh(c, "apt-get install -y amqp-tools").exitCode, 100);
});

test("apt-get update and install: the page's packages; python is gone from 22.04", () => {
  const c = cluster();
  const r = sh(c, "apt-get update && apt-get install -y curl ca-certificates amqp-tools python3 dnsutils");
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^Get:1 http:\/\/archive\.ubuntu\.com\/ubuntu jammy InRelease \[270 kB\]\n/);
  assert.match(r.stdout, /The following NEW packages will be installed:\n {2}curl ca-certificates amqp-tools python3 dnsutils\n0 upgraded, 5 newly installed/);
  assert.match(r.stdout, /Setting up amqp-tools \(0\.10\.0-1ubuntu2\) \.\.\.\n/);
  assert.equal(sh(c, "command -v amqp-consume; ls /usr/bin/amqp-publish").stdout, "/usr/bin/amqp-consume\n/usr/bin/amqp-publish\n");
  const py = sh(c, "apt-get install -y python");
  assert.equal(py.exitCode, 100);
  assert.equal(py.stderr, "E: Package 'python' has no installation candidate\n");
  assert.match(sh(c, "apt-get install -y amqp-tools").stdout, /amqp-tools is already the newest version \(0\.10\.0-1ubuntu2\)\.\n0 upgraded, 0 newly installed/);
});

test("the page's session: declare foo, publish Hello, consume it with cat", () => {
  const c = cluster();
  installed(c);
  let r = sh(c, `export BROKER_URL=${URL}; /usr/bin/amqp-declare-queue --url=$BROKER_URL -q foo -d`);
  assert.deepEqual([r.stdout, r.stderr, r.exitCode], ["foo\n", "", 0]);
  r = sh(c, `/usr/bin/amqp-publish --url=${URL} -r foo -p -b Hello`);
  assert.deepEqual([r.stdout, r.stderr, r.exitCode], ["", "", 0]);
  r = sh(c, `/usr/bin/amqp-consume --url=${URL} -q foo -c 1 cat && echo 1>&2`);
  assert.deepEqual([r.stdout, r.stderr, r.exitCode], ["Hello", "\n", 0]);
  // Acknowledged: the queue is empty now (amqp-get exits 2 on basic.get-empty).
  assert.equal(sh(c, `amqp-get --url=${URL} -q foo`).exitCode, 2);
});

test("errors: no queue, a durable queue redeclared transient, a wrong password, an unknown host, an unparsable URL, no routing key", () => {
  const c = cluster();
  installed(c);
  const err = (s: string) => {
    const r = sh(c, s);
    return [r.stderr, r.exitCode];
  };
  sh(c, `amqp-declare-queue --url=${URL} -q job1 -d`);
  assert.deepEqual(err(`amqp-declare-queue --url=${URL} -q job1`), ["queue.declare: server channel error 406, message: PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'job1' in vhost '/': received 'false' but current is 'true'\n", 1]);
  assert.deepEqual(err(`amqp-consume --url=${URL} -q nope -c 1 cat`), ["basic.consume: server channel error 404, message: NOT_FOUND - no queue 'nope' in vhost '/'\n", 1]);
  assert.deepEqual(err(`amqp-consume --url=${URL} -q job1 -d -c 1 cat`), ["queue.declare: server channel error 406, message: PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'job1' in vhost '/': received 'false' but current is 'true'\n", 1]);
  assert.deepEqual(err(`amqp-publish --url=amqp://guest:bad@rabbitmq-service:5672 -r job1 -b x`), ["logging in to AMQP server: server connection error 403, message: ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.\n", 1]);
  assert.deepEqual(err(`amqp-publish --url=amqp://guest:guest@nosuch:5672 -r job1 -b x`), ["opening socket to nosuch:5672\n", 1]);
  assert.deepEqual(err(`amqp-publish --url=$BROKER_URL -r job1 -b x`), ["Parsing URL '': could not parse AMQP URL\n", 1]);
  assert.deepEqual(err(`amqp-publish --url=${URL} -b x`), ["neither exchange nor routing key specified\n", 1]);
  assert.deepEqual(err(`amqp-declare-queue --url=${URL}`), ["queue name not specified\n", 1]);
  assert.deepEqual(err(`amqp-consume --url=${URL} -q job1`), ["consuming command not specified\nUsage: amqp-consume [OPTION...] [OPTIONS]... <command> <args>\n", 1]);
  // An empty queue: amqp-consume waits until killed (kubectlSync ends an exec that never returns),
  // and its consumer goes with it: a message published later is still there for amqp-get.
  assert.deepEqual(err(`amqp-consume --url=${URL} -q job1 -c 1 cat`), ["", 137]);
  assert.equal(sh(c, `amqp-publish --url=${URL} -r job1 -b later && amqp-get --url=${URL} -q job1`).stdout, "later");
});

test("a failing command leaves the message unacknowledged: back in the queue when amqp-consume exits (0 all the same)", () => {
  const c = cluster();
  installed(c);
  sh(c, `amqp-declare-queue --url=${URL} -q job1 -d && for f in apple banana; do amqp-publish --url=${URL} -r job1 -p -b $f; done`);
  let r = sh(c, `amqp-consume --url=${URL} -q job1 -c 1 false`);
  assert.equal(r.exitCode, 0);
  r = sh(c, `amqp-consume --url=${URL} -q job1 -c 2 cat`);
  assert.deepEqual([r.stdout, r.exitCode], ["applebanana", 0]);
  r = sh(c, `amqp-publish --url=${URL} -r job1 -b x; amqp-consume --url=${URL} -q job1 -c 1 /no/such/worker`);
  assert.deepEqual([r.stderr, r.exitCode], ["posix_spawnp: /no/such/worker: No such file or directory\n", 1]);
  assert.equal(sh(c, `amqp-get --url=${URL} -q job1`).stdout, "x", "the message went back when the tool died");
});

test("the page's worker.py under amqp-consume: Processing <message> after 10 s; no python interpreter: env's error", () => {
  const c = cluster({ image: "ubuntu:18.04" });
  const worker = readFileSync(`${DIR}/worker.py`, "utf8");
  assert.equal(worker, pageWorkerText());
  const b64 = Buffer.from(worker).toString("base64");
  sh(c, `apt-get update >/dev/null && apt-get install -y amqp-tools >/dev/null && echo ${b64} | base64 -d > /worker.py && chmod +x /worker.py`);
  sh(c, `amqp-declare-queue --url=${URL} -q job1 -d && amqp-publish --url=${URL} -r job1 -p -b apple`);
  let r = sh(c, `amqp-consume --url=${URL} -q job1 -c 1 /worker.py`);
  assert.deepEqual([r.stdout, r.stderr, r.exitCode], ["", "/usr/bin/env: 'python': No such file or directory\n", 0]);
  sh(c, "apt-get install -y python");
  r = sh(c, `amqp-consume --url=${URL} -q job1 -c 1 /worker.py`);
  assert.deepEqual([r.stdout, r.stderr, r.exitCode], ["Processing apple\n", "", 0]);
  assert.equal(sh(c, `amqp-get --url=${URL} -q job1`).exitCode, 2, "acknowledged");
});
