/**
 * An image's program that is a file on PATH (`/usr/bin/mysql`): it runs while its file is there,
 * and is not found once the file is gone (`mv /usr/bin/mysql /usr/bin/mysql.off`), in a shell
 * (`bash: line 1: mysql: command not found`, 127) and in an exec (`kubectl exec`, exec probes:
 * containerd's `executable file not found in $PATH`, which launch.ts's execIn reports).
 */
import type { Vfs } from "../../runtime/types.ts";
import type { CommandFn, G, Shell } from "../../runtime/shell/index.ts";

const PATH_BOUND = new WeakSet<CommandFn>();

/** Whether `name` (a bare name looked up on `path`, or a path) is a file in `fs`. */
export function foundOnPath(fs: Vfs, name: string, path: string): boolean {
  if (name.includes("/")) return fs.stat(name)?.type === "file";
  return path
    .split(":")
    .filter(Boolean)
    .some((d) => fs.stat(`${d}/${name}`)?.type === "file");
}

/** A command of the image that is a file on PATH: not found once the file is gone. */
export function onPath(fn: CommandFn): CommandFn {
  const wrapped = function* (sh: Shell, argv: string[]): G<number> {
    const name = argv[0] ?? "";
    if (!foundOnPath(sh.io.fs, name, sh.getVar("PATH") ?? sh.io.env.PATH ?? "")) {
      sh.error(`${name}: ${sh.env.bash ? "command not found" : "not found"}`);
      return 127;
    }
    return yield* fn(sh, argv);
  };
  PATH_BOUND.add(wrapped);
  return wrapped;
}

/** Whether a command is one of `onPath`'s (its file must be on PATH). */
export function isPathBound(fn: CommandFn | undefined): boolean {
  return fn !== undefined && PATH_BOUND.has(fn);
}
