/**
 * The differential harness of issue #19 §2: generated cluster programs (workloads, probes against
 * application models with timelines, shell pods that restart, Services, scaling, relabelling,
 * rollouts, node failures, time passing) run once on the fast engine and once on the reference
 * engine (`ClusterOptions.reference`: every speed-up off), and everything anyone could observe is
 * recorded as a transcript: each kubectl command's output and exit code, and after every step the
 * whole store (every object with its status, resourceVersion and every Event with its count and
 * timestamps), `kubectl get` and `describe` output. The two transcripts must be equal byte for
 * byte. Used by src/fuzz/differential.test.ts (a bounded set in `npm test`, a long run under
 * `npm run fuzz`).
 */
import fc from "fast-check";
import { Cluster } from "../cluster.ts";
import { nodeOperations } from "../nodeops.ts";
import { declareApplication } from "../images/apps/catalogue.ts";
import { apiVersionOf, RESOURCE_TYPES } from "../api/resources.ts";
import { TrafficClient } from "../network/client.ts";
import { kubelets } from "../kubelet/manager.ts";
import { schedulerOf } from "../scheduler/scheduler.ts";
import { memoryBytes, useMemory, useSystemMemory } from "../kubelet/resourceuse.ts";
import { AppProcess } from "../images/apps/model.ts";

export type Op =
  | { op: "deployment"; name: string; replicas: number; image: string; strategy: string; minReady: number; probe: number }
  | { op: "replicaset"; name: string; replicas: number; app: string }
  | { op: "pod"; name: string; app: string; image: string; restartPolicy: string; probe: number; priorityClass?: string; cpu?: string; gate?: boolean }
  | { op: "service"; app: string; targetPort?: number | string; publishNotReady?: boolean }
  | { op: "statefulset"; name: string; replicas: number; image: string; policy: string; partition: number; claims: boolean; whenScaled: string; minReady: number; probe: number }
  | { op: "daemonset"; name: string; image: string; strategy: string; nodeSelector: boolean; minReady: number; probe: number }
  | { op: "job"; name: string; completions: number; parallelism: number; backoffLimit: number; fail: number; restartPolicy: string; indexed: boolean }
  | { op: "kubectl"; args: string[] }
  | { op: "node"; name: string; up: boolean }
  | { op: "read"; args: string[] }
  | { op: "traffic"; target: string; path: string; everyMs: number; count: number }
  /** A shell pod (`SCRIPTS`); `cpu` its request (10m unless given), `priorityClass` its class (fixed programs: crash loops as preemption victims). */
  | { op: "shell"; name: string; script: string; grace: number; restartPolicy: string; side?: string; env?: "plain" | "label"; cpu?: string; priorityClass?: string }
  /**
   * Memory use changed from outside (only in fixed programs): declared for a pod's container
   * (`pod "x" uses 4Gi of memory`), set on its application model (`memoryOverride`), or
   * declared for a node's own processes.
   */
  | { op: "memory"; how: "declared" | "model" | "system"; target: string; amount: string }
  | { op: "configmap"; value: string }
  /** The event correlators made from now on hold `size` keys per cache (fixed programs: evictions). */
  | { op: "eventcache"; size: number }
  | { op: "advance"; ms: number }
  /**
   * The scheduler's simulator results on or off (`SchedulerOptions.annotations`). Kept (the default
   * up to 100 nodes; `true` also writes them on the pods) the scheduler walks the plain per-node
   * Filter and Score paths to record them; off, the fast engine's paths run as in a large cluster,
   * and the reference engine's plain paths still run.
   */
  | { op: "scheduler"; annotations: boolean }
  /** An object of a kind a component starts late on (issue #19 §5, `LATE`), created at any point of a program. */
  | { op: "late"; what: string }
  /** The three nodes, joining late: a program with this op starts without nodes. */
  | { op: "nodes" }
  /** A ClusterRole that joins an aggregated one (`RBAC`): the aggregation controller's syncs past its memo of the start (issue #19 §5). */
  | { op: "rbac"; what: string }
  /**
   * A ConfigMap in `default` owned by a stored object (`owner`: kind/name, or kind/namespace/name),
   * by its uid as the store holds it now, or by a uid nothing has (`dangling`): the garbage
   * collector's graph of the start's objects (issue #19 §5, restored from the start on the fast engine).
   */
  | { op: "owned"; name: string; owner: string; block?: boolean; dangling?: boolean };

/**
 * Objects of the kinds that start components late (src/components.ts, LATE_START): a program that
 * creates each first at an odd instant, after time passed and other kinds' objects came, checks
 * that a component started then acts as one started with the cluster.
 */
export const LATE: Record<string, string> = {
  cronjob: `apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/1 * * * *"
  successfulJobsHistoryLimit: 2
  jobTemplate:
    spec:
      ttlSecondsAfterFinished: 45
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: "busybox:1.36", command: [sh, -c, "echo tick; sleep 5"], resources: {requests: {cpu: 10m, memory: 16Mi}}}]
`,
  pdb: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb-web}
spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
`,
  quota: `apiVersion: v1
