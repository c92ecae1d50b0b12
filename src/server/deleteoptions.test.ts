// DELETE with a DeleteOptions body sent by fetch (Node's undici, which frames it with its length),
// in every form v1.32 takes: kind DeleteOptions in v1 or meta.k8s.io/v1 (any apiVersion: the meta
// scheme registers DeleteOptions unversioned, apimachinery/pkg/apis/meta/internalversion/register.go),
// or none; propagationPolicy, orphanDependents, gracePeriodSeconds, preconditions and dryRun; and
// the refusals of validation.ValidateDeleteOptions and rest.BeforeDelete
// (apiserver/pkg/registry/rest/delete.go).
import { test, type TestContext } from "node:test";
import { closing } from "./testutil.ts";
import assert from "node:assert/strict";
import { Cluster } from "../cluster.ts";
import { serve } from "./apiserver.ts";
import type { KObject } from "../api/types.ts";

type Answer = { status: number; body: Record<string, any> };

async function withFetch(t: TestContext, fn: (del: (path: string, body: unknown) => Promise<Answer>, cluster: Cluster) => Promise<void>): Promise<void> {
  const cluster = new Cluster();
  cluster.addNodesFromTable([{ name: "k8s-node1" }]);
  // Plain HTTP (--insecure-no-auth): fetch cannot be given the server's CA.
  const s = await serve(cluster, { token: false });
  const del = async (path: string, body: unknown): Promise<Answer> => {
    const r = await fetch(s.url + path, { method: "DELETE", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as Record<string, any> };
  };
  await closing(
    t,
    async () => {
      await s.close();
      await cluster.close();
    },
    async () => {
      await fn(del, cluster);
    },
  );
}

const DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

function deployment(cluster: Cluster, name: string, labels: Record<string, string> = { app: name }): KObject {
  return cluster.api.create({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default", labels },
    spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "c", image: "nginx" }] } } },
  } as unknown as KObject);
}

