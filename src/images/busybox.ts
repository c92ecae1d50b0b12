/**
 * Shell images (`busybox`, `busybox:<tag>`, `alpine`, and the course's init images): the container's
 * `command` + `args` run in the POSIX shell interpreter over the container's filesystem. Without a
 * command the image's default `sh` starts with no input and exits 0 at once; `args` alone replace
 * the image's CMD, as Docker does with an empty ENTRYPOINT.
 */
import { createShellProcess, startError } from "../runtime/shell/index.ts";
import type { ContainerLaunch, ContainerProcess, ImageBehaviour } from "../runtime/types.ts";

/** The argv a container runs: command + args, or args alone, or the image's `sh`. */
export function containerArgv(container: any, defaultCmd: string[] = ["sh"]): string[] {
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

export function shellImage(repository: string, sizeBytes: number, pullMs: number, files?: Record<string, string>): ImageBehaviour {
  return { repository, sizeBytes, pullMs, hasShell: true, files, launch: launchShell };
}

const OS_RELEASE_BUSYBOX = "NAME=\"BusyBox\"\n";
const OS_RELEASE_ALPINE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n';

export const busybox = shellImage("busybox", 2_155_365, 1_200, { "/etc/os-release": OS_RELEASE_BUSYBOX });
export const alpine = shellImage("alpine", 3_623_807, 1_500, { "/etc/os-release": OS_RELEASE_ALPINE, "/etc/alpine-release": "3.20.3\n" });
