/**
 * kubectl cp's path handling, ported from staging/src/k8s.io/kubectl/pkg/cmd/cp/cp_test.go (the rows
 * of TestExtractFileSpec that v1.32 has: `[namespace/]pod:path` only; TestStripPathShortcuts;
 * TestIsDestRelative), and the copies both ways through the in-process kubectl. What the real
 * kubectl v1.32.4 prints against the facade is the transcript testdata/cp.yaml.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cluster } from "../../cluster.ts";
import { KubectlError } from "../command.ts";
import { cleanPath, extractFileSpec, isRelative, stripPathShortcuts } from "./cp.ts";

test("extractFileSpec (cp_test.go TestExtractFileSpec, v1.32's rows)", () => {
  const rows: Array<[string, { pod?: string; namespace?: string; file: string } | "error"]> = [
    ["namespace/pod:/some/file", { namespace: "namespace", pod: "pod", file: "/some/file" }],
    ["pod:/some/file", { pod: "pod", file: "/some/file" }],
    ["/some/file", { file: "/some/file" }],
    [":file:not:exist:in:local:filesystem", "error"],
    ["namespace/deployment/invalid:/some/file", "error"],
    ["pod:/some/filenamewith:in", { pod: "pod", file: "/some/filenamewith:in" }],
    ["pod:/some/dir/", { pod: "pod", file: "/some/dir" }],
    ["pod:C:\\dir\\file", { pod: "pod", file: "C:/dir/file" }],
  ];
  for (const [spec, want] of rows) {
    if (want === "error") {
      assert.throws(() => extractFileSpec(spec), (e: unknown) => e instanceof KubectlError && e.message === "filespec must match the canonical format: [[namespace/]pod:]file/path", spec);
      continue;
    }
    assert.deepEqual(extractFileSpec(spec), want, spec);
  }
});

test("stripPathShortcuts after Clean (cp_test.go TestStripPathShortcuts, the Linux rows)", () => {
  const rows: Array<[string, string]> = [
    ["../foo/bar", "foo/bar"],
    ["../../foo/bar", "foo/bar"],
    ["/tmp/one/two/../../foo/bar", "tmp/foo/bar"],
    ["../../", ""],
    ["../..", ""],
    ["/tmp/one/two/../../foo/..bar", "tmp/foo/..bar"],
    ["../...foo", "...foo"],
    ["...foo", "...foo"],
    ["/", ""],
  ];
  for (const [input, want] of rows) assert.equal(stripPathShortcuts(cleanPath(input.replace(/\/$/, "") || "/")), want, input);
});

test("isRelative (cp_test.go TestIsDestRelative)", () => {
  const rows: Array<[string, string, boolean]> = [
    ["/dir", "/dir/../link", false],
    ["/dir", "/dir/../../link", false],
    ["/dir", "/link", false],
    ["/dir", "/dir/link", true],
    ["/dir", "/dir/int/../link", true],
    ["dir", "dir/link", true],
    ["dir", "dir/int/../link", true],
    ["dir", "dir/../../link", false],
  ];
  for (const [base, dest, want] of rows) assert.equal(isRelative(base, dest), want, `${base} ${dest}`);
});

test("kubectl cp both ways with a busybox pod: the files, the warnings, the exit codes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cp-test-"));
  try {
    mkdirSync(join(dir, "site", "css"), { recursive: true });
    writeFileSync(join(dir, "site", "index.html"), "<h1>hi</h1>\n");
    writeFileSync(join(dir, "site", "css", "a.css"), "b {}\n");
    const cluster = new Cluster({ rootDir: dir });
    cluster.addNodesFromTable([{ name: "n1" }]);
    cluster.kubectlSync(["run", "bb", "--image=busybox:1.28", "--", "sleep", "3600"]);
    cluster.advanceSync("30s");
    assert.deepEqual(cluster.kubectlSync("cp site bb:/srv"), { stdout: "", stderr: "", exitCode: 0 });
    assert.equal(cluster.kubectlSync("exec bb -- cat /srv/index.html /srv/css/a.css").stdout, "<h1>hi</h1>\nb {}\n");
    // Into an existing directory: the source goes inside it.
    cluster.kubectlSync("cp site bb:/srv");
    assert.equal(cluster.kubectlSync("exec bb -- ls /srv/site").stdout, "css\nindex.html\n");
    // Out of the pod: busybox's warning on kubectl's stdout, the tree under the local name.
    assert.deepEqual(cluster.kubectlSync("cp bb:/srv out"), { stdout: "tar: removing leading '/' from member names\n", stderr: "", exitCode: 0 });
    assert.equal(cluster.kubectlSync("create configmap x --from-file=out/css --dry-run=client -o jsonpath={.data}").stdout, '{"a.css":"b {}\\n"}');
    // A missing path: the tar fails after writing its (empty) archive, and kubectl has already finished.
    assert.deepEqual(cluster.kubectlSync("cp bb:/nope out2"), { stdout: "tar: /nope: No such file or directory\n", stderr: "", exitCode: 0 });
    const bad = cluster.kubectlSync("cp site/index.html bb:/nope/x");
    assert.deepEqual(bad, { stdout: "", stderr: "tar: can't change directory to '/nope': No such file or directory\ncommand terminated with exit code 1\n", exitCode: 1 });
    await cluster.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
