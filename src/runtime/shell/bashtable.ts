/**
 * The bash table's rows (testdata/bash52.json) and how to run one through the real GNU bash: shared by
 * bashcases.test.ts (which also compares the table with the machine's bash when it is 5.2) and
 * scripts/bash-record.ts (which records it). Test support: nothing in the simulation imports it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface BashCase {
  name: string;
  script: string;
  stdout: string;
  stderr: string;
  code: number;
}

export const BASH_TABLE = fileURLToPath(new URL("./testdata/bash52.json", import.meta.url));

/** The environment both shells run a row with: HOME and PATH only. */
export const BASH_ENV = { HOME: "/root", PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };

/** The first line of `/bin/bash --version`, or undefined without a bash. */
export function realBashVersion(): string | undefined {
  const r = spawnSync("/bin/bash", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n")[0] : undefined;
}

/** Runs `bash -c script` in a fresh empty directory, whose path reads `/w` in what it prints. */
export function realBash(script: string): { stdout: string; stderr: string; code: number } {
  const dir = mkdtempSync(join(tmpdir(), "bash52-"));
  try {
    // stdin from /dev/null, not Node's default pipe: that pipe is a socketpair, and bash -c with a
    // socket on stdin (SHLVL < 2) takes itself to be run by sshd and reads ~/.bashrc, whose output
    // and cost (a pyenv init: ~110 ms a row) are this machine's, not the table's.
    const r = spawnSync("/bin/bash", ["-c", script], { argv0: "bash", cwd: dir, env: BASH_ENV, encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "pipe"] });
    const fix = (s: string) => s.split(dir).join("/w");
    return { stdout: fix(r.stdout), stderr: fix(r.stderr), code: r.status ?? 128 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
