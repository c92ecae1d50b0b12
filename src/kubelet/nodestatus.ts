/**
 * The node status a kubelet reports (pkg/kubelet/nodestatus setters): addresses, capacity and
 * allocatable, the four conditions with kubelet's reasons and messages, daemon endpoints, node info.
 */
import type { KObject } from "../api/types.ts";
import type { NodeCondition } from "../api/types.gen.ts";

export const KUBELET_VERSION = "v1.32.0";

export const DEFAULT_CAPACITY: Record<string, string> = {
  cpu: "4",
  "ephemeral-storage": "102400000Ki",
  "hugepages-1Gi": "0",
  "hugepages-2Mi": "0",
  memory: "8Gi",
  pods: "110",
};

export interface NodeConditionState {
  memoryPressure: boolean;
  diskPressure: boolean;
  pidPressure: boolean;
  ready: boolean;
}

const CONDITION_TEXT = {
  MemoryPressure: [
    ["KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
    ["KubeletHasInsufficientMemory", "kubelet has insufficient memory available"],
  ],
  DiskPressure: [
    ["KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
    ["KubeletHasDiskPressure", "kubelet has disk pressure"],
  ],
  PIDPressure: [
    ["KubeletHasSufficientPID", "kubelet has sufficient PID available"],
    ["KubeletHasInsufficientPID", "kubelet has insufficient PID available"],
  ],
  Ready: [
    ["KubeletNotReady", "container runtime is down"],
    ["KubeletReady", "kubelet is posting ready status"],
  ],
} as const;

/** The node's IP on the node network, from its join order (kind-style 172.18.0.0/16). */
export function nodeInternalIP(index: number): string {
  const n = index + 2;
  return `172.18.${Math.floor(n / 254)}.${(n % 254) + 1}`;
}

/** Deterministic ids for nodeInfo, derived from the node's name (no randomness). */
function hashHex(text: string, len: number): string {
  let h1 = 0x811c9dc5;
  let out = "";
  while (out.length < len) {
    for (let i = 0; i < text.length; i++) h1 = Math.imul(h1 ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h1 = Math.imul(h1 ^ out.length, 0x01000193) >>> 0;
    out += h1.toString(16).padStart(8, "0");
  }
  return out.slice(0, len);
}

function uuidFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function nodeInfo(name: string): Record<string, string> {
  return {
    architecture: "amd64",
    bootID: uuidFrom(hashHex(`boot:${name}`, 32)),
    containerRuntimeVersion: "containerd://1.7.24",
    kernelVersion: "6.1.0-28-amd64",
    kubeProxyVersion: KUBELET_VERSION,
    kubeletVersion: KUBELET_VERSION,
    machineID: hashHex(`machine:${name}`, 32),
    operatingSystem: "linux",
    osImage: "Debian GNU/Linux 12 (bookworm)",
    systemUUID: uuidFrom(hashHex(`system:${name}`, 32)),
  };
}

/** The capacity the node reports: what its status gave (table or manifest), defaults for the rest. */
export function nodeCapacity(node: KObject): Record<string, string> {
  const given: Record<string, string> = node.status?.capacity ?? {};
  const out: Record<string, string> = {};
  for (const k of Object.keys({ ...DEFAULT_CAPACITY, ...given }).sort()) out[k] = String(given[k] ?? DEFAULT_CAPACITY[k]);
  return out;
}

export function nodeAllocatable(node: KObject, capacity: Record<string, string>): Record<string, string> {
  const given: Record<string, string> = node.status?.allocatable ?? {};
  const out: Record<string, string> = {};
  for (const k of Object.keys(capacity)) out[k] = String(given[k] ?? capacity[k]);
  return out;
}

/**
 * Conditions as setters.MemoryPressureCondition & co. build them: lastTransitionTime moves only
 * when the status flips; lastHeartbeatTime is the time of this report.
 */
export function nodeConditions(previous: NodeCondition[] | undefined, state: NodeConditionState, now: string): NodeCondition[] {
  const want: Array<[keyof typeof CONDITION_TEXT, boolean]> = [
    ["MemoryPressure", state.memoryPressure],
    ["DiskPressure", state.diskPressure],
    ["PIDPressure", state.pidPressure],
    ["Ready", state.ready],
  ];
  return want.map(([type, on]) => {
    const status = on ? "True" : "False";
    const [reason, message] = CONDITION_TEXT[type][on ? 1 : 0];
    const prev = previous?.find((c) => c.type === type);
    return {
      lastHeartbeatTime: now,
      lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now,
      message,
      reason,
      status,
      type,
    };
  });
}
