/**
 * A kubeconfig that points kubectl and client libraries at the simulated API server: over HTTPS
 * with the server's CA and the bearer token it was started with, or over plain HTTP without
 * credentials when it runs with --insecure-no-auth.
 */
import { chmodSync, existsSync, writeFileSync } from "node:fs";

export interface KubeconfigOptions {
  namespace?: string;
  /** The server's bearer token (authentication.ts). */
  token?: string;
  /** PEM of the CA that signed the server's certificate (servingcert.ts), for an https server. */
  caPEM?: string;
}

export function kubeconfigFor(url: string, opts: KubeconfigOptions = {}): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- cluster:",
    opts.caPEM !== undefined
      ? `    certificate-authority-data: ${Buffer.from(opts.caPEM).toString("base64")}`
      : // Plain HTTP on loopback: @kubernetes/client-node refuses an http:// server unless this is set
        // ("HTTP protocol is not allowed when skipTLSVerify is not set or false"); kubectl ignores it.
        "    insecure-skip-tls-verify: true",
    `    server: ${url}`,
    "  name: kube-scenario",
    "contexts:",
    "- context:",
    "    cluster: kube-scenario",
    `    namespace: ${opts.namespace ?? "default"}`,
    "    user: kube-scenario",
    "  name: kube-scenario",
    "current-context: kube-scenario",
    "preferences: {}",
    "users:",
    "- name: kube-scenario",
    opts.token === undefined ? "  user: {}" : `  user:\n    token: ${opts.token}`,
    "",
  ].join("\n");
}

/** Writes a kubeconfig readable by its owner only (mode 0600, also when the file existed). */
export function writeKubeconfig(path: string, text: string): void {
  // An existing file is restricted before the token goes in (mode applies only to a new file).
  if (existsSync(path)) chmodSync(path, 0o600);
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}
