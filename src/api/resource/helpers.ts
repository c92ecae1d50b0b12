/**
 * A container's requests and limits through the downward API (pkg/api/v1/resource/helpers.go):
 * ExtractContainerResourceValue with its divisor and ceiling rounding, and
 * MergeContainerResourceLimits, which gives a container without a cpu, memory or
 * ephemeral-storage limit the node's allocatable as its limit.
 */
import type { KObject } from "../types.ts";
import { Quantity } from "../quantity.ts";

export interface ResourceFieldSelector {
  containerName?: string;
  resource: string;
  divisor?: string | number;
}

type ResourceList = Readonly<Record<string, string | number>>;
interface ContainerResources {
  name: string;
  resources?: { limits?: ResourceList; requests?: ResourceList };
}

function q(v: string | number | undefined): Quantity {
  return v === undefined ? Quantity.parse("0") : Quantity.parse(String(v));
}

/** convertResourceCPUToString: millicores over the divisor's, rounded up. */
function cpuToString(cpu: Quantity, divisor: Quantity): string {
  return String(Math.ceil(cpu.milliValue() / divisor.milliValue()));
}

/** convertResourceMemoryToString (and ephemeral storage, hugepages): bytes over the divisor's, rounded up. */
function bytesToString(v: Quantity, divisor: Quantity): string {
  return String(Math.ceil(v.value() / divisor.value()));
}

/** ExtractContainerResourceValue: the value a resourceFieldRef gives for this container. */
export function extractContainerResourceValue(fs: ResourceFieldSelector, container: ContainerResources): string | Error {
  const d = fs.divisor === undefined ? Quantity.parse("0") : Quantity.parse(String(fs.divisor));
  const divisor = d.isZero() ? Quantity.parse("1") : d;
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  switch (fs.resource) {
    case "limits.cpu":
      return cpuToString(q(limits.cpu), divisor);
    case "limits.memory":
      return bytesToString(q(limits.memory), divisor);
    case "limits.ephemeral-storage":
      return bytesToString(q(limits["ephemeral-storage"]), divisor);
    case "requests.cpu":
      return cpuToString(q(requests.cpu), divisor);
    case "requests.memory":
      return bytesToString(q(requests.memory), divisor);
    case "requests.ephemeral-storage":
      return bytesToString(q(requests["ephemeral-storage"]), divisor);
  }
  const m = /^(requests|limits)\.(hugepages-.+)$/.exec(fs.resource);
  if (m) return bytesToString(q((m[1] === "requests" ? requests : limits)[m[2]!]), divisor);
  return new Error(`unsupported container resource : ${fs.resource}`);
}

/** MergeContainerResourceLimits: a copy of the container whose missing (or zero) limits are the node's allocatable. */
export function mergeContainerResourceLimits<C extends ContainerResources>(container: C, allocatable: ResourceList): C {
  const limits: Record<string, string | number> = { ...(container.resources?.limits ?? {}) };
  for (const r of ["cpu", "memory", "ephemeral-storage"]) {
    const have = limits[r];
    if ((have === undefined || q(have).isZero()) && allocatable[r] !== undefined) limits[r] = allocatable[r]!;
  }
  return { ...container, resources: { ...(container.resources ?? {}), limits } };
}

/** findContainerInPod: regular containers first, then init containers. */
export function findContainerInPod(pod: KObject, name: string): ContainerResources | Error {
  for (const c of pod.spec?.containers ?? []) if (c.name === name) return c;
  for (const c of pod.spec?.initContainers ?? []) if (c.name === name) return c;
  return new Error(`container ${name} not found`);
}

/** ExtractResourceValueByContainerNameAndNodeAllocatable (downward API volumes). */
export function extractResourceValueByContainerNameAndNodeAllocatable(fs: ResourceFieldSelector, pod: KObject, containerName: string, allocatable: ResourceList): string | Error {
  const c = findContainerInPod(pod, containerName);
  if (c instanceof Error) return c;
  return extractContainerResourceValue(fs, mergeContainerResourceLimits(c, allocatable));
}
