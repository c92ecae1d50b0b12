/**
 * The worker of "Coarse Parallel Processing Using a Work Queue" (kubernetes.io, tasks/job): the
 * page's `worker.py` (exercises/docs/application/job/rabbitmq/, carried verbatim; compared byte for
 * byte: any other Python script is not this program), run as an executable script (`#!/usr/bin/env
 * python`), as amqp-consume spawns it with the message on its stdin:
 *
 * - the `#!` line's interpreter must be in the image: `/usr/bin/env python` looks `python` up on
 *   PATH (Ubuntu 18.04's `python` package installs /usr/bin/python; 22.04 has no such package),
 *   else env's `/usr/bin/env: 'python': No such file or directory`, exit 127;
 * - `print("Processing " + sys.stdin.readlines()[0])`: the first line of stdin (with its newline,
 *   if it has one) after `Processing `, and print's newline; an empty stdin raises IndexError
 *   (the traceback Python prints, exit 1);
 * - `time.sleep(10)`, then exit 0. Python's stdout to a pipe or a log is block-buffered: the line
 *   is written when the worker exits.
 */
import { readFileSync } from "node:fs";
import type { G, Shell } from "../../runtime/shell/index.ts";

const PAGE_WORKER = new URL("../data/files/job-wq-1/worker.py", import.meta.url);
let pageWorker: string | undefined;

/** The page's worker.py (data file: src/images/data/files/job-wq-1/worker.py). */
export function pageWorkerText(): string {
  return (pageWorker ??= readFileSync(PAGE_WORKER, "utf8"));
}

/** Where PATH finds an executable name, or undefined. */
function onPath(sh: Shell, name: string): string | undefined {
  for (const dir of (sh.getVar("PATH") ?? "").split(":")) {
    const p = `${dir || "."}/${name}`;
    if (sh.io.fs.stat(p)?.type === "file" || sh.findApplet(p)) return p;
  }
  return undefined;
}

/**
 * An executable file run as a program: a Python script (its `#!` names python) runs here; any
 * other file is undefined (the shell runs it, as `#!/bin/sh`).
 */
export function runScript(sh: Shell, path: string, args: string[]): G<number> | undefined {
  let text: string;
  try {
    text = sh.io.fs.readFile(path);
  } catch {
    return undefined;
  }
  const m = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(text);
  if (!m) return undefined;
  const interp = m[1]!;
  const viaEnv = /(^|\/)env$/.test(interp);
  const prog = viaEnv ? (m[2] ?? "") : interp.slice(interp.lastIndexOf("/") + 1);
  if (!/^python[0-9.]*$/.test(prog)) return undefined;
  return python(sh, path, text, viaEnv ? prog : interp, viaEnv, args);
}

function* python(sh: Shell, path: string, text: string, interp: string, viaEnv: boolean, _args: string[]): G<number> {
  const found = viaEnv ? onPath(sh, interp) : sh.io.fs.stat(interp)?.type === "file" ? interp : undefined;
  if (!found) {
    if (viaEnv) sh.stderr.write(`/usr/bin/env: '${interp}': No such file or directory\n`);
    else sh.stderr.write(`${path}: ${interp}: bad interpreter: No such file or directory\n`);
    return 127;
  }
  if (text !== pageWorkerText()) {
    sh.stderr.write(`kube-scenario: ${path}: Python runs only the pages' programs it models (the worker.py of "Coarse Parallel Processing Using a Work Queue"); this script is not one of them\n`);
    return 1;
  }
  const input = yield* sh.stdin.readAllG();
  const lines = input.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  if (!lines.length) {
    sh.stderr.write(`Traceback (most recent call last):\n  File "${path}", line 6, in <module>\n    print("Processing " + sys.stdin.readlines()[0])\nIndexError: list index out of range\n`);
    return 1;
  }
  const out = `Processing ${lines[0]}\n`;
  yield { k: "sleep", ms: 10_000 };
  sh.stdout.write(out);
  return 0;
}
