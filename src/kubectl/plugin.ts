/**
 * kubectl plugins (staging/src/k8s.io/kubectl/pkg/cmd/cmd.go and pkg/cmd/plugin/plugin.go, v1.32):
 * executables named `kubectl-*` on the user machine's PATH.
 *
 * - A command line whose command kubectl does not have runs the plugin of the longest name its
 *   words make (HandlePluginCommand: the words up to the first flag, `-` in a word read as `_`,
 *   joined by `-`, shortened from the end until `exec.LookPath("kubectl-<name>")` finds an
 *   executable file on PATH), with the words after the name as its arguments, and the terminal's
 *   environment; its output and exit code are the command's. A flag before the name:
 *   `Error: flags cannot be placed before plugin name: <flag>`.
 * - `kubectl plugin list [--name-only]`: every file named `kubectl-*` in the PATH's directories, in
 *   PATH order (each directory once, its files by name); warnings for one that is not executable,
 *   one overshadowed by an earlier one of the same name, one whose name is a kubectl command
 *   (`overwrites existing command: "kubectl version"`); a directory that cannot be read is skipped
 *   with a note. Warnings, or no plugin at all, make it fail.
 *
 * The machine's plugins run in its shell (src/runtime/shell): a script (`#!/bin/bash` or
 * `#!/bin/sh`) runs as the machine's shell runs scripts; there are no compiled plugins.
 */
import type { LocalMachine } from "./pipeline.ts";

export const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

/** The PATH a kubectl command line sees: its own assignment, the terminal's, or the machine's default. */
export function pathOf(machine: LocalMachine, env: Record<string, string>): string {
  return env.PATH ?? machine.env?.PATH ?? DEFAULT_PATH;
}

function resolve(machine: LocalMachine, dir: string): string {
  const joined = dir.startsWith("/") ? dir : `${machine.cwd}/${dir}`;
  return joined.replace(/\/+$/, "") || "/";
}

/** exec.LookPath on the machine: the first PATH entry holding an executable regular file of that name. */
export function lookPath(machine: LocalMachine, path: string, name: string): string | undefined {
  for (const dir of path.split(":")) {
    // An empty entry is the working directory (Go's LookPath, as a shell's).
    const d = dir === "" ? "." : dir;
    const full = `${d.replace(/\/+$/, "")}/${name}`;
    const st = machine.fs.stat(resolve(machine, full));
    if (st && st.type === "file" && st.mode & 0o111) return d === "." ? `./${name}` : full;
  }
  return undefined;
}

/** What HandlePluginCommand does with these words: the plugin and its arguments, a refusal, or nothing found. */
export function findPlugin(machine: LocalMachine, path: string, words: string[]): { path: string; args: string[] } | { error: string } | undefined {
  const remaining: string[] = [];
  for (const w of words) {
    if (w.startsWith("-")) break;
    remaining.push(w.replace(/-/g, "_"));
  }
  if (remaining.length === 0) return { error: `flags cannot be placed before plugin name: ${words[0]}` };
  while (remaining.length > 0) {
    const found = lookPath(machine, path, `kubectl-${remaining.join("-")}`);
    if (found) return { path: found, args: words.slice(remaining.length) };
    remaining.pop();
  }
  return undefined;
}

/**
 * cobra's stripFlags (command.go, as kubectl v1.32 vendors it): the words of a command line that are
 * not flags, as Find sees them. A flag without `=` that is not boolean (`hasNoOptDefVal`; an unknown
 * one counts as taking a value) takes the next word as its value, unless that is the last word,
 * where the scan stops.
 */
export function cobraStripFlags(words: string[], isBool: (name: string, short: boolean) => boolean): string[] {
  const commands: string[] = [];
  let args = words;
  while (args.length > 0) {
    const s = args[0]!;
    args = args.slice(1);
    if (s === "--") break;
    const longTakesValue = s.startsWith("--") && !s.includes("=") && !isBool(s.slice(2), false);
    const shortTakesValue = s.startsWith("-") && !s.includes("=") && s.length === 2 && !isBool(s.slice(1), true);
    if (longTakesValue || shortTakesValue) {
      if (args.length <= 1) break;
      args = args.slice(1);
      continue;
    }
    if (s !== "" && !s.startsWith("-")) commands.push(s);
  }
  return commands;
}

/** A word for the shell, in single quotes. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The shell command line that execs the plugin with the command line's environment assignments. */
export function pluginCommandLine(plugin: { path: string; args: string[] }, env: Record<string, string>): string {
  const assigns = Object.entries(env).map(([k, v]) => `${k}=${shellWord(v)}`);
  return [...assigns, shellWord(plugin.path), ...plugin.args.map(shellWord)].join(" ");
}

/**
 * `kubectl plugin list`: its output, its error output and whether it fails. `isCommand` says
 * whether the words of a plugin's name (after `kubectl`) name a kubectl command (cobra's Find),
 * and which.
 */
export function pluginList(machine: LocalMachine, path: string, nameOnly: boolean, isCommand: (words: string[]) => string | undefined): { stdout: string; stderr: string; failed: boolean } {
  const plugins: string[] = [];
  let stderr = "";
  const seenDirs = new Set<string>();
  for (const dir of path.split(":")) {
    if (seenDirs.has(dir)) continue;
    seenDirs.add(dir);
    if (dir.trim() === "") continue;
    const full = resolve(machine, dir);
    const st = machine.fs.stat(full);
    if (!st || st.type !== "dir") {
      const why = st ? "not a directory" : "no such file or directory";
      stderr += `Unable to read directory ${JSON.stringify(dir)} from your PATH: open ${dir}: ${why}. Skipping...\n`;
      continue;
    }
    for (const name of machine.fs.readdir(full)) {
      if (!name.startsWith("kubectl-")) continue;
      if (machine.fs.stat(`${full === "/" ? "" : full}/${name}`)?.type === "dir") continue;
      plugins.push(`${dir.replace(/\/+$/, "")}/${name}`);
    }
  }
  const errors: string[] = [];
  let stdout = "";
  if (plugins.length > 0) stdout += "The following compatible plugins are available:\n\n";
  else errors.push("error: unable to find any kubectl plugins in your PATH");
  let warnings = 0;
  const seen = new Map<string, string>();
  for (const p of plugins) {
    const bin = p.slice(p.lastIndexOf("/") + 1);
    stdout += `${nameOnly ? bin : p}\n`;
    const st = machine.fs.stat(resolve(machine, p))!;
    const found: string[] = [];
    if (!(st.mode & 0o111)) found.push(`warning: ${p} identified as a kubectl plugin, but it is not executable`);
    const earlier = seen.get(bin);
    if (earlier !== undefined) found.push(`warning: ${p} is overshadowed by a similarly named plugin: ${earlier}`);
    else seen.set(bin, p);
    const parts = bin.split("-").slice(1);
    const cmd = isCommand(parts);
    if (cmd !== undefined) found.push(`warning: ${bin} overwrites existing command: ${JSON.stringify(cmd)}`);
    for (const w of found) stderr += `  - ${w}\n`;
    warnings += found.length;
  }
  if (warnings === 1) errors.push("error: one plugin warning was found");
  else if (warnings > 1) errors.push(`error: ${warnings} plugin warnings were found`);
  // cmdutil.CheckErr: the joined errors (each with its newline), printed as they are.
  if (errors.length) stderr += errors.map((e) => e + "\n").join("");
  return { stdout, stderr, failed: errors.length > 0 };
}
