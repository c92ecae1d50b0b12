/**
 * The kubeconfig a kubectl command that talks to a server uses when `--kubeconfig` or `KUBECONFIG`
 * names files of the user's machine (./kubeconfigfiles.ts): client-go's loading rules (an explicit
 * file must exist; the KUBECONFIG files merged), the context's validation
 * (clientcmd/validation.go: validateAuthInfo, validateClusterInfo: the certificate, key and CA
 * files are opened, relative to the kubeconfig that names them), and where the context's server
 * is: the scenario's cluster when the server is one of the simulated kubeconfig's, else a server
 * the machine cannot reach, answered as kubectl answers it (its discovery's `memcache.go` errors,
 * then `Unable to connect to the server: ...`), after the dial's timeout in simulated time.
 */
import { KubectlError, type KubectlContext } from "./command.ts";
import { klogLine } from "./errors.ts";
import type { FlagValues } from "./flags.ts";
import type { Kubeconfig } from "./kubeconfig.ts";
import { absolutePath, KubeconfigAccess, KubeconfigError, type KubeconfigFiles } from "./kubeconfigfiles.ts";

/** The working directory of the user's shell (src/cluster.ts MACHINE_CWD). */
const CWD = "/root";

/**
 * The user's machine's files as clientcmd reads and writes them: a path under the working
 * directory is the session's file, else the project's (as kubectl's other file arguments); any
 * other absolute path is the session's file alone.
 */
export function machineKubeconfigFiles(ctx: KubectlContext): KubeconfigFiles {
  const cwd = ctx.machine?.cwd ?? CWD;
  const local = (abs: string) => (abs.startsWith(cwd + "/") ? abs.slice(cwd.length + 1) : undefined);
  return {
    cwd,
    simulated: ctx.kubeconfig,
    read(abs) {
      const rel = local(abs);
      if (rel !== undefined) return ctx.files.kind(rel) === "file" ? ctx.files.read(rel).toString("utf8") : undefined;
      const fs = ctx.machine?.fs;
      return fs?.stat(abs)?.type === "file" ? fs.readFile(abs) : undefined;
    },
    write(abs, text) {
      if (!ctx.files.write) throw new KubectlError(`writing the kubeconfig file ${abs} is not simulated here`);
      ctx.files.write(abs, text);
    },
  };
}

/** The files kubectl reads its kubeconfig from: `--kubeconfig`, else `KUBECONFIG` (the command line's, else the shell's). */
export function kubeconfigAccessFor(ctx: KubectlContext, flags: FlagValues, env: Record<string, string> | undefined): KubeconfigAccess {
  const kubeconfigEnv = env && Object.hasOwn(env, "KUBECONFIG") ? env.KUBECONFIG : ctx.machine?.env?.KUBECONFIG;
  return new KubeconfigAccess(machineKubeconfigFiles(ctx), { explicit: flags.kubeconfig ? String(flags.kubeconfig) : undefined, env: kubeconfigEnv });
}

/** How many discovery requests kubectl's memcached client makes (and logs) before its own request fails. */
const DISCOVERY_ATTEMPTS = 5;
/** client-go's dialer timeout (net.Dialer{Timeout: 30s} in utilnet.SetTransportDefaults). */
const DIAL_TIMEOUT_MS = 30_000;

/** A server the user's machine cannot reach: what each attempt says, how long it takes, and kubectl's last line. */
export interface Unreachable {
  /** The discovery URL kubectl asks (`https://1.2.3.4/api?timeout=32s`). */
  url: string;
  /** Go's error for one dial. */
  dialError: string;
  /** The simulated time one attempt takes. */
  waitMs: number;
  /** kubectl's final line. */
  final: string;
}

/**
 * What dialling `server` from the user's machine gives: a loopback port nothing listens on is
 * refused at once (kubectl's `The connection to the server ... was refused`); a name is not
 * resolved (the machine's resolver knows none); any other address does not answer, and the dial
 * times out after 30 s.
 */
export function unreachable(server: string): Unreachable {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:]+)(?::(\d+))?(\/.*)?$/i.exec(server.trim());
  const scheme = (m?.[1] ?? "https").toLowerCase();
  const host = m?.[2] ?? server;
  const port = m?.[3] ?? (scheme === "https" ? "443" : "80");
  const base = `${scheme}://${host}${m?.[3] ? `:${m[3]}` : ""}${(m?.[4] ?? "").replace(/\/$/, "")}`;
  const url = `${base}/api?timeout=32s`;
  const bare = host.replace(/^\[|\]$/g, "");
  const isIP = /^\d+\.\d+\.\d+\.\d+$/.test(bare) || bare.includes(":");
  if (/^localhost$/i.test(bare) || /^127\./.test(bare) || bare === "::1") {
    const ip = /^localhost$/i.test(bare) ? "127.0.0.1" : bare;
    const dialError = `dial tcp ${ip.includes(":") ? `[${ip}]` : ip}:${port}: connect: connection refused`;
    return { url, dialError, waitMs: 0, final: `The connection to the server ${host}:${port} was refused - did you specify the right host or port?` };
  }
  if (!isIP) {
    const dialError = `dial tcp: lookup ${bare} on 127.0.0.53:53: no such host`;
    return { url, dialError, waitMs: 0, final: `Unable to connect to the server: ${dialError}` };
  }
  const dialError = `dial tcp ${bare.includes(":") ? `[${bare}]` : bare}:${port}: i/o timeout`;
  return { url, dialError, waitMs: DIAL_TIMEOUT_MS, final: `Unable to connect to the server: ${dialError}` };
}

/**
 * kubectl's stderr for a command against an unreachable server, simulated time passing for each
 * attempt: the discovery client's errors as klog lines, then the last line.
 */
