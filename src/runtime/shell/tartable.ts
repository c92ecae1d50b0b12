/**
 * The tar table (testdata/gnutar134.json): shell scripts that run `tar`, with what they print through
 * GNU tar 1.34 (Debian 12's /usr/bin/tar, the tar of Debian-based images) under GNU bash 5.2. Shared
 * by tarcases.test.ts and scripts/tar-record.ts; rows run as the bash table's do (bashtable.ts
 * `realBash`: `bash -c` in an empty directory shown as /w, only HOME and PATH set), and through the
 * simulation in a shell whose image is Debian's (`/bin/sh` is dash), so that its tar is GNU's. Test
 * support: nothing in the simulation imports it.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BashCase } from "./bashtable.ts";

export type TarCase = BashCase;

export const TAR_TABLE = fileURLToPath(new URL("./testdata/gnutar134.json", import.meta.url));

/** The first line of `/usr/bin/tar --version`, or undefined without a GNU tar. */
export function realTarVersion(): string | undefined {
  const r = spawnSync("/usr/bin/tar", ["--version"], { argv0: "tar", encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n")[0] : undefined;
}