kind: ResourceQuota
metadata: {name: quota}
spec: {hard: {pods: "9", configmaps: "4", requests.cpu: "2", services: "3"}}
`,
  hpa: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 4
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
`,
  pv: `apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /data/pv1}, storageClassName: manual}
`,
  pvc: `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: claim1}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: manual}
`,
  claimpod: `apiVersion: v1
kind: Pod
metadata: {name: claimer, labels: {app: web}}
spec:
  terminationGracePeriodSeconds: 2
  containers: [{name: c, image: "kubetm/app:v1", resources: {requests: {cpu: 50m, memory: 32Mi}}, volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: claim1}}]
`,
  endpoints: `apiVersion: v1
kind: Endpoints
metadata: {name: external}
subsets: [{addresses: [{ip: 10.0.0.9}], ports: [{port: 80}]}]
`,
  ttljob: `apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  ttlSecondsAfterFinished: 20
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: "busybox:1.36", command: [sh, -c, "echo once; sleep 3"], resources: {requests: {cpu: 10m, memory: 16Mi}}}]
`,
};

/**
 * ClusterRoles the aggregation controller folds into others (issue #19 §5): its fast engine answers a
 * sync whose roles are the very objects of an earlier sync (every cluster's start) from a memo, and
 * must compute anew once one of these joins, leaves (`kubectl label ... -`, `delete`) or changes.
 */
export const RBAC: Record<string, string> = {
  "view-crontabs": `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: view-crontabs
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
- {apiGroups: [stable.example.com], resources: [crontabs], verbs: [get, list, watch]}
`,
  "edit-widgets": `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: edit-widgets
  labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
rules:
- {apiGroups: [example.com], resources: [widgets], verbs: [create, delete, patch, update]}
- {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
`,
  monitoring: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}
  - matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-endpoints
  labels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules:
