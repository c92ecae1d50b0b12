/**
 * The sed table (testdata/gnused49.json): shell scripts that run `sed`, with what they print through
 * GNU sed 4.9 (Debian 12's /bin/sed, the sed of Debian-based images) under GNU bash 5.2. Shared by
 * sedcases.test.ts and scripts/sed-record.ts; rows run as the bash table's do (bashtable.ts
 * `realBash`: `bash -c` in an empty directory shown as /w, only HOME and PATH set). Test support:
 * nothing in the simulation imports it.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BashCase } from "./bashtable.ts";

export type SedCase = BashCase;

export const SED_TABLE = fileURLToPath(new URL("./testdata/gnused49.json", import.meta.url));

/** The first line of `/bin/sed --version`, or undefined without a GNU sed. */
export function realSedVersion(): string | undefined {
  const r = spawnSync("/bin/sed", ["--version"], { argv0: "sed", encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n")[0] : undefined;
}
