/**
 * An image's configuration as its registry serves it (the OCI image config: ENTRYPOINT, CMD, ENV,
 * WORKDIR, USER, EXPOSE, STOPSIGNAL), and how a container spec combines with it — as the kubelet
 * and the container runtime do (pkg/kubelet/kuberuntime/kuberuntime_container.go and containerd's
 * WithProcessArgs), and as "Define a Command and Arguments for a Container" on kubernetes.io states:
 *
 * | command | args | runs                          |
 * | ------- | ---- | ----------------------------- |
 * | no      | no   | image ENTRYPOINT + image CMD  |
 * | yes     | no   | command (ENTRYPOINT, CMD ignored) |
 * | no      | yes  | image ENTRYPOINT + args       |
 * | yes     | yes  | command + args                |
 *
 * An empty list counts as unset. Environment: the image's ENV first, the container's `env` over it
 * (containerd's WithEnv); `workingDir` replaces WORKDIR.
 */

export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  /** ENV, in order. */
  env?: Record<string, string>;
  workingDir?: string;
  user?: string;
  /** EXPOSE (TCP ports). */
  exposedPorts?: number[];
  /** STOPSIGNAL (default SIGTERM). */
  stopSignal?: string;
}

/** The fields of a container spec that decide what runs. */
export interface ContainerCommand {
  command?: string[];
  args?: string[];
  workingDir?: string;
}

/** The process arguments (argv) a container runs. */
export function containerArgs(config: ImageConfig, container: ContainerCommand): string[] {
  const command = container.command?.length ? container.command : undefined;
  const args = container.args?.length ? container.args : undefined;
  if (command) return [...command, ...(args ?? [])];
  return [...(config.entrypoint ?? []), ...(args ?? config.cmd ?? [])];
}

/** The container's environment: the image's ENV, then the container's own variables over it. */
export function containerEnv(config: ImageConfig, own: Record<string, string>): Record<string, string> {
  if (!config.env) return own;
  return { ...config.env, ...own };
}

/** The working directory the main process starts in. */
export function containerWorkingDir(config: ImageConfig, container: ContainerCommand): string {
  return container.workingDir || config.workingDir || "/";
}