- {apiGroups: [""], resources: [services, endpoints, pods], verbs: [get, list, watch]}
`,
};

const DEPLOYMENTS = ["web", "api"];
/** A `read` of every kubelet's `/metrics/resource` (each container's cumulative CPU ms, unrounded). */
export const METRICS = "resource-metrics";
const APPS = ["web", "api", "rs1", "solo", "db", "agent"];
const NODES = ["n1", "n2", "n3"];

/**
 * Images: the course app, nginx, a declared model with a /health timeline and an exit, a declared
 * model whose memory grows past its limit after 70 s (killed by the memory housekeeping; tcpSocket
 * probes), a declared model that takes almost all of its node's memory after two minutes (the
 * node's MemoryPressure condition, its heartbeats and an eviction), a shell loop that fails.
 */
const image = fc.constantFrom("kubetm/app:v1", "kubetm/app:v2", "nginx:1.27", "demo/flaky:1", "demo/leaky:1", "demo/hog:1", "busybox:1.36", "demo/busy:1");

const deployment = fc.record({
  op: fc.constant("deployment" as const),
  name: fc.constantFrom(...DEPLOYMENTS),
  replicas: fc.integer({ min: 0, max: 8 }),
  image,
  strategy: fc.constantFrom("rolling", "rolling:0:1", "rolling:2:0", "rolling:25%:25%", "Recreate"),
  minReady: fc.constantFrom(0, 0, 3),
  probe: fc.constantFrom(0, 1, 2, 5),
});
const replicaset = fc.record({ op: fc.constant("replicaset" as const), name: fc.constant("rs1"), replicas: fc.integer({ min: 0, max: 5 }), app: fc.constantFrom("rs1", "solo") });
const pod = fc.record({
  op: fc.constant("pod" as const),
  name: fc.constantFrom("p1", "p2", "p3"),
  app: fc.constantFrom(...APPS),
  image,
  restartPolicy: fc.constantFrom("Always", "OnFailure", "Never"),
  probe: fc.constantFrom(0, 1, 3),
});
/** A StatefulSet "db" (its governing Service is the "service" op's svc-db): OrderedReady or Parallel, a partition, claims from the local-path provisioner. */
const statefulset = fc.record({
  op: fc.constant("statefulset" as const),
  name: fc.constant("db"),
  replicas: fc.integer({ min: 0, max: 5 }),
  image: fc.constantFrom("kubetm/app:v1", "kubetm/app:v2", "nginx:1.27", "demo/flaky:1"),
  policy: fc.constantFrom("OrderedReady", "OrderedReady", "Parallel"),
  partition: fc.constantFrom(0, 0, 2),
  claims: fc.boolean(),
  whenScaled: fc.constantFrom("Retain", "Delete"),
  minReady: fc.constantFrom(0, 0, 3),
  probe: fc.constantFrom(0, 1, 2),
});
/**
 * A DaemonSet "agent" on the three nodes (or those labelled role=agent): rolling updates with
 * maxUnavailable or maxSurge (a strategy changed mid-rollout leaves nodes with two pods), OnDelete;
 * the memory hog's evictions leave failed daemon pods; taints, labels, cordons and nodes going down
 * change where it should run.
 */
const daemonset = fc.record({
  op: fc.constant("daemonset" as const),
  name: fc.constant("agent"),
  image: fc.constantFrom("kubetm/app:v1", "kubetm/app:v2", "nginx:1.27", "demo/flaky:1", "demo/hog:1"),
  strategy: fc.constantFrom("unavailable:1", "unavailable:34%", "surge:1", "surge:50%", "OnDelete"),
  nodeSelector: fc.constantFrom(false, false, true),
  minReady: fc.constantFrom(0, 0, 0, 3),
  probe: fc.constantFrom(0, 0, 1, 2),
});
/**
 * A Job "batch": NonIndexed or Indexed, up to a dozen completions a few at a time, each pod a
 * shell that runs a few seconds and fails when its try (or index) is below `fail` — so failures,
 * the back-off between retries and backoffLimit come into play (restartPolicy Never or OnFailure).
 */
const job = fc.record({
  op: fc.constant("job" as const),
  name: fc.constant("batch"),
  completions: fc.integer({ min: 1, max: 12 }),
  parallelism: fc.integer({ min: 1, max: 4 }),
  backoffLimit: fc.constantFrom(0, 2, 6),
  fail: fc.constantFrom(0, 0, 1, 3),
  restartPolicy: fc.constantFrom("Never", "Never", "OnFailure"),
  indexed: fc.constantFrom(false, false, true),
});
/** A Service "svc-<app>": re-applying it with another targetPort (a number, or a name no container has) or publishNotReadyAddresses changes its endpoints. */
const service = fc.record({
  op: fc.constant("service" as const),
  app: fc.constantFrom(...APPS),
  targetPort: fc.constantFrom<number | string>(8080, 8080, 80, "web"),
  publishNotReady: fc.constantFrom(false, false, true),
});
const kubectl = fc.record({
  op: fc.constant("kubectl" as const),
  args: fc.oneof(
    fc.tuple(fc.constantFrom(...DEPLOYMENTS), fc.integer({ min: 0, max: 10 })).map(([d, n]) => ["scale", `deployment/${d}`, `--replicas=${n}`]),
    fc.tuple(fc.constantFrom("rs1"), fc.integer({ min: 0, max: 6 })).map(([r, n]) => ["scale", `replicaset/${r}`, `--replicas=${n}`]),
    fc.tuple(fc.constantFrom(...DEPLOYMENTS), fc.constantFrom("kubetm/app:v1", "kubetm/app:v3", "nginx:1.27", "demo/flaky:1")).map(([d, i]) => ["set", "image", `deployment/${d}`, `app=${i}`]),
    fc.constantFrom(...DEPLOYMENTS).map((d) => ["rollout", "undo", `deployment/${d}`]),
    fc.integer({ min: 0, max: 6 }).map((n) => ["scale", "statefulset/db", `--replicas=${n}`]),
    fc.constantFrom("kubetm/app:v1", "kubetm/app:v3", "nginx:1.27").map((i) => ["set", "image", "statefulset/db", `app=${i}`]),
    fc.constantFrom("db-0", "db-1", "db-3").map((p) => ["delete", "pod", p, "--wait=false"]),
    fc.constantFrom("--wait=false", "--cascade=orphan").map((flag) => ["delete", "statefulset", "db", flag]),
    fc.constant<string[]>(["delete", "pvc", "--all", "--wait=false"]),
    fc.tuple(fc.constantFrom(...APPS), fc.constantFrom(...APPS)).map(([from, to]) => ["label", "pods", "-l", `app=${from}`, `app=${to}`, "--overwrite"]),
    fc.constantFrom(...APPS).map((a) => ["delete", "pods", "-l", `app=${a}`, "--wait=false"]),
    fc.constantFrom(...DEPLOYMENTS).map((d) => ["delete", "deployment", d, "--wait=false"]),
    fc.constantFrom("--wait=false", "--cascade=orphan").map((flag) => ["delete", "replicaset", "rs1", flag]),
    fc.constantFrom(...NODES).map((n) => ["cordon", n]),
    fc.tuple(fc.constantFrom(...NODES), fc.constantFrom("role=agent", "role=other", "role-")).map(([n, l]) => ["label", "node", n, l, "--overwrite"]),
    fc.tuple(fc.constantFrom(...NODES), fc.constantFrom("dedicated=x:NoSchedule", "dedicated=x:NoExecute", "dedicated-")).map(([n, t]) => ["taint", "node", n, t]),
    fc.constantFrom("kubetm/app:v1", "kubetm/app:v3", "nginx:1.27").map((i) => ["set", "image", "daemonset/agent", `app=${i}`]),
    fc.constant<string[]>(["rollout", "undo", "daemonset/agent"]),
    fc.constantFrom("--wait=false", "--cascade=orphan").map((flag) => ["delete", "job", "batch", flag]),
    fc.integer({ min: 0, max: 5 }).map((n) => ["patch", "job", "batch", "-p", `{"spec":{"parallelism":${n}}}`]),
    fc.constantFrom("--wait=false", "--cascade=orphan").map((flag) => ["delete", "daemonset", "agent", flag]),
    fc.constantFrom(...NODES).map((n) => ["uncordon", n]),
  ),
});
/**
 * Shell pods (issue #19, compiled loops and the crash-loop path): scripts the shell runs compiled
 * (`while true` loops that echo counters and sleep), scripts it must not compile (a trap, a
 * condition), a crash loop with back-off, output large enough for the log's rotation.
 */
export const SCRIPTS: Record<string, string> = {
  tick: "n=0; while true; do echo tick $n; n=$((n+1)); sleep 10; done",
  count: 'i=5; while :; do echo "count: $i of $HOSTNAME"; i=$(($i - 2)); sleep 3.5; true; done',
  pair: "n=0; k=100; while true; do echo a $n; echo b $k; n=$((n+1)); k=$((k+3)); sleep 1; done",
  big: `n=0; while true; do echo ${"x".repeat(2500)} $n; n=$((n+1)); sleep 1; done`,
  trap: "trap 'echo bye $n; exit 0' TERM; n=0; while true; do echo t $n; n=$((n+1)); sleep 7; done",
  cond: "n=0; while [ $n -lt 1000 ]; do echo c $n; n=$((n+1)); sleep 4; done",
  crash: "echo start; cat /cfg/k; sleep 15; echo crash; exit 1",
  /** Second containers (the `side` of a shell pod): one reads the mounted ConfigMap every 5 s, one exits 2 after 37 s. */
  watchcfg: "n=0; while true; do echo w $n $(cat /cfg/k) $(cat /meta/labels) $(cat /meta/note); n=$((n+1)); sleep 5; done",
  sidecrash: "echo side; cat /cfg/k; sleep 37; exit 2",
  /** Loops that go dormant once a cycle ran (issue #19): a course pod's greeting, a pod that only sleeps, two loops (a background job's and the shell's) writing one log. */
  hello: "while true; do echo hello from $HOSTNAME; sleep 5; done",
  idle: "while true; do sleep 3600; done",
  twin: "(n=0; while true; do echo bg $n; n=$((n+1)); sleep 3; done) & m=0; while true; do echo fg $m; m=$((m+2)); sleep 5; done",
  /** Straight-line crash scripts the shell runs without the interpreter (issue #19, compiled.ts compileStraight): the kubelet bench's, and a side container's. */
  quick: "echo start $HOSTNAME; sleep 15; echo crash; exit 1",
  sidequick: "echo side; v=second; echo got $v; sleep 37; exit 2",
  /** Not generated (a fixed program's): prints the Services' variables at every start (the kubelet's service env, issue #19). */
  envcrash: "echo start $SVC_WEB_SERVICE_HOST $SVC_DB_SERVICE_PORT; env | grep _SERVICE_ | sort; sleep 15; exit 1",
  /** Not generated (a fixed program's, a shell pod with `env`): prints its ConfigMap's variables, a label and the Services' at every start (the kubelet's kept start, issue #19). */
  envfrom: "echo start $CFG_k $FROM_CM $LABEL $SVC_WEB_SERVICE_HOST; env | grep -e ^CFG_ -e ^FROM_ -e ^IP= | sort; sleep 15; exit 1",
};
/** A shell op's script by its name in SCRIPTS (a program naming another is an error, not a pod running `sh -c undefined`). */
function script(name: string): string {
  const text = SCRIPTS[name];
  if (text === undefined) throw new Error(`no shell script ${JSON.stringify(name)} (SCRIPTS has ${Object.keys(SCRIPTS).join(", ")})`);
  return text;
}

/** The scripts the generator picks from. */
const GENERATED_SCRIPTS = Object.keys(SCRIPTS).filter((k) => k !== "envcrash" && k !== "envfrom");
const SHELL_PODS = ["s1", "s2"];
const shell = fc.record({
  op: fc.constant("shell" as const),
  name: fc.constantFrom(...SHELL_PODS),
  script: fc.constantFrom(...GENERATED_SCRIPTS),
  grace: fc.constantFrom(2, 3, 10, 30),
  restartPolicy: fc.constantFrom("Always", "Always", "OnFailure"),
});
/** The ConfigMap "cfg" the shell pods mount at /cfg (optional): a change reaches the files at the next resync. */
const configmap = fc.record({ op: fc.constant("configmap" as const), value: fc.constantFrom("one", "two", "three") });
/** Reads and actions on the shell pods at odd instants: logs with every option, exec, deletion mid-iteration. */
const shellRead = fc.record({
  op: fc.constant("read" as const),
  args: fc.oneof(
    fc.tuple(
      fc.constantFrom(...SHELL_PODS),
      fc.constantFrom<string[]>(["--timestamps"], ["--since=25s"], ["--tail=3", "--timestamps"], ["--previous"], ["--limit-bytes=100"], ["--since=1m", "--tail=2"], []),
    ).map(([p, flags]) => ["logs", p, ...flags]),
    fc.tuple(fc.constantFrom(...SHELL_PODS), fc.constantFrom("kill 1", "kill -9 1", "echo $n; ls /tmp", "cat /cfg/k; ls -l /cfg", "echo in $HOSTNAME; sleep 2; exit 3")).map(([p, cmd]) => ["exec", p, "--", "sh", "-c", cmd]),
    fc.tuple(fc.constantFrom(...SHELL_PODS), fc.constantFrom("--wait=false", "--grace-period=1", "--grace-period=0 --force")).map(([p, f]) => ["delete", "pod", p, ...f.split(" ")]),
  ),
});
const node = fc.record({ op: fc.constant("node" as const), name: fc.constantFrom("n2", "n3"), up: fc.boolean() });
/**
 * What periodic work leaves for a reader at an arbitrary instant (issue #19 §1): Leases and Nodes
 * as YAML (renewTime, heartbeats, resourceVersions), a pod's logs, a file an exec probe reads
 * removed or created from inside the container.
 */
const read = fc.record({
  op: fc.constant("read" as const),
  args: fc.oneof(
    fc.constant<string[]>(["get", "leases", "-n", "kube-node-lease", "-o", "yaml"]),
    fc.constantFrom(...NODES).map((n) => ["get", "node", n, "-o", "yaml"]),
    fc.constantFrom("p1", "p2", "p3").map((p) => ["logs", p, "--timestamps"]),
    fc.tuple(fc.constantFrom("p1", "p2", "p3"), fc.constantFrom("rm -f /tmp/healthy", "touch /tmp/healthy")).map(([p, cmd]) => ["exec", p, "--", "sh", "-c", cmd]),
    // CPU as the cgroups account it (probe answers and traffic): what metrics-server serves, in nanocores.
    fc.constant<string[]>(["top", "pods"]),
    fc.constant<string[]>([METRICS]),
  ),
});
/**
 * Traffic interleaved with probes (issue #19 §1): a client sending `count` requests, one every
 * `everyMs`, to a Service or straight to a pod by name; `/status500` and `/status200` switch what
 * the course app's `/health` answers (its probes fail, then recover). Every request's send and
 * answer instants, outcome and answering pod are part of each observation.
 */
const traffic = fc.record({
  op: fc.constant("traffic" as const),
  target: fc.constantFrom("svc-web", "svc-solo", "p1", "p2", "web-missing"),
  path: fc.constantFrom("/hostname", "/hostname", "/health", "/status500", "/status200"),
  everyMs: fc.constantFrom(1000, 250, 10_000, 333),
  count: fc.constantFrom(1, 5, 40, 400),
});
const advance = fc.record({ op: fc.constant("advance" as const), ms: fc.constantFrom(1, 333, 1000, 2_500, 4000, 7_300, 10_000, 11_700, 30_000, 90_000, 300_000, 700_000) });

const late = fc.record({ op: fc.constant("late" as const), what: fc.constantFrom(...Object.keys(LATE)) });

/**
 * A program where every kind may come first late (issue #19 §5): no Deployment first, the nodes
 * joining at some point (or never), objects of the kinds that start components late among the
 * other operations, time passing between them.
 */
export const lateProgram: fc.Arbitrary<Op[]> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: late },
      { weight: 1, arbitrary: fc.constant({ op: "nodes" as const }) },
      { weight: 1, arbitrary: deployment },
      { weight: 1, arbitrary: pod },
      { weight: 1, arbitrary: service },
      { weight: 1, arbitrary: statefulset },
      { weight: 1, arbitrary: daemonset },
      { weight: 1, arbitrary: job },
      { weight: 2, arbitrary: kubectl },
      { weight: 1, arbitrary: configmap },
      { weight: 4, arbitrary: advance },
    ),
    { minLength: 1, maxLength: 16 },
  )
  .map((ops): Op[] => [...ops, { op: "advance", ms: 30_000 }, { op: "advance", ms: 300_000 }]);

/**
 * A generated program: a Deployment "web" first (so that most later operations act on something),
 * then up to two dozen operations with time passing between most of them, then ten minutes more;
 * in half of them the scheduler's annotations are turned off first.
 */
export const program: fc.Arbitrary<Op[]> = fc
  .tuple(
    fc.boolean(),
    deployment.map((d) => ({ ...d, name: "web" })),
    fc.array(
      fc.oneof(
        { weight: 3, arbitrary: deployment },
        { weight: 1, arbitrary: replicaset },
        { weight: 2, arbitrary: pod },
        { weight: 1, arbitrary: service },
        { weight: 2, arbitrary: statefulset },
        { weight: 2, arbitrary: daemonset },
        { weight: 2, arbitrary: job },
        { weight: 4, arbitrary: kubectl },
        { weight: 1, arbitrary: node },
        { weight: 2, arbitrary: read },
        { weight: 2, arbitrary: traffic },
        { weight: 2, arbitrary: shell },
        { weight: 2, arbitrary: shellRead },
        { weight: 1, arbitrary: configmap },
        { weight: 5, arbitrary: advance },
      ),
      { minLength: 1, maxLength: 24 },
    ),
  )
  // Half the programs turn the scheduler's simulator annotations off, so that its fast Filter,
  // Score and preemption paths run (with them on, a 3-node cluster takes the plain paths).
  .map(([annotations, first, rest]): Op[] => [...(annotations ? [] : [{ op: "scheduler" as const, annotations }]), first, ...rest, { op: "advance", ms: 30_000 }, { op: "advance", ms: 600_000 }]);

function containerYaml(img: string, probe: number, indent: string, cpu = "50m"): string {
  const limits = img.startsWith("demo/leaky") ? ", limits: {memory: 256Mi}" : img.startsWith("demo/busy") ? ", limits: {cpu: 20m}" : "";
  if (img.startsWith("demo/busy")) cpu = "20m";
  const lines = [`- name: app`, `  image: ${img}`, `  resources: {requests: {cpu: ${cpu}, memory: 32Mi}${limits}}`];
  if (img.startsWith("busybox")) lines.push(`  command: ["sh", "-c", "touch /tmp/healthy; i=0; while [ $i -lt 3 ]; do echo tick $i; i=$((i+1)); sleep 20; done; rm /tmp/healthy; sleep 30; exit 3"]`);
  if (probe > 0) {
    if (img.startsWith("busybox")) {
      lines.push(`  livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: ${probe * 2}, failureThreshold: 2}`);
      lines.push(`  readinessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: ${probe}}`);
    } else if (img.startsWith("demo/leaky")) {
      lines.push(`  readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: ${probe}}`);
      lines.push(`  livenessProbe: {tcpSocket: {port: 8080}, periodSeconds: ${probe * 3}, initialDelaySeconds: ${probe}}`);
    } else if (img.startsWith("demo/busy")) {
      // Answers cost 4 ms of CPU under a 20m limit (2 ms a 100 ms period): probes and traffic queue and throttle.
      lines.push(`  readinessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: ${probe}, timeoutSeconds: 1}`);
      lines.push(`  livenessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: ${probe * 2}, failureThreshold: 2, timeoutSeconds: 1}`);
    } else {
      const port = img.startsWith("nginx") ? 80 : 8080;
      const path = img.startsWith("nginx") ? "/" : "/health";
      lines.push(`  readinessProbe: {httpGet: {path: ${path}, port: ${port}}, periodSeconds: ${probe}, initialDelaySeconds: ${probe}}`);
      lines.push(`  livenessProbe: {httpGet: {path: ${path}, port: ${port}}, periodSeconds: ${probe * 3}, failureThreshold: 2}`);
    }
  }
  return lines.map((l) => indent + l).join("\n");
}

function manifest(o: Op): string {
  switch (o.op) {
    case "deployment": {
      const [kind, surge, unavailable] = o.strategy.split(":");
      const strategy =
        kind === "Recreate" ? "{type: Recreate}" : surge !== undefined ? `{type: RollingUpdate, rollingUpdate: {maxSurge: ${surge}, maxUnavailable: ${unavailable}}}` : "{type: RollingUpdate}";
      return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${o.name}}
spec:
  replicas: ${o.replicas}
  minReadySeconds: ${o.minReady}
  strategy: ${strategy}
  selector: {matchLabels: {app: ${o.name}}}
  template:
    metadata: {labels: {app: ${o.name}}}
    spec:
      terminationGracePeriodSeconds: 3
      containers:
${containerYaml(o.image, o.probe, "      ")}
`;
    }
    case "statefulset": {
      const strategy = o.partition ? `{type: RollingUpdate, rollingUpdate: {partition: ${o.partition}}}` : "{type: RollingUpdate}";
      const claims = o.claims
        ? `
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: ${o.whenScaled}}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}`
        : "";
      const mounts = o.claims ? `
        volumeMounts: [{name: data, mountPath: /data}]` : "";
      return `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${o.name}}
spec:
  serviceName: svc-db
  replicas: ${o.replicas}
  minReadySeconds: ${o.minReady}
  podManagementPolicy: ${o.policy}
  updateStrategy: ${strategy}
  selector: {matchLabels: {app: ${o.name}}}
  template:
    metadata: {labels: {app: ${o.name}}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
${containerYaml(o.image, o.probe, "      ")}${mounts}${claims}
`;
    }
    case "daemonset": {
      const [kind, value] = o.strategy.split(":");
      const strategy =
        kind === "OnDelete" ? "{type: OnDelete}" : kind === "surge" ? `{type: RollingUpdate, rollingUpdate: {maxSurge: ${value}, maxUnavailable: 0}}` : `{type: RollingUpdate, rollingUpdate: {maxUnavailable: ${value}}}`;
      return `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${o.name}}
spec:
  minReadySeconds: ${o.minReady}
  updateStrategy: ${strategy}
  selector: {matchLabels: {app: ${o.name}}}
  template:
    metadata: {labels: {app: ${o.name}}}
    spec:
      terminationGracePeriodSeconds: 2${o.nodeSelector ? "\n      nodeSelector: {role: agent}" : ""}
      containers:
${containerYaml(o.image, o.probe, "      ")}
`;
    }
    case "job": {
      // Each pod fails while the number of failures so far (its own file, or its index) is below `fail`.
      const script = `n=\${JOB_COMPLETION_INDEX:-0}; sleep 3; if [ $n -lt ${o.fail} ] && [ ! -f /tmp/again ]; then touch /tmp/again; echo failing; exit 1; fi; echo done`;
      return `apiVersion: batch/v1
kind: Job
metadata: {name: ${o.name}}
spec:
  completions: ${o.completions}
  parallelism: ${o.parallelism}
  backoffLimit: ${o.backoffLimit}${o.indexed ? "\n  completionMode: Indexed" : ""}
  template:
    spec:
      restartPolicy: ${o.restartPolicy}
      terminationGracePeriodSeconds: 1
      containers:
      - name: work
        image: busybox:1.36
        command: ["sh", "-c", ${JSON.stringify(script)}]
        resources: {requests: {cpu: 50m, memory: 32Mi}}
`;
    }
    case "replicaset":
      return `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ${o.name}}
spec:
  replicas: ${o.replicas}
  selector: {matchLabels: {app: ${o.app}}}
  template:
    metadata: {labels: {app: ${o.app}, tier: rs}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
${containerYaml("kubetm/app:v1", 2, "      ")}
`;
    case "pod":
      return `apiVersion: v1
kind: Pod
metadata: {name: ${o.name}, labels: {app: ${o.app}}}
spec:
  restartPolicy: ${o.restartPolicy}
  terminationGracePeriodSeconds: 2${o.priorityClass ? `\n  priorityClassName: ${o.priorityClass}` : ""}${o.gate ? `\n  readinessGates: [{conditionType: example.com/gate}]` : ""}
  containers:
${containerYaml(o.image, o.probe, "  ", o.cpu)}
`;
    case "shell":
      return `apiVersion: v1
kind: Pod
metadata: {name: ${o.name}, labels: {app: shell}}
spec:
  restartPolicy: ${o.restartPolicy}
  terminationGracePeriodSeconds: ${o.grace}${o.priorityClass ? `\n  priorityClassName: ${o.priorityClass}` : ""}
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", ${JSON.stringify(script(o.script))}]
    terminationMessagePolicy: FallbackToLogsOnError
    resources: {requests: {cpu: ${o.cpu ?? "10m"}, memory: 16Mi}}${
      o.env
        ? `
    envFrom: [{configMapRef: {name: cfg, optional: true}, prefix: CFG_}]
    env:
    - {name: FROM_CM, valueFrom: {configMapKeyRef: {name: cfg, key: k, optional: true}}}
    - {name: IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}${o.env === "label" ? `\n    - {name: LABEL, valueFrom: {fieldRef: {fieldPath: "metadata.labels['tier']"}}}` : ""}`
        : ""
    }
    volumeMounts: [{name: cfg, mountPath: /cfg}]${
      o.side
        ? `
  - name: side
    image: busybox:1.36
    command: ["sh", "-c", ${JSON.stringify(script(o.side))}]
    volumeMounts: [{name: cfg, mountPath: /cfg}, {name: meta, mountPath: /meta}]`
        : ""
    }
  volumes: [{name: cfg, configMap: {name: cfg, optional: true}}${
    o.side ? `, {name: meta, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: note, fieldRef: {fieldPath: "metadata.annotations['note']"}}]}}` : ""
  }]
`;
    case "configmap":
      return `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {k: ${o.value}}
`;
    case "service":
      return `apiVersion: v1
kind: Service
metadata: {name: svc-${o.app}}
spec:
  selector: {app: ${o.app}}
  ports: [{port: 80, targetPort: ${o.targetPort ?? 8080}}]${o.publishNotReady ? "\n  publishNotReadyAddresses: true" : ""}
`;
    case "rbac": {
      const text = RBAC[o.what];
      if (text === undefined) throw new Error(`no ClusterRole ${JSON.stringify(o.what)}`);
      return text;
    }
    case "late": {
      const text = LATE[o.what];
      if (text === undefined) throw new Error(`no late object ${JSON.stringify(o.what)}`);
      return text;
    }
    default:
      throw new Error(`no manifest for ${o.op}`);
  }
}

