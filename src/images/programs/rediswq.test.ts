// Redis' lists and expiry (databases.ts), redis-cli to another pod, and the page's work queue
// worker (rediswq.ts) in an image built from the page's Dockerfile (../build.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Cluster } from "../../cluster.ts";
import { imageRegistry } from "../registry.ts";
import { buildImage } from "../build.ts";
import { itemKey, pageWorkerFiles } from "./rediswq.ts";

const DIR = "exercises/docs/application/job/redis";
const read = (f: string) => readFileSync(`${DIR}/${f}`, "utf8");

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  c.applySync(read("redis-pod.yaml"));
  c.applySync(read("redis-service.yaml"));
  c.advanceSync(10_000);
  return c;
}

const cli = (c: Cluster, args: string) => c.kubectlSync(`exec redis-master -- redis-cli ${args}`);

function build(c: Cluster, dockerfile = read("Dockerfile"), name = "gcr.io/myproject/job-wq-2"): void {
  const context = { "worker.py": read("worker.py"), "rediswq.py": read("rediswq.py") };
  const registry = imageRegistry(c.ctx);
  const b = buildImage(name, {
    dockerfile,
    context,
    base: (image) => {
      const l = registry.lookup(image);
      return l.ok ? l.behaviour : new Error(l.error);
    },
  });
  if (b instanceof Error) throw b;
  registry.declare({ ...b, tags: ["latest"] });
}

test("the worker's data files are the page's (exercises/docs copies)", () => {
  assert.equal(pageWorkerFiles().worker, read("worker.py"));
  assert.equal(pageWorkerFiles().rediswq, read("rediswq.py"));
});

test("lists: RPUSH, LPUSH, LLEN, LRANGE (negative indexes), RPOPLPUSH, LREM, WRONGTYPE; SETEX and TTL expiry", () => {
  const c = cluster();
  const out = (args: string) => cli(c, args).stdout;
  assert.equal(out("rpush q a b c"), "3\n");
  assert.equal(out("lpush q z"), "4\n");
  assert.equal(out("lrange q 0 -1"), "z\na\nb\nc\n");
  assert.equal(out("lrange q -2 -1"), "b\nc\n");
  assert.equal(out("lrange q 5 9"), "");
  assert.equal(out("rpoplpush q p"), "c\n");
  assert.equal(out("lrange p 0 -1"), "c\n");
  assert.equal(out("llen q"), "3\n");
  assert.equal(out("rpoplpush nothing p"), "\n");
  assert.equal(out("rpush q a"), "4\n");
  assert.equal(out("lrem q 0 a"), "2\n");
  assert.equal(out("lrange q 0 -1"), "z\nb\n");
  assert.equal(out("set s v"), "OK\n");
  assert.equal(out("rpush s x"), "WRONGTYPE Operation against a key holding the wrong kind of value\n");
  assert.equal(out("get q"), "WRONGTYPE Operation against a key holding the wrong kind of value\n");
  assert.equal(out("type q"), "list\n");
  assert.equal(out("setex lease 10 me"), "OK\n");
  assert.equal(out("ttl lease"), "10\n");
  c.advanceSync(9_000);
  assert.equal(out("exists lease"), "1\n");
  c.advanceSync(1_000);
  assert.equal(out("exists lease"), "0\n");
  assert.equal(out("ttl lease"), "-2\n");
  assert.equal(out("del q p s"), "3\n");
  assert.equal(out("dbsize"), "0\n");
});

test("redis-cli -h <service> reaches the server through the Service; an unknown host or a Service without endpoints does not", () => {
  const c = cluster();
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: temp}\nspec:\n  containers: [{name: temp, image: redis, command: [sleep, '3600']}]\n");
  c.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: nobody}\nspec:\n  selector: {app: none}\n  ports: [{port: 6379}]\n");
  c.advanceSync(10_000);
  assert.equal(c.kubectlSync("exec temp -- redis-cli -h redis rpush job2 apple").stdout, "1\n");
  assert.equal(cli(c, "lrange job2 0 -1").stdout, "apple\n");
  const r = c.kubectlSync("exec temp -- redis-cli -h nosuch ping");
  assert.equal(r.stderr.split("\n")[0], "Could not connect to Redis at nosuch:6379: Name or service not known");
  assert.equal(c.kubectlSync("exec temp -- redis-cli -h nobody ping").stderr.split("\n")[0], "Could not connect to Redis at nobody:6379: Connection refused");
});

