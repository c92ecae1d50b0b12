import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Cluster } from "../../cluster.ts";
import { setImageDuration } from "../../kubelet/inspect.ts";
import { effectiveOwnership, formatStatus, inetHashOrder, newIdentity, parseCassandraYaml, parseRackDc, sedYamlKey, stringifyFileSize, type Endpoint } from "./cassandra.ts";

const SVC = readFileSync(new URL("../../../exercises/docs/application/cassandra/cassandra-service.yaml", import.meta.url), "utf8");
const STS = readFileSync(new URL("../../../exercises/docs/application/cassandra/cassandra-statefulset.yaml", import.meta.url), "utf8");
const IMAGE_YAML = readFileSync(new URL("../data/files/cassandra/cassandra.yaml", import.meta.url), "utf8");

/** The page's StatefulSet on a kind-like cluster: its claims use the default class (the page's `fast` is minikube's). */
function ring(replicas = 3): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  c.applySync(SVC);
  c.applySync(STS.replace("storageClassName: fast", "storageClassName: standard").replace("replicas: 3", `replicas: ${replicas}`));
  return c;
}

function ep(ip: string, tokens: bigint[], state: Endpoint["state"] = "NORMAL"): Endpoint {
  return { hostId: `h-${ip}`, ip, dc: "DC1", rack: "R1", tokens, state, up: true, loadBytes: 85_573 };
}

test("cassandra.yaml: the image's settings, run.sh's sed of a key and its commented form", () => {
  const cfg = parseCassandraYaml(IMAGE_YAML);
  assert.equal(cfg.clusterName, "Test Cluster");
  assert.equal(cfg.numTokens, 256);
  assert.deepEqual(cfg.seeds, ["127.0.0.1"]);
  assert.deepEqual(cfg.dataDirs, ["/cassandra_data/data"]);
  assert.equal(cfg.endpointSnitch, "SimpleSnitch");
  const edited = sedYamlKey(sedYamlKey(IMAGE_YAML, "broadcast_address", "10.0.0.7"), "num_tokens", "32");
  const e = parseCassandraYaml(edited);
  assert.equal(e.broadcastAddress, "10.0.0.7");
  assert.equal(e.numTokens, 32);
  assert.ok(!edited.includes("# broadcast_address:"));
  // run.sh's own sed leaves a space after "=": the snitch trims it.
  assert.deepEqual(parseRackDc("dc= DC1-K8Demo\nrack= Rack1-K8Demo\n"), { dc: "DC1-K8Demo", rack: "Rack1-K8Demo" });
});

