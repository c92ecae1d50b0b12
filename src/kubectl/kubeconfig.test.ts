import { test } from "node:test";
import assert from "node:assert/strict";
import { Kubeconfig } from "./kubeconfig.ts";

test("the simulated kubeconfig works in default; a context's namespace is the one commands use", () => {
  const k = Kubeconfig.simulated();
  assert.equal(k.namespaceOf(), "default");
  k.contexts.get("kube-scenario")!.namespace = "team-a";
  assert.equal(k.namespaceOf(), "team-a");
  k.contexts.set("bare", { cluster: "kube-scenario", user: "kube-scenario" });
  assert.equal(k.namespaceOf("bare"), "default");
  assert.equal(k.namespaceOf("missing"), undefined);
});

test("toV1 keeps clientcmd's field order and --minify keeps only the current context's entries", () => {
  const k = Kubeconfig.simulated();
  k.contexts.set("other", { cluster: "elsewhere", user: "", namespace: "x" });
  assert.deepEqual(Object.keys(k.toV1()), ["kind", "apiVersion", "preferences", "clusters", "users", "contexts", "current-context"]);
  const min = k.toV1({ minify: true }) as { contexts: Array<{ name: string }> };
  assert.deepEqual(min.contexts.map((c) => c.name), ["kube-scenario"]);
});
