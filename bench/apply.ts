/**
 * An applied object's cost, from kubectl to the store: `kubectl apply -f -` of
 *  - pods: the kubelet benchmark's 1,000 shell pods on 10 nodes (no time passes after the apply),
 *  - deployments: 1,000 one-replica Deployments (their ReplicaSets and pods made by the reactions
 *    that run inside the same call, as `kubectl apply` settles the cluster before it returns),
 *  - argocd: Argo CD's install.yaml (exercises/apps/argo-cd/, CRDs, RBAC, Services, Deployments),
 * each in a fresh cluster, timed as the CPU of the one apply (process.cpuUsage).
 * `BENCH_PARTS=pods,deployments` runs some; `BENCH_STAGES=1` also prints the CPU of each stage
 * (the API server's create, the reactions the clock settles after kubectl returns, the rest being
 * kubectl's decode, mapping, last-applied annotation and output); `PROFILE_APPLY=file.cpuprofile`
 * profiles the applies alone.
 */
import { Cluster } from "../src/cluster.ts";
import { cpuMs, report, SMOKE } from "./lib.ts";
import { Session } from "node:inspector";
import { readFileSync, writeFileSync } from "node:fs";

const session = new Session();
let profiling = false;
function startProfile(): void {
  if (!process.env.PROFILE_APPLY || profiling) return;
  profiling = true;
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
}
function stopProfile(): void {
  if (!profiling) return;
  session.post("Profiler.stop", (err, r) => {
    if (!err) writeFileSync(process.env.PROFILE_APPLY!, JSON.stringify(r.profile));
  });
}

const N = SMOKE ? 100 : 1000;

function pods(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    const crash = i % 2 === 0;
    const script = crash ? `echo start ${i}; sleep ${15 + (i % 10)}; echo crash; exit 1` : `n=0; while true; do echo tick $n; n=$((n+1)); sleep 10; done`;
    docs.push(`apiVersion: v1
kind: Pod
metadata:
  name: pod-${i}
spec:
  containers:
  - name: app
    image: busybox:1.28
    command: ['sh', '-c', '${script}']
    resources: {requests: {cpu: 10m, memory: 16Mi}}`);
  }
  return docs.join("\n---\n");
}

function deployments(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  labels:
    app: web-${i}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web-${i}
  template:
    metadata:
      labels:
        app: web-${i}
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
        resources: {requests: {cpu: 10m, memory: 16Mi}}`);
  }
  return docs.join("\n---\n");
}

interface Part {
  name: string;
  label: string;
  nodes: number;
  /** The manifest text (applied as `kubectl apply -f -`), or a file applied with `command`. */
  yaml?: () => string;
  command?: string[];
  before?: string[];
}

const PARTS: Part[] = [
  { name: "pods", label: `${N} pods`, nodes: N / 100, yaml: () => pods(N) },
  { name: "deployments", label: `${N} Deployments`, nodes: N / 100, yaml: () => deployments(N) },
  // As features/apps/argo-cd.feature installs it: its CRDs' last-applied annotation would be too
  // long for a client-side apply, so server-side.
  {
    name: "argocd",
    label: "Argo CD's install.yaml",
    nodes: 3,
    before: ["create", "namespace", "argocd"],
    command: ["apply", "-n", "argocd", "--server-side", "--force-conflicts", "-f", "exercises/apps/argo-cd/install.yaml"],
  },
];

const only = process.env.BENCH_PARTS?.split(",");
const stages = process.env.BENCH_STAGES === "1";

for (const part of PARTS) {
  if (only && !only.includes(part.name)) continue;
  const c = new Cluster();
  c.addNodesFromTable(Array.from({ length: part.nodes }, (_, i) => ({ name: `node${i + 1}` })));
  const text = part.yaml?.();
  // The first kubectl command of a cluster builds its context: not part of an object's cost.
  c.kubectlSync(part.before ?? ["version", "--client"]);
  if (part.command) readFileSync(part.command.at(-1)!); // the file is there
  const rv0 = Number(c.api.resourceVersion);
  let createCpu = 0;
  let settleCpu = 0;
  let creates = 0;
  let settling = false;
  if (stages) {
    const api = c.api;
    const create = api.create.bind(api);
    let depth = 0;
    api.create = ((...a: Parameters<typeof create>) => {
      // kubectl's creates only: not those of the controllers while the clock settles.
      if (settling || depth++ > 0) return create(...a);
      const t = process.cpuUsage();
      try {
        return create(...a);
      } finally {
        depth--;
        createCpu += cpuMs(t);
        creates++;
      }
    }) as typeof api.create;
    const clock = c.clock;
    const settle = clock.settle.bind(clock);
    clock.settle = ((...a: Parameters<typeof settle>) => {
      const t = process.cpuUsage();
      settling = true;
      try {
        return settle(...a);
      } finally {
        settling = false;
        settleCpu += cpuMs(t);
      }
    }) as typeof clock.settle;
  }
  startProfile();
  const t0 = process.cpuUsage();
  let out: string;
  if (text !== undefined) out = c.applySync(text);
  else {
    const r = c.kubectlSync(part.command!);
    if (r.exitCode !== 0) throw new Error(r.stderr);
    out = r.stdout;
  }
  const cpu = cpuMs(t0);
  const objects = out.trim().split("\n").length;
  const writes = Number(c.api.resourceVersion) - rv0;
  console.error(`${part.label}: ${objects} objects applied, ${writes} writes, CPU ${cpu.toFixed(0)} ms (${((cpu / objects) * 1000).toFixed(0)} µs an object)`);
  if (stages) {
    console.error(
      `  stages: kubectl's ${creates} creates in the API server ${createCpu.toFixed(0)} ms (with the watch deliveries made in the call), the reactions settled after ${settleCpu.toFixed(0)} ms, the rest (kubectl's decode, mapping, annotation, output; server-side apply's merge) ${(cpu - createCpu - settleCpu).toFixed(0)} ms`,
    );
  }
  report({ name: `apply: ${part.label} (CPU time)`, value: Math.round(cpu), unit: "ms", better: "lower" });
  c.close?.();
}
stopProfile();
