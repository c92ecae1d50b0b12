import { test } from "node:test";
import assert from "node:assert/strict";
import { bareContext } from "../../testutil.ts";
import { ObjectManager } from "./manager.ts";

test("a mutable object is read fresh; an immutable one is kept once seen, even if deleted and recreated", () => {
  const ctx = bareContext();
  const m = new ObjectManager(ctx);
  ctx.api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "sport", namespace: "default" }, data: { sport: "football" } });
  assert.equal(m.get("ConfigMap", "default", "sport")!.data.sport, "football");
  ctx.api.mutate("ConfigMap", "default", "sport", (o) => (o.data = { sport: "cricket" }));
  assert.equal(m.get("ConfigMap", "default", "sport")!.data.sport, "cricket");
  ctx.api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "company", namespace: "default" }, immutable: true, data: { name: "ACME" } });
  assert.equal(m.get("ConfigMap", "default", "company")!.data.name, "ACME");
  ctx.api.delete("ConfigMap", "default", "company");
  ctx.clock.settle();
  ctx.api.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "company", namespace: "default" }, immutable: true, data: { name: "Other" } });
  assert.equal(m.get("ConfigMap", "default", "company")!.data.name, "ACME");
  assert.equal(new ObjectManager(ctx).get("ConfigMap", "default", "company")!.data.name, "Other");
  assert.equal(m.get("Secret", "default", "none"), undefined);
});
