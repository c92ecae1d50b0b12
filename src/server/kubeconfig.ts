/** A kubeconfig that points kubectl and client libraries at the simulated API server. */
export function kubeconfigFor(url: string, namespace = "default"): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- cluster:",
    `    server: ${url}`,
    // Plain HTTP on loopback: @kubernetes/client-node refuses an http:// server unless this is set
    // ("HTTP protocol is not allowed when skipTLSVerify is not set or false"); kubectl ignores it.
    "    insecure-skip-tls-verify: true",
    "  name: kube-scenario",
    "contexts:",
    "- context:",
    "    cluster: kube-scenario",
    `    namespace: ${namespace}`,
    "    user: kube-scenario",
    "  name: kube-scenario",
    "current-context: kube-scenario",
    "preferences: {}",
    "users:",
    "- name: kube-scenario",
    "  user: {}",
    "",
  ].join("\n");
}
