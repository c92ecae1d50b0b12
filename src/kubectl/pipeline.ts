/**
 * `kubectl … | tr … | sort | uniq -c`: what a terminal's shell does with a kubectl command piped
 * into text tools. The kubectl part runs as any command; the rest of the line runs in a local
 * shell (src/runtime/shell: its text applets, `base64` among them) with kubectl's output as its
 * standard input, on an empty filesystem of its own and without time passing. The pipeline's
 * exit code is its last command's, as in a shell without `pipefail`.
 */
import { MemFs } from "../runtime/vfs.ts";
import { createShellProcess } from "../runtime/shell/index.ts";
import type { SimClock } from "../sim/clock.ts";

/** Splits a command line at its first unquoted `|` (not `||`): the kubectl part and the rest, or undefined. */
export function splitPipe(line: string): { first: string; rest: string } | undefined {
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"') i++;
      continue;
    }
    if (c === "\\") i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === "|") {
      if (line[i + 1] === "|") return undefined;
      const first = line.slice(0, i).trim();
      const rest = line.slice(i + 1).trim();
      return first && rest ? { first, rest } : undefined;
    }
  }
  return undefined;
}

/**
 * Runs `argv` in a local shell process on `fs` (an empty filesystem of its own unless given), with
 * `stdin`, letting no time pass: its output, error output and exit code, or an undefined code when
 * it did not finish at once (it is then killed).
 */
export function runInLocalShell(clock: SimClock, argv: string[], stdin: string, fs: MemFs = new MemFs(clock)): { stdout: string; stderr: string; code: number | undefined } {
  let stdout = "";
  let stderr = "";
  let code: number | undefined;
  const p = createShellProcess(
    argv,
    {
      clock,
      fs,
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/root" },
      hostname: "localhost",
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      resolve: () => undefined,
      http: (_req, done) => clock.setTimeout(() => done({ ok: false, error: "the local shell has no network", kind: "unreachable" }), 0),
    },
    { stdin, pid: 1000 },
  );
  p.start((c) => (code = c));
  clock.settle();
  if (code === undefined) {
    // Text tools never wait; a command that would (sleep, a network call) is not run here.
    p.kill("SIGKILL");
    clock.settle();
    return { stdout, stderr, code: undefined };
  }
  return { stdout, stderr, code };
}

/** Runs `script` in a local shell with `stdin`; its output, error output and exit code. */
export function runLocalShell(clock: SimClock, script: string, stdin: string): { stdout: string; stderr: string; exitCode: number } {
  const r = runInLocalShell(clock, ["sh", "-c", script], stdin);
  if (r.code === undefined) {
    return { stdout: r.stdout, stderr: r.stderr + `the local shell does not let time pass: ${JSON.stringify(script)} did not finish at once\n`, exitCode: 1 };
  }
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.code };
}
