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
 * theirs), made once for kube-scenario with node-forge and kept here as data; its validity spans
 * 2000-01-01 to 2099-12-31 so that it verifies at any simulated start time (docs/divergences.md).
 * No key signs anything with it: the simulation does no TLS inside the cluster.
 */
import type { ClusterContext, Component } from "../context.ts";
import { ApiError } from "../api/errors.ts";
import { deepFreeze, type KObject } from "../api/types.ts";
import { Controller } from "./controller.ts";

export const ROOT_CA_CERT_CONFIGMAP_NAME = "kube-root-ca.crt";
export const DESCRIPTION_ANNOTATION = "kubernetes.io/description";
export const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
  "No other usage is guaranteed across distributions of Kubernetes clusters.";

/** The simulated cluster's CA certificate (PEM), what kube-controller-manager's --root-ca-file holds. */
export const CLUSTER_CA_PEM =
  "-----BEGIN CERTIFICATE-----\nMIIC6TCCAdGgAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\ncm5ldGVzMCAXDTAwMDEwMTAwMDAwMFoYDzIwOTkxMjMxMjM1OTU5WjAVMRMwEQYD\nVQQDEwprdWJlcm5ldGVzMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n/HbLNLEU7pX6BxkkMD4pT86mzTCoutNspHzCC48quZBOXm0/beaqvfm9QRbnjIW7\nTqNpCqoS112NULF+nP8EyoyzYMTYS3tUP7U/cKyLJKl77SMaEfblrDOHe8acMbLb\nf1eJWXTTtoXfSHQZdy3FZsz1ZhFPohjeA72G9UKq0zQV4NWFVmtXfZGbcOZw9ekb\nT2W5tToPSTWdl7aW9LtecIsofA1PwKU0TzrHYr44oU5xLK7BTomdhdER3ud1Upur\nPxB1RhLBKqkw0yZwXQnISUK5RcpmPuxjLkwX9YkdJ6xRX8xOEmx/k0iMlWrgwMFA\nigpRZpb0+ALPqZyC5u8mrwIDAQABo0IwQDAPBgNVHRMBAf8EBTADAQH/MA4GA1Ud\nDwEB/wQEAwICpDAdBgNVHQ4EFgQUCuHA72FLAZivoHHeBF35a2evYW4wDQYJKoZI\nhvcNAQELBQADggEBADDiSvCl8aXxr407RrQKbysIs2wSjYqcZcDxEETtYYKSSDAM\n+MUHXGT8Wl/eqEwcvMFNQ9iKZ9VBmjYp7jm8x7CD/PBkV9a/I/DxnngQI9r1gUlg\nx1VKIDlHjUGOGpCbZwNeID8s4v7FfUeOZzhY/dg9iJN2p8qYeasuisQnkZBbKgT7\nXl0+Cc+jW3psWJ/c6E8aXRwQzLyEyW6a/g9RXJkoj/0uFWFzswtfpr75K6umr5Bk\n54CsodzLsRCSWkBPuqEwzlNTjydcdqaG+5aEMGhuJU3mMT0DajweOM7IBAW7tPdc\nrEKmaJsqf9vWclThkp5O5E6cDks1UvInd6si7YI=\n-----END CERTIFICATE-----\n";

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

  constructor(
    ctx: ClusterContext,
    readonly rootCA: string = CLUSTER_CA_PEM,
  ) {
    super(ctx);
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
