/**
 * Kubelet admission of a pod bound to its node (pkg/kubelet/lifecycle/predicate.go): the
 * scheduler's AdmissionCheck (resources fit — pods, cpu, memory, ephemeral-storage —, node
 * affinity/selector, node name, host ports) and NoExecute taints not tolerated. The first failure
 * gives the reason (`OutOfcpu`, `OutOfmemory`, `OutOfpods`, `NodeAffinity`, `TaintToleration`, ...).
 */
import { Quantity } from "../../api/quantity.ts";
import type { Container, Node, NodeSelectorRequirement, Pod, Taint, Toleration } from "../../api/types.gen.ts";

export interface AdmitResult {
  admit: boolean;
  reason?: string;
  message?: string;
}

function q(v: unknown): Quantity | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  try {
    return Quantity.parse(String(v));
  } catch {
    return undefined;
  }
}

/** One resource of a pod request: cpu in millicores, others in units. */
function amount(resource: string, v: unknown): number {
  const x = q(v);
  if (!x) return 0;
  return resource === "cpu" ? x.milliValue() : x.value();
}

function containerRequest(c: Container, resource: string): number {
  const req = c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource];
  return amount(resource, req);
}

/**
 * The pod's effective request (resourcehelper.PodRequests): regular containers and sidecars add up;
 * a regular init container needs its own request plus the sidecars started before it; the pod asks
 * for the larger; overhead adds on top.
 */
export function podRequest(pod: Pod, resource: string): number {
  const spec = pod.spec;
  // Kept per frozen spec (issue #19): the kubelet admits each new pod against every pod it runs, so a
  // node's first starts asked each stored pod's requests again and again (quadratic in its pods).
  // A function of the spec alone; a frozen spec cannot change.
  if (spec !== undefined && spec !== null && Object.isFrozen(spec)) {
    let byResource = keptRequests.get(spec);
    if (byResource === undefined) keptRequests.set(spec, (byResource = new Map()));
    let v = byResource.get(resource);
    if (v === undefined) byResource.set(resource, (v = computePodRequest(spec, resource)));
    return v;
  }
  return computePodRequest(spec ?? {}, resource);
}

const keptRequests = new WeakMap<object, Map<string, number>>();

function computePodRequest(spec: Partial<NonNullable<Pod["spec"]>>, resource: string): number {
  let sum = 0;
  for (const c of spec.containers ?? []) sum += containerRequest(c, resource);
  let sidecars = 0;
  let initMax = 0;
  for (const c of spec.initContainers ?? []) {
    const r = containerRequest(c, resource);
    if (c.restartPolicy === "Always") {
      sidecars += r;
      initMax = Math.max(initMax, sidecars);
    } else initMax = Math.max(initMax, sidecars + r);
  }
  const total = Math.max(sum + sidecars, initMax);
  return total + amount(resource, spec.overhead?.[resource]);
}

function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === "Exists") return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
}

function matchSelector(labels: Record<string, string>, req: NodeSelectorRequirement): boolean {
  const v = labels[req.key];
  switch (req.operator) {
    case "In":
      return v !== undefined && (req.values ?? []).includes(v);
    case "NotIn":
      return v === undefined || !(req.values ?? []).includes(v);
    case "Exists":
      return v !== undefined;
    case "DoesNotExist":
      return v === undefined;
    case "Gt":
    case "Lt": {
      const n = Number(v);
      const w = Number(req.values?.[0]);
      if (v === undefined || !Number.isInteger(n) || !Number.isInteger(w)) return false;
      return req.operator === "Gt" ? n > w : n < w;
    }
    default:
      return false;
  }
}

function matchesNodeAffinity(pod: Pod, node: Node): boolean {
  const labels: Record<string, string> = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return true;
  return terms.some((t) => {
    const exprs = t.matchExpressions ?? [];
    const fields = t.matchFields ?? [];
    if (!exprs.length && !fields.length) return false;
    return exprs.every((r) => matchSelector(labels, r)) && fields.every((r) => matchSelector({ "metadata.name": node.metadata.name ?? "" }, r));
  });
}

function hostPorts(pod: Pod): string[] {
  const out: string[] = [];
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${p.protocol ?? "TCP"}/${p.hostIP ?? "0.0.0.0"}/${p.hostPort}`);
  }
  return out;
}

/**
 * Whether the node admits `pod`, given the pods already admitted there (`others`, non-terminal).
 */
/** admitPod's refusal for a resource the node lacks (a function, not a named closure per admission: issue #19). */
function insufficient(resource: string, requested: number, used: number, capacity: number): AdmitResult {
  return {
    admit: false,
    reason: { cpu: "OutOfcpu", memory: "OutOfmemory", "ephemeral-storage": "OutOfephemeral-storage", pods: "OutOfpods" }[resource] ?? `OutOf${resource}`,
    message: `Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
  };
}

export function admitPod(pod: Pod, node: Node, others: Pod[]): AdmitResult {
  const allocatable: Record<string, string | number> = node.status?.allocatable ?? {};
  const allowedPods = amount("pods", allocatable.pods ?? "110");
  if (others.length + 1 > allowedPods) return insufficient("pods", 1, others.length, allowedPods);
  for (const resource of ["cpu", "memory", "ephemeral-storage"]) {
    const requested = podRequest(pod, resource);
    if (requested === 0) continue;
    const capacity = amount(resource, allocatable[resource]);
    const used = others.reduce((s, p) => s + podRequest(p, resource), 0);
    if (requested > capacity - used) return insufficient(resource, requested, used, capacity);
  }
  for (const [name, value] of Object.entries(pod.spec?.containers?.reduce?.((m: Record<string, unknown>, c) => ({ ...m, ...(c.resources?.requests ?? {}) }), {}) ?? {})) {
    if (["cpu", "memory", "ephemeral-storage"].includes(name) || name.startsWith("hugepages-")) continue;
    if (!name.includes("/")) continue;
    const capacity = amount(name, allocatable[name]);
    const requested = podRequest(pod, name);
    const used = others.reduce((s, p) => s + podRequest(p, name), 0);
    if (allocatable[name] !== undefined && requested > capacity - used) return insufficient(name, requested, used, capacity);
    void value;
  }
  if (!matchesNodeAffinity(pod, node)) {
    return { admit: false, reason: "NodeAffinity", message: "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector" };
  }
  if (pod.spec?.nodeName && pod.spec.nodeName !== node.metadata.name) {
    return { admit: false, reason: "NodeName", message: "Predicate NodeName failed: node(s) didn't match the requested node name" };
  }
  const wanted = hostPorts(pod);
  if (wanted.length) {
    const taken = new Set(others.flatMap(hostPorts));
    if (wanted.some((p) => taken.has(p))) {
      return { admit: false, reason: "NodePorts", message: "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports" };
    }
  }
  const untolerated = (node.spec?.taints ?? []).find(
    (t) => t.effect === "NoExecute" && !(pod.spec?.tolerations ?? []).some((tol) => tolerates(tol, t)),
  );
  if (untolerated) {
    return { admit: false, reason: "TaintToleration", message: "Predicate TaintToleration failed: node(s) had untolerated taint" };
  }
  return { admit: true };
}
