import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster, SYSTEM_NAMESPACES } from "../../cluster.ts";
import type { KObject, WatchEvent } from "../../api/types.ts";
import { ServiceAccountsController } from "./serviceaccounts_controller.ts";
import { ApiServer } from "../../api/store.ts";
import { EventRecorder } from "../../api/events.ts";
import { ServiceRegistry, type ClusterContext } from "../../context.ts";
import { SimClock } from "../../sim/clock.ts";
import { Random } from "../../sim/random.ts";

function ns(name: string): KObject {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name } };
}

function sa(name: string, namespace = "default"): KObject {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } };
}

/** The ServiceAccount writes while `act` runs and the cluster settles, as upstream's test lists client actions. */
function actionsAfter(c: Cluster, act: () => void): string[] {
  const seen: string[] = [];
  const unwatch = c.api.watch("ServiceAccount", (ev: WatchEvent) => seen.push(`${ev.type} ${ev.object.metadata.namespace}/${ev.object.metadata.name}`));
  act();
  c.clock.settle();
  unwatch();
  return seen;
}

test("every system namespace has its default service account when the cluster has started", () => {
  const c = new Cluster();
  for (const n of SYSTEM_NAMESPACES) {
    const a = c.api.get("ServiceAccount", n, "default");
    assert.ok(a, n);
    assert.equal(a.secrets, undefined);
    assert.equal(a.automountServiceAccountToken, undefined);
  }
});

test("a new namespace has its default service account at the instant it is created", () => {
  const c = new Cluster();
  const t = c.clock.now();
  const seen = actionsAfter(c, () => c.api.create(ns("team-a")));
  assert.deepEqual(seen, ["ADDED team-a/default"]);
  assert.equal(Date.parse(c.api.get("ServiceAccount", "team-a", "default")!.metadata.creationTimestamp!), Math.floor(t / 1000) * 1000);
});

test("a deleted default service account is created again with a new uid; a user's own is not", () => {
  const c = new Cluster();
  const before = c.api.get("ServiceAccount", "default", "default")!.metadata.uid;
  assert.deepEqual(actionsAfter(c, () => c.api.delete("ServiceAccount", "default", "default")), ["DELETED default/default", "ADDED default/default"]);
  assert.notEqual(c.api.get("ServiceAccount", "default", "default")!.metadata.uid, before);
  c.api.create(sa("build-robot"));
  c.clock.settle();
  assert.deepEqual(actionsAfter(c, () => c.api.delete("ServiceAccount", "default", "build-robot")), ["DELETED default/build-robot"]);
});

test("a terminating namespace's accounts go with it and are not created again", () => {
  const c = new Cluster();
  c.api.create(ns("doomed"));
  c.clock.settle();
  const seen = actionsAfter(c, () => {
    c.api.delete("Namespace", undefined, "doomed");
    c.clock.advance(30_000);
  });
  assert.deepEqual(seen, ["DELETED doomed/default"]);
  assert.equal(c.api.get("Namespace", undefined, "doomed"), undefined);
});

// serviceaccounts_controller_test.go TestServiceAccountCreation, on an API server with this
// controller alone, ensuring `default` and `managed`: each case's existing state, the event the
// controller reacts to, and the accounts it creates.
function bareContext(): ClusterContext {
  const clock = new SimClock();
  const api = new ApiServer(clock);
  return { clock, chance: new Random(1), api, events: new EventRecorder(api), services: new ServiceRegistry() };
}

/** The controller with its event handlers alone (no initial list), as upstream's test calls them. */
class HandlersOnly extends ServiceAccountsController {
  override start(): void {
    this.addEventHandlers();
  }
}

