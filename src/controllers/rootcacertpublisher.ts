/**
 * The root CA certificate publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go,
 * v1.32, part of kube-controller-manager): every namespace gets a ConfigMap `kube-root-ca.crt`
 * holding the cluster's CA bundle under `ca.crt`, annotated with `kubernetes.io/description`.
 * Pods read it through the projected service-account volume (`kube-api-access-*`), which the
 * ServiceAccount admission plugin adds, so a pod whose namespace has no such ConfigMap fails to
 * mount it. The publisher:
 * - syncs a namespace when it is added, or updated while Active (a terminating one is skipped);
 * - syncs the namespace of a `kube-root-ca.crt` ConfigMap that is updated or deleted: a deleted
 *   one is created again, a changed one gets its data and annotation back (other keys and
 *   annotations a user added to it are dropped from data and kept in annotations, as upstream);
 * - creates through the API and gives up quietly when the namespace is gone or terminating.
 *
 * The cluster's CA is a self-signed certificate for `CN=kubernetes` (as kubeadm and kind make
 * theirs), kept as data in ./certificates/clusterca.ts with its key (the CSR signers sign with it),
 * unless the cluster was given another (`kube-scenario serve`'s: signer.ts's clusterSigningCA);
 * its validity spans 2000-01-01 to 2099-12-31 so that it verifies at any simulated start time
 * (docs/divergences.md).
 */
import type { ClusterContext, Component } from "../context.ts";
import { ApiError } from "../api/errors.ts";
import { deepFreeze, type KObject } from "../api/types.ts";
import { Controller } from "./controller.ts";
import { CLUSTER_CA_PEM } from "./certificates/clusterca.ts";
import { clusterSigningCA, onClusterCAChange } from "./certificates/signer.ts";

export const ROOT_CA_CERT_CONFIGMAP_NAME = "kube-root-ca.crt";
export const DESCRIPTION_ANNOTATION = "kubernetes.io/description";
export const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
  "No other usage is guaranteed across distributions of Kubernetes clusters.";

/** The simulated cluster's CA certificate (PEM), what kube-controller-manager's --root-ca-file holds (./certificates/clusterca.ts). */
export { CLUSTER_CA_PEM };

/** The data every `kube-root-ca.crt` ConfigMap carries. */
function caData(rootCA: string): Record<string, string> {
  return { "ca.crt": rootCA };
}

function sameData(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b);
  return ka.length === kb.length && kb.every((k) => a![k] === b[k]);
}

/**
 * The fast engine's create requests by namespace (for the default CA): the same frozen object for the
 * same namespace, which a cluster's start replay (src/cluster.ts, `StartReplay`) recognises by
 * identity instead of comparing it field by field (`create` copies what it is given). Bounded:
 * namespaces past the first 64 get a request of their own each time, as the reference engine does.
 */
const createRequests = new Map<string, KObject>();

function createRequest(ns: string, rootCA: string): KObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: ROOT_CA_CERT_CONFIGMAP_NAME, namespace: ns, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
    data: caData(rootCA),
  };
}

export class RootCACertPublisher extends Controller {
  readonly name = "root-ca-cert-publisher";

  /**
   * @param fixedRootCA the CA bundle to publish; by default the cluster's CA
   *   (signer.ts's clusterSigningCA: kubeadm gives kube-controller-manager the same ca.crt as
   *   --root-ca-file and --cluster-signing-cert-file, and it is kube-apiserver's serving CA; under
   *   `kube-scenario serve`, the facade's), read at each sync.
   */
  constructor(
    ctx: ClusterContext,
    private readonly fixedRootCA?: string,
  ) {
    super(ctx);
  }

  /** The CA bundle the ConfigMaps carry. */
  get rootCA(): string {
    return this.fixedRootCA ?? clusterSigningCA(this.ctx).certPEM;
  }

  start(): void {
    this.watch("ConfigMap", (ev) => {
      // configMapUpdated / configMapDeleted: only the CA ConfigMap matters; no AddFunc.
      if (ev.type === "ADDED" || ev.object.metadata.name !== ROOT_CA_CERT_CONFIGMAP_NAME) return;
      this.queue.add(ev.object.metadata.namespace!);
    });
    this.watch("Namespace", (ev) => {
      if (ev.type === "DELETED") return;
      // namespaceUpdated: only an Active namespace.
      if (ev.type === "MODIFIED" && ev.object.status?.phase !== "Active") return;
      this.queue.add(ev.object.metadata.name!);
    });
    // The informer's initial list: namespaces that exist when the controller starts.
    for (const ns of this.ctx.api.list("Namespace")) this.queue.add(ns.metadata.name!);
    // A new CA (the facade's, once a started cluster is served): every namespace again, as a
    // kube-controller-manager restarted with another --root-ca-file syncs them all.
    if (this.fixedRootCA === undefined) onClusterCAChange(this.ctx, () => {
      for (const ns of this.ctx.api.list("Namespace")) if (ns.status?.phase !== "Terminating") this.queue.add(ns.metadata.name!);
    });
  }

  private createRequest(ns: string): KObject {
    if (this.ctx.reference || this.rootCA !== CLUSTER_CA_PEM) return createRequest(ns, this.rootCA);
    let request = createRequests.get(ns);
    if (!request) {
      request = deepFreeze(createRequest(ns, this.rootCA));
      if (createRequests.size < 64) createRequests.set(ns, request);
    }
    return request;
  }

  /** syncNamespace. */
  protected override syncHandler(ns: string): void | Error {
    const api = this.ctx.api;
    const cm = api.get("ConfigMap", ns, ROOT_CA_CERT_CONFIGMAP_NAME);
    if (!cm) {
      try {
        api.create(this.createRequest(ns));
      } catch (e) {
        // Don't retry a create if the namespace doesn't exist or is terminating.
        if (e instanceof ApiError && (e.reason === "NotFound" || (e.reason === "Forbidden" && /because it is being terminated/.test(e.message)))) return;
        if (e instanceof ApiError) return e;
        throw e;
      }
      return;
    }
    // Ensure the data and the one annotation describing usage of this ConfigMap match.
    const data = caData(this.rootCA);
    if (sameData(cm.data, data) && (cm.metadata.annotations?.[DESCRIPTION_ANNOTATION] ?? "").length > 0) return;
    const updated: KObject = { ...cm, metadata: { ...cm.metadata, annotations: { ...cm.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data };
    try {
      api.update(updated);
    } catch (e) {
      if (e instanceof ApiError) return e;
      throw e;
    }
  }
}

export function rootCACertPublisher(ctx: ClusterContext): Component {
  return new RootCACertPublisher(ctx);
}