/** What a reader sees after each step: kubectl's views and the whole store. */
const VIEWS: string[][] = [
  ["get", "all", "-A", "-o", "wide"],
  ["get", "events", "-A"],
  ["describe", "pods"],
  ["get", "nodes", "-o", "wide"],
];

/**
 * Runs a program on a fresh cluster (three nodes) and returns its transcript: one entry per
 * operation (what it printed) and per observation. `reference` picks the engine.
 */
export function runProgram(ops: Op[], reference: boolean, observeEvery = 1): string[] {
  const c = new Cluster({ seed: 7, reference, advanceBudgetMs: 0 });
  const out: string[] = [];
  const clients: TrafficClient[] = [];
  try {
    declareApplication(c.ctx, "demo/flaky", {
      ports: [8080],
      startup: "4s",
      routes: { "/health": { status: 200, timeline: [{ after: 0, status: 200 }, { after: "95s", status: 503 }, { after: "4m", status: 200 }] } },
      exitAfter: "9m",
      exitCode: 2,
    });
    declareApplication(c.ctx, "demo/leaky", {
      ports: [8080],
      startup: "2s",
      routes: { "/": { status: 200, body: "ok" } },
      memory: [
        { after: 0, bytes: "40Mi" },
        { after: "70s", bytes: "300Mi" },
      ],
    });
    declareApplication(c.ctx, "demo/hog", {
      ports: [8080],
      routes: { "/health": { status: 200 } },
      memory: [
        { after: 0, bytes: "64Mi" },
        { after: "2m", bytes: "4020Mi" },
      ],
    });
    // Only in fixed programs: no CPU limit, and one route that costs 1.5 s of CPU (answers behind it wait).
    declareApplication(c.ctx, "demo/crunch", {
      ports: [8080],
      routes: { "/health": { status: 200 }, "/work": { status: 200, cpu: "1500ms" } },
    });
    declareApplication(c.ctx, "demo/busy", {
      ports: [8080],
      startup: "1s",
      cpu: { perRequest: "4ms" },
      routes: {
        "/health": { status: 200, timeline: [{ after: 0, status: 200 }, { after: "2m", status: 200, cpu: "1ms" }, { after: "6m", status: 500 }] },
        "/hostname": { status: 200, body: "{hostname}" },
        "/status500": { status: 200, sets: { "/health": { status: 503, body: "broken" } } },
        "/status200": { status: 200, sets: { "/health": { status: 200, body: "fixed" } } },
      },
    });
    const nodeRows = NODES.map((name, i) => ({ name, labels: `zone=z${i % 2}`, cpu: "2", memory: "4Gi" }));
    if (!ops.some((o) => o.op === "nodes")) c.addNodesFromTable(nodeRows);
    ops.forEach((o, i) => {
      let said: string;
      try {
        if (o.op === "nodes") {
          c.addNodesFromTable(nodeRows);
          said = "nodes joined";
        } else if (o.op === "advance") {
          c.advanceSync(o.ms);
          said = `advanced ${o.ms} ms`;
        } else if (o.op === "eventcache") {
          c.ctx.events.correlatorOptions = { lruCacheSize: o.size };
          said = `event caches of ${o.size}`;
        } else if (o.op === "scheduler") {
          schedulerOf(c.ctx)!.opts.annotations = o.annotations;
          said = `scheduler annotations ${o.annotations ? "on" : "off"}`;
        } else if (o.op === "node") {
          if (o.up) nodeOperations(c.ctx).startKubelet(o.name);
          else nodeOperations(c.ctx).stopKubelet(o.name);
          said = `node ${o.name} ${o.up ? "up" : "down"}`;
        } else if (o.op === "traffic") {
          const client = new TrafficClient(c.ctx, `http://${o.target}:${o.target.startsWith("svc-") ? 80 : 8080}${o.path}`, o.everyMs);
          clients.push(client);
          client.start(o.count);
          said = `traffic ${client.url}`;
        } else if (o.op === "memory") {
          if (o.how === "declared") useMemory(c.ctx, o.target, undefined, o.amount);
          else if (o.how === "system") useSystemMemory(c.ctx, o.target, o.amount);
          else {
            const pod = c.api.get("Pod", "default", o.target);
            const k = kubelets(c.ctx).get(pod?.spec?.nodeName ?? "");
            const inst = k?.runningContainers().find((i) => i.podUid === pod?.metadata.uid);
            const app = inst?.process?.app;
            if (!(app instanceof AppProcess)) throw new Error(`no running application model in pod ${o.target}`);
            app.memoryOverride = memoryBytes(o.amount);
            c.ctx.clock.settle();
          }
          said = `memory ${o.how} ${o.target} ${o.amount}`;
        } else if (o.op === "owned") {
          const [kind, a, b] = o.owner.split("/");
          const owner = b === undefined ? c.api.get(kind, undefined, a) : c.api.get(kind, a, b);
          if (!owner) throw new Error(`no ${o.owner} to own ${o.name}`);
          const uid = o.dangling ? "0badc0de-0000-4000-8000-000000000000" : owner.metadata.uid;
          const ref = { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid, ...(o.block ? { blockOwnerDeletion: true } : {}) };
          const r = c.kubectlSync(["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: o.name, namespace: "default", ownerReferences: [ref] }, data: { owner: o.owner } }));
          said = `exit ${r.exitCode}\n${r.stdout}${r.stderr}`;
        } else if (o.op === "read" && o.args[0] === METRICS) {
          said = [...kubelets(c.ctx).entries()].map(([n, k]) => `${n} ${JSON.stringify(k.resourceMetrics() ?? null)}`).join("\n");
        } else if (o.op === "read") {
          const r = c.kubectlSync(o.args);
          said = `exit ${r.exitCode}\n${r.stdout}${r.stderr}`;
        } else {
          const r = o.op === "kubectl" ? c.kubectlSync(o.args) : c.kubectlSync(["apply", "-f", "-"], manifest(o));
          said = `exit ${r.exitCode}\n${r.stdout}${r.stderr}`;
        }
      } catch (e) {
        said = `threw ${(e as Error).message}`;
      }
      out.push(`#${i} ${JSON.stringify(o)}\n${said}`);
      if ((i + 1) % observeEvery === 0 || i === ops.length - 1) out.push(...observe(c, i), ...clients.map((cl, k) => trafficLines(cl, k, i)));
    });
  } finally {
    void c.close();
  }
  return out;
}

function observe(c: Cluster, i: number): string[] {
  const views = VIEWS.map((v) => {
    const r = c.kubectlSync(v);
    return `#${i} kubectl ${v.join(" ")} (exit ${r.exitCode})\n${r.stdout}${r.stderr}`;
  });
  return [...views, `#${i} store\n${storeLines(c)}`];
}

/** What a traffic client saw so far: each request's instants, outcome and answering pod. */
function trafficLines(client: TrafficClient, k: number, i: number): string {
  const lines = client.records.map((r) => `${r.sentAt} ${r.doneAt} ${r.pod ?? "-"} ${JSON.stringify(r.outcome)}`);
  return `#${i} traffic ${k} ${client.url} (pending ${client.pending})\n${lines.join("\n")}`;
}

/** Every stored object (each resource at its storage version), one JSON line each. */
function storeLines(c: Cluster): string {
  const lines: string[] = [];
  for (const r of RESOURCE_TYPES) {
    if (!r.storable || apiVersionOf(r) !== r.storageVersion) continue;
    for (const o of c.api.list(r.key)) lines.push(JSON.stringify(o));
  }
  return lines.join("\n");
}

/** The first difference between two transcripts, for a failure message; undefined when equal. */
export function firstDifference(a: string[], b: string[]): string | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    const head = (a[i] ?? b[i] ?? "").split("\n")[0];
    const la = (a[i] ?? "(missing)").split("\n");
    const lb = (b[i] ?? "(missing)").split("\n");
    for (let j = 0; j < Math.max(la.length, lb.length); j++) {
      if (la[j] !== lb[j]) return `entry ${i} (${head}), line ${j}:\n  fast:      ${(la[j] ?? "(none)").slice(0, 1500)}\n  reference: ${(lb[j] ?? "(none)").slice(0, 1500)}`;
    }
    return `entry ${i} (${head}) differs`;
  }
  return undefined;
}
