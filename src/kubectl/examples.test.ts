import { test } from "node:test";
import assert from "node:assert/strict";
import { exampleCopyPath, isUrl, readUrl } from "./examples.ts";
import { Cluster } from "../cluster.ts";

test("example URLs map to their copies under exercises/docs; other URLs are not fetched", () => {
  assert.equal(exampleCopyPath("https://k8s.io/examples/application/deployment.yaml"), "exercises/docs/application/deployment.yaml");
  assert.equal(exampleCopyPath("https://kubernetes.io/examples/pods/pod-rs.yaml"), "exercises/docs/pods/pod-rs.yaml");
  assert.equal(exampleCopyPath("https://k8s.io/examples/../../etc/passwd"), undefined);
  assert.equal(exampleCopyPath("https://example.com/x.yaml"), undefined);
  assert.equal(exampleCopyPath("https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/pods/config/redis-pod.yaml"), "exercises/docs/pods/config/redis-pod.yaml");
  assert.equal(exampleCopyPath("https://raw.githubusercontent.com/kubernetes/website/other/content/en/examples/pods/config/redis-pod.yaml"), undefined);
  assert.ok(isUrl("http://x") && isUrl("https://x") && !isUrl("exercises/x.yaml"));
  assert.throws(() => readUrl("https://example.com/x.yaml", () => ""), /unable to read URL "https:\/\/example.com\/x.yaml": fetching URLs is not simulated/);
  assert.throws(() => readUrl("https://k8s.io/examples/nope.yaml", () => { throw new Error("ENOENT"); }), /this example has no copy at exercises\/docs\/nope.yaml/);
  assert.equal(readUrl("https://k8s.io/examples/a.yaml", (p) => `read ${p}`), "read exercises/docs/a.yaml");
});

test("kubectl apply -f <example URL> applies the example's copy; a URL without one fails saying why", async () => {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  assert.deepEqual(await c.kubectl("apply -f https://k8s.io/examples/controllers/frontend.yaml"), { stdout: "replicaset.apps/frontend created\n", stderr: "", exitCode: 0 });
  const other = await c.kubectl("apply -f https://raw.githubusercontent.com/x/y/main/z.yaml");
  assert.equal(other.exitCode, 1);
  assert.match(other.stderr, /^error: unable to read URL "https:\/\/raw.githubusercontent.com\/x\/y\/main\/z.yaml": fetching URLs is not simulated/);
  await c.close();
});

test("the projects' manifest URLs map to their verbatim copies under exercises/apps, as exercises/apps/SOURCES lists them", async () => {
  const { readFileSync, existsSync } = await import("node:fs");
  const { PROJECT_MANIFESTS } = await import("./examples.ts");
  const lines = readFileSync("exercises/apps/SOURCES", "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  const listed = new Map(lines.map((l) => {
    const [path, url, repo, inRepo, commit] = l.split(" ");
    assert.ok(path && url && repo && inRepo && /^[0-9a-f]{40}$/.test(commit ?? ""), `SOURCES line ${JSON.stringify(l)}: <path> <url> <repository> <path in it> <commit>`);
    return [url!, `exercises/apps/${path}`];
  }));
  assert.deepEqual(Object.fromEntries(listed), PROJECT_MANIFESTS);
  for (const [url, copy] of listed) {
    assert.equal(exampleCopyPath(url), copy);
    assert.ok(existsSync(copy), copy);
  }
  // A release's URL is served only at its pinned version: `latest` changes with every release.
  assert.equal(exampleCopyPath("https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml"), undefined);
  const c = new Cluster();
  const r = await c.kubectl("apply -f https://github.com/kubernetes-sigs/metrics-server/releases/download/v0.7.2/components.yaml --dry-run=client");
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^serviceaccount\/metrics-server created \(dry run\)\n/);
  await c.close();
});
