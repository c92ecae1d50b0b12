// The layer rule (eslint.layers.js) catches an import against the order, allows one down it, and
// honours its listed exceptions only for the layer they name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ESLint } from "eslint";
import { EXCEPTIONS, layerConfigs } from "../eslint.layers.js";

const eslint = new ESLint({ cwd: process.cwd() });
async function layerErrors(file: string, code: string): Promise<number> {
  const [r] = await eslint.lintText(code, { filePath: file });
  return r!.messages.filter((m) => m.ruleId === "no-restricted-imports").length;
}

test("an import up the layer order is an error, one down it is not", async () => {
  assert.equal(await layerErrors("src/api/x.ts", 'import "../kubelet/kubelet.ts";\n'), 1);
  assert.equal(await layerErrors("src/runtime/shell/x.ts", 'import "../../kubectl/index.ts";\n'), 1);
  assert.equal(await layerErrors("src/scheduler/plugins/x.ts", 'import "../../cluster.ts";\n'), 1);
  assert.equal(await layerErrors("src/kubelet/prober/x.ts", 'import "../../api/store.ts";\nimport "../../runtime/types.ts";\n'), 0);
  // metrics (metrics-server) sits beside controllers: it reads the kubelets, kubectl reads it.
  assert.equal(await layerErrors("src/metrics/x.ts", 'import "../kubelet/manager.ts";\n'), 0);
  assert.equal(await layerErrors("src/controllers/podautoscaler/x.ts", 'import "../../metrics/api.ts";\n'), 0);
  assert.equal(await layerErrors("src/metrics/x.ts", 'import "../kubectl/index.ts";\n'), 1);
});

test("the former exceptions are gone: the API server allocates ClusterIPs, the backend does not import the report", async () => {
  assert.deepEqual(EXCEPTIONS, {});
  assert.equal(await layerErrors("src/api/admission/index.ts", 'import "../../network/network.ts";\n'), 1);
  assert.equal(await layerErrors("src/backend.ts", 'import "./report/explain.ts";\n'), 1);
});

test("a listed exception allows only its own layer", async () => {
  const only = new ESLint({ cwd: process.cwd(), overrideConfigFile: true, overrideConfig: layerConfigs(".", { "src/api/admission/index.ts": ["network"] }) });
  const errors = async (code: string) => (await only.lintText(code, { filePath: "src/api/admission/index.ts" }))[0]!.messages.length;
  assert.equal(await errors('import "../../network/network.ts";\n'), 0);
  assert.equal(await errors('import "../../kubelet/kubelet.ts";\n'), 1);
});

test("test files may import any layer", async () => {
  assert.equal(await layerErrors("src/api/x.test.ts", 'import "../cluster.ts";\n'), 0);
});

test("test helpers have one name: testutil.ts", async () => {
  const { readdirSync } = await import("node:fs");
  const others = (readdirSync("src", { recursive: true }) as string[])
    .map((p) => p.split("\\").join("/"))
    .filter((p) => /(^|\/)test[^/]*\.ts$/.test(p) && !p.endsWith(".test.ts") && !/(^|\/)testutil\.ts$/.test(p));
  assert.deepEqual(others, [], "rename test helper files to testutil.ts (eslint.layers.js exempts only that name)");
});

test("src/ does not import the Cucumber glue (support/, steps/); the cli reads only the step catalogue's lists", async () => {
  assert.equal(await layerErrors("src/fuzz/x.ts", 'import "../../support/faults.ts";\n'), 1);
  assert.equal(await layerErrors("src/sim/x.ts", 'import "../../support/world.ts";\n'), 1);
  assert.equal(await layerErrors("src/cluster.ts", 'import "../steps/pods.steps.ts";\n'), 1);
  assert.equal(await layerErrors("src/kubelet/prober/x.ts", 'import "../../../support/faults.ts";\n'), 1);
  // the top layer too: the cli may read the catalogue's contract and Korean phrases, nothing else
  assert.equal(await layerErrors("src/cli/x.ts", 'import "../../support/world.ts";\n'), 1);
  assert.equal(await layerErrors("src/cli/x.ts", 'import "../../steps/pods.steps.ts";\n'), 1);
  assert.equal(await layerErrors("src/cli/x.ts", 'import "../../support/contract.ts";\nimport "../../support/phrases.ko.ts";\n'), 0);
  // the glue and tests may import src/ and each other
  assert.equal(await layerErrors("support/x.ts", 'import "../src/cluster.ts";\nimport "./world.ts";\n'), 0);
  assert.equal(await layerErrors("src/controllers/x.test.ts", 'import "../../support/faults.ts";\n'), 0);
});

test("node operations (stopping a machine's kubelet) are the cluster's, rank 7: the fuzz tests and the steps' faults use them", async () => {
  assert.equal(await layerErrors("src/fuzz/x.ts", 'import "../nodeops.ts";\n'), 0);
  assert.equal(await layerErrors("src/nodeops.ts", 'import "./kubelet/manager.ts";\n'), 0);
  assert.equal(await layerErrors("src/kubectl/x.ts", 'import "../nodeops.ts";\n'), 1);
});

test("kubectl reaches the kubelet only through the kubelet client (src/api/kubeletclient.ts)", async () => {
  assert.equal(await layerErrors("src/kubectl/x.ts", 'import "../kubelet/kubelet.ts";\n'), 1);
  assert.equal(await layerErrors("src/kubectl/commands/x.ts", 'import "../../kubelet/server.ts";\n'), 1);
  assert.equal(await layerErrors("src/kubectl/printers/x.ts", 'import "../../kubelet/eviction/x.ts";\n'), 1);
  assert.equal(await layerErrors("src/kubectl/commands/x.ts", 'import "../../api/kubeletclient.ts";\nimport "../../metrics/api.ts";\n'), 0);
  // the layers above kubectl still may (the cluster assembles the kubelets)
  assert.equal(await layerErrors("src/cluster.ts", 'import "./kubelet/manager.ts";\n'), 0);
});

test("no step branches on live vs simulated: waiting and polling are the backend's (Backend.within, throughout)", async () => {
  const { readdirSync, readFileSync } = await import("node:fs");
  const branching = readdirSync("steps")
    .filter((f) => f.endsWith(".ts"))
    .flatMap((f) => readFileSync(`steps/${f}`, "utf8").split("\n").map((line, i) => ({ where: `steps/${f}:${i + 1}`, line })))
    .filter(({ line }) => /\b(this|world)\.live\b/.test(line))
    .map(({ where, line }) => `${where}: ${line.trim()}`);
  assert.deepEqual(branching, []);
});

test("no runtime import cycle in src/ (type-only imports aside)", async () => {
  const { importCycles, runtimeImports } = await import("./importcycles.ts");
  assert.deepEqual(importCycles("src"), []);
  // The reader sees what the compiler keeps: a value import counts, a type-only one does not.
  assert.deepEqual(runtimeImports("src/a/x.ts", 'import { b } from "./b.ts";\nimport type { C } from "./c.ts";\nimport { type D } from "./d.ts";\nexport { e } from "../e.ts";\nimport "./f.ts";\n'), [
    "src/a/b.ts",
    "src/e.ts",
    "src/a/f.ts",
  ]);
});
