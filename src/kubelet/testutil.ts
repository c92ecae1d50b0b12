/**
 * A cluster context without any component (no kubelet, no scheduler), for unit tests of kubelet
 * parts that bring their own fakes: an API server with the system namespaces, a clock and an
 * event recorder.
 */
import { ServiceRegistry, type ClusterContext } from "../context.ts";
import { ApiServer } from "../api/store.ts";
import { EventRecorder } from "../api/events.ts";
import { DEFAULT_START, SimClock } from "../sim/clock.ts";
import { DEFAULT_SEED, Random } from "../sim/random.ts";

export function bareContext(): ClusterContext {
  const clock = new SimClock(DEFAULT_START);
  const api = new ApiServer(clock);
  for (const name of ["default", "kube-system"]) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  return { clock, chance: new Random(DEFAULT_SEED), api, events: new EventRecorder(api), services: new ServiceRegistry() };
}

/** A Node object with the given memory capacity (and allocatable), as a kubelet would have reported it. */
export function addNode(ctx: ClusterContext, name: string, memory = "8Gi"): void {
  ctx.api.create({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name },
    status: { capacity: { cpu: "4", memory, pods: "110" }, allocatable: { cpu: "4", memory, pods: "110" } },
  });
  ctx.clock.settle();
}
