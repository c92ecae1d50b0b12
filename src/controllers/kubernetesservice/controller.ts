/**
 * The `kubernetes` Service of the `default` namespace, which kube-apiserver itself keeps (ports
 * pkg/controlplane/controller/kubernetesservice/controller.go, v1.32): every cluster has it, so
 * `kubectl get svc` in `default` lists it, pods reach the API server at 10.96.0.1:443 and every
 * container gets its `KUBERNETES_SERVICE_*` variables.
 *
 * - At start and then every EndpointInterval (10 s, `wait.NonSlidingUntil` from the start),
 *   UpdateKubernetesService: the Service is created if it does not exist (labels `component:
 *   apiserver`, `provider: kubernetes`, no selector, ClusterIP 10.96.0.1, port `https` 443/TCP →
 *   6443, SingleStack, sessionAffinity None); an existing one is left as it is (since 1.17 its spec
 *   is not reconciled after creation: a user's edit stays). Then the endpoint reconciler
 *   (./reconcilers.ts) brings the Endpoints and EndpointSlice `kubernetes` to the API server's
 *   address and port 6443.
 * - So a user who deletes the Service, its Endpoints or its EndpointSlice (or changes their
 *   addresses) sees them come back at the loop's next tick, within 10 s. (Deleting the Service also
 *   deletes its Endpoints: the Endpoints controller removes the Endpoints of a deleted Service.)
 *
 * Event-driven (issue #19): a tick whose inputs have not changed writes nothing, so the fast engine
 * runs a tick only at the first tick instant after a change of one of the three objects; the
 * reference engine runs the loop every 10 s as upstream does. What either writes, and when, is the
 * same.
 *
 * The API server's address is 172.18.0.2, the control-plane's place on the kind-style node network
 * (the gateway is 172.18.0.1 and the simulated nodes take 172.18.0.3 and up).
 */
import type { ClusterContext, Component } from "../../context.ts";
import { KUBERNETES_SERVICE_IP } from "../../api/registry/core/service/ipallocator.ts";
import { deepFreeze, type KObject, type WatchHandler } from "../../api/types.ts";
import { Controller } from "../controller.ts";
import { LeaseEndpointReconciler, type EndpointPort } from "./reconcilers.ts";

export const KUBERNETES_SERVICE_NAME = "kubernetes";
export const KUBERNETES_SERVICE_NAMESPACE = "default";
/** The API server's advertise address (--advertise-address) on the node network. */
export const APISERVER_ADVERTISE_ADDRESS = "172.18.0.2";
/** --secure-port, the API server's PublicServicePort. */
export const APISERVER_SECURE_PORT = 6443;
/** The `kubernetes` Service's port (ServicePort, --kubernetes-service-port 443 ... kubeadm leaves it). */
export const KUBERNETES_SERVICE_PORT = 443;
/** --endpoint-reconciler-interval's default (EndpointInterval). */
export const ENDPOINT_INTERVAL_MS = 10_000;

/** createPortAndServiceSpec (no NodePort): the Service's one port. */
function servicePorts(): KObject["spec"]["ports"] {
  return [{ protocol: "TCP", port: KUBERNETES_SERVICE_PORT, name: "https", targetPort: APISERVER_SECURE_PORT }];
}

/** createEndpointPortSpec. */
const ENDPOINT_PORTS: readonly EndpointPort[] = [{ name: "https", port: APISERVER_SECURE_PORT, protocol: "TCP" }];

/** The one API server's lease: its address (the same array every time, see reconcilers.ts's `createRequests`). */
const MASTER_IPS: readonly string[] = Object.freeze([APISERVER_ADVERTISE_ADDRESS]);

/** The Service CreateOrUpdateMasterServiceIfNeeded creates. */
export function kubernetesService(): KObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: KUBERNETES_SERVICE_NAME, namespace: KUBERNETES_SERVICE_NAMESPACE, labels: { provider: "kubernetes", component: "apiserver" } },
    spec: { ports: servicePorts(), clusterIP: KUBERNETES_SERVICE_IP, ipFamilyPolicy: "SingleStack", sessionAffinity: "None", type: "ClusterIP" },
  };
}

/**
 * The fast engine's request for it: one frozen object (`create` copies what it is given), which a
 * cluster's start replay (src/cluster.ts, `StartReplay`) recognises by identity.
 */
const KUBERNETES_SERVICE_REQUEST: KObject = deepFreeze(kubernetesService());

export class KubernetesServiceController extends Controller {
  readonly name = "kubernetes-service";
  private readonly reconciler: LeaseEndpointReconciler;
  private readonly startedAt: number;
  private pending = false;

  constructor(ctx: ClusterContext) {
    super(ctx);
    this.reconciler = new LeaseEndpointReconciler(ctx.api, MASTER_IPS);
    this.startedAt = ctx.clock.now();
  }

  start(): void {
    // The loop's first run is immediate (the API server is ready when the simulation starts).
    this.updateKubernetesService();
    if (this.ctx.reference) {
      this.resyncEvery(ENDPOINT_INTERVAL_MS, () => this.updateKubernetesService());
      return;
    }
    const changed: WatchHandler = (ev) => {
      const m = ev.object.metadata;
      if (m.name === KUBERNETES_SERVICE_NAME && m.namespace === KUBERNETES_SERVICE_NAMESPACE) this.tickAfterChange();
    };
    this.watch("Service", changed);
    this.watch("Endpoints", changed);
    this.watch("EndpointSlice", changed);
  }

  /** The next instant of the 10 s loop strictly after now runs the tick (one at a time). */
  private tickAfterChange(): void {
    if (this.pending) return;
    this.pending = true;
    const elapsed = this.ctx.clock.now() - this.startedAt;
    const next = (Math.floor(elapsed / ENDPOINT_INTERVAL_MS) + 1) * ENDPOINT_INTERVAL_MS;
    this.after(next - elapsed, () => {
      this.pending = false;
      this.updateKubernetesService();
    });
  }

  /** UpdateKubernetesService(false): the Service if missing, then the endpoints (ports not reconciled). */
  updateKubernetesService(): void {
    const api = this.ctx.api;
    if (!api.get("Service", KUBERNETES_SERVICE_NAMESPACE, KUBERNETES_SERVICE_NAME)) {
      try {
        api.create(this.ctx.reference ? kubernetesService() : KUBERNETES_SERVICE_REQUEST);
      } catch (e) {
        // runtime.HandleError: logged upstream, tried again at the next tick.
        if (e instanceof Error && this.ctx.reference) return;
        if (e instanceof Error) return this.tickAfterChange();
        throw e;
      }
    }
    this.reconciler.reconcileEndpoints(KUBERNETES_SERVICE_NAME, ENDPOINT_PORTS, false);
  }
}

export function kubernetesServiceController(ctx: ClusterContext): Component {
  return new KubernetesServiceController(ctx);
}
