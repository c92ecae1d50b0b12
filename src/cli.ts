/**
 * The `kube-scenario` command.
 *   kube-scenario serve [--port 6443] [--kubeconfig ./kubeconfig] [--nodes k8s-node1,k8s-node2]
 *                       [--apply manifest.yaml]... [--seed 7] [--start 2024-01-08T00:00:00Z] [--real-time] [--resettable]
 *                       [--allowed-host NAME]... [--insecure-no-auth]
 * serves a simulated cluster on loopback as a Kubernetes API server and writes a kubeconfig for it
 * (with the bearer token generated at start; mode 0600).
 * Simulated time moves with `kube-scenario advance 30s` (or POST
 * /kube-scenario/v1/advance?duration=30s with the token), or with the wall clock under --real-time.
 */
import { existsSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { parseArgs } from "node:util";
import { parse as parseYAML } from "yaml";
import { Cluster } from "./cluster.ts";
import { serve } from "./server/apiserver.ts";
import { writeKubeconfig } from "./server/kubeconfig.ts";

const DEFAULT_KUBECONFIG = "kubeconfig.kube-scenario";

export const USAGE = `usage:
  kube-scenario serve [options]      serve a simulated cluster as a Kubernetes API server on loopback
  kube-scenario advance DURATION     let simulated time pass on a served cluster (e.g. 30s, 5m, 1h30m)

serve options:
  --port N               port on 127.0.0.1 (default 6443; 0 picks a free one)
  --kubeconfig FILE      where to write the kubeconfig, with the API token (default ${DEFAULT_KUBECONFIG}, mode 0600)
  --nodes a,b,c          node names (default k8s-node1,k8s-node2; --nodes= for none)
  --apply FILE           apply a manifest at start (repeatable)
  --seed N               seed of the simulation's randomness
  --start RFC3339        the simulated clock's start instant
  --real-time            simulated time follows the wall clock
  --resettable           allow POST /kube-scenario/v1/reset (a fresh cluster; the parity runs use it)
  --allowed-host NAME    also answer requests addressed to NAME (repeatable; loopback names always)
  --insecure-no-auth     no bearer token: any local program, and any web page that gets past the
                         Host and Origin checks, may use the API
  -h, --help             this help

advance options:
  --kubeconfig FILE      the kubeconfig serve wrote (default ${DEFAULT_KUBECONFIG}): server and token
  --server URL           the server (default: the kubeconfig's, else http://127.0.0.1:6443)`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (cmd === "-h" || cmd === "--help" || cmd === "help") {
    console.log(USAGE);
    return 0;
  }
  if (cmd === "serve") {
    const args = parse(rest, {
      port: { type: "string", default: "6443" },
      kubeconfig: { type: "string", default: DEFAULT_KUBECONFIG },
      nodes: { type: "string", default: "k8s-node1,k8s-node2" },
      apply: { type: "string", multiple: true, default: [] },
      seed: { type: "string" },
      start: { type: "string" },
      "real-time": { type: "boolean", default: false },
      resettable: { type: "boolean", default: false },
      "allowed-host": { type: "string", multiple: true, default: [] },
      "insecure-no-auth": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    });
    if (typeof args === "number") return args;
    const { values } = args;
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) return usageError(`--port must be a port number (0-65535), not ${JSON.stringify(values.port)}`);
    const names = values.nodes.split(",").map((s) => s.trim()).filter(Boolean);
    const fresh = () => {
      const cluster = new Cluster({ seed: values.seed ? Number(values.seed) : undefined, startTime: values.start });
      cluster.addNodesFromTable(names.map((name) => ({ name })));
      for (const f of values.apply) cluster.applySync(cluster.readProjectFile(f), f);
      return cluster;
    };
    let first: Cluster;
    try {
      first = fresh();
    } catch (e) {
      console.error(`error: ${(e as Error).message}`);
      return 1;
    }
    const s = await serve(first, {
      port,
      realTime: values["real-time"],
      reset: values.resettable ? fresh : undefined,
      token: values["insecure-no-auth"] ? false : undefined,
      allowedHosts: values["allowed-host"],
    });
    writeKubeconfig(values.kubeconfig, s.kubeconfig());
    console.log(`simulated cluster at ${s.url} (nodes: ${names.join(", ")}); kubeconfig written to ${values.kubeconfig}`);
    console.log(s.token ? `  the API token is in the kubeconfig (readable by you only); every request needs it` : `  WARNING: --insecure-no-auth: no token; any program on this machine can use the API`);
    console.log(`  kubectl --kubeconfig ${values.kubeconfig} get nodes`);
    console.log(values["real-time"] ? "  simulated time follows the wall clock" : `  let time pass: kube-scenario advance 30s --kubeconfig ${values.kubeconfig}`);
    return await new Promise<number>(() => {});
  }
  if (cmd === "advance") {
    const args = parse(rest, { server: { type: "string" }, kubeconfig: { type: "string" }, help: { type: "boolean", short: "h", default: false } }, true);
    if (typeof args === "number") return args;
    const { values, positionals } = args;
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const d = positionals.join(" ") || "1s";
    const target = serverOf(values.kubeconfig ?? DEFAULT_KUBECONFIG, values.kubeconfig !== undefined);
    if (typeof target === "string") return usageError(target);
    const server = values.server ?? target.server ?? "http://127.0.0.1:6443";
    let r: { status: number; text: string };
    try {
      r = await post(`${server}/kube-scenario/v1/advance?duration=${encodeURIComponent(d)}`, target.token, target.caPEM);
    } catch (e) {
      console.error(`error: cannot reach ${server}: ${(e as Error).message}`);
      return 1;
    }
    const ok = r.status >= 200 && r.status < 300;
    if (ok) console.log(r.text);
    else console.error(`error: ${messageOf(r.text)}`);
    return ok ? 0 : 1;
  }
  return usageError(`unknown command ${JSON.stringify(cmd)}`);
}

type Options = Parameters<typeof parseArgs>[0] extends infer C ? (C extends { options?: infer O } ? O : never) : never;

/** parseArgs, with a usage error (exit 2) instead of a stack trace for unknown or malformed options. */
function parse<O extends NonNullable<Options>>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    return usageError((e as Error).message);
  }
}

function usageError(message: string): number {
  console.error(`error: ${message}\n\n${USAGE}`);
  return 2;
}

/** A POST with the kubeconfig's token, trusting its CA (fetch cannot be given a CA). */
function post(url: string, token: string | undefined, caPEM: string | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const opts = { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {}, ca: caPEM };
    const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(u, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** The server, token and CA of a kubeconfig's current context; an error text when it cannot be read. */
function serverOf(path: string, required: boolean): { server?: string; token?: string; caPEM?: string } | string {
  if (!existsSync(path)) return required ? `no kubeconfig at ${path}` : {};
  try {
    const kc = parseYAML(readFileSync(path, "utf8")) as any; // a kubeconfig file: untyped YAML
    const ctx = kc?.contexts?.find((c: any) => c?.name === kc["current-context"])?.context;
    const cluster = kc?.clusters?.find((c: any) => c?.name === ctx?.cluster)?.cluster;
    const user = kc?.users?.find((u: any) => u?.name === ctx?.user)?.user;
    const ca = cluster?.["certificate-authority-data"];
    return { server: cluster?.server, token: user?.token, caPEM: ca ? Buffer.from(String(ca), "base64").toString("utf8") : undefined };
  } catch (e) {
    return `cannot read the kubeconfig ${path}: ${(e as Error).message}`;
  }
}

function messageOf(text: string): string {
  try {
    return JSON.parse(text).message ?? text;
  } catch {
    return text.trim();
  }
}
