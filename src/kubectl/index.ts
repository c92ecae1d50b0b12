/**
 * The kubectl layer: splits a command line as a shell would, finds the command, parses flags as
 * cobra does, runs it against the simulated cluster and returns what kubectl would print.
 */
import { parse as shellParse } from "shell-quote";
import { ApiError } from "../api/errors.ts";
import { authorizedApi } from "../api/authorization/filter.ts";
import { checkAuthorized, storeReader } from "../api/authorization/rbac.ts";
import { kubeconfigRequester } from "./clientauth.ts";
import { clientTarget, failUnreachable } from "./kubeconfigclient.ts";
import { impersonatedUser } from "../api/authorization/user.ts";
import { RunawayError } from "../sim/clock.ts";
import { KubectlError, type CommandDef, type Invocation, type KubectlContext } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";
import { renderError } from "./errors.ts";
import { isLocalProgram, localNetwork, runLocalShell, splitPipe, type LocalMachine } from "./pipeline.ts";
import { cobraStripFlags, findPlugin, pathOf, pluginCommandLine } from "./plugin.ts";
import { APPLETS, BUILTINS, SPECIAL_BUILTINS } from "../runtime/shell/commands.ts";
import { FlagError, GLOBAL_FLAGS, parseFlags, type FlagSpec, type FlagValues } from "./flags.ts";

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Splits a command line into words (quotes and escapes as sh reads them). */
export function splitCommandLine(line: string): string[] {
  return readCommandLine(line, false).words;
}

/** Where a shell sends a command's standard output: `> path` (truncating) or `>> path` (appending). */
export interface Redirect {
  path: string;
  append: boolean;
}

/**
 * The words of a command line and, when `redirect` is allowed, a trailing `> path` or `>> path`
 * (what `kubectl get deploy/nginx -o yaml > deploy.yaml` does in a terminal). Other shell
 * operators are refused.
 */
function readCommandLine(line: string, redirect: boolean, vars: Record<string, string> = {}): { words: string[]; redirect?: Redirect } {
  const words: string[] = [];
  // A backslash before a newline continues the line (sh's line continuation, as the pages split long commands).
  line = line.replace(/\\\r?\n/g, "");
  let tokens: ReturnType<typeof shellParse>;
  try {
    // The terminal's variables expand (`nodes/$nodeName`); any other `$name` stays as written.
    tokens = shellParse(line, (name) => (Object.hasOwn(vars, name) ? vars[name]! : `$${name}`));
  } catch (e) {
    // shell-quote throws on what a shell rejects too (`${`: bad substitution).
    throw new KubectlError(`cannot read the command line ${JSON.stringify(line)}: ${(e as Error).message.replace(/:\s*$/, "").toLowerCase()}`);
  }
  const end = tokens.findIndex((t) => typeof t === "object" && "comment" in t);
  if (end >= 0) tokens = tokens.slice(0, end);
  let out: Redirect | undefined;
  const last = tokens[tokens.length - 1];
  const op = tokens[tokens.length - 2];
  if (redirect && typeof last === "string" && typeof op === "object" && "op" in op && (op.op === ">" || op.op === ">>")) {
    out = { path: last, append: op.op === ">>" };
    tokens = tokens.slice(0, -2);
  }
  for (const t of tokens) {
    if (typeof t === "string") words.push(t);
    else if ("pattern" in t) words.push(t.pattern);
    else throw new KubectlError(`shell operator ${JSON.stringify((t as { op: string }).op)} is not supported here: give one kubectl command`);
  }
  return { words, redirect: out };
}

/**
 * COMMANDS by the first word of their path, each list in COMMANDS' order: a command's path starts
 * with the line's first positional word (no path is empty), so findCommand looks at those alone
 * instead of all ~110. Rebuilt if the list grew.
 */
let byFirstWord: { size: number; index: Map<string, CommandDef[]> } | undefined;
function commandsStartingWith(word: string): CommandDef[] | undefined {
  if (byFirstWord?.size !== COMMANDS.length) {
    const index = new Map<string, CommandDef[]>();
    for (const def of COMMANDS) {
      if (def.path.length === 0) throw new Error("a kubectl command has an empty path");
      const list = index.get(def.path[0]!);
      if (list) list.push(def);
      else index.set(def.path[0]!, [def]);
    }
    byFirstWord = { size: COMMANDS.length, index };
  }
  return byFirstWord.index.get(word);
}

