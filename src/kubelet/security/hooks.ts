/**
 * The kubelet's and the runtime's security-profile hooks at a container's creation (called from
 * kuberuntime/kuberuntime_manager.ts start): which AppArmor profile confines it, or the error
 * containerd's CreateContainer returns; its filesystem as the confined processes reach it; and
 * `/proc/1/attr/current`.
 */
import type { Container, Pod } from "../../api/types.gen.ts";
import type { Vfs } from "../../runtime/types.ts";
import { AppArmorFs, attrCurrent, confine, CONTAINERD_DEFAULT_PROFILE, type Confinement, type NodeAppArmor } from "./apparmor.ts";

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
