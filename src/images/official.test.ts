import { test } from "node:test";
import assert from "node:assert/strict";
import { officialConfigs, officialModelData, officialNotice, officialRun, officialVariant, OfficialServer, WaitingForInput, type RunInput } from "./official.ts";
import { officialImage } from "./catalogue.ts";
import { SimClock } from "../sim/clock.ts";
import { MemFs } from "../runtime/vfs.ts";
import type { ProcessIO } from "../runtime/types.ts";
import type { Container } from "../api/types.gen.ts";

const SHELLS = new Set(["bash", "busybox", "dash", "none"]);

test("official-configs.json is well-formed: official images (a catalogue model of one wins over its data), each variant's config from a Dockerfile at a pinned commit", () => {
  const file = officialConfigs();
  const pinned = new Set<string>();
  for (const line of file._comment) {
    const m = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{40})$/.exec(line);
    if (m) pinned.add(`${m[1]}@${m[2]!.slice(0, 12)}`);
  }
  assert.ok(pinned.size >= 25, "the header lists the repositories and their commits");
  const names = Object.keys(file.images);
  assert.ok(names.length >= 30, `about 30 images, not ${names.length}`);
  for (const [name, entry] of Object.entries(file.images)) {
    assert.ok(officialImage(name), `${name} is a Docker Hub official image (official-images.txt)`);
    assert.equal(entry.variants.filter((v) => v.tags === undefined).length, 1, `${name}: exactly one default variant`);
    if (entry.tagVersion) {
      assert.doesNotThrow(() => new RegExp(entry.tagVersion!.pattern));
      assert.ok(entry.variants.every((v) => v.config.env?.[entry.tagVersion!.env] !== undefined), `${name}: every variant sets ${entry.tagVersion.env}`);
    }
    for (const v of entry.variants) {
      const where = `${name} ${v.tags ?? "(default)"}`;
      if (v.tags !== undefined) assert.doesNotThrow(() => new RegExp(v.tags!), where);
      const m = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{12}) (\S*Dockerfile)$/.exec(v.source);
      assert.ok(m, `${where}: source is <repo>@<commit> <Dockerfile>, not ${v.source}`);
      assert.ok(pinned.has(`${m[1]}@${m[2]}`), `${where}: ${m[1]}@${m[2]} is in the header`);
      assert.ok(SHELLS.has(v.shell), where);
      const c = v.config;
      for (const k of ["entrypoint", "cmd"] as const) if (c[k] !== undefined) assert.ok(Array.isArray(c[k]) && c[k]!.every((a) => typeof a === "string"), `${where}: ${k}`);
      assert.ok(c.entrypoint?.length || c.cmd?.length, `${where}: runs something`);
      assert.match(c.env?.PATH ?? "", /(^|:)\/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin(:|$)/, `${where}: PATH keeps the builder's default`);
      for (const [k, val] of Object.entries(c.env ?? {})) assert.ok(/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && typeof val === "string" && !val.includes("$"), `${where}: ENV ${k} expanded`);
      for (const p of c.exposedPorts ?? []) assert.ok(Number.isInteger(p) && p > 0 && p < 65536, `${where}: EXPOSE ${p}`);
      if (c.workingDir !== undefined) assert.match(c.workingDir, /^\//, where);
      if (c.stopSignal !== undefined) assert.match(c.stopSignal, /^SIG[A-Z0-9]+$/, where);
    }
  }
});

