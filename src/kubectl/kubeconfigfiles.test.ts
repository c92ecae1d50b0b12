import { test } from "node:test";
import assert from "node:assert/strict";
import { Kubeconfig } from "./kubeconfig.ts";
import { absolutePath, flattenConfig, KubeconfigAccess, KubeconfigError, parseKubeconfig, serializeKubeconfig, type KubeconfigFiles } from "./kubeconfigfiles.ts";

/** A machine of files by absolute path, with the simulated kubeconfig at /root/.kube/config. */
function machine(files: Record<string, string> = {}): KubeconfigFiles & { files: Map<string, string> } {
  const m = new Map(Object.entries(files));
  return {
    files: m,
    cwd: "/root",
    simulated: Kubeconfig.simulated(),
    read: (p) => m.get(p),
    write: (p, t) => void m.set(p, t),
  };
}

const A = `apiVersion: v1
kind: Config
current-context: ca
contexts:
- context: {cluster: c-a, user: u}
  name: shared
- context: {cluster: x, user: u}
  name: onlya
users:
- name: u
  user: {token: from-a}
`;
const B = `apiVersion: v1
kind: Config
current-context: cb
contexts:
- context: {cluster: c-b, user: u, namespace: nb}
  name: shared
- context: {cluster: cy, user: u}
  name: onlyb
`;

test("absolutePath resolves against the working directory as filepath.Abs does", () => {
  assert.equal(absolutePath("a/../b/./c", "/root"), "/root/b/c");
  assert.equal(absolutePath("", "/root"), "/root");
  assert.equal(absolutePath("/tmp//x", "/root"), "/tmp/x");
  assert.equal(absolutePath("../..", "/root"), "/");
});

test("parseKubeconfig reads the v1 types: missing fields empty, unknown fields dropped, YAML 1.1 booleans", () => {
  const k = parseKubeconfig("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n  name: development\n- name: t\n  cluster: {server: 'https://x', bogus: 1, insecure-skip-tls-verify: yes}\n");
  assert.deepEqual(k.clusters.get("development"), { server: "" });
  assert.deepEqual(k.clusters.get("t"), { server: "https://x", "insecure-skip-tls-verify": true });
  assert.equal(parseKubeconfig("").contexts.size, 0);
  assert.equal(parseKubeconfig("contexts:\n- name: a\n  context: {cluster: c, user: u}\n").contexts.get("a")?.cluster, "c");
  // `.` is a string to go-yaml v2 (a path relativized to the file's own directory).
  assert.equal(parseKubeconfig("users:\n- name: u\n  user: {client-certificate: .}\n").users.get("u")?.["client-certificate"], ".");
});

