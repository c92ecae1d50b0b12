import { test } from "node:test";
import assert from "node:assert/strict";
import { commandsDataKeys, familyCommands, imageCommands, imageFamily } from "./commandsets.ts";
import { modelData } from "./catalogue.ts";
import { Cluster } from "../cluster.ts";

test("every family and package the data names exists; every restricted model is a catalogue model or an official image", () => {
  const { families, models } = commandsDataKeys();
  for (const f of families) assert.ok(familyCommands(f).size > 0, f);
  for (const m of models) if (!m.startsWith("official:")) assert.ok(modelData(m), m);
});

// Which of the shell's applets each image has: the table of the data's families (data/commands.json).
const TABLE: Array<[model: string, tag: string, repository: string, has: string[], lacks: string[]]> = [
  ["ubuntu", "22.04", "docker.io/library/ubuntu", ["bash", "sh", "ls", "ps", "awk", "sed", "grep", "tar", "hostname", "which", "apt-get", "rev"], ["curl", "wget", "nslookup", "ping", "busybox", "ash", "column", "hexdump"]],
  ["ubuntu", "latest", "docker.io/library/ubuntu", ["ps", "kill"], ["curl", "wget", "nslookup"]],
  ["ubuntu", "20.04", "docker.io/library/ubuntu", ["ps", "rev"], ["curl", "wget"]],
  ["debian", "bookworm", "docker.io/library/debian", ["bash", "dash", "sh", "cat", "sha256sum", "base64", "whoami", "printenv", "rev", "mountpoint"], ["ps", "kill", "curl", "wget", "nslookup", "ping", "column", "hwclock"]],
  ["debian", "buster-slim", "docker.io/library/debian", ["rev"], ["ps", "curl"]],
  ["busybox", "1.36", "docker.io/library/busybox", ["sh", "ash", "wget", "nslookup", "ping", "ps", "rev", "busybox", "awk"], ["curl", "bash"]],
  ["alpine", "3.20", "docker.io/library/alpine", ["sh", "wget", "nslookup", "ps", "apk"], ["curl", "bash"]],
  ["bash", "5.2", "docker.io/library/bash", ["bash", "sh", "wget"], ["curl"]],
  ["nginx", "1.27", "docker.io/library/nginx", ["curl", "envsubst", "sh", "bash"], ["wget", "ps", "nslookup", "ping"]],
  ["nginx", "1.14.2", "docker.io/library/nginx", ["envsubst", "rev"], ["curl", "wget", "ps"]],
  ["nginx", "1.17.9", "docker.io/library/nginx", [], ["curl"]],
  ["nginx", "1.17.10", "docker.io/library/nginx", ["curl"], []],
  ["nginx", "1.27-alpine", "docker.io/library/nginx", ["curl", "wget"], ["bash"]],
  ["nginx", "1.27-alpine-slim", "docker.io/library/nginx", ["wget"], ["curl"]],
  ["nginx", "1.16-alpine", "docker.io/library/nginx", ["wget"], ["curl"]],
  ["nginx", "1.14-2", "registry.k8s.io/e2e-test-images/nginx", ["wget"], ["curl", "bash"]],
  ["httpd", "2.4", "docker.io/library/httpd", ["bash", "gosu"], ["curl", "wget", "ps"]],
  ["redis", "7.4", "docker.io/library/redis", ["bash"], ["curl", "wget", "ps"]],
  ["redis", "7.4-alpine", "docker.io/library/redis", ["wget"], ["curl", "bash"]],
  ["postgres", "17", "docker.io/library/postgres", ["bash", "xz"], ["curl", "ps"]],
  ["mysql", "8.4", "docker.io/library/mysql", ["bash", "curl", "hostname", "find", "awk", "kill"], ["ps", "wget", "nslookup", "which"]],
  ["perl", "5.40", "docker.io/library/perl", ["curl", "wget", "ps", "git"], ["nslookup"]],
  ["perl", "5.40-slim", "docker.io/library/perl", [], ["curl", "wget", "ps"]],
  ["official:python", "3.12", "docker.io/library/python", ["curl", "wget", "ps"], ["nslookup", "ping"]],
  ["official:python", "3.12-slim", "docker.io/library/python", ["bash"], ["curl", "wget", "ps"]],
  ["official:python", "3.12-alpine", "docker.io/library/python", ["wget"], ["curl", "bash"]],
  ["official:node", "22", "docker.io/library/node", ["curl", "wget"], []],
  ["official:node", "22-slim", "docker.io/library/node", [], ["curl", "wget"]],
  ["official:node", "22-alpine", "docker.io/library/node", ["wget"], ["curl"]],
  ["kubernetes-zookeeper", "1.0-3.4.10", "registry.k8s.io/kubernetes-zookeeper", ["bash", "ps", "hostname", "rev"], ["curl", "wget", "nslookup"]],
];

