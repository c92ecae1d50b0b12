/**
 * The kubelet's safe sysctls (pkg/kubelet/sysctl/safe_sysctls.go, v1.32): namespaced and isolated
 * between pods, allowed on every node without `--allowed-unsafe-sysctls`. Those namespaced only in
 * later kernels join the list when the node's kernel is at least that version
 * (pkg/util/kernel/constants.go).
 */

interface SafeSysctl {
  name: string;
  /** The kernel version from which the sysctl is namespaced (none: always). */
  kernel?: string;
}

export const SAFE_SYSCTLS: readonly SafeSysctl[] = [
  { name: "kernel.shm_rmid_forced" },
  { name: "net.ipv4.ip_local_port_range" },
  { name: "net.ipv4.tcp_syncookies" },
  { name: "net.ipv4.ping_group_range" },
  { name: "net.ipv4.ip_unprivileged_port_start" },
  // IPLocalReservedPortsNamespacedKernelVersion (torvalds/linux 122ff243f5f1)
  { name: "net.ipv4.ip_local_reserved_ports", kernel: "3.16" },
  // TCPKeepAliveTimeNamespacedKernelVersion (13b287e8d1ca)
  { name: "net.ipv4.tcp_keepalive_time", kernel: "4.5" },
  // TCPFinTimeoutNamespacedKernelVersion (1e579caa18b9)
  { name: "net.ipv4.tcp_fin_timeout", kernel: "4.6" },
  // TCPKeepAliveIntervalNamespacedKernelVersion (b840d15d3912)
  { name: "net.ipv4.tcp_keepalive_intvl", kernel: "4.5" },
  // TCPKeepAliveProbesNamespacedKernelVersion (9bd6861bd432)
  { name: "net.ipv4.tcp_keepalive_probes", kernel: "4.5" },
  // TCPReceiveMemoryNamespacedKernelVersion, TCPTransmitMemoryNamespacedKernelVersion (356d1833b638)
  { name: "net.ipv4.tcp_rmem", kernel: "4.15" },
  { name: "net.ipv4.tcp_wmem", kernel: "4.15" },
];

/** version.ParseGeneric's numbers of a kernel release (`6.1.0-28-amd64` → [6, 1, 0]), or undefined. */
export function parseKernelVersion(release: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(release.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

function atLeast(v: number[], min: number[]): boolean {
  for (let i = 0; i < Math.max(v.length, min.length); i++) {
    const a = v[i] ?? 0;
    const b = min[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/**
 * getSafeSysctlAllowlist: the safe sysctls for a node's kernel release. A release that cannot be
 * read drops the kernel-gated ones (the kubelet logs "kernel version is too small, dropping the
 * sysctl from safe sysctl list").
 */
export function safeSysctlAllowlist(kernelRelease: string | undefined): string[] {
  const v = kernelRelease === undefined ? undefined : parseKernelVersion(kernelRelease);
  return SAFE_SYSCTLS.filter((s) => !s.kernel || (v !== undefined && atLeast(v, parseKernelVersion(s.kernel)!))).map((s) => s.name);
}
