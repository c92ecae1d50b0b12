// The xtrabackup image's programs as "Run a Replicated Stateful Application" uses them: the stream
// format, and the page's StatefulSet (verbatim manifests) cloning each replica from the Pod before
// it through `ncat` and `xbstream`, then replicating from mysql-0.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Cluster } from "../../cluster.ts";
import { xbstreamRead, xbstreamWrite } from "./xtrabackup.ts";

const DIR = new URL("../../../exercises/docs/application/mysql/", import.meta.url);
const manifest = (f: string) => readFileSync(new URL(f, DIR), "utf8");

test("xbstream: files round-trip through the stream; a cut stream or a foreign one is an error", () => {
  const files = [
    { path: "test/db.opt", data: "default-character-set=latin1\n" },
    { path: "xtrabackup_binlog_info", data: "mysql-0-bin.000003\t154\n" },
    { path: "empty", data: "" },
  ];
  const s = xbstreamWrite(files);
  assert.deepEqual(xbstreamRead(s), files);
  assert.deepEqual(xbstreamRead(""), []);
  assert.equal((xbstreamRead(s.slice(0, 30)) as Error).message, "xbstream: premature end of stream");
  assert.equal((xbstreamRead("hello\n") as Error).message, "xbstream: incorrect chunk magic");
});

test("the page's StatefulSet: ordered start, clones through ncat and xbstream, replication from mysql-0, a scaled-up replica with the data", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "kind-control-plane" }]);
  for (const f of ["mysql-configmap.yaml", "mysql-services.yaml", "mysql-statefulset.yaml"]) c.applySync(manifest(f));
  c.advanceSync(150_000);
  assert.match(c.kubectlSync("get pods -l app=mysql").stdout, /mysql-0\s+2\/2\s+Running\s+0[\s\S]*mysql-1\s+2\/2\s+Running\s+0[\s\S]*mysql-2\s+2\/2\s+Running\s+0/);
  const sql = (pod: string, s: string) => c.kubectlSync(["exec", pod, "-c", "mysql", "--", "mysql", "-N", "-e", s]);
  assert.equal(sql("mysql-0", "CREATE DATABASE test; CREATE TABLE test.messages (message VARCHAR(250)); INSERT INTO test.messages VALUES ('hello')").exitCode, 0);
  for (const p of ["mysql-1", "mysql-2"]) assert.equal(sql(p, "SELECT * FROM test.messages").stdout, "hello\n", p);
  assert.deepEqual(["mysql-0", "mysql-1", "mysql-2"].map((p) => sql(p, "SELECT @@server_id").stdout), ["100\n", "101\n", "102\n"]);
  // mysql-1 cloned from the primary: its binary log position; mysql-2 from mysql-1, a replica: its slave info.
  assert.match(c.kubectlSync("logs mysql-1 -c xtrabackup").stdout, /\n\+ echo 'CHANGE MASTER TO MASTER_LOG_FILE='\\''mysql-0-bin\.000003'\\'',\s+MASTER_LOG_POS=154'\n/);
  assert.match(c.kubectlSync("logs mysql-2 -c xtrabackup").stdout, /\n\+ cat xtrabackup_slave_info\n\+ sed -E 's\/;\$\/\/g'\n/);
  assert.match(c.kubectlSync("logs mysql-2 -c clone-mysql").stdout, /\+ ncat --recv-only mysql-1\.mysql 3307\n\+ xbstream -x -C \/var\/lib\/mysql\n\+ xtrabackup --prepare --target-dir=\/var\/lib\/mysql\n[\s\S]*completed OK!\n$/);
  // Scaled to 5: mysql-3 clones from mysql-2 and has the data written before it existed.
  c.kubectlSync("scale statefulset mysql --replicas=5");
  c.advanceSync(120_000);
  assert.equal(sql("mysql-3", "SELECT * FROM test.messages").stdout, "hello\n");
  assert.equal(sql("mysql-4", "SELECT @@server_id").stdout, "104\n");
  // Writes to a replica are refused (super-read-only).
  assert.match(sql("mysql-3", "INSERT INTO test.messages VALUES ('no')").stderr, /^ERROR 1290 \(HY000\) at line 1: The MySQL server is running with the --super-read-only option so it cannot execute this statement\n/);
});
