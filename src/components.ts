/**
 * The components a simulated cluster runs, in start order. Each engine registers its factory here
 * (control plane first, node agents last), so a reader finds the whole cluster in one list.
 */
import type { ComponentFactory } from "./context.ts";
import { kubeletManager } from "./kubelet/manager.ts";
import { kubernetesServiceController } from "./controllers/kubernetesservice/controller.ts";
import { nodeLifecycleController } from "./controllers/nodelifecycle/nodelifecycle.ts";
import { kubeScheduler } from "./scheduler/scheduler.ts";
import { taintEvictionController } from "./controllers/tainteviction.ts";
import { replicaSetController, replicationController } from "./controllers/replicaset.ts";
import { garbageCollector } from "./controllers/garbagecollector.ts";
import { jobController } from "./controllers/job/job_controller.ts";
import { daemonSetsController } from "./controllers/daemon/daemon_controller.ts";
import { statefulSetController } from "./controllers/statefulset/stateful_set.ts";
import { persistentVolumeController } from "./controllers/volume/pv_controller.ts";
import { pvcProtectionController, pvProtectionController } from "./controllers/volume/protection.ts";
import { localPathProvisioner } from "./controllers/volume/localpath.ts";
import { deploymentController } from "./controllers/deployment.ts";
import { cronJobController } from "./controllers/cronjob.ts";
import { ttlAfterFinishedController } from "./controllers/ttlafterfinished.ts";
import { namespaceController } from "./controllers/namespace/namespace_controller.ts";
import { rootCACertPublisher } from "./controllers/rootcacertpublisher.ts";
import { csrSigningController } from "./controllers/certificates/signer.ts";
import { serviceAccountsController } from "./controllers/serviceaccount/serviceaccounts_controller.ts";
import { clusterRoleAggregationController } from "./controllers/clusterroleaggregation/clusterroleaggregation_controller.ts";
import { tokensController } from "./controllers/serviceaccount/tokens_controller.ts";
import { disruptionController } from "./controllers/disruption.ts";
import { podGC } from "./controllers/podgc.ts";
import { endpointsController } from "./controllers/endpoints.ts";
import { endpointSliceController } from "./controllers/endpointslice.ts";
import { resourceQuotaController } from "./controllers/resourcequota.ts";
import { metricsServerComponent } from "./metrics/server.ts";
import { horizontalPodAutoscalerController } from "./controllers/podautoscaler/horizontal.ts";
import { ingressNginxController } from "./controllers/ingress/nginx.ts";
import { apiServiceAvailableController } from "./controllers/apiservice/available.ts";

/**
 * The components that start late (issue #19 §5): right before the first object of one of `kinds`
 * is stored (`ApiServer.beforeFirstObject`), in the place in the watchers' order their start would
 * have taken (`ApiServer.reserveWatchSlot`), instead of at the cluster's start. Exact because until
 * then no event of any kind they watch was sent (`kinds` lists every kind each one watches; `quiet`:
 * a kind whose events it ignores — no write, no enqueue, no state kept — while no object of `kinds`
 * was ever stored: "*" for the ResourceQuota controller, Pod for the disruption controller), and their construction and start only subscribe: they write nothing, set no
 * timer, draw nothing from the seed's source and offer no service, and what their start reads of the
 * store (the kinds they watch) is empty then as it was at the cluster's start. `Cluster` checks the
 * watched kinds and that no timer was set at each late start, and the reference engine starts every
 * component at the cluster's start (the differential test compares the two). The components left
 * out set timers at their start (the node lifecycle controller, pod GC, the scheduler, the metrics
 * server), write at it (the ingress controller, the local-path provisioner), follow a kind every
 * cluster holds from its start (namespaces, StorageClasses) or every kind (the garbage collector),
 * or offer services (the kubelets).
 */
export const LATE_START = new Map<ComponentFactory, { kinds: readonly string[]; quiet?: readonly string[] }>([
  // Its Service and Endpoints handlers only look up APIServices: none while none exists.
  [apiServiceAvailableController, { kinds: ["APIService"], quiet: ["Service", "Endpoints"] }],
  [taintEvictionController, { kinds: ["Node", "Pod"] }],
  [deploymentController, { kinds: ["Deployment", "ReplicaSet", "Pod"] }],
  [replicaSetController, { kinds: ["ReplicaSet", "Pod"] }],
  [replicationController, { kinds: ["ReplicationController", "Pod"] }],
  [daemonSetsController, { kinds: ["DaemonSet", "ControllerRevision", "Pod", "Node"] }],
  [statefulSetController, { kinds: ["StatefulSet", "ControllerRevision", "Pod"] }],
  [jobController, { kinds: ["Job", "Pod"] }],
  [cronJobController, { kinds: ["CronJob", "Job"] }],
  [ttlAfterFinishedController, { kinds: ["Job"] }],
  // Its Pod handler enqueues the budgets of the pod's namespace that select it: none while no budget exists.
  [disruptionController, { kinds: ["PodDisruptionBudget"], quiet: ["Pod"] }],
  [pvcProtectionController, { kinds: ["PersistentVolumeClaim", "Pod"] }],
  [pvProtectionController, { kinds: ["PersistentVolume"] }],
  [endpointsController, { kinds: ["Service", "Pod", "Endpoints"] }],
  [endpointSliceController, { kinds: ["Service", "Pod", "EndpointSlice"] }],
  [resourceQuotaController, { kinds: ["ResourceQuota"], quiet: ["*"] }],
  [horizontalPodAutoscalerController, { kinds: ["HorizontalPodAutoscaler"] }],
  [csrSigningController, { kinds: ["CertificateSigningRequest"] }],
]);

export const COMPONENTS: ComponentFactory[] = [
  // kube-apiserver's own bootstrap controller: the `kubernetes` Service and its endpoints
  kubernetesServiceController,
  // kube-apiserver's aggregator: the APIServices' Available condition
  apiServiceAvailableController,
  // kube-controller-manager
  nodeLifecycleController,
  taintEvictionController,
  deploymentController,
  replicaSetController,
  replicationController,
  daemonSetsController,
  statefulSetController,
  jobController,
  cronJobController,
  ttlAfterFinishedController,
  namespaceController,
  rootCACertPublisher,
  csrSigningController,
  serviceAccountsController,
  tokensController,
  clusterRoleAggregationController,
  garbageCollector,
  podGC,
  disruptionController,
  persistentVolumeController,
  pvcProtectionController,
  pvProtectionController,
  endpointsController,
  endpointSliceController,
  resourceQuotaController,
  // kind's add-on: the local-path dynamic provisioner and the default StorageClass
  localPathProvisioner,
  horizontalPodAutoscalerController,
  // kube-scheduler
  kubeScheduler,
  // node agents
  kubeletManager,
  // add-ons
  metricsServerComponent,
  ingressNginxController,
];
