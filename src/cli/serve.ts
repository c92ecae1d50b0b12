/**
 * `kube-scenario serve` and `kube-scenario advance`:
 *   kube-scenario serve [--port 6443] [--kubeconfig ./kubeconfig] [--nodes k8s-node1,k8s-node2]
 *                       [--apply manifest.yaml]... [--seed 7] [--start 2024-01-08T00:00:00Z] [--real-time] [--resettable]
 * serves a simulated cluster on loopback as a Kubernetes API server and writes a kubeconfig for it.
 * Simulated time moves with `kube-scenario advance 30s --server URL` (or POST
 * /kube-scenario/v1/advance?duration=30s), or with the wall clock under --real-time.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Cluster } from "../cluster.ts";
import { serve } from "../server/apiserver.ts";
import { kubeconfigFor } from "../server/kubeconfig.ts";

export const SERVE_HELP = `usage: kube-scenario serve [--port N] [--kubeconfig FILE] [--nodes a,b,c] [--apply FILE]... [--seed N] [--start RFC3339] [--real-time] [--resettable]

Serves a simulated Kubernetes v1.32 cluster on loopback as a Kubernetes API server, for kubectl
and client libraries, and writes a kubeconfig for it. Simulated time stands still until
\`kube-scenario advance\` moves it (or follows the wall clock with --real-time).

  --port N            port on 127.0.0.1 (default 6443; 0 picks a free one)
  --kubeconfig FILE   where to write the kubeconfig (default kubeconfig.kube-scenario)
  --nodes a,b,c       the nodes (default k8s-node1,k8s-node2)
  --apply FILE        a manifest to apply at start (repeatable)
  --seed N            random seed (tie-breaks, routing, jitter)
  --start RFC3339     the simulated clock's start (default 2024-01-08T00:00:00Z)
  --real-time         simulated time follows the wall clock
  --resettable        POST /kube-scenario/v1/reset gives a fresh cluster`;

export const ADVANCE_HELP = `usage: kube-scenario advance DURATION [--server URL]

Lets simulated time pass on a cluster that \`kube-scenario serve\` runs (30s, 1m30s, 2 minutes...).

  --server URL   the served cluster (default http://127.0.0.1:6443)`;

export async function serveCommand(rest: string[]): Promise<number> {
  {
    const { values } = parseArgs({
      args: rest,
      options: {
        port: { type: "string", default: "6443" },
        kubeconfig: { type: "string", default: "kubeconfig.kube-scenario" },
        nodes: { type: "string", default: "k8s-node1,k8s-node2" },
        apply: { type: "string", multiple: true, default: [] },
        seed: { type: "string" },
        start: { type: "string" },
        "real-time": { type: "boolean", default: false },
        resettable: { type: "boolean", default: false },
      },
    });
    const names = values.nodes.split(",").map((s) => s.trim()).filter(Boolean);
    const fresh = () => {
      const cluster = new Cluster({ seed: values.seed ? Number(values.seed) : undefined, startTime: values.start });
      cluster.addNodesFromTable(names.map((name) => ({ name })));
      for (const f of values.apply) cluster.applySync(cluster.readProjectFile(f), f);
      return cluster;
    };
    const s = await serve(fresh(), { port: Number(values.port), realTime: values["real-time"], reset: values.resettable ? fresh : undefined });
    writeFileSync(values.kubeconfig, kubeconfigFor(s.url));
    console.log(`simulated cluster at ${s.url} (nodes: ${names.join(", ")}); kubeconfig written to ${values.kubeconfig}`);
    console.log(`  kubectl --kubeconfig ${values.kubeconfig} get nodes`);
    console.log(values["real-time"] ? "  simulated time follows the wall clock" : `  let time pass: kube-scenario advance 30s --server ${s.url}`);
    return await new Promise<number>(() => {});
  }
}

export async function advanceCommand(rest: string[]): Promise<number> {
  {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { server: { type: "string", default: "http://127.0.0.1:6443" } } });
    const d = positionals.join(" ") || "1s";
    const r = await fetch(`${values.server}/kube-scenario/v1/advance?duration=${encodeURIComponent(d)}`, { method: "POST" });
    console.log(await r.text());
    return r.ok ? 0 : 1;
  }
}
