/**
 * One simulated kubelet per node. This part registers the node, reports its status every 10 s
 * (posting when something changed, or every 5 minutes otherwise: nodeStatusUpdateFrequency and
 * nodeStatusReportFrequency) and renews its Lease in kube-node-lease every 10 s (a quarter of the
 * 40 s lease duration), as pkg/kubelet/kubelet_node_status.go and nodelease do.
 */
import type { ClusterContext } from "../context.ts";
import type { KObject } from "../api/types.ts";
import type { TimerHandle } from "../sim/clock.ts";
import { nodeAllocatable, nodeCapacity, nodeConditions, nodeInfo, nodeInternalIP, type NodeConditionState } from "./nodestatus.ts";

export const NODE_STATUS_UPDATE_MS = 10_000;
export const NODE_STATUS_REPORT_MS = 5 * 60_000;
export const LEASE_DURATION_S = 40;
export const LEASE_RENEW_MS = 10_000;

export class Kubelet {
  private timers: TimerHandle[] = [];
  private lastReport = -Infinity;
  private running = false;
  /** Condition inputs other kubelet parts (eviction manager, runtime) set. */
  readonly conditionState: NodeConditionState = { memoryPressure: false, diskPressure: false, pidPressure: false, ready: true };

  constructor(
    readonly ctx: ClusterContext,
    readonly nodeName: string,
    /** Join order of the node, which fixes its IP. */
    readonly index: number,
  ) {}

  get internalIP(): string {
    return nodeInternalIP(this.index);
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.registerNode();
    this.renewLease();
    this.timers.push(this.ctx.clock.setInterval(() => this.syncNodeStatus(false), NODE_STATUS_UPDATE_MS));
    this.timers.push(this.ctx.clock.setInterval(() => this.renewLease(), LEASE_RENEW_MS));
  }

  /** Stops every loop of this kubelet (the node goes down). */
  stop(): void {
    this.running = false;
    for (const t of this.timers) this.ctx.clock.clear(t);
    this.timers = [];
  }

  node(): KObject | undefined {
    return this.ctx.api.get("Node", undefined, this.nodeName);
  }

  /** kubelet's updateDefaultLabels and initial status on registration. */
  private registerNode(): void {
    const node = this.node();
    if (!node) return;
    this.ctx.api.mutate("Node", undefined, this.nodeName, (n) => {
      n.metadata.labels = {
        ...n.metadata.labels,
        "kubernetes.io/arch": n.metadata.labels?.["kubernetes.io/arch"] ?? "amd64",
        "kubernetes.io/hostname": n.metadata.labels?.["kubernetes.io/hostname"] ?? this.nodeName,
        "kubernetes.io/os": n.metadata.labels?.["kubernetes.io/os"] ?? "linux",
        "beta.kubernetes.io/arch": n.metadata.labels?.["beta.kubernetes.io/arch"] ?? "amd64",
        "beta.kubernetes.io/os": n.metadata.labels?.["beta.kubernetes.io/os"] ?? "linux",
      };
      n.metadata.labels = sortKeys(n.metadata.labels!);
      n.metadata.annotations = sortKeys({
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        ...n.metadata.annotations,
      });
    });
    this.syncNodeStatus(true);
  }

  /** Computes the node status and posts it when it changed or the report period has passed. */
  syncNodeStatus(force: boolean): void {
    const node = this.node();
    if (!node || !this.running) return;
    const now = this.ctx.clock.now();
    const nowText = this.ctx.clock.nowRFC3339();
    const capacity = nodeCapacity(node);
    const status = {
      ...node.status,
      addresses: [
        { address: this.internalIP, type: "InternalIP" },
        { address: this.nodeName, type: "Hostname" },
      ],
      allocatable: nodeAllocatable(node, capacity),
      capacity,
      conditions: nodeConditions(node.status?.conditions, this.conditionState, nowText),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: nodeInfo(this.nodeName),
    };
    const changed = JSON.stringify(withoutHeartbeats(status)) !== JSON.stringify(withoutHeartbeats(node.status ?? {}));
    if (!force && !changed && now - this.lastReport < NODE_STATUS_REPORT_MS) return;
    this.lastReport = now;
    this.ctx.api.mutate("Node", undefined, this.nodeName, (n) => (n.status = status), { subresource: "status" });
  }

  private renewLease(): void {
    if (!this.running) return;
    const node = this.node();
    if (!node) return;
    const renewTime = this.ctx.clock.nowMicroRFC3339();
    const existing = this.ctx.api.get("Lease", "kube-node-lease", this.nodeName);
    if (existing) {
      this.ctx.api.mutate("Lease", "kube-node-lease", this.nodeName, (l) => (l.spec.renewTime = renewTime));
      return;
    }
    this.ctx.api.create({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: this.nodeName,
        namespace: "kube-node-lease",
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name: this.nodeName, uid: node.metadata.uid! }],
      },
      spec: { holderIdentity: this.nodeName, leaseDurationSeconds: LEASE_DURATION_S, renewTime },
    });
  }
}

function withoutHeartbeats(status: any): any {
  return { ...status, conditions: (status.conditions ?? []).map((c: any) => ({ ...c, lastHeartbeatTime: undefined })) };
}

function sortKeys(m: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k];
  return out;
}
