/**
 * `kubectl apply --server-side` of a real application's install (Argo CD's install.yaml, 59
 * objects: CRDs, RBAC, ConfigMaps, Services, Deployments, a StatefulSet, NetworkPolicies) with the
 * real kubectl v1.32.4 through the facade: applied, applied again without a write, then a
 * conflict with two other field managers (the API server's Conflict: structured-merge-diff's text
 * as apimachinery's managedfields/internal/conflict.go words it, one FieldManagerConflict cause per
 * field) that leaves the object as it was, and `--force-conflicts`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";
import { resourceForGVK } from "../api/resources.ts";

const INSTALL = readFileSync(new URL("../../exercises/apps/argo-cd/install.yaml", import.meta.url), "utf8");
const DOCS = parseAllDocuments(INSTALL)
  .map((d) => d.toJSON() as { apiVersion: string; kind: string; metadata: { name: string } } | null)
  .filter((d): d is { apiVersion: string; kind: string; metadata: { name: string } } => !!d);

/** Where `manifest` has a value the live object lacks or differs on (empty maps and lists may be left out). */
function missing(manifest: unknown, live: unknown, path = ""): string[] {
  if (Array.isArray(manifest)) {
    if (!Array.isArray(live) || live.length !== manifest.length) return [`${path}: ${JSON.stringify(live)?.slice(0, 80)}`];
    return manifest.flatMap((m, i) => missing(m, live[i], `${path}[${i}]`));
  }
  if (manifest !== null && typeof manifest === "object") {
    if (live === null || typeof live !== "object") return [`${path}: not a map`];
    return Object.entries(manifest).flatMap(([k, v]) => {
      const l = (live as Record<string, unknown>)[k];
      if (l === undefined) return v === null || (typeof v === "object" && Object.keys(v as object).length === 0) ? [] : [`${path}.${k}: missing`];
      return missing(v, l, `${path}.${k}`);
    });
  }
  return manifest === live || (typeof manifest === "number" && String(manifest) === String(live)) ? [] : [`${path}: ${JSON.stringify(manifest)} became ${JSON.stringify(live)}`];
}

test("kubectl apply --server-side of Argo CD's install: all of it stored, re-applied without a write, a conflict that changes nothing, --force-conflicts", { skip: NO_KUBECTL, timeout: 300_000 }, async () => {
  await withKubectl(async ({ kubectl, cluster, url, fetch }) => {
    assert.equal((await kubectl(["create", "namespace", "argocd"])).code, 0);
    const install = ["apply", "-n", "argocd", "--server-side", "-f", "-"];
    const first = await kubectl(install, INSTALL);
    assert.equal(first.code, 0, first.err);
    const applied = first.out.trimEnd().split("\n");
    assert.equal(applied.length, DOCS.length);
    assert.ok(applied.every((l) => / serverside-applied$/.test(l)), first.out);
    // Nothing of what was applied is lost: every manifest's fields are in the stored object.
    const stored = (d: (typeof DOCS)[number]) => {
      const r = resourceForGVK(d.apiVersion, d.kind);
      assert.ok(r, `${d.apiVersion} ${d.kind} is served`);
      return cluster.api.get(r.kind, r.namespaced ? "argocd" : undefined, d.metadata.name);
    };
    for (const d of DOCS) assert.deepEqual(missing(d, stored(d)), [], `${d.kind}/${d.metadata.name}`);

    // Applied again: the same answer, and no object is written (resourceVersion unchanged).
    const before = cluster.api.resourceVersion;
    const again = await kubectl(install, INSTALL);
    assert.deepEqual([again.code, again.out, again.err], [0, first.out, ""]);
    assert.equal(cluster.api.resourceVersion, before, "a re-apply of the same configuration writes nothing");

    // Two other managers take fields of the repo server's Deployment.
    assert.equal((await kubectl(["set", "image", "-n", "argocd", "deployment/argocd-repo-server", "argocd-repo-server=quay.io/argoproj/argocd:v0"])).code, 0);
    assert.equal((await kubectl(["label", "-n", "argocd", "deployment/argocd-repo-server", "app.kubernetes.io/name=mine", "--overwrite"])).code, 0);
    const repo = () => cluster.api.get("Deployment", "argocd", "argocd-repo-server")!;
    const rv = repo().metadata.resourceVersion;
    const conflicted = await kubectl(install, INSTALL);
    assert.equal(conflicted.code, 1);
    // Every other object is applied; the conflicting one is reported at the end, as kubectl reports it.
    assert.equal(conflicted.out.trimEnd().split("\n").length, DOCS.length - 1);
    assert.doesNotMatch(conflicted.out, /deployment\.apps\/argocd-repo-server/);
    assert.equal(
      conflicted.err.split("\nPlease review")[0],
      [
        'error: Apply failed with 2 conflicts: conflicts with "kubectl-label" using apps/v1:',
        "- .metadata.labels.app.kubernetes.io/name",
        'conflicts with "kubectl-set" using apps/v1:',
        '- .spec.template.spec.containers[name="argocd-repo-server"].image',
      ].join("\n"),
    );
    // Nothing of the refused apply is half-applied.
    assert.equal(repo().metadata.resourceVersion, rv);
    assert.equal(repo().spec.template.spec.containers[0].image, "quay.io/argoproj/argocd:v0");
    assert.equal(repo().metadata.labels?.["app.kubernetes.io/name"], "mine");

    // The Status a client library reads: one cause per conflicting field.
    const doc = DOCS.find((d) => d.kind === "Deployment" && d.metadata.name === "argocd-repo-server")!;
    const res = await fetch(`${url}/apis/apps/v1/namespaces/argocd/deployments/argocd-repo-server?fieldManager=kubectl&force=false`, {
      method: "PATCH",
      headers: { "content-type": "application/apply-patch+yaml" },
      body: JSON.stringify(doc),
    });
    assert.equal(res.status, 409);
    assert.deepEqual(await res.json(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: conflicted.err.split("\nPlease review")[0]!.slice("error: ".length),
      reason: "Conflict",
      details: {
        causes: [
          { reason: "FieldManagerConflict", message: 'conflict with "kubectl-label" using apps/v1', field: ".metadata.labels.app.kubernetes.io/name" },
          { reason: "FieldManagerConflict", message: 'conflict with "kubectl-set" using apps/v1', field: '.spec.template.spec.containers[name="argocd-repo-server"].image' },
        ],
      },
      code: 409,
    });

    // --force-conflicts takes both fields back: the install is whole again, and the two managers' entries, left with nothing, are gone.
    const forced = await kubectl([...install.slice(0, -2), "--force-conflicts", "-f", "-"], INSTALL);
    assert.deepEqual([forced.code, forced.out, forced.err], [0, first.out, ""]);
    for (const d of DOCS) assert.deepEqual(missing(d, stored(d)), [], `${d.kind}/${d.metadata.name}`);
    assert.deepEqual((repo().metadata.managedFields as { manager: string; operation: string }[]).map((e) => `${e.manager}/${e.operation}`), ["kubectl/Apply"]);
  });
});
