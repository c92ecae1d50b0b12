/**
 * `kubectl … | tr … | sort | uniq -c`: what a terminal's shell does with a kubectl command piped
 * into text tools. The kubectl part runs as any command; the rest of the line runs in a local
 * shell (src/runtime/shell: its text applets, `base64` among them) with kubectl's output as its
 * standard input, on an empty filesystem of its own and without time passing. The pipeline's
 * exit code is its last command's, as in a shell without `pipefail`.
 */
import { MemFs } from "../runtime/vfs.ts";
import { createShellProcess } from "../runtime/shell/index.ts";
import type { HttpOutcome, HttpRequestSpec } from "../runtime/types.ts";
import type { SimClock } from "../sim/clock.ts";
import { exampleCopyPath } from "./examples.ts";
import { LocalNetwork, isLocalAddress } from "./localnet.ts";
import { opensslCommand, type OpensslState } from "./openssl.ts";
import type { CommandFn } from "../runtime/shell/commands.ts";

/**
 * The user's machine as its terminal's shell sees it: the session's files (what the shell and
 * kubectl's `> path` wrote, kept for the scenario, never on the disk) in `fs`, the working directory
 * the shell starts in (relative paths of kubectl's `-f` name the same files), and `readExample`,
 * which reads the project's copy of a kubernetes.io example (`exercises/docs/<path>`): the only
 * network the machine has is `https://k8s.io/examples/<path>` and its aliases (src/kubectl/examples.ts).
 */
export interface LocalMachine {
  fs: MemFs;
  cwd: string;
  readExample?(projectPath: string): string;
  /**
   * The terminal's shell variables, kept from one command line to the next: what a line that only
   * assigns one sets (`podName=$(kubectl get pods ... -o jsonpath=...)`, `export NAME=value`).
   * Later command lines see them (`kubectl drain nodes/$nodeName`), and so do the shell's scripts.
   */
  env?: Record<string, string>;
  /**
   * The machine's network (./localnet.ts): the ports its programs listen on (`kubectl
   * port-forward`, `kubectl proxy`) and the terminal their output goes to. Made on first use.
   */
  net?: LocalNetwork;
  /** What the machine's `openssl` keeps between command lines (./openssl.ts): the keys it made. */
  openssl?: OpensslState;
}

/**
 * The programs of the user's machine beyond busybox's applets (`openssl`), by name: one table per
 * machine (its openssl counts the keys it makes), a table of their own for a shell without one.
 */
export function localCommands(machine: LocalMachine | undefined): Record<string, CommandFn> {
  if (!machine) return { openssl: opensslCommand() };
  return (MACHINE_COMMANDS.get(machine) ?? MACHINE_COMMANDS.set(machine, { openssl: opensslCommand((machine.openssl ??= { keys: new Map() })), sudo }).get(machine))!;
}

/** sudo on the user's machine, whose shell runs as root already: runs its command (no options). */
const sudo: CommandFn = function* (sh, argv) {
  if (argv.length < 2) {
    sh.stderr.write("usage: sudo command\n");
    return 1;
  }
  return yield* sh.runCommand(argv.slice(1));
};
const MACHINE_COMMANDS = new WeakMap<LocalMachine, Record<string, CommandFn>>();

/** Whether `name` is a program of the user's machine that busybox has not (`openssl`). */
export function isLocalProgram(name: string): boolean {
  return name === "openssl" || name === "sudo";
}

/** The machine's network, made on first use. */
export function localNetwork(machine: LocalMachine): LocalNetwork {
  return (machine.net ??= new LocalNetwork());
}

/** The hosts that serve the kubernetes.io examples (src/kubectl/examples.ts). */
const EXAMPLE_HOSTS = new Set(["k8s.io", "www.k8s.io", "kubernetes.io", "www.kubernetes.io", "raw.githubusercontent.com"]);
/** The address the local resolver gives those hosts: any public address; no command here prints it. */
const EXAMPLE_HOST_IP = "203.0.113.10";

/**
 * An HTTP request from the local machine: an example URL with a copy in the project is answered
 * 200 with the file, one the project does not carry 404 (as k8s.io answers a path it does not
 * serve); no other address is reachable (the simulation has no network).
 */