test("a tag picks its variant: python:3.12 is 3.12's Dockerfile, php:8.4-apache the apache one, the rest the default", () => {
  assert.match(officialVariant("python", "3.12")!.config.env!.PYTHON_VERSION!, /^3\.12\./);
  assert.match(officialVariant("python", "3.12.4-slim")!.source, /3\.12\/trixie/);
  assert.deepEqual(officialVariant("php", "8.4-apache")!.config.cmd, ["apache2-foreground"]);
  assert.deepEqual(officialVariant("php", "8.4")!.config.cmd, ["php", "-a"]);
  assert.equal(officialVariant("eclipse-temurin", "21-jre")!.config.cmd, undefined, "a JRE has no jshell: ubuntu's CMD was reset by ENTRYPOINT");
  assert.deepEqual(officialVariant("eclipse-temurin", "21")!.config.cmd, ["jshell"]);
  assert.equal(officialVariant("sonarqube", "latest"), undefined);
  // Versions the repositories no longer build come from the last commit that had their Dockerfile.
  assert.match(officialVariant("node", "20-alpine")!.config.env!.NODE_VERSION!, /^20\./);
  assert.deepEqual(officialVariant("openjdk", "8")!.config.cmd, ["bash"], "openjdk 8 has no jshell");
  assert.match(officialVariant("mongo", "4.2")!.config.env!.MONGO_VERSION!, /^4\.2\./);
});

function input(name: string, tag: string, container: Partial<Container>, env: Record<string, string> = {}, files: Record<string, string> = {}): RunInput {
  const v = officialVariant(name, tag)!;
  return { name, ...(v.tags !== undefined ? { variantTags: v.tags } : {}), config: v.config, container, env: { ...v.config.env, ...env }, exists: (p) => p in files, read: (p) => files[p], now: Date.parse("2024-01-08T00:00:02Z") };
}

test("an interactive CMD exits with no stdin and waits with stdin or a terminal; a script is no longer interactive", () => {
  assert.deepEqual(officialRun(input("python", "3.12", {})), { kind: "interactive", argv: ["python3"], waits: false, onStop: "ignore" });
  assert.equal((officialRun(input("python", "3.12", { stdin: true })) as { waits: boolean }).waits, true);
  assert.equal((officialRun(input("node", "22", { tty: true })) as { waits: boolean }).waits, true);
  assert.deepEqual(officialRun(input("node", "22", {})).argv, ["node"], "docker-entrypoint.sh passes CMD on");
  assert.equal(officialRun(input("php", "8.4", {})).kind, "interactive");
  assert.deepEqual(officialRun(input("eclipse-temurin", "21", {})), { kind: "interactive", argv: ["jshell"], waits: false, onStop: { exitCode: 143 } });
  assert.equal(officialRun(input("python", "3.12", { command: ["python", "app.py"] })).kind, "other");
  assert.deepEqual(officialRun(input("golang", "1.26", {})), { kind: "other", argv: ["bash"] }, "bash runs in the shell, which ends with no input");
});

test("the image's own program listens on its real ports; an option first goes to it", () => {
  const mongo = officialRun(input("mongo", "7.0", { args: ["--replSet", "rs0"] }));
  assert.equal(mongo.kind, "server");
  assert.deepEqual(mongo.argv, ["mongod", "--replSet", "rs0"]);
  assert.deepEqual((mongo as { ports: unknown }).ports, [{ port: 27017 }]);
  const rabbit = officialRun(input("rabbitmq", "4.1-management", {})) as { ports: { port: number }[] };
  assert.deepEqual(rabbit.ports.map((p) => p.port), [4369, 5672, 15672, 15692, 25672], "no TLS listeners without certificates");
  assert.deepEqual((officialRun(input("eclipse-mosquitto", "2.0", {})) as { ports: unknown[] }).ports, [], "local only mode");
  assert.equal(officialRun(input("registry", "2", {})).kind, "server");
  const clock = new SimClock("2024-01-08T00:00:00Z");
  const io: ProcessIO = { clock, fs: new MemFs(clock, {}), env: {}, hostname: "m", stdout: () => {}, stderr: () => {}, resolve: () => undefined, http: () => {} };
  const s = new OfficialServer(io, [{ port: 27017 }, { port: 8080, http: 404 }], [9000]);
  const exits: number[] = [];
  s.start((c) => exits.push(c));
  assert.ok(s.listening(27017) && s.listening(8080) && s.listening(9000) && !s.listening(80));
  assert.equal(s.handle({ method: "GET", path: "/", port: 27017, headers: {} }).status, 0, "not HTTP");
  assert.equal(s.handle({ method: "GET", path: "/x", port: 8080, headers: {} }).status, 404);
  s.kill("SIGTERM");
  assert.deepEqual(exits, [0]);
});

