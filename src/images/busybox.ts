/**
 * Running a container's command in the busybox shell: what an application image (src/images/apps)
 * does when the container sets `command`. Catalogue images start through ./launch.ts.
 */
import { createShellProcess, startError } from "../runtime/shell/index.ts";
import type { ContainerLaunch, ContainerProcess } from "../runtime/types.ts";
import type { Container } from "../api/types.gen.ts";

/** The argv a container runs: command + args, or args alone, or the image's `sh`. */
export function containerArgv(container: Pick<Container, "command" | "args">, defaultCmd: string[] = ["sh"]): string[] {
  const command: string[] = container.command ?? [];
  const args: string[] | undefined = container.args;
  if (command.length) return [...command, ...(args ?? [])];
  if (args?.length) return [...args];
  return [...defaultCmd];
}

/**
 * The container's main process (PID 1) in the image's shell; throws the runtime's error text when
 * the command cannot start (the kubelet reports StartError, exit code 128).
 */
export function launchShell(l: ContainerLaunch): ContainerProcess {
  const argv = containerArgv(l.container);
  const err = startError(argv, l.io);
  if (err) throw new Error(err);
  return createShellProcess(argv, l.io, { pid1: true });
}