for (const [model, tag, repo, has, lacks] of TABLE) {
  test(`${model}:${tag} (${repo}) has ${has.join(", ") || "—"} and lacks ${lacks.join(", ") || "—"}`, () => {
    const set = imageCommands(model, tag, repo);
    assert.ok(set, `${model} is restricted`);
    for (const c of has) assert.ok(set.has(c), `${model}:${tag} has ${c} (family ${imageFamily(model, tag, repo)})`);
    for (const c of lacks) assert.ok(!set.has(c), `${model}:${tag} lacks ${c} (family ${imageFamily(model, tag, repo)})`);
  });
}

test("a model the data does not list is not restricted (the generic image, the course's images)", () => {
  assert.equal(imageCommands("generic", "1.0", "docker.io/myorg/shop"), undefined);
  assert.equal(imageCommands("kubetm/app", "v1", "docker.io/kubetm/app"), undefined);
});

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "k8s-node1" }]);
  return c;
}

function pod(name: string, image: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: ${image}\n    command: ["sleep", "3600"]\n---\n`;
}

test("the shells' messages for a program the image lacks: bash, dash, busybox ash; exit 127; an exec of it is containerd's error", async () => {
  const c = cluster();
  c.applySync(pod("ubuntu", "ubuntu:22.04") + pod("debian", "debian:12") + pod("busybox", "busybox:1.36"));
  await c.advance("30s");
  const bash = await c.kubectl(["exec", "ubuntu", "--", "bash", "-c", "curl -s http://example.com"]);
  assert.equal(bash.stderr, "bash: line 1: curl: command not found\ncommand terminated with exit code 127\n");
  assert.equal(bash.exitCode, 127);
  const dash = await c.kubectl(["exec", "debian", "--", "sh", "-c", "echo one; wget -q http://example.com"]);
  assert.equal(dash.stdout, "one\n");
  assert.equal(dash.stderr, "sh: 1: wget: not found\ncommand terminated with exit code 127\n");
  const ash = await c.kubectl(["exec", "busybox", "--", "sh", "-c", "curl http://example.com"]);
  assert.equal(ash.stderr, "sh: curl: not found\ncommand terminated with exit code 127\n");
  // command -v, which and type agree with the lookup
  const v = await c.kubectl(["exec", "ubuntu", "--", "bash", "-c", "command -v curl; echo $?; command -v ls; which curl; echo $?; type curl; echo $?"]);
  assert.match(v.stdout, /^1\n\/(usr\/)?bin\/ls\n1\n1\n$/);
  assert.equal(v.stderr, "bash: line 1: type: curl: not found\n");
  const exec = await c.kubectl(["exec", "ubuntu", "--", "curl", "http://example.com"]);
  assert.match(exec.stderr, /OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in \$PATH: unknown/);
  await c.close();
});

test("a program a package installed later is found (apt-get install curl writes /usr/bin/curl)", async () => {
  const c = cluster();
  c.applySync(pod("ubuntu", "ubuntu:22.04"));
  await c.advance("30s");
  assert.equal((await c.kubectl(["exec", "ubuntu", "--", "bash", "-c", "command -v curl || echo none"])).stdout, "none\n");
  await c.kubectl(["exec", "ubuntu", "--", "bash", "-c", "mkdir -p /usr/bin && printf x > /usr/bin/curl && chmod +x /usr/bin/curl"]);
  assert.equal((await c.kubectl(["exec", "ubuntu", "--", "bash", "-c", "command -v curl"])).stdout, "/usr/bin/curl\n");
  await c.close();
});

test("a container whose command the image lacks does not start (StartError)", async () => {
  const c = cluster();
  c.applySync(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: debian:12\n    command: ["ps", "aux"]\n`);
  await c.advance("30s");
  const st = c.api.get("Pod", "default", "p")!.status!.containerStatuses![0]!;
  assert.equal(st.state?.terminated?.reason, "StartError");
  assert.match(st.state?.terminated?.message ?? "", /exec: "ps": executable file not found in \$PATH: unknown/);
  await c.close();
});
