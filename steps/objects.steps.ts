import { both, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { checkObjectMatches } from "../src/assert/objects.ts";
import { expect } from "../src/assert/expect.ts";
import { resolveResourceArg } from "../src/api/resources.ts";

/** A failed match on a pod is followed by the pod's explanation. */
const explainedPod = (kind: string, name: string) => (resolveResourceArg(kind)?.kind === "Pod" ? name : undefined);

Then("{word} {string} matches:", both(function (this: KubeWorld, kind: string, name: string, yaml: string) {
  const n = this.ns();
  return this.backend.check((v) => expect(checkObjectMatches(v, kind, name, n, yaml)), explainedPod(kind, name), n);
}));

Then("{word} {string} in namespace {string} matches:", both(function (this: KubeWorld, kind: string, name: string, namespace: string, yaml: string) {
  return this.backend.check((v) => expect(checkObjectMatches(v, kind, name, namespace, yaml)), explainedPod(kind, name), namespace);
}));
