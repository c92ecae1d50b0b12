import { both, Then } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { assertObjectMatches } from "../src/assert/objects.ts";

Then("{word} {string} matches:", both(function (this: KubeWorld, kind: string, name: string, yaml: string) {
  const n = this.ns();
  return this.backend.check((v) => assertObjectMatches(v, kind, name, n, yaml));
}));

Then("{word} {string} in namespace {string} matches:", both(function (this: KubeWorld, kind: string, name: string, namespace: string, yaml: string) {
  return this.backend.check((v) => assertObjectMatches(v, kind, name, namespace, yaml));
}));