test("nodetool's figures: FileUtils sizes, effective ownership at replication factor 2, HashMap order of addresses", () => {
  assert.equal(stringifyFileSize(85_573), "83.57 KiB");
  assert.equal(stringifyFileSize(84.5 * 1024), "84.5 KiB");
  assert.equal(stringifyFileSize(512), "512 bytes");
  // The page's three addresses print in Inet4Address hash-bucket order: .5, .4, .6.
  assert.deepEqual(inetHashOrder(["172.17.0.4", "172.17.0.5", "172.17.0.6"]), ["172.17.0.5", "172.17.0.4", "172.17.0.6"]);
  const q = 1n << 62n;
  // Two tokens a quarter apart: one node owns 1/4, the other 3/4; at RF 2 each replicates all.
  const two = effectiveOwnership([ep("10.0.0.1", [0n]), ep("10.0.0.2", [q])], 1);
  assert.ok(Math.abs(two.get("h-10.0.0.1")! - 0.75) < 1e-6 && Math.abs(two.get("h-10.0.0.2")! - 0.25) < 1e-6);
  const three = [1, 2, 3].map((i) => {
    const id = newIdentity(`n${i}`, 32);
    return { ...ep(`10.0.0.${i}`, id.tokens), hostId: id.hostId };
  });
  const owns = effectiveOwnership(three, 2);
  const sum = [...owns.values()].reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 2) < 1e-4, `RF 2 over three nodes owns 200 %, got ${sum}`);
  // A joining node owns nothing yet ("?").
  const joining = formatStatus([...three.slice(0, 2), { ...three[2]!, state: "JOINING" }]);
  assert.match(joining, /^UJ {2}10\.0\.0\.3 {2}83\.57 KiB {2}32 {11}\? {16}/m);
  assert.equal(newIdentity("n1", 32).hostId, three[0]!.hostId);
  assert.match(three[0]!.hostId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("the page's ring: cassandra-0 seeds it, the others bootstrap through it over DNS, nodetool status shows three UN nodes", () => {
  const c = ring();
  c.advanceSync(15_000);
  // Before the node gossips, JMX refuses nodetool.
  const early = c.kubectlSync("exec cassandra-0 -- nodetool status");
  assert.equal(early.exitCode, 1);
  assert.equal(early.stderr, "nodetool: Failed to connect to '127.0.0.1:7199' - ConnectException: 'Connection refused (Connection refused)'.\ncommand terminated with exit code 1\n");
  c.advanceSync(40_000);
  assert.equal(c.kubectlSync("get pod cassandra-0 -o jsonpath={.status.containerStatuses[0].ready}").stdout, "true");
  // cassandra-1 waits RING_DELAY twice before it is NORMAL: joining for a while.
  c.advanceSync(40_000);
  const mid = c.kubectlSync("exec cassandra-0 -- nodetool status").stdout;
  assert.match(mid, /^UJ {2}10\.244\.0\.3 /m);
  c.advanceSync(200_000);
  const r = c.kubectlSync("exec cassandra-0 -- nodetool status");
  assert.equal(r.exitCode, 0);
  const lines = r.stdout.split("\n");
  assert.deepEqual(lines.slice(0, 5), [
    "Datacenter: DC1-K8Demo",
    "======================",
    "Status=Up/Down",
    "|/ State=Normal/Leaving/Joining/Moving",
    "--  Address     Load       Tokens       Owns (effective)  Host ID                               Rack",
  ]);
  const rows = lines.filter((l) => /^[UD][NJLM] /.test(l));
  assert.equal(rows.length, 3);
  for (const row of rows) assert.match(row, /^UN {2}10\.244\.0\.\d {2}[\d.]+ KiB {2,3}32 {11}\d+\.\d% +[0-9a-f-]{36} {2}Rack1-K8Demo$/);
  const total = rows.reduce((s, row) => s + Number(/ (\d+\.\d)% /.exec(row)![1]), 0);
  assert.ok(Math.abs(total - 200) < 0.3, `ownership adds up to 200 %: ${total}`);
  // The same scenario prints the same ring.
  const again = ring();
  again.advanceSync(295_000);
  assert.equal(again.kubectlSync("exec cassandra-0 -- nodetool status").stdout, r.stdout);
  // run.sh filled cassandra.yaml and the snitch's file.
  const yaml = c.kubectlSync("exec cassandra-1 -- cat /etc/cassandra/cassandra.yaml").stdout;
  assert.match(yaml, /^cluster_name: K8Demo$/m);
  assert.match(yaml, /^ {10}- seeds: "cassandra-0\.cassandra\.default\.svc\.cluster\.local"$/m);
  assert.match(yaml, /^endpoint_snitch: GossipingPropertyFileSnitch$/m);
  assert.match(yaml, /^auto_bootstrap: true$/m);
  assert.equal(c.kubectlSync("exec cassandra-1 -- cat /etc/cassandra/cassandra-rackdc.properties").stdout, "dc= DC1-K8Demo\nrack= Rack1-K8Demo\n");
  assert.match(c.kubectlSync("logs cassandra-1").stdout, /JOINING: sleeping 30000 ms for pending range setup/);
});

test("drain announces the node down at once; a recreated Pod keeps its host ID through its data", () => {
  const c = ring(2);
  c.advanceSync(200_000);
  const hostOf = (pod: string) => / ([0-9a-f-]{36}) /.exec(c.kubectlSync(`exec ${pod} -- nodetool status`).stdout.split("\n").find((l) => l.includes(c.kubectlSync(`get pod ${pod} -o jsonpath={.status.podIP}`).stdout))!)![1];
  const id1 = hostOf("cassandra-1");
  assert.equal(c.kubectlSync("exec cassandra-1 -- nodetool drain").exitCode, 0);
  assert.match(c.kubectlSync("exec cassandra-0 -- nodetool status").stdout, /^DN {2}10\.244\.0\.3 /m);
  // The readiness probe of the drained node fails (its line is DN).
  c.advanceSync(40_000);
  assert.equal(c.kubectlSync("get pod cassandra-1 -o jsonpath={.status.containerStatuses[0].ready}").stdout, "false");
  // The StatefulSet recreates a deleted Pod; it comes back with its data: same host ID, NORMAL without bootstrapping.
  c.kubectlSync("delete pod cassandra-1 --wait=false");
  c.advanceSync(90_000);
  assert.match(c.kubectlSync("exec cassandra-0 -- nodetool status").stdout, /^UN .*Rack1-K8Demo$/m);
  assert.equal(hostOf("cassandra-1"), id1);
  assert.doesNotMatch(c.kubectlSync("logs cassandra-1").stdout, /JOINING/);
});

test("run.sh and cassandra-env.sh refuse what the image refuses", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  c.applySync(`apiVersion: v1
kind: Pod
metadata:
  name: lone
spec:
  restartPolicy: Never
  containers:
  - name: cassandra
    image: gcr.io/google-samples/cassandra:v13
    env:
    - name: MAX_HEAP_SIZE
      value: 512M
`);
  c.advanceSync(30_000);
  const logs = c.kubectlSync("logs lone").stdout;
  assert.match(logs, /^Starting Cassandra on lone\n/);
  assert.match(logs, /please set or unset MAX_HEAP_SIZE and HEAP_NEWSIZE in pairs \(see cassandra-env\.sh\)\n$/);
  assert.equal(c.kubectlSync("get pod lone -o jsonpath={.status.containerStatuses[0].state.terminated.exitCode}").stdout, "1");
});

