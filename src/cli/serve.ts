/**
 * `kube-scenario serve` and `kube-scenario advance`:
 *   kube-scenario serve [--port 6443] [--kubeconfig ./kubeconfig] [--nodes k8s-node1,k8s-node2]
 *                       [--apply manifest.yaml]... [--seed 7] [--start 2024-01-08T00:00:00Z] [--real-time] [--resettable]
 *                       [--allowed-host NAME]... [--insecure-no-auth]
 * serves a simulated cluster on loopback as a Kubernetes API server (HTTPS, with a bearer token
 * generated at start) and writes a kubeconfig for it (mode 0600).
 * Simulated time moves with `kube-scenario advance 30s` (or POST
 * /kube-scenario/v1/advance?duration=30s with the token), or with the wall clock under --real-time.
 */
import { existsSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { parseArgs } from "node:util";
import { parse as parseYAML } from "yaml";
import { Cluster } from "../cluster.ts";
import { serve } from "../server/apiserver.ts";
import { servingCertFor } from "../server/servingcert.ts";
import { writeKubeconfig } from "../server/kubeconfig.ts";

const DEFAULT_KUBECONFIG = "kubeconfig.kube-scenario";

export const SERVE_HELP = `usage: kube-scenario serve [--port N] [--kubeconfig FILE] [--nodes a,b,c] [--apply FILE]... [--seed N] [--start RFC3339] [--real-time] [--resettable] [--allowed-host NAME]... [--insecure-no-auth]

Serves a simulated Kubernetes v1.32 cluster on loopback as a Kubernetes API server, for kubectl
and client libraries, and writes a kubeconfig for it. Simulated time stands still until
\`kube-scenario advance\` moves it (or follows the wall clock with --real-time).

It speaks HTTPS with a certificate made at start, and every request needs the bearer token made
at start: both are in the kubeconfig, which only you can read (mode 0600). Requests addressed to
other names than loopback ones, and cross-site requests from web pages, are refused.

  --port N             port on 127.0.0.1 (default 6443; 0 picks a free one)
  --kubeconfig FILE    where to write the kubeconfig (default ${DEFAULT_KUBECONFIG})
  --nodes a,b,c        the nodes (default k8s-node1,k8s-node2; --nodes= for none)
  --apply FILE         a manifest to apply at start (repeatable)
  --seed N             random seed (tie-breaks, routing, jitter)
  --start RFC3339      the simulated clock's start (default 2024-01-08T00:00:00Z)
  --real-time          simulated time follows the wall clock
  --resettable         POST /kube-scenario/v1/reset gives a fresh cluster
  --allowed-host NAME  also answer requests addressed to NAME (repeatable)
  --insecure-no-auth   plain HTTP and no token: any program on this machine may use the API`;

export const ADVANCE_HELP = `usage: kube-scenario advance DURATION [--kubeconfig FILE] [--server URL]

Lets simulated time pass on a cluster that \`kube-scenario serve\` runs (30s, 1m30s, 2 minutes...).

  --kubeconfig FILE  the kubeconfig serve wrote: the server, its CA and token (default ${DEFAULT_KUBECONFIG})
  --server URL       the served cluster (default: the kubeconfig's, else http://127.0.0.1:6443)`;

export async function serveCommand(rest: string[]): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: {
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
    },
  });
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new Error(`--port must be a port number (0-65535), not ${JSON.stringify(values.port)}`);
  const names = values.nodes.split(",").map((s) => s.trim()).filter(Boolean);
  // The facade's CA, made before the cluster so that the cluster publishes it from its start
  // (kube-root-ca.crt; servingCertFor makes it once: serve() below gets the same).
  const cert = values["insecure-no-auth"] ? undefined : await servingCertFor(values["allowed-host"]);
  const signingCA = cert && { certPEM: cert.caPEM, keyPEM: cert.caKeyPEM };
  const fresh = () => {
    const cluster = new Cluster({ seed: values.seed ? Number(values.seed) : undefined, startTime: values.start, signingCA });
    cluster.addNodesFromTable(names.map((name) => ({ name })));
    for (const f of values.apply) cluster.applySync(cluster.readProjectFile(f), f);
    return cluster;
  };
  const s = await serve(fresh(), {
    port,
    realTime: values["real-time"],
    reset: values.resettable ? fresh : undefined,
    token: values["insecure-no-auth"] ? false : undefined,
    allowedHosts: values["allowed-host"],
  });
  writeKubeconfig(values.kubeconfig, s.kubeconfig());
  console.log(`simulated cluster at ${s.url} (nodes: ${names.join(", ")}); kubeconfig written to ${values.kubeconfig}`);
  console.log(s.token ? "  its API token is in the kubeconfig (readable by you only); every request needs it" : "  WARNING: --insecure-no-auth: plain HTTP, no token; any program on this machine can use the API");
  console.log(`  kubectl --kubeconfig ${values.kubeconfig} get nodes`);
  console.log(values["real-time"] ? "  simulated time follows the wall clock" : `  let time pass: kube-scenario advance 30s --kubeconfig ${values.kubeconfig}`);
  return await new Promise<number>(() => {});
}

export async function advanceCommand(rest: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { server: { type: "string" }, kubeconfig: { type: "string" } } });
  const d = positionals.join(" ") || "1s";
  const target = serverOf(values.kubeconfig ?? DEFAULT_KUBECONFIG, values.kubeconfig !== undefined);
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

/** The server, token and CA of a kubeconfig's current context (none when the default file is absent). */
function serverOf(path: string, required: boolean): { server?: string; token?: string; caPEM?: string } {
  if (!existsSync(path)) {
    if (required) throw new Error(`no kubeconfig at ${path}`);
    return {};
  }
  let parsed: unknown; // a kubeconfig file: untyped YAML, narrowed below
  try {
    parsed = parseYAML(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`cannot read the kubeconfig ${path}: ${(e as Error).message}`);
  }
  const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  /** The entry of a named list (contexts, clusters, users) with that name, or {}. */
  const named = (list: unknown, name: unknown) => obj(Array.isArray(list) ? list.find((x) => obj(x).name === name) : undefined);
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const kc = obj(parsed);
  const ctx = obj(named(kc.contexts, kc["current-context"]).context);
  const cluster = obj(named(kc.clusters, ctx.cluster).cluster);
  const user = obj(named(kc.users, ctx.user).user);
  const ca = cluster["certificate-authority-data"];
  return { server: str(cluster.server), token: str(user.token), caPEM: ca ? Buffer.from(String(ca), "base64").toString("utf8") : undefined };
}

function messageOf(text: string): string {
  try {
    return JSON.parse(text).message ?? text;
  } catch {
    return text.trim();
  }
}