test("entrypoints that refuse: mariadb without a root password option, couchdb without an admin, haproxy without its file", () => {
  const maria = officialRun(input("mariadb", "11.8", {}));
  assert.equal(maria.kind, "refuses");
  assert.match((maria as { stderr: string }).stderr, /^2024-01-08 00:00:02\+00:00 \[ERROR\] \[Entrypoint\]: Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, /);
  assert.equal(officialRun(input("mariadb", "11.8", {}, { MYSQL_ROOT_PASSWORD: "x" })).kind, "server", "the MYSQL_ aliases count");
  assert.equal(officialRun(input("mariadb", "11.8", {}, {}, { "/var/lib/mysql/mysql": "" })).kind, "server", "an initialised database needs none");
  assert.equal(officialRun(input("couchdb", "3", {})).kind, "refuses");
  assert.equal(officialRun(input("couchdb", "3", {}, { COUCHDB_USER: "admin", COUCHDB_PASSWORD: "p" })).kind, "server");
  const ha = officialRun(input("haproxy", "3.2", {}));
  assert.match((ha as { stderr: string }).stderr, /\[ALERT\] {4}\(1\) : config : Cannot open configuration file\/directory \/usr\/local\/etc\/haproxy\/haproxy.cfg : No such file or directory\n$/);
  const cfg = "frontend web\n    bind *:8080\n    bind :::8443,*:9000\n";
  assert.deepEqual((officialRun(input("haproxy", "3.2", {}, {}, { "/usr/local/etc/haproxy/haproxy.cfg": cfg })) as { ports: { port: number }[] }).ports.map((p) => p.port), [8080, 8443, 9000]);
  const hello = officialRun(input("hello-world", "latest", {}));
  assert.equal(hello.kind, "prints");
  assert.match((hello as { stdout: string }).stdout, /^\nHello from Docker!\n/);
});

test("a waiting interpreter ignores SIGTERM as PID 1 (python) or exits 143 (the JVM); SIGKILL ends it", () => {
  const clock = new SimClock("2024-01-08T00:00:00Z");
  const codes: number[] = [];
  const py = new WaitingForInput(clock, "ignore");
  py.start((c) => codes.push(c));
  py.kill("SIGTERM");
  clock.advance(1000);
  assert.equal(codes.length, 0);
  py.kill("SIGKILL");
  clock.advance(1);
  const js = new WaitingForInput(clock, { exitCode: 143 });
  js.start((c) => codes.push(c));
  js.kill("SIGTERM");
  clock.advance(1);
  assert.deepEqual(codes, [137, 143]);
});

test("the model data: the USER's account in /etc/passwd, WORKDIR's directory, dash as Debian's /bin/sh", () => {
  const mem = officialModelData("memcached", officialVariant("memcached", "1.6")!);
  assert.match(mem.files!["/etc/passwd"]!, /^memcache:x:11211:11211:/m);
  assert.equal(mem.binSh, "dash");
  const go = officialModelData("golang", officialVariant("golang", "1.26")!);
  assert.deepEqual(go.owners, { "/go": "0:0" });
  const text = officialNotice("python:3.12", "python", officialVariant("python", "3.12")!, officialVariant("python", "3.12")!.config, { name: "py", image: "python:3.12" });
  assert.match(text!, /^Image "python:3\.12" is an official image kube-scenario models by its image config only \(docker-library\/python@[0-9a-f]{12} 3\.12\/trixie\/Dockerfile\): "python3" is interactive: with no stdin/);
});
