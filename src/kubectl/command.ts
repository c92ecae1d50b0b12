/**
 * The shape of a kubectl command in this simulation: its flags and a run function over an
 * invocation. Commands live one per module under `commands/`, as kubectl's pkg/cmd does.
 */
import type { ClusterContext } from "../context.ts";
import type { FlagSpec, FlagValues } from "./flags.ts";
import type { Kubeconfig } from "./kubeconfig.ts";
import type { UserInfo } from "../api/authorization/user.ts";
import type { LocalMachine } from "./pipeline.ts";

/** The user's files as kubectl sees them (relative to the project root); errors as Node's fs throws them (code ENOENT, EISDIR...). */
export interface LocalFiles {
  read(path: string): Buffer;
  /** "file", "dir", or undefined when nothing is there. */
  kind(path: string): "file" | "dir" | undefined;
  /** The names in a directory, sorted (as os.ReadDir). */
  list(dir: string): string[];
  /**
   * Writes a file of the user's (a shell's `> path` after a kubectl command): kept for the rest of
   * the session and read back by later commands, never written to the disk.
   */
  write?(path: string, data: string): void;
}

export interface KubectlContext extends ClusterContext {
  /** Reads a file given to `-f`, relative to the project root. Throws ENOENT-style errors. */
  readFile(path: string): string;
  /** Files for `--from-file`, `--from-env-file`, `--cert`... */
  files: LocalFiles;
  /** Standard input (for `-f -`). */
  stdin?: string;
  /**
   * The user's machine, where command lines that are not kubectl's run (`mkdir ./jobs`, a `for`
   * loop with `sed`, `ls jobs/`, `curl -O`) and the text tools of a pipeline: its files are the
   * ones `files` reads and writes. Absent: each local command runs on an empty filesystem of its own.
   */
  machine?: LocalMachine;
  /** The user's kubeconfig: contexts and the namespace commands default to (`kubectl config ...` changes it). */
  kubeconfig: Kubeconfig;
  /**
   * Who the API server takes the requests for: the impersonated user under `--as`/`--as-group`
   * (then `api` is the store through the authorization filter), else undefined: kind's admin
   * (`KUBERNETES_ADMIN`), whose requests are all allowed.
   */
  requester?: UserInfo;
}

export interface Invocation {
  ctx: KubectlContext;
  /** Positional arguments after the command path. */
  args: string[];
  /** Arguments after `--` start at this index of args, or -1. */
  dashIndex: number;
  flags: FlagValues;
  set: Set<string>;
  /** Environment assignments before `kubectl` on the command line (`KUBE_EDITOR=… kubectl edit …`). */
  env?: Record<string, string>;
  /** The namespace from -n, else the kubeconfig context's (`default` unless `kubectl config set-context` changed it). */
  namespace: string;
  /** Writes a line (or lines) to stdout; a newline follows. */
  out(text: string): void;
  /** Writes text to stdout exactly as given (kubectl's jsonpath output has no trailing newline). */
  write?(text: string): void;
  err(text: string): void;
  /** Writes text to stderr exactly as given (no newline added). */
  writeErr?(text: string): void;
  /**
   * Set when the command runs in a terminal of its own beside the scenario (`I run … in a second
   * terminal`): a command that keeps running (`kubectl get -w`) registers how it stops, and keeps
   * writing through `out` as simulated time passes. Undefined for a command run to its end.
   */
  background?: {
    onStop(stop: () => void): void;
    /**
     * A terminal of its own reads what the command printed when the scenario looks at it: `flush`
     * runs first, so a command that follows a stream (an attached container's output) prints what
     * came since. Absent for a job in the background of the terminal's shell.
     */
    onRead?(flush: () => void): void;
    /** The command ended on its own (an attached container exited): the terminal stops running it, with this exit code. */
    exit?(code: number): void;
    /**
     * Set for a job the terminal's shell runs in the background (`kubectl port-forward … &`): what
     * the command prints once it has started goes to the terminal, shown with whatever command line
     * runs then (./localnet.ts). Absent in a terminal of its own, whose output is `out` and `err`.
     */
    print?(stream: "stdout" | "stderr", text: string): void;
  };
}

export interface CommandDef {
  /** e.g. ["get"], ["rollout", "status"]. */
  path: string[];
  flags: FlagSpec[];
  /** Takes any flag without parsing (commands that only say they are not simulated). */
  acceptsAnyFlag?: boolean;
  /** Returns the exit code (0 when omitted). Throws ApiError / KubectlError for failures. */
  run(inv: Invocation): number | void;
}

/** A client-side failure printed as kubectl prints it (`error: ...`), exit code 1. */
export class KubectlError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Already formatted for stderr; when false the text gets the `error: ` prefix. */
    readonly raw = false,
  ) {
    super(message);
  }
}

/** Flags shared by commands that read manifests. */
export const FILENAME_FLAGS: FlagSpec[] = [
  { long: "filename", short: "f", type: "stringArray" },
  { long: "recursive", short: "R", type: "bool" },
  { long: "kustomize", short: "k", type: "string" },
];

/** A kubectl command the simulation does not implement: it says so, whatever flags it is given. */
export function notSimulated(path: string[]): CommandDef {
  return {
    path,
    flags: [],
    acceptsAnyFlag: true,
    run() {
      throw new KubectlError(`kubectl ${path.join(" ")} is not simulated`);
    },
  };
}

const warned = new WeakMap<Invocation, Set<string>>();

/**
 * The API server's warnings as kubectl prints them (client-go's WarningWriter with Deduplicate, as
 * kubectl sets it up): `Warning: <text>` on stderr as each response arrives, each text once per
 * command. Pass it as a request's `warnings` (WriteOptions.warnings): what the server adds to it is
 * printed at once.
 */
export function serverWarnings(inv: Invocation): string[] {
  let seen = warned.get(inv);
  if (!seen) warned.set(inv, (seen = new Set()));
  const printed = seen;
  const sink: string[] = [];
  sink.push = (...items: string[]): number => {
    for (const w of items) {
      if (printed.has(w)) continue;
      printed.add(w);
      inv.err(`Warning: ${w}`);
    }
    return 0;
  };
  return sink;
}
