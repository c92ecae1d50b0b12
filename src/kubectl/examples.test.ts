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
  const { PROJECT_MANIFESTS, PROJECT_KUSTOMIZATIONS, remoteKustomizationCopy } = await import("./examples.ts");
  const all = readFileSync("exercises/apps/SOURCES", "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  // A line whose URL is a kustomize remote spec (no scheme) names a kustomization directory.
  const lines = all.filter((l) => /^\S+ https?:\/\//.test(l));
  const dirs = new Map(all.filter((l) => !lines.includes(l)).map((l) => {
    const [path, spec, repo, inRepo, commit] = l.split(" ");
    assert.ok(path && spec && repo && inRepo && /^[0-9a-f]{40}$/.test(commit ?? ""), `SOURCES line ${JSON.stringify(l)}: <path> <spec> <repository> <path in it> <commit>`);
    assert.ok(existsSync(`exercises/apps/${path}/kustomization.yaml`), path);
    return [spec!, `exercises/apps/${path}`];
  }));
  assert.deepEqual(Object.fromEntries(dirs), PROJECT_KUSTOMIZATIONS);
  for (const [spec, copy] of dirs) assert.equal(remoteKustomizationCopy(spec), copy);
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

test("remote kustomization specs: kustomize's spellings of a pinned GitHub directory reach its copy; other refs and repositories do not", async () => {
  const { parseRemoteSpec, remoteKustomizationCopy } = await import("./examples.ts");
  const copy = "exercises/apps/podinfo/kustomize";
  // kustomize's RepoSpec spellings (api/internal/git/repospec.go): scheme or none, git@, .git, one or two slashes, ?ref= or ?version=.
  for (const spec of [
    "github.com/stefanprodan/podinfo//kustomize?ref=6.14.1",
    "https://github.com/stefanprodan/podinfo//kustomize?ref=6.14.1",
    "https://github.com/stefanprodan/podinfo/kustomize?ref=6.14.1",
    "git@github.com:stefanprodan/podinfo.git/kustomize?ref=6.14.1",
    "github.com/stefanprodan/podinfo.git//kustomize/?version=6.14.1",
    // The README's spec, without a ref: the default branch, which was at 6.14.1 when the copy was taken.
    "github.com/stefanprodan/podinfo//kustomize",
  ]) assert.equal(remoteKustomizationCopy(spec), copy, spec);
  assert.deepEqual(parseRemoteSpec("github.com/stefanprodan/podinfo//kustomize?ref=6.14.1"), { repo: "github.com/stefanprodan/podinfo", path: "kustomize", ref: "6.14.1" });
  assert.deepEqual(parseRemoteSpec("https://github.com/org/repo"), { repo: "github.com/org/repo", path: ".", ref: undefined });
  for (const spec of ["github.com/stefanprodan/podinfo//kustomize?ref=6.13.0", "github.com/stefanprodan/podinfo//charts?ref=6.14.1", "github.com/someone/else//kustomize", "gitlab.com/stefanprodan/podinfo//kustomize"]) {
    assert.equal(remoteKustomizationCopy(spec), undefined, spec);
  }
  const c = new Cluster();
  const r = await c.kubectl("apply -k github.com/stefanprodan/podinfo//kustomize");
  assert.equal(r.stdout, "service/podinfo created\ndeployment.apps/podinfo created\nhorizontalpodautoscaler.autoscaling/podinfo created\n", r.stderr);
  const other = await c.kubectl("kustomize github.com/stefanprodan/podinfo//kustomize?ref=6.13.0");
  assert.equal(other.exitCode, 1);
  assert.match(other.stderr, /^error: remote kustomization "github\.com\/stefanprodan\/podinfo\/\/kustomize\?ref=6\.13\.0" is not simulated/);
  await c.close();
});
