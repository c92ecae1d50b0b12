/**
 * The termination ordering of a pod with sidecars (pkg/kubelet/kuberuntime/kuberuntime_termination_order.go).
 *
 * When a pod with restartable init containers (sidecars) is killed, every container's kill starts
 * at once (its `Killing` event, its preStop hook), but a sidecar's SIGTERM waits for its turn:
 * until every main container has exited, and the sidecars after it in `initContainers` too (they
 * stop in reverse order), or until its grace period has run out. The time waited comes off its
 * grace period (whole seconds, truncated), never below the runtime's 2 s minimum.
 */
import type { Pod } from "../../api/types.gen.ts";
import type { SimClock } from "../../sim/clock.ts";
import { isRestartableInitContainer } from "../status/generate.ts";

export class TerminationOrdering {
  /** Container name → the containers it must see exit first. */
  private readonly prereqs = new Map<string, string[]>();
  /** Containers that have not exited yet (of those the ordering knows). */
  private readonly pending = new Set<string>();
  private readonly waiters: Array<() => void> = [];

  /** newTerminationOrdering: the dependencies from the spec; containers not running count as exited. */
  constructor(pod: Pod, runningContainerNames: readonly string[]) {
    const running = new Set(runningContainerNames);
    const mains: string[] = [];
    for (const c of pod.spec?.containers ?? []) {
      mains.push(c.name);
      if (running.has(c.name)) this.pending.add(c.name);
    }
    let previousSidecar: string | undefined;
    const inits = pod.spec?.initContainers ?? [];
    for (let i = inits.length - 1; i >= 0; i--) {
      const ic = inits[i]!;
      if (running.has(ic.name)) this.pending.add(ic.name);
      if (!isRestartableInitContainer(ic)) continue;
      // A sidecar waits for every main container, and for the sidecar after it.
      this.prereqs.set(ic.name, previousSidecar === undefined ? [...mains] : [...mains, previousSidecar]);
      previousSidecar = ic.name;
    }
  }

  /** Whether `name` may begin terminating: everything it waits on has exited. */
  private ready(name: string): boolean {
    return (this.prereqs.get(name) ?? []).every((p) => !this.pending.has(p));
  }

  /**
   * waitForTurn: calls `turn` with the seconds waited once everything `name` waits on has exited,
   * or when `gracePeriodS` has run out, whichever comes first; at once with 0 when there is no grace period.
   */
  waitForTurn(name: string, gracePeriodS: number, clock: SimClock, turn: (waitedS: number) => void): void {
    if (gracePeriodS <= 0 || this.ready(name)) return turn(0);
    const start = clock.now();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clock.clear(timer);
      turn((clock.now() - start) / 1000);
    };
    const timer = clock.setTimeout(finish, gracePeriodS * 1000);
    const check = () => {
      if (done) return;
      if (this.ready(name)) finish();
      else this.waiters.push(check);
    };
    this.waiters.push(check);
  }

  /** containerTerminated: `name` has exited; whoever waited on it is looked at again. */
  containerTerminated(name: string): void {
    if (!this.pending.delete(name)) return;
    const waiting = this.waiters.splice(0);
    for (const w of waiting) w();
  }
}