function findCommand(words: string[]): { def: CommandDef; rest: string[] } | undefined {
  // Longest command path first (e.g. "rollout status" before "rollout"); flags may precede it.
  const positional = words.filter((w) => !w.startsWith("-"));
  if (positional.length === 0) return undefined;
  let best: CommandDef | undefined;
  for (const def of commandsStartingWith(positional[0]!) ?? []) {
    const path = def.path;
    if (best && path.length <= best.path.length) continue;
    let i = 0;
    while (i < path.length && positional[i] === path[i]) i++;
    if (i === path.length) best = def;
  }
  if (!best) return undefined;
  const rest = [...words];
  for (const p of best.path) rest.splice(rest.indexOf(p), 1);
  return { def: best, rest };
}


/** Whether a global flag is boolean (pflag's NoOptDefVal: `--insecure-skip-tls-verify`, `--match-server-version`, …). */
function isBoolGlobalFlag(name: string, short: boolean): boolean {
  return GLOBAL_FLAGS.some((f) => (short ? f.short === name : f.long === name) && f.type === "bool");
}

/** The global flags and a command's own, one list per command (parseFlags keeps its lookup tables by list). */
const FLAG_LISTS = new WeakMap<object, FlagSpec[]>();
function commandFlags(def: { flags: FlagSpec[] }): FlagSpec[] {
  let list = FLAG_LISTS.get(def);
  if (!list) FLAG_LISTS.set(def, (list = [...GLOBAL_FLAGS, ...def.flags]));
  return list;
}

/**
 * Global flags given before the command (`kubectl -n kube-system get pods`, `kubectl --context x
 * get nodes`): cobra finds the command past them (Command.Find strips the root's persistent flags
 * and their values), then parses them with the command's own. Moved after the command here; a
 * leading word that is no global flag is left where it is (the unknown-command error names it).
 */
export function globalFlagsAfterCommand(words: string[]): string[] {
  let i = 0;
  while (i < words.length && words[i]!.startsWith("-") && words[i] !== "--") {
    const w = words[i]!;
    const name = w.startsWith("--") ? w.slice(2).split("=")[0]! : w.slice(1, 2);
    const spec = GLOBAL_FLAGS.find((f) => (w.startsWith("--") ? f.long === name : f.short === name));
    if (!spec) break;
    const inline = w.startsWith("--") ? w.includes("=") : w.length > 2;
    i += spec.type === "bool" || inline ? 1 : 2;
  }
  if (i === 0 || i >= words.length) return words;
  // Before a `--` (what follows it is the container's command line), else at the end.
  const rest = words.slice(i);
  const dash = rest.indexOf("--");
  return dash < 0 ? [...rest, ...words.slice(0, i)] : [...rest.slice(0, dash), ...words.slice(0, i), ...rest.slice(dash)];
}

/**
 * `-h` or `--help` before any `--` (cobra's help flag, which every kubectl command has): kubectl
 * would print the command's help text, which the simulation does not reproduce.
 */
function helpRequest(words: string[]): string | undefined {
  for (const w of words) {
    if (w === "--") return undefined;
    if (w === "-h" || w === "--help" || w.startsWith("--help=")) return w;
  }
  return undefined;
}

const isKubectl = (segment: string) => /^kubectl(\s|$)/.test(segment);
/** A command line ending in a here-document: the command, the delimiter's quote, the delimiter, the body. */
const HERE_DOCUMENT = /^([\s\S]*?)<<-?\s*(['"]?)(\w+)\2[ \t]*\r?\n([\s\S]*?)\r?\n\3[ \t]*$/;

/** A command line that only assigns one variable: `[export] NAME=value`, the value one word (quoted or not). */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=((?:"(?:[^"\\]|\\.)*"|'[^']*'|\$\((?:[^()'"]|'[^']*'|"(?:[^"\\]|\\.)*")*\)|[^\s"'$;&|<>()]|\$[A-Za-z_{])*)\s*$/;
/** A value that is one kubectl command's output: `$(kubectl ...)`, quoted or not. */
const KUBECTL_SUBSTITUTION = /^"?\$\((kubectl\s[\s\S]*)\)"?$/;

