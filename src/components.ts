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
import { replicaSetController } from "./controllers/replicaset.ts";
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
import { disruptionController } from "./controllers/disruption.ts";
import { podGC } from "./controllers/podgc.ts";
import { endpointsController } from "./controllers/endpoints.ts";
import { endpointSliceController } from "./controllers/endpointslice.ts";
import { resourceQuotaController } from "./controllers/resourcequota.ts";
import { metricsServerComponent } from "./metrics/server.ts";
import { horizontalPodAutoscalerController } from "./controllers/podautoscaler/horizontal.ts";
import { ingressNginxController } from "./controllers/ingress/nginx.ts";

export const COMPONENTS: ComponentFactory[] = [
  // kube-apiserver's own bootstrap controller: the `kubernetes` Service and its endpoints
  kubernetesServiceController,
  // kube-controller-manager
  nodeLifecycleController,
  taintEvictionController,
  deploymentController,
  replicaSetController,
  daemonSetsController,
  statefulSetController,
  jobController,
  cronJobController,
  ttlAfterFinishedController,
  namespaceController,
  rootCACertPublisher,
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