test("a node killed without a drain stays Up until the failure detector convicts it, then rejoins when its container restarts", () => {
  const c = ring(2);
  c.advanceSync(200_000);
  const row = () => c.kubectlSync("exec cassandra-0 -- nodetool status").stdout.split("\n").find((l) => l.includes(" 10.244.0.3 "))!;
  assert.match(row(), /^UN /);
  // SIGTERM to PID 1 (dumb-init): bash dies of it, the JVM with the namespace; no drain.
  c.kubectlSync("exec cassandra-1 -- kill 1");
  c.advanceSync(10_000);
  assert.match(row(), /^UN /);
  c.advanceSync(8_000);
  assert.match(row(), /^DN /);
  assert.equal(c.kubectlSync("get pod cassandra-1 -o jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}").stdout, "143");
  c.advanceSync(60_000);
  assert.match(row(), /^UN /);
});

test("the image's start delay postpones gossip", () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "node1" }]);
  setImageDuration(c.ctx, "gcr.io/google-samples/cassandra:v13", "start", 20_000);
  c.applySync(SVC);
  c.applySync(STS.replace("storageClassName: fast", "storageClassName: standard").replace("replicas: 3", "replicas: 1"));
  // Started at about 5 s (the pull): gossip at 45 s instead of 25 s.
  c.advanceSync(40_000);
  assert.equal(c.kubectlSync("exec cassandra-0 -- nodetool version").exitCode, 1);
  c.advanceSync(10_000);
  assert.equal(c.kubectlSync("exec cassandra-0 -- nodetool version").stdout, "ReleaseVersion: 3.11.2\n");
});