/**
 * `NAME=$(kubectl ...)` runs the kubectl command and keeps its output, without its trailing
 * newlines, as the variable (the assignment's status is the command's; its errors are printed);
 * any other value is what the terminal's shell makes of it (`NAME="a b"`, `NAME=$OTHER`).
 */
function assignVariable(ctx: KubectlContext, machine: LocalMachine, name: string, value: string): KubectlResult {
  const env = (machine.env ??= {});
  const sub = KUBECTL_SUBSTITUTION.exec(value);
  if (sub) {
    const r = runKubectl(ctx, sub[1]!);
    env[name] = r.stdout.replace(/\n+$/, "");
    return { stdout: "", stderr: r.stderr, exitCode: r.exitCode };
  }
  const r = runLocalShell(ctx.clock, `${name}=${value}\nprintf '%s' "$${name}"`, "", machine, "bash");
  if (r.exitCode === 0) env[name] = r.stdout;
  return { stdout: "", stderr: r.stderr, exitCode: r.exitCode };
}

/** The shell's words that start a script rather than a command (`for`, `if`, a comment, a subshell). */
const SHELL_SYNTAX = /^(?:#|for\s|while\s|until\s|if\s|case\s|\{\s|\(|!\s)/;

/**
 * Whether a command line is the local shell's rather than kubectl's: it starts a shell construct
 * (`for`, a comment), or its first word (after `NAME=value` assignments) is a command of the local
 * shell (`mkdir`, `ls`, `curl`, `cat`, `cd`...) and not one of kubectl's. Any other first word is
 * kubectl's (the steps may leave `kubectl` out: `get pods`; `pods` is kubectl's unknown command).
 * A pipeline is left to runPipeline, which runs its kubectl stages as kubectl and the rest in the
 * local shell.
 */
function isLocalCommandLine(line: string): boolean {
  const text = line.trimStart();
  if (SHELL_SYNTAX.test(text)) return true;
  if (splitPipe(text)) return false;
  const rest = text.replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|[^\s"']*)+\s+)*/, "");
  const first = /^[^\s;&|<>()]+/.exec(rest)?.[0];
  if (first === undefined || first === "kubectl" || COMMANDS.some((c) => c.path[0] === first)) return false;
  return Object.hasOwn(APPLETS, first) || Object.hasOwn(BUILTINS, first) || SPECIAL_BUILTINS.has(first) || isLocalProgram(first);
}

/**
 * A pipeline as a terminal's shell runs it, one stage after another (nothing in it waits): each
 * kubectl stage reads the previous stage's output as its standard input (`-f -`), and each run of
 * other stages (`tr`, `sort`, `base64 --decode`) goes through the local shell. The first stage
 * reads the command's own standard input. The exit code is the last stage's (no `pipefail`).
 */
function runPipeline(ctx: KubectlContext, first: string, rest: string): KubectlResult {
  const stages = [first];
  for (let tail: string | undefined = rest; tail !== undefined; ) {
    const next = splitPipe(tail);
    stages.push(next ? next.first : tail);
    tail = next?.rest;
  }
  const outer = ctx.stdin;
  let input = outer ?? "";
  let stderr = "";
  let result: KubectlResult = { stdout: "", stderr: "", exitCode: 0 };
  try {
    for (let i = 0; i < stages.length; ) {
      if (isKubectl(stages[i]!)) {
        ctx.stdin = input;
        result = runKubectl(ctx, stages[i]!);
        i++;
      } else {
        let j = i;
        while (j < stages.length && !isKubectl(stages[j]!)) j++;
        result = runLocalShell(ctx.clock, stages.slice(i, j).join(" | "), input, ctx.machine);
        i = j;
      }
      stderr += result.stderr;
      input = result.stdout;
    }
  } finally {
    ctx.stdin = outer;
  }
  return { stdout: result.stdout, stderr, exitCode: result.exitCode };
}

/** How deep runKubectl is nested (a pipeline's or an assignment's kubectl runs inside a command line's). */
let lineDepth = 0;

export function runKubectl(ctx: KubectlContext, commandLine: string | string[]): KubectlResult {
  if (lineDepth > 0 || !ctx.machine?.net) return invoke(ctx, commandLine).result;
  // A command line of the terminal: what background jobs printed since the last one shows first,
  // then what they print while it runs, in its place.
  const net = ctx.machine.net;
  const before = net.takePending();
  lineDepth++;
  try {
    const r = invoke(ctx, commandLine).result;
    const after = net.takePending();
    return { stdout: before.stdout + r.stdout + after.stdout, stderr: before.stderr + r.stderr + after.stderr, exitCode: r.exitCode };
  } finally {
    lineDepth--;
  }
}

/** A kubectl still running in a terminal of its own (`kubectl get -w`), until it is stopped. */
export interface RunningKubectl {
  /** What it has printed so far (exitCode: 0 while it runs, then its code). */
  output(): KubectlResult;
  /** Stops it, as Ctrl-C does, and returns all it printed; a command that had ended is left as it is. */
  stop(): KubectlResult;
  /** Whether it still runs (a command that does not keep running ends at once). */
  readonly running: boolean;
}

/**
 * Starts a command in a terminal of its own: a command that keeps running (`kubectl get -w`) goes
 * on printing as simulated time passes, until `stop`; any other command runs to its end at once.
 */
export function startKubectl(ctx: KubectlContext, commandLine: string | string[]): RunningKubectl {
  const stops: Array<() => void> = [];
  const flushes: Array<() => void> = [];
  let started = false;
  let running = true;
  let exitCode: number | undefined;
  const end = () => {
    running = false;
    flushes.length = 0;
    for (const stop of stops.splice(0)) stop();
  };
  const run = invoke(ctx, commandLine, {
    onStop: (fn) => stops.push(fn),
    onRead: (fn) => flushes.push(fn),
    // A command that ends on its own later (kubectl run -i: its container exited).
    exit: (code) => {
      if (!running) return;
      exitCode = code;
      if (started) end();
      else running = false;
    },
  });
  started = true;
  if (running) running = stops.length > 0 && run.result.exitCode === 0;
  if (!running) end();
  const output = (): KubectlResult => {
    for (const flush of flushes) flush();
    return { stdout: joinLines(run.stdout), stderr: joinLines(run.stderr), exitCode: exitCode ?? run.result.exitCode };
  };
  return {
    output,
    stop() {
      if (running) {
        for (const flush of flushes) flush();
        end();
      }
      return output();
    },
    get running() {
      return running;
    },
  };
}

/**
 * A kubectl command line's `$(kubectl …)` command substitutions, as the terminal's shell expands
 * them before running it (`kubectl exec "$(kubectl get pod -l app=ratings -o
 * jsonpath='{.items[0].metadata.name}')" -- …`): each inner command runs first (a pipeline too),
 * its output without trailing newlines takes its place, one word inside double quotes, split at
 * blanks outside them; its errors are printed. Single quotes keep `$(` as written; a substitution
 * of anything but kubectl is left to the command line as before.
 */
export function expandKubectlSubstitutions(line: string, run: (inner: string) => KubectlResult): { line: string; stderr: string } {
  let out = "";
  let stderr = "";
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== "'" && c === "\\" && i + 1 < line.length) {
      out += c + line[++i]!;
      continue;
    }
    if (c === "'" && quote !== '"') quote = quote === "'" ? undefined : "'";
    else if (c === '"' && quote !== "'") quote = quote === '"' ? undefined : '"';
    if (quote !== "'" && c === "$" && line[i + 1] === "(") {
      // The matching parenthesis, past quoted text and nested parentheses.
      let depth = 0;
      let q: '"' | "'" | undefined;
      let j = i + 1;
      for (; j < line.length; j++) {
        const d = line[j]!;
        if (q) {
          if (d === q) q = undefined;
          continue;
        }
        if (d === "'" || d === '"') q = d;
        else if (d === "(") depth++;
        else if (d === ")" && --depth === 0) break;
      }
      const inner = line.slice(i + 2, j).trim();
      if (j < line.length && isKubectl(inner)) {
        const r = run(inner);
        stderr += r.stderr;
        const value = r.stdout.replace(/\n+$/, "");
        out += quote === '"' ? value.replace(/[\\"$`]/g, (m) => `\\${m}`) : value.split(/\s+/).filter(Boolean).map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(" ");
        i = j;
        continue;
      }
    }
    out += c;
  }
  return { line: out, stderr };
}

function invoke(
  ctx: KubectlContext,
  commandLine: string | string[],
  background?: Invocation["background"],
): { result: KubectlResult; stdout: string[]; stderr: string[] } {
  if (typeof commandLine === "string" && isKubectl(commandLine.trimStart()) && commandLine.includes("$(")) {
    const expanded = expandKubectlSubstitutions(commandLine, (inner) => invoke(ctx, inner).result);
    if (expanded.line !== commandLine) {
      const r = invoke(ctx, expanded.line, background);
      return expanded.stderr ? { ...r, result: { ...r.result, stderr: expanded.stderr + r.result.stderr } } : r;
    }
  }
  // `kubectl run … -i -- mysql -h host <<EOF … EOF`: the here-document is kubectl's standard input.
  const here = typeof commandLine === "string" && isKubectl(commandLine.trimStart()) ? HERE_DOCUMENT.exec(commandLine) : null;
  if (here) {
    const [, line, quote, , body] = here;
    if (!quote && /[$`\\]/.test(body!)) {
      const err = "error: a here-document whose body the shell would expand ($, `, \\) is not simulated: quote its delimiter (<<'EOF')";
      return { result: { stdout: "", stderr: err + "\n", exitCode: 1 }, stdout: [], stderr: [err] };
    }
    const outer = ctx.stdin;
    ctx.stdin = body!.length ? body + "\n" : "";
    try {
      return invoke(ctx, line!.trimEnd(), background);
    } finally {
      ctx.stdin = outer;
    }
  }
  // `podName=$(kubectl get pods ... -o jsonpath=...)`: the terminal keeps the variable for later lines.
  const assignment = typeof commandLine === "string" && !background && ctx.machine ? ASSIGNMENT.exec(commandLine) : null;
  if (assignment) return { result: assignVariable(ctx, ctx.machine!, assignment[1]!, assignment[2]!), stdout: [], stderr: [] };
  // `mkdir ./jobs`, `for i in ...; do ... done`, `ls jobs/`: a command line that is not kubectl's runs
  // in the terminal's shell on the user's machine (kubectl inside such a script is not simulated).
  if (typeof commandLine === "string" && !background && isLocalCommandLine(commandLine)) {
    return { result: runLocalShell(ctx.clock, commandLine, ctx.stdin ?? "", ctx.machine, "bash"), stdout: [], stderr: [] };
  }
  // `kubectl port-forward svc/web 8080:80 &`: a job in the terminal's background.
  const job = typeof commandLine === "string" && !background && ctx.machine ? BACKGROUND_JOB.exec(commandLine) : null;
  if (job) return runInBackground(ctx, ctx.machine!, job[1]!);
  const piped = typeof commandLine === "string" ? splitPipe(commandLine) : undefined;
  if (piped && background) {
    const stderr = ["error: a pipeline cannot run in a terminal of its own in the simulation: run the kubectl command alone"];
    return { result: { stdout: "", stderr: joinLines(stderr), exitCode: 1 }, stdout: [], stderr };
  }
  if (piped) {
    // `echo … | base64 --decode`: a pipeline of local tools alone runs in the local shell.
    if (!isKubectl(piped.first) && !isKubectl(piped.rest) && !/\|\s*kubectl(\s|$)/.test(piped.rest)) return { result: runLocalShell(ctx.clock, commandLine as string, ctx.stdin ?? "", ctx.machine), stdout: [], stderr: [] };
    return { result: runPipeline(ctx, piped.first, piped.rest), stdout: [], stderr: [] };
  }
  const stdout: string[] = [];
  const stderr: string[] = [];
  let exitCode = 0;
  let cmdPath = "";
  try {
    let words: string[];
    if (typeof commandLine === "string") {
      const read = readCommandLine(commandLine, true, ctx.machine?.env);
      // `kubectl get deployment/nginx -o yaml > deployment_nginx.yaml`: the output goes to the file.
      if (read.redirect) return { result: redirectOutput(ctx, read.redirect, runKubectl(ctx, read.words)), stdout: [], stderr: [] };
      words = read.words;
    } else words = [...commandLine];
    // `KUBE_EDITOR="sed -i …" kubectl edit …`: a terminal's environment assignments for the command.
    const env: Record<string, string> = {};
    while (words.length > 1 && words[0]!.includes("=") && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) {
      const w = words.shift()!;
      env[w.slice(0, w.indexOf("="))] = w.slice(w.indexOf("=") + 1);
    }
    if (words[0] === "kubectl") words = words.slice(1);
    if (words.length === 0) throw new KubectlError("kubectl needs a command: e.g. kubectl get pods");
    // A command kubectl does not have: a plugin on the machine's PATH (./plugin.ts), as
    // NewDefaultKubectlCommandWithArgs looks for one before cobra's unknown command.
    // (cobra's Find skips the global flags and their values: so does globalFlagsAfterCommand.)
    const reordered = ctx.machine && !background ? globalFlagsAfterCommand(words) : undefined;
    if (ctx.machine && reordered && reordered[0]!.startsWith("-")) {
      // A flag kubectl does not know first (`kubectl --meaningless-flag=true foo`): cobra's Find
      // skips it (stripFlags) and, when the first word left is no command, kubectl looks for a
      // plugin, which refuses a flag before the name; with no word left, cobra's unknown flag.
      const left = cobraStripFlags(words, isBoolGlobalFlag);
      if (left.length > 0 && left[0] !== "help" && !commandsStartingWith(left[0]!)) throw new KubectlError(`Error: flags cannot be placed before plugin name: ${words[0]}`, 1, true);
      // No word left: cobra runs kubectl itself, whose flags do not include it (pflag's message,
      // templater.FlagErrorFunc's hint).
      const first = words[0]!;
      if (left.length === 0 && /^--[^-=][^=]*(=|$)/.test(first) && !/^--help(=|$)/.test(first)) throw new KubectlError(`Error: unknown flag: ${first.split("=")[0]}\nSee 'kubectl --help' for usage.`, 1, true);
    }
    if (ctx.machine && reordered && !reordered[0]!.startsWith("-") && !findCommand(reordered)) {
      const first = words.find((w) => !w.startsWith("-"));
      if (first !== "help") {
        const plugin = findPlugin(ctx.machine, pathOf(ctx.machine, env), words);
        if (plugin && "error" in plugin) throw new KubectlError(`Error: ${plugin.error}`, 1, true);
        if (plugin) return { result: runLocalShell(ctx.clock, pluginCommandLine(plugin, env), ctx.stdin ?? "", ctx.machine, "bash"), stdout: [], stderr: [] };
      }
    }
    words = globalFlagsAfterCommand(words);
    const help = helpRequest(words);
    if (help !== undefined) throw new KubectlError(`kubectl's help (${help}) is not simulated: see https://kubernetes.io/docs/reference/kubectl/generated/ for the commands' help`);
    const found = findCommand(words);
    if (!found) {
      const first = words.find((w) => !w.startsWith("-")) ?? words[0];
      const near = closestCommand(first);
      const hint = near ? `\n\nDid you mean this?\n\t${near}\n` : "";
      throw new KubectlError(`Error: unknown command ${JSON.stringify(first)} for "kubectl"${hint}`, 1, true);
    }
    cmdPath = found.def.path.join(" ");
    let parsed;
    try {
      parsed = found.def.acceptsAnyFlag ? { args: [], flags: {} as FlagValues, set: new Set<string>(), dashIndex: -1 } : parseFlags(found.rest, commandFlags(found.def));
    } catch (e) {
      if (e instanceof FlagError) {
        throw new KubectlError(`Error: ${e.message}\nSee 'kubectl ${cmdPath} --help' for usage.`, 1, true);
      }
      throw e;
    }
    let runCtx = ctx;
    if (!CLIENT_ONLY.has(found.def.path[0]!) && !parsed.flags.local) {
      // `--kubeconfig` or KUBECONFIG naming files of the user's machine: their context, and a
      // server other than the scenario's cannot be reached (./kubeconfigclient.ts).
      const target = clientTarget(ctx, parsed.flags, env);
      if (target?.kind === "unreachable") throw failUnreachable(ctx, target.server);
      if (target) runCtx = Object.assign({}, ctx, { kubeconfig: target.kubeconfig });
      checkContextUsable(runCtx, parsed.flags);
    }
    const code = found.def.run(new CommandInvocation(runCtx, CLIENT_ONLY.has(found.def.path[0]!) ? runCtx : impersonating(runCtx, parsed.flags), parsed, env, stdout, stderr, background));
    exitCode = code ?? 0;
  } catch (e) {
    exitCode = 1;
    if (e instanceof ApiError) stderr.push(renderError(e));
    else if (e instanceof KubectlError) {
      exitCode = e.exitCode;
      stderr.push(e.raw ? e.message.replace(/\n$/, "") : `error: ${e.message}`);
    } else if (e instanceof RunawayError) throw e;
    else throw e;
  }
  return { result: { stdout: joinLines(stdout), stderr: joinLines(stderr), exitCode }, stdout, stderr };
}

/**
 * What a command runs with. A class rather than an object literal with a `namespace` getter: V8
 * gives each such literal a hidden class of its own whose accessor holds the getter's closure, and
 * its scavenges keep what that closure reaches (the invocation, its context, the whole cluster) until
 * the next full collection — every scenario's cluster outlived its close that way (issue #19 §5).
 * `namespace` is read when a command needs it (`kubectl config ...` works whatever --context names),
 * from the command line's own context, not the impersonated one.
 */
class CommandInvocation implements Invocation {
  readonly #outer: KubectlContext;
  readonly args: string[];
  readonly dashIndex: number;
  readonly flags: FlagValues;
  readonly set: Set<string>;
  readonly out: (t: string) => void;
  readonly write: (t: string) => void;
  readonly err: (t: string) => void;
  readonly writeErr: (t: string) => void;

  constructor(
    outer: KubectlContext,
    readonly ctx: KubectlContext,
    parsed: { args: string[]; dashIndex: number; flags: FlagValues; set: Set<string> },
    readonly env: Record<string, string>,
    stdout: string[],
    stderr: string[],
    readonly background: Invocation["background"],
  ) {
    this.#outer = outer;
    this.args = parsed.args;
    this.dashIndex = parsed.dashIndex;
    this.flags = parsed.flags;
    this.set = parsed.set;
    this.out = (t) => stdout.push(t);
    this.write = (t) => stdout.push(RAW + t);
    this.err = (t) => stderr.push(t);
    this.writeErr = (t) => stderr.push(RAW + t);
  }

  get namespace(): string {
    return this.flags.namespace || contextNamespace(this.#outer, this.flags.context);
  }
}

/** A kubectl command line ending in one `&` (not `&&`). */
const BACKGROUND_JOB = /^\s*((?:kubectl\s)?[\s\S]*?[^&\s])\s*&\s*$/;

/**
 * A kubectl command the terminal's shell runs in the background (`cmd &`): what it prints as it
 * starts is this command line's output; a command that keeps running (`kubectl port-forward`)
 * goes on as a job of the terminal, and what it prints later shows with the command line that runs
 * then (src/kubectl/localnet.ts). An interactive bash's job notice (`[1] 12345`) is not printed.
 */
function runInBackground(ctx: KubectlContext, machine: LocalMachine, line: string): { result: KubectlResult; stdout: string[]; stderr: string[] } {
  if (splitPipe(line)) {
    const stderr = ["error: a pipeline cannot run in the background in the simulation: run the kubectl command alone"];
    return { result: { stdout: "", stderr: joinLines(stderr), exitCode: 1 }, stdout: [], stderr };
  }
  const net = localNetwork(machine);
  const run = invoke(ctx, line, { onStop: () => {}, print: (stream, text) => net.print(stream, text) });
  // The job's own exit status is not the command line's: a started job is status 0 (bash's `cmd &`).
  return { result: { stdout: run.result.stdout, stderr: run.result.stderr, exitCode: 0 }, stdout: [], stderr: [] };
}

/**
 * The namespace a command without `-n` works in: the namespace of the kubeconfig context
 * (`--context`, else the current one), `default` when it names none (clientcmd's
 * DirectClientConfig.Namespace).
 */
function contextNamespace(ctx: KubectlContext, contextFlag: string): string {
  const ns = ctx.kubeconfig.namespaceOf(contextFlag || undefined);
  if (ns === undefined) throw new KubectlError(`Error in configuration: context was not found for specified context: ${contextFlag || ctx.kubeconfig.currentContext}`, 1, true);
  return ns;
}

/**
 * `--as`, `--as-group`, `--as-uid` (client-go's ImpersonationConfig): the requests carry the
 * Impersonate-* headers and the API server authorizes them as that user (WithImpersonation, then
 * WithAuthorization). The admin may impersonate anyone, so the context's store becomes the store
 * through the authorization filter for the impersonated user. Without them: the context as it is.
 */
function impersonating(ctx: KubectlContext, flags: FlagValues): KubectlContext {
  const as = String(flags.as ?? "");
  const groups = (flags["as-group"] as string[] | undefined) ?? [];
  const uid = String(flags["as-uid"] ?? "");
  // The kubeconfig's user (the context's, or a global --user): the admin, or whom the server authenticates (./clientauth.ts).
  const context = ctx.kubeconfig.contexts.get(String(flags.context || ctx.kubeconfig.currentContext));
  const userName = (typeof flags.user === "string" && flags.user) || context?.user || "";
  const base = kubeconfigRequester(ctx, userName);
  if (!as && groups.length === 0 && !uid) return base ? { ...ctx, api: authorizedApi(ctx.api, base), requester: base } : ctx;
  if (!as) throw new KubectlError(`requesting uid, groups or user-extra for ${context?.user ?? ""} without impersonating a user`);
  // WithImpersonation: a user other than the admin needs `impersonate` on the user (and groups).
  if (base) {
    checkAuthorized(storeReader(ctx.api), { user: base, verb: "impersonate", resourceRequest: true, apiGroup: "", resource: "users", subresource: "", namespace: "", name: as });
    for (const g of groups) checkAuthorized(storeReader(ctx.api), { user: base, verb: "impersonate", resourceRequest: true, apiGroup: "", resource: "groups", subresource: "", namespace: "", name: g });
  }
  const requester = impersonatedUser(as, groups, uid);
  return { ...ctx, api: authorizedApi(ctx.api, requester), requester };
}

/** Commands that build no API client (they read or write only the kubeconfig or local files). */
const CLIENT_ONLY = new Set(["config", "kustomize", "completion", "version", "plugin", "options"]);

/**
 * DirectClientConfig.ClientConfig's first checks: the context's user and cluster must be entries of
 * the kubeconfig (`kubectl config set-context dev --cluster=x --user=y` names them without checking;
 * a command in that context then fails). `--user` / `--cluster` override the context's.
 */
function checkContextUsable(ctx: KubectlContext, flags: FlagValues): void {
  const name = String(flags.context || ctx.kubeconfig.currentContext);
  const c = ctx.kubeconfig.contexts.get(name);
  if (!c) return; // a missing context fails where its namespace is read (contextNamespace)
  // A command's own --user (`create rolebinding --user=jane`) shadows the global one, as cobra's local flags do.
  const user = String((typeof flags.user === "string" && flags.user) || c.user);
  if (user && !ctx.kubeconfig.users.has(user)) throw new KubectlError(`auth info ${JSON.stringify(user)} does not exist`);
  const cluster = String(flags.cluster || c.cluster);
  if (cluster && !ctx.kubeconfig.clusters.has(cluster)) throw new KubectlError(`cluster ${JSON.stringify(cluster)} does not exist`);
}

/** Marks a stdout part written with `write`: no newline is added after it. */
const RAW = "\u0000raw\u0000";

function joinLines(parts: string[]): string {
  if (parts.some((p) => p.startsWith(RAW))) {
    let text = "";
    parts.forEach((p, i) => {
      if (p.startsWith(RAW)) text += p.slice(RAW.length);
      else text += p + (i === parts.length - 1 && p.endsWith("\n") ? "" : "\n");
    });
    return text;
  }
  if (parts.length === 0) return "";
  const text = parts.join("\n");
  return text.endsWith("\n") ? text : text + "\n";
}

/** cobra's suggestion: the closest command within a Levenshtein distance of 2. */
function closestCommand(word: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of COMMANDS) {
    const d = levenshtein(word, c.path[0]);
    if (d < bestD) {
      bestD = d;
      best = c.path[0];
    }
  }
  return bestD <= 2 ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return dp[a.length][b.length];
}

/** The shell's `> path`: the command's output goes to the user's file (stdout is then empty). */
function redirectOutput(ctx: KubectlContext, to: Redirect, r: KubectlResult): KubectlResult {
  if (!ctx.files.write) return { stdout: r.stdout, stderr: r.stderr + `error: writing the output to ${JSON.stringify(to.path)} is not simulated here\n`, exitCode: 1 };
  const before = to.append && ctx.files.kind(to.path) === "file" ? ctx.files.read(to.path).toString("utf8") : "";
  ctx.files.write(to.path, before + r.stdout);
  return { stdout: "", stderr: r.stderr, exitCode: r.exitCode };
}
