/**
 * The prober as the kubelet (src/kubelet/kubelet.ts) plugs it in: a ProberManager whose host is
 * the kubelet (status manager cache, ExecSync), with the kubelet's seam methods — `started` and
 * `ready` while generating a pod's status (prober_manager.UpdatePodStatus), `killReason` and
 * `isStarted` for computePodActions — and the sync loop's reaction to result changes
 * (kubelet.go syncLoopIteration): a readiness change or a liveness/startup Failure syncs the pod
 * at once, so that `ready` flips in the same instant and a failed container is killed.
 *
 *   this.prober = newKubeletProber(ctx, {
 *     nodeName, getPodStatus: (uid) => ..., execInContainer: (...) => ...,
 *     syncPod: (uid) => this.podWorkers.requestSync(..., 0),
 *   });
 */
import type { ClusterContext } from "../../context.ts";
import type { KObject } from "../../api/types.ts";
import type { ProberHost } from "./prober.ts";
import { ProberManager, type ProberManagerOptions } from "./prober_manager.ts";

export interface KubeletProberHost extends ProberHost {
  /** Requests a sync of the pod now (the sync loop's handleProbeSync). */
  syncPod(podUID: string): void;
}

export interface ContainerRef {
  name: string;
  containerID: string;
  state: any;
}

export class KubeletProber {
  readonly manager: ProberManager;
  private readonly unsubscribe: Array<() => void> = [];
  /** Pods by uid, as last admitted or updated (for the seam methods that only get a uid). */
  private readonly pods = new Map<string, KObject>();

  constructor(ctx: ClusterContext, host: KubeletProberHost, opts: ProberManagerOptions = {}) {
    this.manager = new ProberManager(ctx, host, opts);
    const m = this.manager;
    this.unsubscribe.push(m.readinessManager.onUpdate((u) => host.syncPod(u.podUID)));
    this.unsubscribe.push(m.startupManager.onUpdate((u) => host.syncPod(u.podUID)));
    this.unsubscribe.push(
      m.livenessManager.onUpdate((u) => {
        if (u.result === "Failure") host.syncPod(u.podUID);
      }),
    );
  }

  addPod(pod: KObject): void {
    this.pods.set(pod.metadata.uid!, pod);
    this.manager.addPod(pod);
  }

  updatePod(pod: KObject): void {
    this.pods.set(pod.metadata.uid!, pod);
    this.manager.updatePod(pod);
  }

  stopLivenessAndStartup(pod: KObject): void {
    this.manager.stopLivenessAndStartup(pod);
  }

  removePod(pod: KObject): void {
    this.pods.delete(pod.metadata.uid!);
    this.manager.removePod(pod);
  }

  stop(): void {
    this.manager.stop();
    for (const u of this.unsubscribe) u();
  }

  /** Startup result of a running container: true = passed; undefined = no startup probe. */
  started(podUid: string, containerName: string, containerId: string): boolean | undefined {
    if (!this.manager.getWorker(podUid, containerName, "Startup")) {
      const r = this.manager.startupManager.get(containerId);
      return r === undefined ? undefined : r === "Success";
    }
    return this.manager.startupManager.get(containerId) === "Success";
  }

  /**
   * Readiness of a running, started container; undefined = no readiness probe. While it is not
   * Success, the readiness worker is triggered to probe at once (UpdatePodStatus' manual run).
   */
  ready(podUid: string, containerName: string, containerId: string): boolean | undefined {
    const w = this.manager.getWorker(podUid, containerName, "Readiness");
    if (this.manager.readinessManager.get(containerId) === "Success") return true;
    if (!w) return undefined;
    w.manualTrigger();
    return false;
  }

  killReason(pod: KObject, cs: ContainerRef): string | undefined {
    return this.manager.killReason(pod, cs);
  }

  isStarted(pod: KObject, cs: ContainerRef): boolean {
    return this.manager.isContainerStarted(pod, cs);
  }

  get probeRuns(): number {
    return this.manager.probeRuns;
  }
}

export function newKubeletProber(ctx: ClusterContext, host: KubeletProberHost, opts: ProberManagerOptions = {}): KubeletProber {
  return new KubeletProber(ctx, host, opts);
}
