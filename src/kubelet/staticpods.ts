/**
 * A kubelet's static pods: what pkg/kubelet/kubelet.go does with the file source's pods and their
 * mirror pods (HandlePodAdditions/Removes, handleMirrorPod, syncPod's mirror part,
 * HandlePodCleanups' orphaned mirror pods) with pod_workers.go's rule that a static pod waits for
 * the previous one of the same full name to finish terminating, and the status manager's periodic
 * batch (status_manager.go syncBatch every 10 s) that writes a status to a mirror pod made after
 * the status last changed.
 *
 * - A static pod runs from the file, under its own UID (the hash), whatever happens to its
 *   mirror pod: `kubectl delete` of the mirror pod does not stop it; the kubelet deletes the
 *   terminating copy at once (grace 0, UID precondition) and creates a new mirror pod, which
 *   shows Pending until the next status batch writes the pod's status.
 * - Removing the file kills the pod with its grace period; the mirror pod, then without a static
 *   pod, goes at the next housekeeping (every 2 s) once the pod has terminated.
 * - Editing the file is a new pod (new hash): the old one is killed, the new one starts at the
 *   housekeeping after the old one terminated, and its first sync replaces the mirror pod (stale hash).
 */
import type { ClusterContext } from "../context.ts";
import type { Pod } from "../api/types.gen.ts";
import type { KObject } from "../api/types.ts";
import type { MemFs } from "../runtime/vfs.ts";
import type { TimerHandle } from "../sim/clock.ts";
import { StaticPodFileSource } from "./config/file.ts";
import { isMirrorPodOf, MirrorClient } from "./pod/mirror_client.ts";

/** The kubelet's side: run a pod, kill one, and what its pod workers and status manager know. */
export interface StaticPodsHost {
  readonly ctx: ClusterContext;
  readonly nodeName: string;
  readonly nodeFs: MemFs;
  /** When the kubelet started (its housekeeping and status tickers start then). */
  startedAt(): number;
  /** HandlePodAdditions: admit and run the pod. */
  runPod(pod: Pod): void;
  /** HandlePodRemoves: kill the pod with its grace period (the pod as the kubelet now holds it). */
  killPod(pod: Pod): void;
  /** Whether the pod's worker has finished terminating it (or has none). */
  terminated(uid: string): boolean;
  /** Forget a terminated pod's worker (the pod left the config). */
  forget(pod: Pod): void;
  /** The status manager's last status of the pod, written again (syncBatch). */
  resendStatus(pod: Pod): void;
}

export const HOUSEKEEPING_PERIOD_MS = 2_000;
export const STATUS_SYNC_PERIOD_MS = 10_000;

function fullName(p: { metadata: { name?: string; namespace?: string } }): string {
  return `${p.metadata.name}_${p.metadata.namespace}`;
}

export class StaticPods {
  private readonly source: StaticPodFileSource;
  private readonly mirrors: MirrorClient;
  /** Static pods of the config, by UID. */
  private readonly desired = new Map<string, Pod>();
  /** The pod of each full name the kubelet runs (or ran: until it terminated and was forgotten). */
  private readonly active = new Map<string, Pod>();
  /** Pods killed because they left the config, until their worker terminated. */
  private readonly terminating = new Map<string, Pod>();
  private housekeeping: TimerHandle | undefined;
  private statusTick: TimerHandle | undefined;
  private readonly statusDue = new Set<string>();
  private readonly syncDue = new Set<string>();
  private running = false;

  constructor(private readonly host: StaticPodsHost) {
    this.mirrors = new MirrorClient(host.ctx, host.nodeName);
    this.source = new StaticPodFileSource(host.ctx, host.nodeFs, host.nodeName, (pods) => this.update(pods));
  }

  get errors(): string[] {
    return this.source.errors;
  }

  start(): void {
    this.running = true;
    this.source.start();
    // Mirror pods left from before (a kubelet that comes back) are checked at the first housekeeping.
    for (const p of this.host.ctx.api.podsOnNode(this.host.nodeName)) if (p.metadata.annotations?.["kubernetes.io/config.mirror"] !== undefined) this.mirrorPodChanged(p);
  }

  /** The kubelet stops: its containers are gone with it; a restarted kubelet reads the files afresh. */
  stop(): void {
    this.running = false;
    this.source.stop();
    this.host.ctx.clock.clear(this.housekeeping);
    this.host.ctx.clock.clear(this.statusTick);
    this.housekeeping = this.statusTick = undefined;
    this.desired.clear();
    this.active.clear();
    this.terminating.clear();
    this.statusDue.clear();
    this.syncDue.clear();
  }

  /** Whether a pod is one of this kubelet's static pods now (by UID). */
  isStatic(uid: string): boolean {
    return this.desired.has(uid) || this.terminating.has(uid);
  }

  /** The config's new set of static pods (config.go's merge: REMOVE, then ADD). */
  private update(pods: Pod[]): void {
    const next = new Map(pods.map((p) => [p.metadata.uid!, p] as const));
    for (const [uid, pod] of this.desired) {
      if (next.has(uid)) continue;
      this.desired.delete(uid);
      if (this.active.get(fullName(pod))?.metadata.uid !== uid) continue;
      this.terminating.set(uid, pod);
      this.host.killPod(pod);
      this.scheduleHousekeeping();
    }
    for (const [uid, pod] of next) {
      if (this.desired.has(uid)) continue;
      this.desired.set(uid, pod);
      this.tryStart(pod);
    }
  }

