/** Helpers shared by the builtins and applets. */
import { VfsError } from "../types.ts";
import type { G } from "./effects.ts";
import type { Shell } from "./interp.ts";

export type CommandFn = (sh: Shell, argv: string[]) => G<number>;

/** strerror() texts for Vfs error codes. */
export function vfsErrorText(e: unknown): string {
  if (!(e instanceof VfsError)) return String(e);
  switch (e.code) {
    case "ENOENT":
      return "No such file or directory";
    case "EISDIR":
      return "Is a directory";
    case "ENOTDIR":
      return "Not a directory";
    case "EEXIST":
      return "File exists";
    case "EROFS":
      return "Read-only file system";
    case "ENOTEMPTY":
      return "Directory not empty";
    case "EACCES":
      return "Permission denied";
  }
}

/** `applet: msg` on stderr (busybox bb_error_msg). */
export function appletError(sh: Shell, applet: string, msg: string): void {
  sh.stderr.write(`${applet}: ${msg}\n`);
}

/** Splits bundled short options (`-rf`) until `--` or the first operand; returns [flags, operands, optionValues]. */
export function getopt(
  argv: string[],
  flags: string,
  withValue = "",
): { opts: Map<string, string | true>; rest: string[]; bad?: string; all: Map<string, string[]> } {
  const opts = new Map<string, string | true>();
  /** Every value of an option given more than once (`grep -e a -e b`); `opts` keeps the last. */
  const all = new Map<string, string[]>();
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (withValue.includes(c)) {
        const v = a.slice(j + 1) || argv[++i];
        if (v === undefined) return { opts, rest: [], bad: `option requires an argument -- '${c}'`, all };
        opts.set(c, v);
        all.set(c, [...(all.get(c) ?? []), v]);
        break;
      }
      if (!flags.includes(c)) return { opts, rest: [], bad: `invalid option -- '${c}'`, all };
      opts.set(c, true);
    }
  }
  return { opts, rest: argv.slice(i), all };
}


const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, TERM: 15, EXIT: 0 };
export function signalNumber(name: string): number | undefined {
  const n = name.toUpperCase().replace(/^SIG/, "");
  if (/^[0-9]+$/.test(n)) return Number(n);
  return SIGNALS[n];
}
export function signalName(n: number): string | undefined {
  return Object.keys(SIGNALS).find((k) => SIGNALS[k] === n);
}