test("a DeleteOptions body is taken in each form v1.32 takes: propagationPolicy (kind/apiVersion v1, meta.k8s.io/v1, or none), orphanDependents, dryRun", async (t) => {
  await withFetch(t, async (del, cluster) => {
    const cases: Array<[string, unknown, string[] | "gone"]> = [
      ["fg", { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Foreground" }, ["foregroundDeletion"]],
      ["meta", { kind: "DeleteOptions", apiVersion: "meta.k8s.io/v1", propagationPolicy: "Orphan" }, ["orphan"]],
      ["group", { kind: "DeleteOptions", apiVersion: "apps/v1", propagationPolicy: "Foreground" }, ["foregroundDeletion"]],
      ["bare", { propagationPolicy: "Foreground" }, ["foregroundDeletion"]],
      ["orphan", { orphanDependents: true }, ["orphan"]],
      ["noorphan", { orphanDependents: false }, "gone"],
      ["bg", { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" }, "gone"],
      ["empty", {}, "gone"],
    ];
    for (const [name, body, expected] of cases) {
      deployment(cluster, name);
      const r = await del(`${DEPLOYMENTS}/${name}`, body);
      assert.equal(r.status, 200, `${name}: ${JSON.stringify(r.body)}`);
      if (expected === "gone") {
        assert.deepEqual([r.body.kind, r.body.status, r.body.details], ["Status", "Success", { name, group: "apps", kind: "deployments", uid: r.body.details.uid }], name);
        assert.equal(cluster.api.get("Deployment", "default", name), undefined, name);
      } else {
        // The object stays, its finalizer keeping it for the garbage collector.
        assert.deepEqual([r.body.kind, r.body.metadata.finalizers], ["Deployment", expected], name);
        assert.ok(r.body.metadata.deletionTimestamp, name);
      }
    }
    deployment(cluster, "dry");
    const dry = await del(`${DEPLOYMENTS}/dry`, { kind: "DeleteOptions", apiVersion: "v1", dryRun: ["All"], propagationPolicy: "Foreground" });
    assert.deepEqual([dry.status, dry.body.metadata.finalizers], [200, ["foregroundDeletion"]]);
    const kept = cluster.api.get("Deployment", "default", "dry")!;
    assert.deepEqual([kept.metadata.deletionTimestamp, kept.metadata.finalizers], [undefined, undefined], "a dry run changes nothing");
  });
});

test("deletecollection takes the body too, for each object its selector names", async (t) => {
  await withFetch(t, async (del, cluster) => {
    deployment(cluster, "a", { tier: "web" });
    deployment(cluster, "b", { tier: "web" });
    deployment(cluster, "c", { tier: "db" });
    const r = await del(`${DEPLOYMENTS}?labelSelector=tier%3Dweb`, { kind: "DeleteOptions", apiVersion: "meta.k8s.io/v1", propagationPolicy: "Orphan" });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items.map((d: KObject) => [d.metadata.name, d.metadata.finalizers]), [["a", ["orphan"]], ["b", ["orphan"]]]);
    assert.equal(cluster.api.get("Deployment", "default", "c")?.metadata.deletionTimestamp, undefined);
  });
});

test("preconditions: a matching uid and resourceVersion delete; others are BeforeDelete's 409 on the kind, and nothing is deleted", async (t) => {
  await withFetch(t, async (del, cluster) => {
    const uid = deployment(cluster, "web").metadata.uid!;
    // (The deployment controller writes its status meanwhile: the version is the stored one's now.)
    const rvNow = () => cluster.api.get("Deployment", "default", "web")!.metadata.resourceVersion!;
    const conflict = (message: string) => ({
      kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `Operation cannot be fulfilled on Deployment.apps "web": ${message}`, reason: "Conflict",
      details: { name: "web", group: "apps", kind: "Deployment" }, code: 409,
    });
    const wrongUid = await del(`${DEPLOYMENTS}/web`, { kind: "DeleteOptions", apiVersion: "v1", preconditions: { uid: "0000" } });
    assert.deepEqual(wrongUid, { status: 409, body: conflict(`the UID in the precondition (0000) does not match the UID in record (${uid}). The object might have been deleted and then recreated`) });
    // An empty uid is a precondition too (a pointer to "", not nil).
    const emptyUid = await del(`${DEPLOYMENTS}/web`, { preconditions: { uid: "" } });
    assert.deepEqual(emptyUid, { status: 409, body: conflict(`the UID in the precondition () does not match the UID in record (${uid}). The object might have been deleted and then recreated`) });
    const rv = rvNow();
    const wrongRv = await del(`${DEPLOYMENTS}/web`, { preconditions: { uid, resourceVersion: "1" } });
    assert.deepEqual(wrongRv, { status: 409, body: conflict(`the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${rv}). The object might have been modified`) });
    assert.ok(cluster.api.get("Deployment", "default", "web"));
    const ok = await del(`${DEPLOYMENTS}/web`, { preconditions: { uid, resourceVersion: rvNow() } });
    assert.equal(ok.status, 200);
    assert.equal(cluster.api.get("Deployment", "default", "web"), undefined);
  });
});

test("gracePeriodSeconds sets a running pod's deletion grace; a negative one is 1 s (BeforeDelete)", async (t) => {
  await withFetch(t, async (del, cluster) => {
    for (const name of ["five", "negative"]) {
      cluster.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { containers: [{ name: "c", image: "nginx" }] } } as unknown as KObject);
    }
    cluster.advanceSync(30_000);
    assert.equal(cluster.api.get("Pod", "default", "five")?.status?.phase, "Running");
    const five = await del("/api/v1/namespaces/default/pods/five", { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 5 });
    assert.deepEqual([five.status, five.body.metadata.deletionGracePeriodSeconds], [200, 5]);
    const negative = await del("/api/v1/namespaces/default/pods/negative", { gracePeriodSeconds: -3 });
    assert.deepEqual([negative.status, negative.body.metadata.deletionGracePeriodSeconds], [200, 1]);
  });
});

test("bodies ValidateDeleteOptions refuses are 422s naming DeleteOptions.meta.k8s.io; bodies that do not decode are v1.32's 500s", async (t) => {
  await withFetch(t, async (del, cluster) => {
    deployment(cluster, "web");
    const invalid = (message: string, causes: unknown[]) => ({
      status: 422,
      body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Invalid", details: { group: "meta.k8s.io", kind: "DeleteOptions", causes }, code: 422 },
    });
    assert.deepEqual(
      await del(`${DEPLOYMENTS}/web`, { orphanDependents: true, propagationPolicy: "Background" }),
      invalid('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set', [
        { reason: "FieldValueInvalid", message: 'Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set', field: "propagationPolicy" },
      ]),
    );
    assert.deepEqual(
      await del(`${DEPLOYMENTS}/web`, { propagationPolicy: "Sometimes" }),
      invalid('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan", "nil"', [
        { reason: "FieldValueNotSupported", message: 'Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan", "nil"', field: "propagationPolicy" },
      ]),
    );
    assert.deepEqual(
      await del(`${DEPLOYMENTS}/web`, { dryRun: ["Yes"] }),
      invalid('DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Yes"}: supported values: "All"', [
        { reason: "FieldValueNotSupported", message: 'Unsupported value: []string{"Yes"}: supported values: "All"', field: "dryRun" },
      ]),
    );
    assert.deepEqual(await del(`${DEPLOYMENTS}/web`, '{"gracePeriodSeconds":"5"}'), {
      status: 500,
      body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64", code: 500 },
    });
    assert.equal(cluster.api.get("Deployment", "default", "web")?.metadata.deletionTimestamp, undefined, "nothing was deleted");
  });
});
