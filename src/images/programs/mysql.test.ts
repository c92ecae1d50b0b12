// The mysql image's server, client and mysqladmin in a cluster: the 5.7 tag's entrypoint and
// log, the page's client runs (kubectl run … -i with a here-document, -i -t with -e), the data
// kept in the data directory, the readiness probe's command renamed away, and replication from a
// primary to a replica through the cluster network.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

const SERVERS = `
apiVersion: v1
kind: ConfigMap
metadata: {name: conf}
data:
  primary.cnf: "[mysqld]\\nlog-bin\\nserver-id=100\\n"
  replica.cnf: "[mysqld]\\nsuper-read-only\\nserver-id=101\\n"
---
apiVersion: v1
kind: Service
metadata: {name: primary}
spec:
  selector: {role: primary}
  ports: [{port: 3306}]
---
apiVersion: v1
kind: Pod
metadata: {name: primary, labels: {role: primary}}
spec:
  containers:
  - name: mysql
    image: mysql:5.7
    env: [{name: MYSQL_ALLOW_EMPTY_PASSWORD, value: "1"}]
    readinessProbe:
      exec: {command: ["mysql", "-h", "127.0.0.1", "-e", "SELECT 1"]}
      initialDelaySeconds: 5
      periodSeconds: 2
      timeoutSeconds: 1
    volumeMounts: [{name: conf, mountPath: /etc/mysql/conf.d}, {name: data, mountPath: /var/lib/mysql}]
  volumes: [{name: conf, configMap: {name: conf, items: [{key: primary.cnf, path: primary.cnf}]}}, {name: data, emptyDir: {}}]
---
apiVersion: v1
kind: Pod
metadata: {name: replica}
spec:
  containers:
  - name: mysql
    image: mysql:5.7
    env: [{name: MYSQL_ALLOW_EMPTY_PASSWORD, value: "1"}]
    volumeMounts: [{name: conf, mountPath: /etc/mysql/conf.d}, {name: data, mountPath: /var/lib/mysql}]
  volumes: [{name: conf, configMap: {name: conf, items: [{key: replica.cnf, path: replica.cnf}]}}, {name: data, emptyDir: {}}]
`;

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "kind-control-plane" }]);
  c.applySync(SERVERS);
  return c;
}

