/**
 * Replays the transcripts of the real kubectl v1.32 (src/kubectl/testdata/*.yaml, recorded by
 * scripts/kubectl-record.ts against `kube-scenario serve`) against the in-process kubectl: every
 * command must print the same stdout and stderr, byte for byte, and succeed or fail alike.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Cluster } from "./cluster.ts";
import { blank, parseTranscript } from "./kubectl/transcript.ts";

const DIR = new URL("./kubectl/testdata/", import.meta.url);

for (const name of readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort()) {
  test(`kubectl transcript ${name}`, async () => {
    const t = parseTranscript(readFileSync(new URL(name, DIR), "utf8"));
    const dir = mkdtempSync(join(tmpdir(), "kubectl-replay-"));
    try {
      for (const [path, text] of Object.entries(t.files ?? {})) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const cluster = new Cluster({ rootDir: dir });
      if (t.kubeconfig) cluster.kubeconfig.path = t.kubeconfig;
      if (t.server) for (const c of cluster.kubeconfig.clusters.values()) c.server = t.server;
      if (t.nodes?.length) cluster.addNodesFromTable(t.nodes.map((n) => ({ name: n })));
      for (const step of t.steps) {
        if (step.apply !== undefined) cluster.applySync(step.apply);
        if (step.advance !== undefined) cluster.advanceSync(step.advance);
        const line = step.run ?? step.sh;
        if (line === undefined) continue;
        assert.ok(step.stdout !== undefined, `"${line}" has no recorded output: run scripts/kubectl-record.ts ${name}`);
        // A shell step runs in the terminal's shell on the user's machine (what kubectl wrote there).
        const r = cluster.kubectlSync(line);
        const got = { stdout: blank(r.stdout, step.ignore), stderr: blank(r.stderr, step.ignore), failed: r.exitCode !== 0 };
        const want = { stdout: blank(step.stdout ?? "", step.ignore), stderr: blank(step.stderr ?? "", step.ignore), failed: (step.exit ?? 0) !== 0 };
        assert.deepEqual(got, want, step.run !== undefined ? `kubectl ${step.run}` : line);
      }
      await cluster.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