test("parseKubeconfig fails as client-go's decoder does", () => {
  const cases: Array<[string, string]> = [
    ["contexts:\n- name: c\n  context: {cluster: y, user: u}\n", "json: cannot unmarshal bool into Go struct field Context.contexts.context.cluster of type string"],
    ["clusters:\n- name: x\n  cluster: {server: 5}\n", "json: cannot unmarshal number into Go struct field Cluster.clusters.cluster.server of type string"],
    ["current-context: [1]\n", "json: cannot unmarshal array into Go struct field Config.current-context of type string"],
    ["apiVersion: v2\nkind: Config\n", 'no kind "Config" is registered for version "v2" in scheme "k8s.io/client-go/tools/clientcmd/api/latest/latest.go:50"'],
  ];
  for (const [text, message] of cases) assert.throws(() => parseKubeconfig(text), (e: unknown) => e instanceof KubeconfigError && e.message === message, text);
  assert.throws(() => parseKubeconfig("hello\n"), /^Error: couldn't get version\/kind; json parse error: json: cannot unmarshal string into Go value of type struct/);
});

test("serializeKubeconfig writes what clientcmd.Write writes: every list, empty ones null, sorted keys", () => {
  const k = new Kubeconfig();
  k.contexts.set("foo", { cluster: "", user: "" });
  assert.equal(serializeKubeconfig(k), 'apiVersion: v1\nclusters: null\ncontexts:\n- context:\n    cluster: ""\n    user: ""\n  name: foo\ncurrent-context: ""\nkind: Config\npreferences: {}\nusers: null\n');
  assert.deepEqual(parseKubeconfig(serializeKubeconfig(k)).contexts.get("foo"), { cluster: "", user: "" });
});

test("KUBECONFIG files merge: the first file wins each entry and the current context", () => {
  const m = machine({ "/root/a": A, "/root/b": B });
  const ab = new KubeconfigAccess(m, { env: "a:b" }).startingConfig();
  assert.equal(ab.currentContext, "ca");
  assert.equal(ab.contexts.get("shared")?.cluster, "c-a");
  assert.deepEqual([...ab.contexts.keys()].sort(), ["onlya", "onlyb", "shared"]);
  assert.equal(ab.origin.contexts.get("onlyb"), "b");
  const ba = new KubeconfigAccess(m, { env: "b:a" }).startingConfig();
  assert.equal(ba.currentContext, "cb");
  assert.equal(ba.contexts.get("shared")?.namespace, "nb");
  // A missing file is skipped; duplicates are read once.
  assert.equal(new KubeconfigAccess(m, { env: ":nope:a:a" }).precedence.join(","), ",nope,a");
  assert.equal(new KubeconfigAccess(m, { env: ":nope:a" }).startingConfig().currentContext, "ca");
});

test("the default file: --kubeconfig, the one KUBECONFIG file, the first that exists, else the last; else $HOME/.kube/config", () => {
  const m = machine({ "/root/b": B });
  assert.equal(new KubeconfigAccess(m, { explicit: "x", env: "a:b" }).defaultFilename(), "x");
  assert.equal(new KubeconfigAccess(m, { env: "a" }).defaultFilename(), "a");
  assert.equal(new KubeconfigAccess(m, { env: "a:b:c" }).defaultFilename(), "b");
  assert.equal(new KubeconfigAccess(m, { env: "a:c" }).defaultFilename(), "c");
  assert.equal(new KubeconfigAccess(m, {}).defaultFilename(), "/root/.kube/config");
  assert.ok(new KubeconfigAccess(m, {}).simulatedOnly);
  assert.ok(new KubeconfigAccess(m, { env: "/root/.kube/config" }).simulatedOnly);
  assert.ok(!new KubeconfigAccess(m, { env: "b" }).simulatedOnly);
});

test("ModifyConfig writes a changed entry to its own file, a new one to the default file, a removal from its file", () => {
  const m = machine({ "/root/a": A, "/root/b": B });
  const access = new KubeconfigAccess(m, { env: "a:b" });
  const start = access.startingConfig();
  const next = start.clone();
  next.contexts.get("onlyb")!.namespace = "changed";
  next.contexts.set("fresh", { cluster: "c", user: "u" });
  next.contexts.delete("onlya");
  access.modify(start, next, true);
  const a = parseKubeconfig(m.files.get("/root/a")!);
  const b = parseKubeconfig(m.files.get("/root/b")!);
  assert.equal(b.contexts.get("onlyb")?.namespace, "changed");
  assert.ok(a.contexts.has("fresh") && !b.contexts.has("fresh"));
  assert.ok(!a.contexts.has("onlya"));
  // b's own shadowed `shared` entry is kept as it was.
  assert.equal(b.contexts.get("shared")?.namespace, "nb");
});

test("ModifyConfig relativizes file paths against the kubeconfig's directory, unless that needs ../", () => {
  const m = machine();
  const access = new KubeconfigAccess(m, { explicit: "dir/config" });
  const start = access.startingConfig();
  const next = start.clone();
  next.users.set("u", { "client-certificate": "/root/dir/certs/u.crt", "client-key": "/root/u.key" });
  next.clusters.set("c", { server: "https://x", "certificate-authority": "/root/dir" });
  access.modify(start, next, true);
  const written = parseKubeconfig(m.files.get("/root/dir/config")!);
  assert.deepEqual(written.users.get("u"), { "client-certificate": "certs/u.crt", "client-key": "/root/u.key" });
  assert.equal(written.clusters.get("c")?.["certificate-authority"], ".");
});

test("the current context: set in the explicit or default file; cleared where the first file sets one", () => {
  const m = machine({ "/root/a": A, "/root/b": B });
  const access = new KubeconfigAccess(m, { env: "nope:b:a" });
  let start = access.startingConfig();
  let next = start.clone();
  next.currentContext = "onlya";
  access.modify(start, next, true);
  assert.equal(parseKubeconfig(m.files.get("/root/b")!).currentContext, "onlya");
  start = access.startingConfig();
  next = start.clone();
  next.currentContext = "";
  access.modify(start, next, false);
  assert.equal(parseKubeconfig(m.files.get("/root/b")!).currentContext, "");
  assert.equal(parseKubeconfig(m.files.get("/root/a")!).currentContext, "ca");
});

test("$HOME/.kube/config is the simulated kubeconfig: read and written in place", () => {
  const m = machine({ "/root/a": A });
  const access = new KubeconfigAccess(m, { env: "a:/root/.kube/config" });
  const start = access.startingConfig();
  assert.ok(start.contexts.has("kube-scenario") && start.contexts.has("shared"));
  const next = start.clone();
  next.contexts.get("kube-scenario")!.namespace = "team-a";
  access.modify(start, next, true);
  assert.equal(m.simulated.namespaceOf(), "team-a");
  assert.ok(!m.files.has("/root/.kube/config"));
});

test("an unreadable file fails the load with its name; several, as an aggregate", () => {
  const m = machine({ "/root/bad": "current-context: [1]\n", "/root/bad2": "apiVersion: v2\n" });
  assert.throws(() => new KubeconfigAccess(m, { explicit: "bad" }).startingConfig(), /^Error: error loading config file "bad": json: cannot unmarshal array/);
  assert.throws(
    () => new KubeconfigAccess(m, { env: "bad:bad2" }).startingConfig(),
    (e: unknown) => e instanceof KubeconfigError && e.errors.length === 2 && e.errors[1]!.startsWith('error loading config file "bad2"'),
  );
});

test("flattenConfig embeds the files an entry names, relative to its kubeconfig file", () => {
  const m = machine({ "/root/d/config": "users:\n- name: u\n  user: {client-certificate: u.crt}\n", "/root/d/u.crt": "PEM" });
  const k = new KubeconfigAccess(m, { explicit: "d/config" }).startingConfig();
  flattenConfig(k, (p) => (m.files.has(p) ? Buffer.from(m.files.get(p)!) : undefined), "/root");
  assert.deepEqual(k.users.get("u"), { "client-certificate-data": Buffer.from("PEM").toString("base64") });
  k.users.set("v", { "client-key": "nope.key" });
  k.origin.users.set("v", "d/config");
  assert.throws(() => flattenConfig(k, () => undefined, "/root"), /open \/root\/d\/nope.key: no such file or directory/);
});
