/** Shared set-up of the Kyverno programs' tests: a cluster with the v1.14.5 release installed. */
import assert from "node:assert/strict";
import { Cluster } from "../../../cluster.ts";

export const INSTALL = "https://github.com/kyverno/kyverno/releases/download/v1.14.5/install.yaml";

/** A one-node cluster with Kyverno's install.yaml created and a minute passed (its pods started). */
export function installed(): Cluster {
  const c = new Cluster({});
  c.addNodesFromTable([{ name: "kind-worker" }]);
  const r = c.kubectlSync(["create", "-f", INSTALL]);
  assert.equal(r.exitCode, 0, r.stderr);
  c.advanceSync(60_000);
  return c;
}

/** kubectl that must succeed: its stdout. */
export function run(c: Cluster, args: string[], stdin?: string): string {
  const r = c.kubectlSync(args, stdin);
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout;
}