export function failUnreachable(ctx: KubectlContext, u: Unreachable): KubectlError {
  const lines: string[] = [];
  for (let i = 0; i < DISCOVERY_ATTEMPTS; i++) {
    if (u.waitMs) ctx.clock.advance(u.waitMs);
    const err = `couldn't get current server API group list: Get ${JSON.stringify(u.url)}: ${u.dialError}`;
    lines.push(klogLine("E", ctx.clock.now(), "memcache.go:265", `"Unhandled Error" err=${JSON.stringify(err)}`));
  }
  if (u.waitMs) ctx.clock.advance(u.waitMs);
  lines.push(u.final);
  return new KubectlError(lines.join("\n"), 1, true);
}

/**
 * clientcmd's validation of the context's user and cluster (validateAuthInfo, validateClusterInfo),
 * the files an entry names resolved against the kubeconfig file that defined it.
 */
function validate(k: Kubeconfig, files: KubeconfigFiles, contextName: string, userName: string, clusterName: string): string[] {
  const errors: string[] = [];
  const resolve = (path: string, origin: string | undefined) => absolutePath(path, origin ? absolutePath(origin, files.cwd).replace(/\/[^/]*$/, "") || "/" : files.cwd);
  const unreadable = (path: string) => files.read(path) === undefined;
  const user = k.users.get(userName);
  if (user && (user["client-certificate"] || user["client-certificate-data"])) {
    if (!user["client-key"] && !user["client-key-data"]) errors.push(`client-key-data or client-key must be specified for ${userName} to use the clientCert authentication method.`);
    const origin = k.origin.users.get(userName);
    if (user["client-certificate"]) {
      const p = resolve(user["client-certificate"], origin);
      if (unreadable(p)) errors.push(`unable to read client-cert ${p} for ${userName} due to open ${p}: no such file or directory`);
    }
    if (user["client-key"]) {
      const p = resolve(user["client-key"], origin);
      if (unreadable(p)) errors.push(`unable to read client-key ${p} for ${userName} due to open ${p}: no such file or directory`);
    }
  }
  const cluster = k.clusters.get(clusterName);
  if (cluster) {
    if (!cluster.server) errors.push(`no server found for cluster ${JSON.stringify(clusterName)}`);
    if (cluster["certificate-authority"]) {
      const p = resolve(cluster["certificate-authority"], k.origin.clusters.get(clusterName));
      if (unreadable(p)) errors.push(`unable to read certificate-authority ${p} for ${clusterName} due to open ${p}: no such file or directory`);
    }
  }
  void contextName;
  return errors;
}

/** What a server command runs against once its kubeconfig files are read. */
export type ClientTarget = { kind: "scenario"; kubeconfig: Kubeconfig } | { kind: "unreachable"; server: Unreachable };

/**
 * The kubeconfig of a command that talks to a server, when `--kubeconfig` or `KUBECONFIG` names
 * files other than the simulated kubeconfig alone (undefined otherwise: the simulated one as it
 * is). Throws kubectl's error for a missing explicit file, an unreadable file or an invalid
 * context.
 */
export function clientTarget(ctx: KubectlContext, flags: FlagValues, env: Record<string, string> | undefined): ClientTarget | undefined {
  // The common case first: nothing names another kubeconfig.
  if (!flags.kubeconfig && !env?.KUBECONFIG && !ctx.machine?.env?.KUBECONFIG) return undefined;
  const access = kubeconfigAccessFor(ctx, flags, env);
  if (access.simulatedOnly) return undefined;
  // Load: a file given with --kubeconfig must exist (os.Stat's error).
  if (access.explicit !== undefined && !access.exists(access.explicit)) throw new KubectlError(`stat ${access.explicit}: no such file or directory`);
  let merged: Kubeconfig;
  try {
    merged = access.startingConfig();
  } catch (e) {
    if (e instanceof KubeconfigError) throw e.errors.length > 1 ? new KubectlError(e.errors.join("\n"), 1, true) : new KubectlError(e.message);
    throw e;
  }
  const contextName = String(flags.context || merged.currentContext);
  const serverFlag = flags.server ? String(flags.server) : "";
  if (!contextName) {
    // No context: client-go's defaults, http://localhost:8080 (or --server).
    if (serverFlag) return target(ctx, merged, serverFlag);
    return { kind: "unreachable", server: unreachable("http://localhost:8080") };
  }
  const context = merged.contexts.get(contextName);
  if (!context) throw new KubectlError(`Error in configuration: context was not found for specified context: ${contextName}`, 1, true);
  const userName = String((typeof flags.user === "string" && flags.user) || context.user);
  const clusterName = String(flags.cluster || context.cluster);
  const errors = validate(merged, machineKubeconfigFiles(ctx), contextName, userName, clusterName);
  // One error is printed as itself; several as a list (kubectl's StandardErrorMessage of an invalid configuration).
  if (errors.length === 1) throw new KubectlError(errors[0]!);
  if (errors.length > 1) throw new KubectlError(`Error in configuration: \n${errors.map((e) => `* ${e}`).join("\n")}`, 1, true);
  return target(ctx, merged, serverFlag || merged.clusters.get(clusterName)?.server || "http://localhost:8080");
}

/** The scenario's cluster when the server is one of the simulated kubeconfig's, else an unreachable one. */
function target(ctx: KubectlContext, merged: Kubeconfig, server: string): ClientTarget {
  const simulated = new Set([...ctx.kubeconfig.clusters.values()].map((c) => c.server.replace(/\/$/, "")));
  if (simulated.has(server.replace(/\/$/, ""))) {
    merged.path = ctx.kubeconfig.path;
    return { kind: "scenario", kubeconfig: merged };
  }
  return { kind: "unreachable", server: unreachable(server) };
}
