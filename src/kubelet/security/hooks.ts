/**
 * The kubelet's and the runtime's security-profile hooks at a container's creation (called from
 * kuberuntime/kuberuntime_manager.ts start): which AppArmor profile confines it, or the error
 * containerd's CreateContainer returns; its filesystem as the confined processes reach it;
 * `/proc/1/attr/current`; the seccomp profile read from the node and what its filter does to the
 * start (seccomp.ts).
 */
import type { Container, Pod } from "../../api/types.gen.ts";
import type { Vfs } from "../../runtime/types.ts";
import { AppArmorFs, attrCurrent, confine, CONTAINERD_DEFAULT_PROFILE, type Confinement, type NodeAppArmor } from "./apparmor.ts";
import { loadProfile, refusesAny, seccompProfileFor, startOutcome, type SeccompOutcome, type SeccompProfile } from "./seccomp.ts";

export type { NodeAppArmor } from "./apparmor.ts";

/** The container's confinement, the CreateContainer error text, or undefined on a host without AppArmor. */
export function appArmorConfinement(node: NodeAppArmor | undefined, pod: Pod, container: Container): Confinement | string | undefined {
  if (!node) return undefined;
  const c = confine(pod, container, node);
  return "error" in c ? c.error : c;
}

/** The filesystem the container's processes see: a profile of the user's own (Localhost) mediates it. */
export function confinedFs(fs: Vfs, c: Confinement | undefined): Vfs {
  // The runtime default allows file access as modelled (apparmor.ts): no mediation to pay for.
  if (!c?.profile || c.profile.name === CONTAINERD_DEFAULT_PROFILE) return fs;
  return new AppArmorFs(fs, c.profile);
}

/** `/proc/1/attr/current` in the container's root (the kernel's view of PID 1's label). */
export function writeAttrCurrent(root: Vfs, c: Confinement | undefined): void {
  if (!c) return;
  root.mkdir("/proc/1/attr", { recursive: true });
  root.writeFile("/proc/1/attr/current", attrCurrent(c));
}

/**
 * containerd's CreateContainer for the container's seccomp profile: the Localhost file read from the
 * node (its error text, the kubelet's CreateContainerError), or what the filter is (undefined:
 * unconfined or the runtime default, nothing to check).
 */
export function seccompAtCreate(nodeFs: Vfs | undefined, pod: Pod, container: Container): SeccompProfile | string | undefined {
  if (!nodeFs) return undefined;
  const want = seccompProfileFor(pod, container);
  if (want.type !== "Localhost") return undefined;
  const p = loadProfile(nodeFs, want.path);
  return "error" in p ? `failed to create containerd container: ${p.error}` : p;
}

/**
 * The start of a container under a Localhost profile (seccomp.ts startOutcome): throws the
 * runtime's error (the caller's StartError path), or says the process ends at once, or runs.
 */
export function seccompAtStart(profile: SeccompProfile | undefined, container: Container, containerId: string): SeccompOutcome | undefined {
  if (!profile || !refusesAny(profile)) return undefined;
  const outcome = startOutcome(profile, container.securityContext?.allowPrivilegeEscalation === false, container.image ?? "", containerId);
  if (outcome.kind === "startError") throw new Error(outcome.message);
  return outcome;
}

/** kube-scenario's note for an image whose syscalls are not known: only runc's own were checked. */
export function seccompNotCheckedMessage(profile: SeccompProfile, container: Container): string {
  return `seccomp profile ${profile.path} was checked against the runtime's own syscalls only: kube-scenario has no list of the syscalls image ${container.image} makes (docs/divergences.md)`;
}
