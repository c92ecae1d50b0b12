/**
 * Every carried kubernetes.io example applied as the documentation's readers apply it
 * (`kubectl apply -f https://k8s.io/examples/<path>`), each in a fresh cluster, against the reviewed
 * table of src/kubectl/examples.table.ts; and every image they name resolved as a real registry
 * would. A unit test rather than a feature: some 300 fresh clusters in one process, and the table
 * (with the source of each refusal) is the reviewed record a feature's prose would only repeat.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { Cluster } from "../cluster.ts";
import { ImageRegistry } from "../images/registry.ts";
import { EXAMPLE_DATA_FILES, EXAMPLE_TABLE, type ExampleRow } from "./examples.table.ts";

const ROOT = "exercises/docs";

function carriedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p.slice(ROOT.length + 1));
    }
  };
  walk(ROOT);
  return out;
}

/** The files exercises/docs/SOURCES lists, with the commit each was read at. */
function sources(): Array<[string, string]> {
  const lines = readFileSync(join(ROOT, "SOURCES"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  return lines.map((l) => {
    const [path, commit, ...rest] = l.split(" ");
    assert.deepEqual(rest, [], l);
    return [path!, commit!];
  });
}

// Every example copied with a recorded commit (SOURCES) is a row or a data file; other work may
// carry examples of its own here (the Cassandra tutorial, the ValidatingAdmissionPolicy pages),
// which its features apply, so files outside SOURCES are required only to be classified once.
test("every example SOURCES lists is either a row of the table or a data file with its use", () => {
  const carried = carriedFiles().filter((f) => /\.(ya?ml|json)$/.test(f));
  const manifests = sources()
    .map(([p]) => p)
    .filter((f) => /\.(ya?ml|json)$/.test(f));
  const rows = EXAMPLE_TABLE.map((r) => r.path);
  assert.equal(new Set(rows).size, rows.length, "a path is twice in the table");
  for (const f of manifests) {
    const n = (rows.includes(f) ? 1 : 0) + (f in EXAMPLE_DATA_FILES ? 1 : 0);
    assert.equal(n, 1, `${f}: ${n === 0 ? "neither in EXAMPLE_TABLE nor in EXAMPLE_DATA_FILES" : "both a row and a data file"}`);
  }
  for (const p of [...rows, ...Object.keys(EXAMPLE_DATA_FILES)]) assert.ok(carried.includes(p), `${p} is not carried in ${ROOT}`);
  for (const p of rows) assert.ok(!(p in EXAMPLE_DATA_FILES), `${p}: both a row and a data file`);
  for (const r of EXAMPLE_TABLE) {
    assert.ok(r.created || r.refused, `${r.path}: says what kubectl prints`);
    if (r.refused || r.dropped || r.warned) assert.ok(r.source, `${r.path}: a refusal, a warning or a drop says where it comes from upstream`);
    assert.ok(!(r.refused && r.warned), `${r.path}: refused (exit 1) or warned (exit 0)`);
  }
});

test("SOURCES names a kubernetes/website commit for each file it lists, and each exists", () => {
  const listed = sources();
  assert.ok(listed.length > 200);
  const files = new Set(carriedFiles());
  for (const [path, commit] of listed) {
    assert.ok(files.has(path), `${path} is listed in SOURCES but not carried`);
    assert.match(commit, /^[0-9a-f]{40}$/, path);
  }
});

/** The value at `a.b[0].c` of an object, or undefined. */
function at(obj: unknown, path: string): unknown {
  let v: any = obj;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (v === undefined || v === null) return undefined;
    const m = /^\[(\d+)\]$/.exec(part);
    v = m ? v[Number(m[1])] : v[part];
  }
  return v;
}

async function applyRow(row: ExampleRow): Promise<void> {
  const c = new Cluster();
  try {
    c.addNodesFromTable([{ name: "node-1" }]);
    for (const ns of row.namespaces ?? []) assert.equal((await c.kubectl(["create", "namespace", ns])).exitCode, 0);
    const r = await c.kubectl(["apply", "-f", `https://k8s.io/examples/${row.path}`]);
    const stdout = row.created ? row.created.map((l) => l + "\n").join("") : "";
    assert.deepEqual({ stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }, { stdout, stderr: row.refused ?? row.warned ?? "", exitCode: row.refused ? 1 : 0 }, row.path);
    for (const d of row.dropped ?? []) {
      const [kind, ref, path] = d.split(" ");
      const [ns, name] = ref!.includes("/") ? ref!.split("/") : ["default", ref];
      const obj = c.api.get(kind!, ns, name!);
      assert.ok(obj, `${row.path}: ${kind} ${ref} was stored`);
      assert.equal(at(obj, path!), undefined, `${row.path}: ${d} is dropped`);
    }
  } finally {
    await c.close();
  }
}

const folders = [...new Set(EXAMPLE_TABLE.map((r) => r.path.split("/")[0]!))];
for (const folder of folders) {
  test(`kubectl apply -f https://k8s.io/examples/${folder}/... on a fresh v1.32 cluster, as the table says`, async () => {
    for (const row of EXAMPLE_TABLE.filter((r) => r.path.split("/")[0] === folder)) await applyRow(row);
  });
}

/**
 * Images that do not resolve, on purpose: placeholders a page asks you to replace, and the image
 * a page names so that its pull fails.
 */
const UNRESOLVED: Record<string, string> = {
  "registry.k8s.io/cloud-controller-manager:v1.8.0": "admin/cloud/ccm-example.yaml: a guideline the page says \"will not work straight out of the box\"; the image model holds no such tag (docs/images.md)",
  "registry.k8s.io/nginx:latest": "pods/resource/pod-level-resize.yaml: registry.k8s.io serves nginx-slim and e2e-test-images/nginx, not nginx; the image model holds none (docs/images.md)",
  "registry.k8s.io/dra-example-driver/dra-example-driver:v0.1.0": "dra/driver-install/all.yaml, daemonset.yaml: the DRA tutorial's example kubelet plugin; the image model holds no such image (docs/images.md), and on v1.32 with DynamicResourceAllocation off there is nothing for it to serve (docs/divergences.md)",
  "gcr.io/google_samples/gb-redisslave:v1": "application/guestbook/redis-slave-deployment.yaml: the guestbook's pre-2021 follower, which no page uses any more (the tutorial's is redis-follower-deployment.yaml); the image model holds no such image (docs/images.md)",
  "<your-private-image>": "pods/private-reg-pod.yaml: the page's placeholder (an invalid reference: InvalidImageName)",
  "gcr.io/<project>/job-wq-1": "application/job/rabbitmq/job.yaml: the page's placeholder for the image you build (InvalidImageName)",
  "my-app": "kustomize/configmap-in-deployment: the kustomization page's own image name; no such Docker Hub image",
  "non-existing-repo/non-existing-image:example": "controllers/job-pod-failure-policy-config-issue.yaml: the pull is meant to fail (ConfigIssue)",
};

test("every image the carried manifests name resolves as its registry would, except the ones meant not to", () => {
  const reg = new ImageRegistry(undefined, { unknownImages: "generic" });
  const images = new Map<string, string>();
  const visit = (o: unknown, file: string): void => {
    if (Array.isArray(o)) return o.forEach((x) => visit(x, file));
    if (!o || typeof o !== "object") return;
    for (const [k, v] of Object.entries(o)) {
      if ((k === "containers" || k === "initContainers") && Array.isArray(v)) for (const c of v) if (typeof c?.image === "string" && !images.has(c.image)) images.set(c.image, file);
      visit(v, file);
    }
  };
  for (const row of EXAMPLE_TABLE) for (const doc of parseAllDocuments(readFileSync(join(ROOT, row.path), "utf8"))) visit(doc.toJS(), row.path);
  assert.ok(images.size > 60, `${images.size} images`);
  for (const [image, file] of images) {
    const l = reg.lookup(/[:@]/.test(image.slice(image.lastIndexOf("/") + 1)) ? image : `${image}:latest`);
    if (image in UNRESOLVED) assert.equal(l.ok, false, `${image} (${file}) must not resolve: ${UNRESOLVED[image]}`);
    else assert.ok(l.ok, `${image} (${file}): ${l.ok ? "" : l.error}`);
  }
  for (const image of Object.keys(UNRESOLVED)) assert.ok(images.has(image), `${image} is no longer named by a carried manifest`);
});
