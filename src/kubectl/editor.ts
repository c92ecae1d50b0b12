/**
 * The editor `kubectl edit` launches (staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editor.go):
 * `KUBE_EDITOR`, then `EDITOR`, else `vi`. A command without spaces is run as it is; one with
 * spaces but no quotes or backslashes is split on spaces; any other goes to the shell
 * (`$SHELL -c`, /bin/bash without SHELL) with the file's path appended Go-%q-quoted. The path is
 * appended as the last argument otherwise.
 *
 * Here the editor runs in the local shell (the user's machine: GNU sed, bash), with a filesystem
 * holding the temporary file `/tmp/kubectl-edit-<n>.yaml`, and in no terminal: an interactive
 * editor (vi, nano, …) cannot run, and says how to give the edit as a command instead
 * (docs/divergences.md).
 */
import type { SimClock } from "../sim/clock.ts";
import { MemFs } from "../runtime/vfs.ts";
import { runInLocalShell } from "./pipeline.ts";

export interface EditorCommand {
  args: string[];
  /** The command goes through the shell (`args` is [shell, "-c", command]). */
  shell: boolean;
}

/** editor.go defaultEnvEditor. */
export function editorCommand(env: Record<string, string | undefined>): EditorCommand {
  let editor = "";
  for (const name of ["KUBE_EDITOR", "EDITOR"]) {
    editor = env[name] ?? "";
    if (editor) break;
  }
  if (!editor) editor = "vi";
  if (!editor.includes(" ")) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(" "), shell: false };
  return { args: [env.SHELL || "/bin/bash", "-c", editor], shell: true };
}

/** Go's %q of a plain path. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** The argv the editor is run with for `path` (editor.go Editor.args). */
export function editorArgs(cmd: EditorCommand, path: string): string[] {
  const args = [...cmd.args];
  if (cmd.shell) args[args.length - 1] = `${args[args.length - 1]} ${goQuote(path)}`;
  else args.push(path);
  return args;
}

/** Editors that need a terminal: a scenario has none. */
const INTERACTIVE = new Set(["vi", "vim", "nvim", "view", "nano", "pico", "emacs", "ed", "joe", "mcedit", "micro", "code", "subl", "gedit", "notepad"]);

export class EditorError extends Error {}

/** Single-quotes a word for sh. */
function shQuote(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes `content` to `path`, runs the editor on it in the local shell and returns what the file
 * holds afterwards, with what the editor printed. A failed editor throws editor.go's errors.
 */
export function launchEditor(clock: SimClock, cmd: EditorCommand, path: string, content: string): { edited: string; stdout: string; stderr: string } {
  const argv = editorArgs(cmd, path);
  const name = argv[0]!.slice(argv[0]!.lastIndexOf("/") + 1);
  if (!cmd.shell && INTERACTIVE.has(name)) {
    throw new EditorError(
      `the editor ${JSON.stringify(cmd.args.join(" "))} needs a terminal, which a scenario does not have: give the edit as a command in KUBE_EDITOR, ` +
        `e.g. KUBE_EDITOR="sed -i 's/replicas: 1/replicas: 3/'" kubectl edit deployment/web (kube-scenario runs it in its local shell)`,
    );
  }
  const fs = new MemFs(clock);
  fs.mkdir("/tmp");
  fs.writeFile(path, content);
  // A shell editor is `$SHELL -c command`; a plain one is run as its words (quoted for sh here).
  const shellArgv = cmd.shell ? ["bash", "-c", argv[2]!] : ["bash", "-c", argv.map(shQuote).join(" ")];
  const { stdout, stderr, code } = runInLocalShell(clock, shellArgv, "", fs);
  if (code === undefined) {
    throw new EditorError(`the editor ${JSON.stringify(cmd.args.join(" "))} did not finish at once (the local shell does not let time pass)`);
  }
  if (!cmd.shell && code === 127 && /not found/.test(stderr)) throw new EditorError(`unable to launch the editor ${JSON.stringify(cmd.args.join(" "))}`);
  if (code !== 0) {
    const e = new EditorError(`there was a problem with the editor ${JSON.stringify(cmd.args.join(" "))}`);
    (e as EditorError & { output?: { stdout: string; stderr: string } }).output = { stdout, stderr };
    throw e;
  }
  return { edited: fs.readFile(path), stdout, stderr };
}
