/**
 * ./controllers.ts on a cluster with the v1.14.5 release installed: `kyvernopre` (the admission
 * controller's init container) takes the `kyvernopre-lock` Lease and exits 0; the cleanup
 * controller makes its serving certificates, registers its two webhook configurations (cleanup
 * policies at `/validate`, Fail; objects labelled `cleanup.kyverno.io/ttl` at `/verifyttl`,
 * Ignore) and answers them allowed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { installed } from "./testutil.ts";


test("kyvernopre takes the kyvernopre-lock Lease and exits 0; the cleanup controller's webhooks are registered and answer allowed", () => {
  const c = installed();

  const lease = c.api.get("Lease", "kyverno", "kyvernopre-lock") as unknown as { spec: { holderIdentity?: string; leaseDurationSeconds?: number } } | undefined;
  assert.ok(lease, "the init container's Lease");
  assert.equal(lease.spec.leaseDurationSeconds, 15);
  const admission = c.api.list("Pod", { namespace: "kyverno" }).find((p) => p.metadata.name?.startsWith("kyverno-admission-controller-"))!;
  assert.equal(lease.spec.holderIdentity, admission.metadata.name);
  const init = (admission as unknown as { status: { initContainerStatuses: Array<{ name: string; state: { terminated?: { exitCode: number; reason: string } } }> } }).status.initContainerStatuses;
  assert.deepEqual(init.map((s) => [s.name, s.state.terminated?.exitCode, s.state.terminated?.reason]), [["kyverno-pre", 0, "Completed"]]);

  const vwc = (name: string) => c.api.get("ValidatingWebhookConfiguration", undefined, name) as unknown as { webhooks: Array<{ failurePolicy: string; clientConfig: { service: { name: string; namespace: string; path: string } }; rules: Array<{ resources: string[] }>; objectSelector?: unknown }> } | undefined;
  const cleanup = vwc("kyverno-cleanup-validating-webhook-cfg");
  const ttl = vwc("kyverno-ttl-validating-webhook-cfg");
  assert.ok(cleanup && ttl);
  assert.deepEqual([cleanup.webhooks[0]!.failurePolicy, cleanup.webhooks[0]!.clientConfig.service.path, cleanup.webhooks[0]!.rules[0]!.resources], ["Fail", "/validate", ["cleanuppolicies/*", "clustercleanuppolicies/*"]]);
  assert.deepEqual([ttl.webhooks[0]!.failurePolicy, ttl.webhooks[0]!.clientConfig.service.path, ttl.webhooks[0]!.objectSelector], ["Ignore", "/verifyttl", { matchExpressions: [{ key: "cleanup.kyverno.io/ttl", operator: "Exists" }] }]);
  assert.ok(c.api.get("Secret", "kyverno", "kyverno-cleanup-controller.kyverno.svc.kyverno-tls-ca"), "its CA Secret");

  // An object with a TTL label reaches /verifyttl and is allowed (TTLs are not carried out: docs/divergences.md).
  const r = c.kubectlSync(["create", "configmap", "short-lived", "--from-literal=a=b"]);
  assert.equal(r.exitCode, 0, r.stderr);
  const l = c.kubectlSync(["label", "configmap", "short-lived", "cleanup.kyverno.io/ttl=2m"]);
  assert.equal(l.exitCode, 0, l.stderr);
  assert.equal(l.stdout, "configmap/short-lived labeled\n");
});
