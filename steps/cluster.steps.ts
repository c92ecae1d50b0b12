import type { DataTable } from "@cucumber/cucumber";
import { both, Given, simOnly } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { installCoreDNSAddon } from "../src/controllers/addons/dns.ts";

Given("a cluster with nodes:", both(function (this: KubeWorld, table: DataTable) {
  return this.backend.addNodes(table.hashes());
}));

/** A live cluster keeps its own clock: there the step only notes the instant; relative times (AGE) are what is compared. */
Given("the time is {string}", both(function (this: KubeWorld, time: string) {
  const ms = Date.parse(time);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(time) || Number.isNaN(ms)) {
    throw new Error(`"${time}" is not an RFC 3339 time such as 2019-09-26T22:07:56Z`);
  }
  this.setTime(time, ms);
}));

Given("the random seed is {int}", simOnly("a live cluster's tie-breaks and jitter have no seed to set", function (this: KubeWorld, seed: number) {
  if (!this.hasCluster) this.options.seed = seed;
  else this.cluster.reseed(seed);
}));

/** For features that show what a bad cluster table reports: records the error instead of failing. */
Given("I try to set up a cluster with nodes:", simOnly("it shows how the simulation rejects a bad node table", function (this: KubeWorld, table: DataTable) {
  try {
    this.cluster.addNodesFromTable(table.hashes());
    this.last = { command: "cluster table", stdout: "", stderr: "", exitCode: 0 };
  } catch (e) {
    this.last = { command: "cluster table", stdout: "", stderr: (e as Error).message + "\n", exitCode: 1 };
  }
}));

/**
 * kubeadm's DNS add-on as Pods: the ConfigMap, RBAC, ServiceAccount and Deployment `coredns` and
 * the Service `kube-dns` (10.96.0.10) in kube-system, so that `kubectl get pods -n kube-system -l
 * k8s-app=kube-dns`, `get svc`/`get ep kube-dns` and the CoreDNS logs show what a kubeadm cluster
 * shows. Off by default: its two pods take node resources (docs/divergences.md). Name resolution
 * works the same with or without it.
 */
Given("CoreDNS runs in kube-system as kubeadm installs it", simOnly("a real cluster runs its own DNS add-on", function (this: KubeWorld) {
  installCoreDNSAddon(this.cluster.api);
  this.cluster.clock.settle();
}));

/**
 * A cluster without the built-in ingress-nginx add-on (no IngressClass `nginx`, nothing answering
 * on the nodes' port 80), as a new kind cluster: for installing an ingress controller from its own
 * manifest (features/apps/ingress-nginx.feature). Before `Given a cluster with nodes:`.
 */
Given("the cluster has no ingress controller installed", simOnly("a real cluster has the ingress controller it has", function (this: KubeWorld) {
  if (this.hasCluster) throw new Error('"the cluster has no ingress controller installed" must come before "Given a cluster with nodes:": the add-on starts with the cluster');
  this.options.builtInIngressController = false;
}));
