// The SQL of "Run a Replicated Stateful Application" against the data-directory engine, the
// server's errors (mysql-server 5.7 share/errmsg-utf8.txt) and the client's two output formats
// (client/mysql.cc print_table_data, print_tab_data).
import { test } from "node:test";
import assert from "node:assert/strict";
import { MemFs } from "../../runtime/vfs.ts";
import { SqlError, formatTab, formatTable, parseStatement, splitStatements } from "./mysqlsql.ts";
import { BINLOG_START, MysqlEngine, type ServerVars } from "./mysqlengine.ts";

function engine(vars: Partial<ServerVars> = {}, fs = new MemFs()): MysqlEngine {
  const e = new MysqlEngine(fs, { serverId: 100, hostname: "mysql-0", version: "5.7.44-log", port: 3306, readOnly: false, superReadOnly: false, logBin: "mysql-0-bin", ...vars }, () => Date.UTC(2024, 0, 8, 0, 5, 12));
  if (!e.initialised()) e.initialise("0f0f0f0f-0000-11ee-0000-000000000000");
  e.load();
  e.openBinlog();
  return e;
}

function run(e: MysqlEngine, sql: string, session = {}) {
  try {
    return e.execute(session, parseStatement(sql), sql);
  } catch (err) {
    if (err instanceof SqlError) return err;
    throw err;
  }
}

test("the page's statements: a database, a table, a row, read back; @@server_id and NOW()", () => {
  const e = engine();
  for (const sql of ["CREATE DATABASE test", "CREATE TABLE test.messages (message VARCHAR(250))", "INSERT INTO test.messages VALUES ('hello')"]) assert.ok(!(run(e, sql) instanceof SqlError), sql);
  const r = run(e, "SELECT * FROM test.messages");
  assert.ok(!(r instanceof SqlError) && "rows" in r);
  assert.equal(formatTable(r.rows), "+---------+\n| message |\n+---------+\n| hello   |\n+---------+\n");
  assert.equal(formatTab(r.rows), "message\nhello\n");
  const ids = run(e, "SELECT @@server_id,NOW()");
  assert.ok(!(ids instanceof SqlError) && "rows" in ids);
  // Numbers right-aligned, the header as written (the page's output).
  assert.equal(
    formatTable(ids.rows),
    "+-------------+---------------------+\n| @@server_id | NOW()               |\n+-------------+---------------------+\n|         100 | 2024-01-08 00:05:12 |\n+-------------+---------------------+\n",
  );
  const one = run(e, "SELECT 1");
  assert.ok(!(one instanceof SqlError) && "rows" in one);
  assert.equal(formatTab(one.rows), "1\n1\n");
});

test("the server's errors, numbers and SQLSTATEs", () => {
  const e = engine();
  run(e, "CREATE DATABASE test");
  const cases: Array<[string, string]> = [
    ["CREATE DATABASE test", "1007 HY000 Can't create database 'test'; database exists"],
    ["SELECT * FROM nope.t", "1146 42S02 Table 'nope.t' doesn't exist"],
    ["SELECT * FROM messages", "1046 3D000 No database selected"],
    ["USE nope", "1049 42000 Unknown database 'nope'"],
    ["DROP DATABASE nope", "1008 HY000 Can't drop database 'nope'; database doesn't exist"],
    ["SELECT @@nope", "1193 HY000 Unknown system variable 'nope'"],
    ["SELEKT 1", "1064 42000 You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SELEKT 1' at line 1"],
  ];
  for (const [sql, want] of cases) {
    const r = run(e, sql);
    assert.ok(r instanceof SqlError, sql);
    assert.equal(`${r.code} ${r.state} ${r.message}`, want);
  }
  run(e, "CREATE TABLE test.m (message VARCHAR(5))");
  const long = run(e, "INSERT INTO test.m VALUES ('toolong')");
  assert.ok(long instanceof SqlError && long.code === 1406 && long.message === "Data too long for column 'message' at row 1");
  const count = run(e, "INSERT INTO test.m VALUES ('a', 'b')");
  assert.ok(count instanceof SqlError && count.message === "Column count doesn't match value count at row 1");
  const col = run(e, "SELECT nope FROM test.m");
  assert.ok(col instanceof SqlError && col.message === "Unknown column 'nope' in 'field list'");
});