function localHttp(clock: SimClock, machine: LocalMachine | undefined, req: HttpRequestSpec, done: (o: HttpOutcome) => void): void {
  // One of the machine's own addresses: the program listening there (a port-forward), or refused.
  const own = machine && /^https?:\/\/(\[[^\]]+\]|[^/:]+):(\d+)(\/[^#]*)?/i.exec(req.url);
  const ownIP = own ? (/^localhost\.?$/i.test(own[1]!) ? "127.0.0.1" : own[1]!.replace(/^\[|\]$/g, "")) : "";
  if (machine && own && isLocalAddress(ownIP)) {
    const ip = ownIP;
    localNetwork(machine).http(ip, Number(own[2]), req, own[3] ?? "/", (o) => clock.setTimeout(() => done(o), 0));
    return;
  }
  // The shell's URL names the port (`https://k8s.io:443/examples/...`); the examples' do not.
  const url = req.url.replace(/^(https?):\/\/([^/:]+):(?:443|80)(?=\/)/i, "$1://$2");
  const host = /^https?:\/\/([^/:]+)/i.exec(url)?.[1]?.toLowerCase();
  let outcome: HttpOutcome = { ok: false, error: "the local shell has no network", kind: "unreachable" };
  if (machine?.readExample && host && EXAMPLE_HOSTS.has(host)) {
    const copy = exampleCopyPath(url);
    let body: string | undefined;
    try {
      body = copy ? machine.readExample(copy) : undefined;
    } catch {
      body = undefined;
    }
    outcome = body === undefined ? { ok: true, status: 404, body: "404 page not found\n" } : { ok: true, status: 200, body };
  }
  clock.setTimeout(() => done(outcome), 0);
}

/** How long the terminal's shell lets simulated time pass for a request to one of the machine's programs. */
const LOCAL_WAIT_CAP_MS = 60_000;

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
 * it did not finish at once (it is then killed). On a `machine`, it runs on the machine's files,
 * in its working directory, and can fetch the examples.
 */
export function runInLocalShell(clock: SimClock, argv: string[], stdin: string, fs?: MemFs, machine?: LocalMachine): { stdout: string; stderr: string; code: number | undefined } {
  let stdout = "";
  let stderr = "";
  let code: number | undefined;
  // A background job's output (a port-forward's `Handling connection for 8080`) shows where it is printed.
  const net = machine?.net;
  const outer = net?.terminal;
  if (net) net.terminal = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  try {
    const p = createShellProcess(
      argv,
      {
        clock,
        fs: fs ?? machine?.fs ?? new MemFs(clock),
        env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/root", ...machine?.env },
        hostname: "localhost",
        cwd: machine?.cwd,
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        // The machine's /etc/hosts names itself `localhost`; the examples' hosts resolve through its DNS.
        resolve: (name) => (machine && /^localhost\.?$/i.test(name) ? "127.0.0.1" : machine?.readExample && EXAMPLE_HOSTS.has(name.toLowerCase()) ? EXAMPLE_HOST_IP : undefined),
        http: (req, done) => localHttp(clock, machine, req, done),
      },
      { stdin, pid: 1000, commands: localCommands(machine) },
    );
    p.start((c) => (code = c));
    clock.settle();
    // A request to a program of the machine (a port-forward, a proxy) waits for its answer, which
    // the pod gives after its CPU time: simulated time passes until then (at most a minute).
    const machineNet = machine?.net;
    for (let waited = 0; code === undefined && machineNet !== undefined && machineNet.inFlight > 0 && waited < LOCAL_WAIT_CAP_MS; waited++) clock.advance(1);
    if (code === undefined) {
      // Text tools never wait; a command that would (sleep, a network call) is not run here.
      p.kill("SIGKILL");
      clock.settle();
      return { stdout, stderr, code: undefined };
    }
    return { stdout, stderr, code };
  } finally {
    if (net) net.terminal = outer;
  }
}

/**
 * Runs `script` in a local shell (`sh`, or the terminal's `bash` for a command line of its own) with
 * `stdin`, on the machine when given; its output, error output and exit code.
 */
export function runLocalShell(clock: SimClock, script: string, stdin: string, machine?: LocalMachine, shell: "sh" | "bash" = "sh"): { stdout: string; stderr: string; exitCode: number } {
  const r = runInLocalShell(clock, [shell, "-c", script], stdin, undefined, machine);
  if (r.code === undefined) {
    return { stdout: r.stdout, stderr: r.stderr + `the local shell does not let time pass: ${JSON.stringify(script)} did not finish at once\n`, exitCode: 1 };
  }
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.code };
}