test("mysql:5.7: the entrypoint's notes, the initialisation, then mysqld 5.7.44 with its binary log; mysqladmin ping", () => {
  const c = cluster();
  c.advanceSync(10_000);
  const early = c.kubectlSync("exec primary -- mysqladmin ping");
  assert.equal(early.exitCode, 1);
  assert.match(early.stderr, /^mysqladmin: connect to server at 'localhost' failed\nerror: 'Can't connect to local MySQL server through socket '\/var\/run\/mysqld\/mysqld.sock' \(2\)'\nCheck that mysqld is running/);
  c.advanceSync(20_000);
  const logs = c.kubectlSync("logs primary").stdout;
  assert.match(logs, /^2024-01-08 00:00:0\d\+00:00 \[Note\] \[Entrypoint\]: Entrypoint script for MySQL Server 5\.7\.44-1\.el7 started\.\n/);
  assert.match(logs, /\[Note\] \[Entrypoint\]: MySQL init process done\. Ready for start up\.\n/);
  assert.ok(logs.endsWith("[Note] mysqld: ready for connections.\nVersion: '5.7.44-log'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server (GPL)\n"), logs);
  assert.equal(c.kubectlSync("exec primary -- mysqladmin ping").stdout, "mysqld is alive\n");
  assert.equal(c.kubectlSync("exec primary -- printenv MYSQL_VERSION MYSQL_MAJOR").stdout, "5.7.44-1.el7\n5.7\n");
  assert.match(c.kubectlSync("get pod primary").stdout, /primary\s+1\/1\s+Running/);
});

test("the page's client: statements from a here-document, then a boxed table on a terminal; errors stop it with their line", () => {
  const c = cluster();
  c.advanceSync(30_000);
  const created = c.kubectlSync("run mysql-client --image=mysql:5.7 -i --rm --restart=Never -- mysql -h primary", "CREATE DATABASE test;\nCREATE TABLE test.messages (message VARCHAR(250));\nINSERT INTO test.messages VALUES ('hello');\n");
  assert.equal(created.exitCode, 0, created.stderr);
  assert.equal(created.stdout, 'pod "mysql-client" deleted\n');
  const read = c.kubectlSync('run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never -- mysql -h primary -e "SELECT * FROM test.messages"');
  assert.ok(read.stdout.includes("+---------+\n| message |\n+---------+\n| hello   |\n+---------+\n"), read.stdout);
  // Without a terminal: the batch format, tab-separated under a header line.
  assert.equal(c.kubectlSync(["exec", "primary", "--", "mysql", "-e", "SELECT message, @@server_id FROM test.messages"]).stdout, "message\t@@server_id\nhello\t100\n");
  const again = c.kubectlSync("exec -i primary -- mysql", "SELECT 1;\nCREATE DATABASE test;\nSELECT 2;\n");
  assert.equal(again.exitCode, 1);
  assert.equal(again.stdout, "1\n1\n");
  assert.match(again.stderr, /^ERROR 1007 \(HY000\) at line 2: Can't create database 'test'; database exists\n/);
  const nohost = c.kubectlSync("exec primary -- mysql -h nowhere -e 'SELECT 1'");
  assert.match(nohost.stderr, /^ERROR 2005 \(HY000\): Unknown MySQL server host 'nowhere' \(-2\)\n/);
});

test("the data lives in /var/lib/mysql: a restarted container (its data in an emptyDir) keeps it and starts without initialising", () => {
  const c = cluster();
  c.advanceSync(30_000);
  c.kubectlSync(["exec", "primary", "--", "mysql", "-e", "CREATE DATABASE kept; CREATE TABLE kept.t (n INT); INSERT INTO kept.t VALUES (7)"]);
  assert.equal(c.kubectlSync("exec primary -- cat /var/lib/mysql/kept/t.frm").stdout, "CREATE TABLE `t` (\n  `n` int(11) DEFAULT NULL\n) ENGINE=InnoDB DEFAULT CHARSET=latin1");
  // Three statements logged in the third binary log (the initialisation and the temporary server had the first two).
  assert.equal(c.kubectlSync(["exec", "primary", "--", "mysql", "-N", "-e", "SHOW MASTER STATUS"]).stdout, "primary-bin.000003\t614\t\t\t\n");
  c.kubectlSync("exec primary -- kill 1");
  c.advanceSync(1_000);
  assert.equal(c.kubectlSync(["exec", "primary", "--", "mysql", "-N", "-e", "SELECT n FROM kept.t"]).exitCode, 1);
  c.advanceSync(5_000);
  assert.equal(c.kubectlSync("get pod primary -o jsonpath={.status.containerStatuses[0].restartCount}").stdout, "1");
  assert.equal(c.kubectlSync(["exec", "primary", "--", "mysql", "-N", "-e", "SELECT n FROM kept.t"]).stdout, "7\n");
  const logs = c.kubectlSync("logs primary").stdout;
  assert.doesNotMatch(logs, /Initializing database files/);
  assert.equal(c.kubectlSync(["exec", "primary", "--", "mysql", "-N", "-e", "SHOW MASTER STATUS"]).stdout, "primary-bin.000004\t154\t\t\t\n");
});

test("the readiness probe's command renamed away: the exec errors (containerd), the probe's result is thrown away, the container stays Ready", () => {
  const c = cluster();
  c.advanceSync(30_000);
  assert.equal(c.kubectlSync("exec primary -c mysql -- mv /usr/bin/mysql /usr/bin/mysql.off").exitCode, 0);
  c.advanceSync(10_000);
  assert.match(c.kubectlSync("get pod primary").stdout, /primary\s+1\/1\s+Running/);
  const events = c.kubectlSync("get events --field-selector reason=Unhealthy -o jsonpath={.items[-1:].message}").stdout;
  assert.match(events, /^Readiness probe errored and resulted in unknown state: rpc error: code = Unknown desc = failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "mysql": executable file not found in \$PATH: unknown/);
  const inShell = c.kubectlSync(["exec", "primary", "--", "bash", "-c", "mysql -e 'SELECT 1'"]);
  assert.equal(inShell.exitCode, 127);
  assert.equal(inShell.stderr, "bash: line 1: mysql: command not found\ncommand terminated with exit code 127\n");
  assert.equal(c.kubectlSync("exec primary -c mysql -- mv /usr/bin/mysql.off /usr/bin/mysql").exitCode, 0);
  assert.equal(c.kubectlSync(["exec", "primary", "--", "mysql", "-N", "-e", "SELECT 1"]).stdout, "1\n");
});

test("replication: CHANGE MASTER TO and START SLAVE catch up from the position, then follow; the replica refuses writes; it reconnects after the primary restarts", () => {
  const c = cluster();
  c.advanceSync(30_000);
  const sql = (pod: string, s: string) => c.kubectlSync(["exec", pod, "--", "mysql", "-N", "-e", s]);
  sql("primary", "CREATE DATABASE test; CREATE TABLE test.messages (message VARCHAR(250)); INSERT INTO test.messages VALUES ('hello')");
  const change = sql("replica", "CHANGE MASTER TO MASTER_LOG_FILE='primary-bin.000003', MASTER_LOG_POS=154, MASTER_HOST='primary', MASTER_USER='root', MASTER_PASSWORD='', MASTER_CONNECT_RETRY=10; START SLAVE;");
  assert.equal(change.exitCode, 0, change.stderr);
  assert.equal(sql("replica", "SELECT * FROM test.messages").stdout, "hello\n");
  sql("primary", "INSERT INTO test.messages VALUES ('world')");
  assert.equal(sql("replica", "SELECT * FROM test.messages").stdout, "hello\nworld\n");
  assert.equal(sql("replica", "SELECT @@server_id").stdout, "101\n");
  const refused = sql("replica", "INSERT INTO test.messages VALUES ('no')");
  assert.equal(refused.stderr, "ERROR 1290 (HY000) at line 1: The MySQL server is running with the --super-read-only option so it cannot execute this statement\ncommand terminated with exit code 1\n");
  assert.match(c.kubectlSync("exec replica -- cat /var/lib/mysql/master.info").stdout, /^25\nprimary-bin\.000003\n\d+\nprimary\nroot\n\n3306\n10\n/);
  // The primary's container restarts (its data kept): the replica retries every 10 s and catches up.
  c.kubectlSync("exec primary -- kill 1");
  c.advanceSync(1_000);
  c.advanceSync(30_000);
  sql("primary", "INSERT INTO test.messages VALUES ('again')");
  c.advanceSync(15_000);
  assert.equal(sql("replica", "SELECT * FROM test.messages").stdout, "hello\nworld\nagain\n");
});
