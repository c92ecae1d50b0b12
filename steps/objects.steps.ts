import { Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { assertObjectMatches } from "../src/assert/objects.ts";

Then("{word} {string} matches:", function (this: KubeWorld, kind: string, name: string, yaml: string) {
  assertObjectMatches(this.cluster, kind, name, undefined, yaml);
});

Then("{word} {string} in namespace {string} matches:", function (this: KubeWorld, kind: string, name: string, namespace: string, yaml: string) {
  assertObjectMatches(this.cluster, kind, name, namespace, yaml);
});
