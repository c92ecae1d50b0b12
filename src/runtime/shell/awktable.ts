/**
 * The mawk table's rows (testdata/mawk134.json) and how to run one through the real mawk 1.3.4 (Debian
 * 12's /usr/bin/awk, the awk of the Debian-based images): shared by awkcases.test.ts (which also
 * compares the table with the machine's mawk when it is 1.3.4) and scripts/mawk-record.ts (which
 * records it). Test support: nothing in the simulation imports it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface AwkCase {
  name: string;
  /** awk's arguments (after `awk`). */
  args: string[];
  stdin?: string;
  /** Files in the working directory (shown as /w) before the run. */
  files?: Record<string, string>;
  stdout: string;
  stderr: string;
  code: number;
  /** How busybox's awk differs on this row, where it does (not checked: the busybox images run busybox's). */
  busybox?: string;
}

export const AWK_TABLE = fileURLToPath(new URL("./testdata/mawk134.json", import.meta.url));

export const AWK_ENV = { HOME: "/root", PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };

/** The first line of `/usr/bin/awk -W version`, or undefined without one. */
export function realAwkVersion(): string | undefined {
  const r = spawnSync("/usr/bin/awk", ["-W", "version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n")[0] : undefined;
}

/** Runs `awk ARGS` (argv[0] `awk`, as Debian's alternatives link) in a fresh directory with the row's files. */
export function realAwk(c: Pick<AwkCase, "args" | "stdin" | "files">): { stdout: string; stderr: string; code: number } {
  const dir = mkdtempSync(join(tmpdir(), "mawk134-"));
  try {
    for (const [name, text] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), text);
    const r = spawnSync("/usr/bin/awk", c.args, { argv0: "awk", cwd: dir, env: AWK_ENV, input: c.stdin ?? "", encoding: "utf8", timeout: 10_000 });
    const fix = (s: string) => s.split(dir).join("/w");
    return { stdout: fix(r.stdout), stderr: fix(r.stderr), code: r.status ?? 128 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
