/**
 * The ServiceAccounts controller (pkg/controller/serviceaccount/serviceaccounts_controller.go, v1.32,
 * kube-controller-manager's `serviceaccount-controller`): the service accounts it ensures (the
 * `default` one) exist in every Active namespace.
 * - namespaceAdded / namespaceUpdated: the namespace's key is queued (so a namespace gets its
 *   `default` account at the instant it is created, before any pod can be created in it);
 * - serviceAccountDeleted: the namespace of any deleted service account is queued, so a deleted
 *   `default` account is created again (a user's own account is not);
 * - syncNamespace: nothing for a namespace that is gone or not Active (a Terminating one loses its
 *   accounts to the namespace controller); each missing account is created with only its name, an
 *   AlreadyExists or a "being terminated" refusal is ignored, any other failure requeues the key.
 */
import type { ClusterContext, Component } from "../../context.ts";
import { ApiError } from "../../api/errors.ts";
import { deepFreeze, type KObject } from "../../api/types.ts";
import { Controller } from "../controller.ts";

/** The account a namespace is missing, as created: only its name. */
function createRequest(name: string, namespace: string): KObject {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } };
}

/**
 * The fast engine's create requests by namespace and name: the same frozen object each time, which a
 * cluster's start replay (src/cluster.ts, `StartReplay`) recognises by identity instead of comparing
 * it field by field (`create` copies what it is given). Bounded: past 64, a request of its own each time.
 */
const createRequests = new Map<string, KObject>();

function sharedCreateRequest(name: string, namespace: string): KObject {
  const key = `${namespace}/${name}`;
  let request = createRequests.get(key);
  if (!request) {
    request = deepFreeze(createRequest(name, namespace));
    if (createRequests.size < 64) createRequests.set(key, request);
  }
  return request;
}

/** DefaultServiceAccountsControllerOptions: the accounts every namespace gets. */
export const DEFAULT_SERVICE_ACCOUNTS: readonly string[] = ["default"];

export class ServiceAccountsController extends Controller {
  readonly name = "serviceaccount-controller";

  constructor(
    ctx: ClusterContext,
    readonly serviceAccountsToEnsure: readonly string[] = DEFAULT_SERVICE_ACCOUNTS,
  ) {
    super(ctx);
  }

  start(): void {
    this.addEventHandlers();
    // The informer's initial list: namespaces that exist when the controller starts.
    for (const ns of this.ctx.api.list("Namespace")) this.queue.add(ns.metadata.name!);
  }

  protected addEventHandlers(): void {
    // The informers' handlers in upstream's order: the ServiceAccount informer's DeleteFunc, then the Namespace informer's Add/Update.
    this.watch("ServiceAccount", (ev) => {
      if (ev.type === "DELETED") this.queue.add(ev.object.metadata.namespace!);
    });
    this.watch("Namespace", (ev) => {
      if (ev.type !== "DELETED") this.queue.add(ev.object.metadata.name!);
    });
  }

  /** syncNamespace. */
  protected override syncHandler(key: string): void | Error {
    const api = this.ctx.api;
    const ns = api.get("Namespace", undefined, key);
    // If namespace is not active, we shouldn't try to create anything.
    if (!ns || (ns.status?.phase ?? "Active") !== "Active") return;
    const failures: string[] = [];
    for (const name of this.serviceAccountsToEnsure) {
      if (api.get("ServiceAccount", key, name)) continue;
      try {
        api.create(this.ctx.reference ? createRequest(name, key) : sharedCreateRequest(name, key));
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        // AlreadyExists, and terminating namespace errors, are safely ignored.
        if (e.reason === "AlreadyExists" || (e.reason === "Forbidden" && /because it is being terminated/.test(e.message))) continue;
        failures.push(e.message);
      }
    }
    if (failures.length) return new Error(failures.join(", "));
  }
}

export function serviceAccountsController(ctx: ClusterContext): Component {
  return new ServiceAccountsController(ctx);
}
