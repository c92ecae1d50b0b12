import { test } from "node:test";
import assert from "node:assert/strict";
import { globalFlagsAfterCommand } from "./index.ts";
import { Cluster } from "../cluster.ts";

test("global flags before the command are moved after it, before a `--`", () => {
  assert.deepEqual(globalFlagsAfterCommand(["-n", "kube-system", "edit", "configmap", "coredns"]), ["edit", "configmap", "coredns", "-n", "kube-system"]);
  assert.deepEqual(globalFlagsAfterCommand(["--namespace=x", "--insecure-skip-tls-verify", "get", "pods"]), ["get", "pods", "--namespace=x", "--insecure-skip-tls-verify"]);
  assert.deepEqual(globalFlagsAfterCommand(["-nx", "exec", "p", "--", "ls", "-n"]), ["exec", "p", "-nx", "--", "ls", "-n"]);
  // Not a global flag, or nothing after the flags: left alone.
  assert.deepEqual(globalFlagsAfterCommand(["--bogus", "get", "pods"]), ["--bogus", "get", "pods"]);
  assert.deepEqual(globalFlagsAfterCommand(["-n"]), ["-n"]);
  assert.deepEqual(globalFlagsAfterCommand(["get", "pods", "-n", "x"]), ["get", "pods", "-n", "x"]);
});

test("kubectl -n kube-system get configmap runs as kubectl get configmap -n kube-system", () => {
  const c = new Cluster();
  const r = c.kubectlSync("-n kube-system get configmap -o name");
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "configmap/kube-root-ca.crt\n");
});
