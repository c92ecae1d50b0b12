/**
 * `kube-scenario serve` as users run it: a child process, its kubeconfig (token, CA, mode 0600),
 * `--help`, usage errors, `kube-scenario advance`, and a body of more than 512 MiB that once
 * ended the process and lost every object.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYAML } from "yaml";
import { clientFetch, type ServedAt } from "../server/testutil.ts";
import { Cluster } from "../cluster.ts";

const BIN = "bin/kube-scenario.mjs";

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
}

async function withServe(args: string[], fn: (s: ServedAt & { kubeconfig: string; child: ChildProcess; dir: string }) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ks-cli-"));
  try {
    const kubeconfig = join(dir, "kubeconfig");
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--kubeconfig", kubeconfig, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        const m = /simulated cluster at (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}${err}`)));
    });
    const kc = parseYAML(readFileSync(kubeconfig, "utf8"));
    const token: string | undefined = kc.users[0].user.token;
    const caData: string | undefined = kc.clusters[0].cluster["certificate-authority-data"];
    try {
      await fn({ url, token, caPEM: caData ? Buffer.from(caData, "base64").toString() : undefined, kubeconfig, child, dir });
    } finally {
      child.kill("SIGTERM");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("serve --help prints the usage (no stack trace); unknown options are a usage error", () => {
  const help = cli(["serve", "--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: kube-scenario serve \[--port N\]/);
  assert.match(help.stdout, /--insecure-no-auth/);
  assert.equal(help.stderr, "");
  const bad = cli(["serve", "--prot", "80"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^kube-scenario serve: Unknown option '--prot'/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
  assert.equal(cli(["--help"]).status, 0);
  const port = cli(["serve", "--port", "http"]);
  assert.equal(port.status, 2);
  assert.match(port.stderr, /--port must be a port number/);
  assert.equal(cli(["bogus"]).status, 2);
});

test("serve writes a kubeconfig readable by its owner only, with the token and the CA; advance uses it", async () => {
  await withServe(["--nodes", "n1"], async (s) => {
    assert.equal(statSync(s.kubeconfig).mode & 0o777, 0o600);
    assert.match(s.url, /^https:\/\//);
    assert.ok(s.token && s.caPEM);
    const f = clientFetch(s);
    const before = ((await (await f("/kube-scenario/v1/now")).json()) as { now: string }).now;
    const adv = spawnSync(process.execPath, [BIN, "advance", "90s", "--kubeconfig", s.kubeconfig], { encoding: "utf8" });
    assert.equal(adv.status, 0, adv.stderr);
    const after = ((await (await f("/kube-scenario/v1/now")).json()) as { now: string }).now;
    assert.equal(Date.parse(after) - Date.parse(before), 90_000);
    // Without the token, the server refuses it.
    const anon = join(s.dir, "anon");
    writeFileSync(anon, readFileSync(s.kubeconfig, "utf8").replace(/\n {4}token: \S+/, ""));
    const refused = spawnSync(process.execPath, [BIN, "advance", "1s", "--kubeconfig", anon], { encoding: "utf8" });
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr, "error: Unauthorized\n");
  });
});

test("the served cluster publishes the kubeconfig's CA in kube-root-ca.crt from its start (no second write), after a reset too", async () => {
  await withServe(["--nodes=", "--resettable"], async (s) => {
    const f = clientFetch(s);
    const plain = new Cluster();
    const expected = plain.api.get("ConfigMap", "default", "kube-root-ca.crt")!.metadata.resourceVersion;
    await plain.close();
    for (const round of ["first", "after reset"]) {
      const cm = (await (await f("/api/v1/namespaces/default/configmaps/kube-root-ca.crt")).json()) as { data: Record<string, string>; metadata: { resourceVersion: string } };
      assert.equal(cm.data["ca.crt"], s.caPEM, round);
      assert.equal(cm.metadata.resourceVersion, expected, round);
      if (round === "first") assert.equal((await f("/kube-scenario/v1/reset", { method: "POST" })).status, 200);
    }
  });
});

test("a body of more than 512 MiB is refused with 413 once past 3 MiB; the process and every object stay", { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ks-cli-objs-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const manifest = join(dir, "cms.yaml");
  writeFileSync(manifest, Array.from({ length: 300 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndata: {i: "${i}"}\n`).join("---\n"));
  await withServe(["--nodes=", "--apply", manifest], async (s) => {
    const url = new URL("/api/v1/namespaces/default/configmaps", s.url);
    const chunk = Buffer.alloc(1 << 20, 0x20);
    let sent = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: "POST", ca: s.caPEM, headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", (e) => (req.destroyed ? undefined : reject(e)));
      const pump = () => {
        while (sent < 600 * (1 << 20) && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!req.destroyed) req.end();
      };
      pump();
    });
    assert.equal(status, 413);
    assert.ok(sent < 512 * (1 << 20), `the answer came after ${sent} bytes`);
    assert.equal(s.child.exitCode, null);
    const list = (await (await clientFetch(s)("/api/v1/namespaces/default/configmaps")).json()) as { items: unknown[] };
    // The 300 applied, and the namespace's kube-root-ca.crt.
    assert.equal(list.items.length, 301);
  });
});