test("super-read-only refuses writes except to the replication applier", () => {
  const e = engine({ superReadOnly: true, logBin: undefined, hostname: "mysql-1", serverId: 101 });
  const r = run(e, "CREATE DATABASE test");
  assert.ok(r instanceof SqlError);
  assert.equal(`${r.code} ${r.state} ${r.message}`, "1290 HY000 The MySQL server is running with the --super-read-only option so it cannot execute this statement");
  assert.ok(!(run(e, "CREATE DATABASE test", { replication: true }) instanceof SqlError));
  assert.ok(e.databases.has("test"));
});

test("the data outlives the server: a new engine on the same data directory reads it back; the binary log goes on in a new file", () => {
  const fs = new MemFs();
  const e = engine({}, fs);
  run(e, "CREATE DATABASE test");
  run(e, "CREATE TABLE test.messages (message VARCHAR(250))");
  run(e, "INSERT INTO test.messages VALUES ('hello'), ('world')");
  assert.equal(e.binlogFile, "mysql-0-bin.000001");
  assert.ok(e.binlogPos > BINLOG_START);
  const again = engine({}, fs);
  assert.deepEqual(again.databases.get("test")?.get("messages")?.rows, [["hello"], ["world"]]);
  assert.equal(again.binlogFile, "mysql-0-bin.000002");
  assert.equal(again.binlogPos, BINLOG_START);
  assert.equal(fs.readFile("/var/lib/mysql/mysql-0-bin.index"), "./mysql-0-bin.000001\n./mysql-0-bin.000002\n");
  // What a replica reads after a position: every later statement, across files.
  const events = again.eventsAfter("mysql-0-bin.000001", BINLOG_START);
  assert.ok(Array.isArray(events));
  assert.deepEqual(
    events.map((ev) => ev.sql),
    ["CREATE DATABASE test", "CREATE TABLE test.messages (message VARCHAR(250))", "INSERT INTO test.messages VALUES ('hello'), ('world')"],
  );
  assert.equal(fs.readFile("/var/lib/mysql/test/db.opt"), "default-character-set=latin1\ndefault-collation=latin1_swedish_ci\n");
  const missing = again.eventsAfter("mysql-0-bin.000009", 4);
  assert.ok(missing instanceof SqlError && missing.code === 1236);
});

test("the client splits its input at semicolons outside quotes, with each statement's line", () => {
  assert.deepEqual(splitStatements("CREATE DATABASE test;\nCREATE TABLE test.messages (message VARCHAR(250));\nINSERT INTO test.messages VALUES ('a;b');\n"), [
    { sql: "CREATE DATABASE test", line: 1 },
    { sql: "CREATE TABLE test.messages (message VARCHAR(250))", line: 2 },
    { sql: "INSERT INTO test.messages VALUES ('a;b')", line: 3 },
  ]);
  assert.deepEqual(splitStatements("SELECT 1"), [{ sql: "SELECT 1", line: 1 }]);
  // The xtrabackup sidecar's statement: CHANGE MASTER TO with its options, then START SLAVE.
  const [change, start] = splitStatements("CHANGE MASTER TO MASTER_LOG_FILE='mysql-0-bin.000003',                  MASTER_LOG_POS=154,                           MASTER_HOST='mysql-0.mysql',                           MASTER_USER='root',                           MASTER_PASSWORD='',                           MASTER_CONNECT_RETRY=10;                         START SLAVE;");
  assert.deepEqual(parseStatement(change!.sql), {
    k: "changeMaster",
    options: { MASTER_LOG_FILE: "mysql-0-bin.000003", MASTER_LOG_POS: 154, MASTER_HOST: "mysql-0.mysql", MASTER_USER: "root", MASTER_PASSWORD: "", MASTER_CONNECT_RETRY: 10 },
  });
  assert.deepEqual(parseStatement(start!.sql), { k: "startSlave" });
});

test("batch output escapes tabs, newlines and backslashes and prints NULL", () => {
  assert.equal(formatTab({ columns: ["a", "b"], numeric: [false, true], rows: [["x\ty\\z\n", null]] }), "a\tb\nx\\ty\\\\z\\n\tNULL\n");
  assert.equal(formatTable({ columns: ["n"], numeric: [true], rows: [[null]] }), "+------+\n| n    |\n+------+\n| NULL |\n+------+\n");
});