  /** allowPodStart for static pods: one pod of a full name at a time. */
  private tryStart(pod: Pod): void {
    const name = fullName(pod);
    const cur = this.active.get(name);
    if (cur && cur.metadata.uid !== pod.metadata.uid) {
      this.scheduleHousekeeping();
      return;
    }
    if (cur) return;
    this.active.set(name, pod);
    this.host.runPod(pod);
    // syncPod: the status is set first, then the mirror pod is made.
    this.requestMirrorSync(name);
  }

  private requestMirrorSync(name: string): void {
    if (this.syncDue.has(name)) return;
    this.syncDue.add(name);
    this.host.ctx.clock.setTimeout(() => {
      this.syncDue.delete(name);
      if (this.running) this.syncMirror(name);
    }, 0);
  }

  /** syncPod's mirror part: delete a stale or terminating mirror pod, create a missing one. */
  private syncMirror(name: string): void {
    const pod = this.active.get(name);
    if (!pod || !this.desired.has(pod.metadata.uid!)) return;
    const api = this.host.ctx.api;
    let mirror = api.get("Pod", pod.metadata.namespace, pod.metadata.name!);
    if (mirror && (mirror.metadata.deletionTimestamp || !isMirrorPodOf(mirror, pod))) {
      if (mirror.metadata.annotations?.["kubernetes.io/config.mirror"] === undefined) return; // not ours: creation would fail, as it does upstream
      this.mirrors.deleteMirrorPod(pod.metadata.namespace!, pod.metadata.name!, mirror.metadata.uid);
      mirror = api.get("Pod", pod.metadata.namespace, pod.metadata.name!);
    }
    if (!mirror) {
      const made = this.mirrors.createMirrorPod(pod);
      if (!(made instanceof Error)) this.scheduleStatus(pod.metadata.uid!);
    }
  }

  /** A mirror pod of this node was added, changed or deleted in the API (handleMirrorPod). */
  mirrorPodChanged(mirror: KObject): void {
    if (!this.running) return;
    const name = fullName(mirror);
    const pod = this.active.get(name);
    if (pod && this.desired.has(pod.metadata.uid!)) {
      const current = this.host.ctx.api.get("Pod", mirror.metadata.namespace, mirror.metadata.name!);
      if (!current || current.metadata.deletionTimestamp || !isMirrorPodOf(current, pod)) this.requestMirrorSync(name);
      return;
    }
    // An orphaned mirror pod: HandlePodCleanups deletes it.
    this.scheduleHousekeeping();
  }

  /** The status manager's next periodic batch writes the status to a mirror pod made since. */
  private scheduleStatus(uid: string): void {
    this.statusDue.add(uid);
    if (this.statusTick) return;
    this.statusTick = this.host.ctx.clock.setTimeout(() => {
      this.statusTick = undefined;
      const due = [...this.statusDue];
      this.statusDue.clear();
      for (const u of due) {
        const pod = this.desired.get(u);
        if (pod && this.active.get(fullName(pod)) === pod) this.host.resendStatus(pod);
      }
    }, this.untilTick(STATUS_SYNC_PERIOD_MS));
  }

  private scheduleHousekeeping(): void {
    if (this.housekeeping || !this.running) return;
    this.housekeeping = this.host.ctx.clock.setTimeout(() => {
      this.housekeeping = undefined;
      this.housekeep();
    }, this.untilTick(HOUSEKEEPING_PERIOD_MS));
  }

  /** Time to the next tick of a ticker started with the kubelet. */
  private untilTick(period: number): number {
    const since = this.host.ctx.clock.now() - this.host.startedAt();
    return period - (((since % period) + period) % period) || period;
  }

  /** HandlePodCleanups: forget terminated pods, start the waiting ones, delete orphaned mirror pods. */
  private housekeep(): void {
    if (!this.running) return;
    let again = false;
    for (const [uid, pod] of [...this.terminating]) {
      if (!this.host.terminated(uid)) {
        again = true;
        continue;
      }
      this.terminating.delete(uid);
      this.host.forget(pod);
      const name = fullName(pod);
      if (this.active.get(name) === pod) this.active.delete(name);
    }
    for (const pod of this.desired.values()) {
      const name = fullName(pod);
      if (this.active.get(name)?.metadata.uid !== pod.metadata.uid) {
        if (this.active.has(name)) again = true;
        else this.tryStart(pod);
      }
    }
    const api = this.host.ctx.api;
    for (const p of api.podsOnNode(this.host.nodeName)) {
      if (p.metadata.annotations?.["kubernetes.io/config.mirror"] === undefined) continue;
      const name = fullName(p);
      if (this.active.has(name)) continue;
      this.mirrors.deleteMirrorPod(p.metadata.namespace!, p.metadata.name!);
    }
    if (again) this.scheduleHousekeeping();
  }
}
