/**
 * Servers a shell starts inside a container (`sh -c "… && nginx -g 'daemon off;'"`,
 * `redis-server --daemonize yes`): they listen on the container's ports like its main process
 * would. The container's processes (`ProcessIO.container`) list them beside the main process, and
 * the shell main process of an image that can start servers answers for them on the network.
 */
import type { AppServer, ContainerProcess, ContainerSpace } from "../../runtime/types.ts";
import type { G, Shell } from "../../runtime/shell/index.ts";
import type { ServerProcess } from "./server.ts";

/** The container's main process and every server a command started in it. */
export function serversOf(space: ContainerSpace | undefined): ContainerProcess[] {
  if (!space) return [];
  const out: ContainerProcess[] = [];
  if (space.main) out.push(space.main);
  for (const s of space.servers ?? []) out.push(s);
  return out;
}

/**
 * Runs a server from a shell command: in the foreground the command lasts as long as the server
 * (its exit code is the command's; a killed shell takes the server with it); as a daemon the
 * command returns 0 at once and the server keeps running in the container.
 */
export function* runServerInShell(sh: Shell, server: ServerProcess, daemon: boolean): G<number> {
  const space = (sh.io.container ??= {});
  const servers = (space.servers ??= new Set());
  let exitCode: number | undefined;
  const waiters: Array<() => void> = [];
  servers.add(server);
  server.start((code) => {
    exitCode = code;
    servers.delete(server);
    for (const w of waiters.splice(0)) w();
  });
  if (daemon) return 0;
  const job = {
    pid: 0,
    get exitCode() {
      return exitCode;
    },
    onEnd(fn: () => void) {
      if (exitCode !== undefined) fn();
      else waiters.push(fn);
    },
    kill(code: number) {
      server.exit(code);
    },
  };
  try {
    yield { k: "wait", jobs: [job] };
  } finally {
    if (exitCode === undefined) server.exit(137);
  }
  return exitCode ?? 137;
}

/** The network face of a container whose main process is a shell: the servers it started. */
export function spaceApp(space: ContainerSpace): AppServer {
  const find = (port: number) => {
    for (const s of space.servers ?? []) if (s.app?.listening(port)) return s.app;
    return undefined;
  };
  return {
    listening: (port) => find(port) !== undefined,
    serverOn: (port) => find(port),
    handle: (req) => find(req.port)?.handle(req) ?? { status: 502, body: "" },
  };
}

/** Ends every server a shell started in the container (the container stopped). */
export function stopShellServers(space: ContainerSpace | undefined): void {
  for (const s of [...(space?.servers ?? [])]) s.kill("SIGKILL");
}