test("the Job of the page's workers empties the queue: each item leased (SETEX), worked on 10 s, completed; the log comes at exit", () => {
  const c = cluster();
  for (const item of ["apple", "banana", "cherry"]) cli(c, `rpush job2 ${item}`);
  build(c);
  c.applySync(read("job.yaml"));
  c.advanceSync(5_000);
  // Working: an item in the processing list has its lease key, the session ID as value, 10 s to live.
  assert.equal(cli(c, "llen job2:processing").stdout, "2\n");
  assert.equal(cli(c, `ttl job2:leased_by_session:${itemKey("cherry")}`).stdout.trim().length > 0, true);
  assert.match(cli(c, `get job2:leased_by_session:${itemKey("cherry")}`).stdout, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$/);
  // Nothing in the log while Python runs: stdout to a pipe is block-buffered.
  const pods = c.api.list("Pod").filter((p) => p.metadata.labels?.["job-name"] === "job-wq-2").map((p) => p.metadata.name!);
  assert.equal(pods.length, 2);
  for (const p of pods) assert.equal(c.kubectlSync(`logs ${p}`).stdout, "");
  c.advanceSync(60_000);
  assert.equal(c.get("Job", "job-wq-2")!.status.conditions.find((x: { type: string }) => x.type === "Complete")?.status, "True");
  const logs = pods.map((p) => c.kubectlSync(`logs ${p}`).stdout).join("");
  for (const item of ["apple", "banana", "cherry"]) assert.equal(logs.split(`Working on ${item}\n`).length, 2, logs);
  assert.equal(logs.split("Queue empty, exiting\n").length, 3);
  assert.equal(cli(c, "dbsize").stdout, "0\n");
});

test("without the redis package or the Service the worker fails as Python does", () => {
  const c = cluster();
  build(c, read("Dockerfile").replace("RUN python -m pip install --no-cache-dir redis\n", ""));
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: gcr.io/myproject/job-wq-2}]\n");
  c.advanceSync(10_000);
  assert.equal(
    c.kubectlSync("logs w").stdout,
    "Traceback (most recent call last):\n  File \"/app/worker.py\", line 4, in <module>\n    import rediswq\n  File \"/app/rediswq.py\", line 8, in <module>\n    import redis\nModuleNotFoundError: No module named 'redis'\n",
  );
  build(c, read("Dockerfile"), "me/job-wq-2");
  c.kubectlSync("delete service redis");
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata: {name: w2}\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: me/job-wq-2}]\n");
  c.advanceSync(10_000);
  const log = c.kubectlSync("logs w2").stdout;
  assert.match(log, /^Traceback \(most recent call last\):\n {2}File "\/app\/worker\.py", line 13, in <module>\n {4}.*\nredis\.exceptions\.ConnectionError: Error -2 connecting to redis:6379\. Name or service not known\.\nWorker with sessionID: [0-9a-f-]{36}\n$/);
  assert.equal(c.get("Pod", "w2")!.status.phase, "Failed");
});

test("docker build: the instructions modelled, and clear refusals", () => {
  const c = cluster();
  const registry = imageRegistry(c.ctx);
  const base = (image: string) => {
    const l = registry.lookup(image);
    return l.ok ? l.behaviour : new Error(l.error);
  };
  const ok = buildImage("me/x", { dockerfile: "FROM python:3.14-slim\nWORKDIR /app\nENV A=1 B=two\nCOPY a.txt sub/\nCMD python worker.py", context: { "a.txt": "hi" }, base });
  assert.ok(!(ok instanceof Error));
  assert.equal(ok.files!["/app/sub/a.txt"], "hi");
  assert.equal(ok.env!.A, "1");
  assert.equal(ok.env!.B, "two");
  assert.equal(ok.workingDir, "/app");
  assert.deepEqual(ok.argv!({ name: "c" }), ["/bin/sh", "-c", "python worker.py"]);
  const err = (dockerfile: string, context: Record<string, string> = {}) => {
    const r = buildImage("me/x", { dockerfile, context, base });
    assert.ok(r instanceof Error);
    return r.message;
  };
  assert.equal(err("FROM python\nRUN apt-get install -y curl"), "Dockerfile:2: RUN apt-get install -y curl: kube-scenario's docker build runs only `pip install` in RUN");
  assert.equal(err("FROM python\nCOPY missing.py ./"), 'Dockerfile:2: COPY missing.py ./: failed to compute cache key: "/missing.py": not found');
  assert.equal(err("COPY a b"), "Dockerfile:1: COPY a b: no build stage in current context");
  assert.match(err("FROM nosuchimagexyz"), /^Dockerfile:1: FROM nosuchimagexyz: /);
});
