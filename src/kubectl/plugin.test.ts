import { test } from "node:test";
import assert from "node:assert/strict";
import { MemFs } from "../runtime/vfs.ts";
import { findPlugin, lookPath, pluginCommandLine, pluginList } from "./plugin.ts";
import type { LocalMachine } from "./pipeline.ts";

function machine(files: Record<string, number>): LocalMachine {
  const fs = new MemFs();
  fs.mkdir("/root", { recursive: true });
  for (const [path, mode] of Object.entries(files)) {
    fs.mkdir(path.slice(0, path.lastIndexOf("/")) || "/", { recursive: true });
    fs.writeFile(path, "#!/bin/sh\n");
    fs.chmod?.(path, mode);
  }
  return { fs, cwd: "/root" };
}

test("HandlePluginCommand: the longest name the words make, `-` in a word read as `_`, the rest as arguments", () => {
  const m = machine({ "/usr/local/bin/kubectl-foo-bar": 0o755, "/usr/local/bin/kubectl-foo-bar-baz": 0o755, "/usr/local/bin/kubectl-foo_bar": 0o755 });
  const path = "/usr/local/bin:/usr/bin";
  assert.deepEqual(findPlugin(m, path, ["foo", "bar", "baz"]), { path: "/usr/local/bin/kubectl-foo-bar-baz", args: [] });
  assert.deepEqual(findPlugin(m, path, ["foo", "bar", "buz", "--x=1"]), { path: "/usr/local/bin/kubectl-foo-bar", args: ["buz", "--x=1"] });
  assert.deepEqual(findPlugin(m, path, ["foo-bar"]), { path: "/usr/local/bin/kubectl-foo_bar", args: [] });
  assert.deepEqual(findPlugin(m, path, ["foo_bar", "arg1"]), { path: "/usr/local/bin/kubectl-foo_bar", args: ["arg1"] });
  assert.equal(findPlugin(m, path, ["nothing"]), undefined);
  assert.deepEqual(findPlugin(m, path, ["-n", "x", "foo"]), { error: "flags cannot be placed before plugin name: -n" });
});

test("cobra's stripFlags: an unknown or non-boolean flag without `=` takes the next word, unless that is the last", async () => {
  const { cobraStripFlags } = await import("./plugin.ts");
  const bool = (name: string, short: boolean) => !short && name === "insecure-skip-tls-verify";
  assert.deepEqual(cobraStripFlags(["--meaningless-flag=true", "foo"], bool), ["foo"]);
  assert.deepEqual(cobraStripFlags(["--meaningless-flag", "foo"], bool), []);
  assert.deepEqual(cobraStripFlags(["--meaningless-flag", "true", "foo"], bool), ["foo"]);
  assert.deepEqual(cobraStripFlags(["-x", "1", "foo", "bar"], bool), ["foo", "bar"]);
  assert.deepEqual(cobraStripFlags(["--insecure-skip-tls-verify", "foo"], bool), ["foo"]);
  assert.deepEqual(cobraStripFlags(["-vx", "foo"], bool), ["foo"]);
  assert.deepEqual(cobraStripFlags(["foo", "--", "bar"], bool), ["foo"]);
});

test("LookPath: only executable regular files, in PATH order; relative entries from the working directory", () => {
  const m = machine({ "/a/kubectl-x": 0o644, "/b/kubectl-x": 0o755, "/root/plugins/kubectl-y": 0o755 });
  assert.equal(lookPath(m, "/a:/b", "kubectl-x"), "/b/kubectl-x");
  assert.equal(lookPath(m, "/a", "kubectl-x"), undefined);
  assert.equal(lookPath(m, "plugins:/a", "kubectl-y"), "plugins/kubectl-y");
});

test("plugin list: PATH order, each directory once; not executable, overshadowed, overwriting a command; the errors' count", () => {
  const m = machine({ "/p1/kubectl-foo": 0o755, "/p2/kubectl-foo": 0o755, "/p2/kubectl-bad": 0o644, "/p2/kubectl-version": 0o755, "/p2/other": 0o755 });
  const isCommand = (w: string[]) => (w[0] === "version" ? "kubectl version" : undefined);
  const r = pluginList(m, "/p1:/p2:/p1:/missing", false, isCommand);
  assert.equal(r.stdout, "The following compatible plugins are available:\n\n/p1/kubectl-foo\n/p2/kubectl-bad\n/p2/kubectl-foo\n/p2/kubectl-version\n");
  assert.equal(
    r.stderr,
    'Unable to read directory "/missing" from your PATH: open /missing: no such file or directory. Skipping...\n' +
      "  - warning: /p2/kubectl-bad identified as a kubectl plugin, but it is not executable\n" +
      "  - warning: /p2/kubectl-foo is overshadowed by a similarly named plugin: /p1/kubectl-foo\n" +
      '  - warning: kubectl-version overwrites existing command: "kubectl version"\n' +
      "error: 3 plugin warnings were found\n",
  );
  assert.equal(r.failed, true);
  assert.equal(pluginList(m, "/p1", true, isCommand).stdout, "The following compatible plugins are available:\n\nkubectl-foo\n");
  assert.deepEqual(pluginList(m, "/none", false, isCommand), { stdout: "", stderr: 'Unable to read directory "/none" from your PATH: open /none: no such file or directory. Skipping...\nerror: unable to find any kubectl plugins in your PATH\n', failed: true });
});

test("the plugin's command line: the line's assignments, then the plugin and its arguments, quoted for the shell", () => {
  assert.equal(pluginCommandLine({ path: "/usr/local/bin/kubectl-foo", args: ["config", "a b", "it's"] }, { KUBECONFIG: "/etc/kube/config" }), "KUBECONFIG=/etc/kube/config /usr/local/bin/kubectl-foo config 'a b' 'it'\\''s'");
});