test("TestServiceAccountCreation", async (t) => {
  type Phase = "active" | "terminating";
  type Case = {
    existingNamespace?: Phase;
    existingServiceAccounts?: string[];
    addedNamespace?: Phase;
    updatedNamespace?: Phase;
    deletedServiceAccount?: string;
    expectCreated: string[];
  };
  const cases: Record<string, Case> = {
    "new active namespace missing serviceaccounts": { existingServiceAccounts: [], addedNamespace: "active", expectCreated: ["default", "managed"] },
    "new active namespace missing serviceaccount": { existingServiceAccounts: ["managed"], addedNamespace: "active", expectCreated: ["default"] },
    "new active namespace with serviceaccounts": { existingServiceAccounts: ["default", "managed"], addedNamespace: "active", expectCreated: [] },
    "new terminating namespace": { existingServiceAccounts: [], addedNamespace: "terminating", expectCreated: [] },
    "updated active namespace missing serviceaccounts": { existingServiceAccounts: [], updatedNamespace: "active", expectCreated: ["default", "managed"] },
    "updated active namespace missing serviceaccount": { existingServiceAccounts: ["default"], updatedNamespace: "active", expectCreated: ["managed"] },
    "updated active namespace with serviceaccounts": { existingServiceAccounts: ["default", "managed"], updatedNamespace: "active", expectCreated: [] },
    "updated terminating namespace": { existingServiceAccounts: [], updatedNamespace: "terminating", expectCreated: [] },
    "deleted serviceaccount without namespace": { deletedServiceAccount: "default", expectCreated: [] },
    "deleted serviceaccount with active namespace": { existingServiceAccounts: ["managed"], existingNamespace: "active", deletedServiceAccount: "default", expectCreated: ["default"] },
    "deleted serviceaccount with terminating namespace": { existingNamespace: "terminating", deletedServiceAccount: "default", expectCreated: [] },
    "deleted unmanaged serviceaccount with active namespace": { existingServiceAccounts: ["default", "managed"], existingNamespace: "active", deletedServiceAccount: "other-unmanaged", expectCreated: [] },
    "deleted unmanaged serviceaccount with terminating namespace": { existingNamespace: "terminating", deletedServiceAccount: "other-unmanaged", expectCreated: [] },
  };
  for (const [name, tc] of Object.entries(cases)) {
    await t.test(name, () => {
      const ctx = bareContext();
      const { api, clock } = ctx;
      const controller = new HandlersOnly(ctx, ["default", "managed"]);
      // The accounts created after the case's set-up: ADDED events of uids that did not exist then.
      const added: Array<[string, string]> = [];
      api.watch("ServiceAccount", (ev) => {
        if (ev.type === "ADDED") added.push([ev.object.metadata.uid!, ev.object.metadata.name!]);
      });
      let before = new Set<string>();
      const setUpDone = () => (before = new Set(api.list("ServiceAccount").map((a) => a.metadata.uid!)));
      const accounts = (names: string[] | undefined) => {
        for (const n of names ?? []) api.create(sa(n, "ns"));
      };
      // A namespace held Terminating by a finalizer of ours (no namespace controller runs here).
      const namespace = (phase: Phase, before: () => void = () => {}) => {
        api.create({ ...ns("ns"), metadata: { name: "ns", finalizers: ["example.com/hold"] } });
        before();
        if (phase === "terminating") api.delete("Namespace", undefined, "ns");
      };
      if (tc.addedNamespace) {
        controller.start();
        namespace(tc.addedNamespace, () => {
          accounts(tc.existingServiceAccounts);
          setUpDone();
        });
      } else if (tc.updatedNamespace) {
        namespace(tc.updatedNamespace, () => accounts(tc.existingServiceAccounts));
        clock.settle();
        controller.start();
        setUpDone();
        api.mutate("Namespace", undefined, "ns", (n) => (n.metadata.labels = { touched: "yes" }));
      } else {
        const setUp = () => {
          accounts(tc.existingServiceAccounts);
          api.create(sa(tc.deletedServiceAccount!, "ns"));
        };
        if (tc.existingNamespace) namespace(tc.existingNamespace, setUp);
        else {
          // The namespace is gone (the accounts outlive it here: no namespace controller runs).
          api.create(ns("ns"));
          setUp();
          api.delete("Namespace", undefined, "ns");
          assert.equal(api.get("Namespace", undefined, "ns"), undefined);
        }
        clock.settle();
        controller.start();
        setUpDone();
        api.delete("ServiceAccount", "ns", tc.deletedServiceAccount!);
      }
      clock.settle();
      controller.stop();
      assert.deepEqual(added.filter(([uid]) => !before.has(uid)).map(([, n]) => n), tc.expectCreated);
    });
  }
});
