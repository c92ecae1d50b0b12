import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { KubectlError } from "../command.ts";
import { byLogging, parseGoDuration } from "./logs.ts";

test("parseGoDuration: time.ParseDuration's values and errors", () => {
  assert.equal(parseGoDuration("0", "since"), 0);
  assert.equal(parseGoDuration("1h30m", "since"), 5_400_000);
  assert.equal(parseGoDuration("1.5s", "since"), 1500);
  assert.equal(parseGoDuration("-5s", "since"), -5000);
  assert.equal(parseGoDuration("300ms", "since"), 300);
  const err = (text: string, why: string) =>
    assert.throws(() => parseGoDuration(text, "since"), (e: unknown) => e instanceof KubectlError && e.message.startsWith(`Error: invalid argument "${text}" for "--since" flag: time: ${why}`));
  err("5x", 'unknown unit "x" in duration "5x"');
  err("5", 'missing unit in duration "5"');
  err("abc", 'invalid duration "abc"');
  err("", 'invalid duration ""');
});

const pod = (name: string, over: { node?: string; phase?: string; ready?: string; restarts?: number; created?: string }): KObject =>
  ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, creationTimestamp: over.created ?? "2024-01-08T00:00:00Z" },
    spec: { nodeName: over.node ?? "n1" },
    status: {
      phase: over.phase ?? "Running",
      conditions: over.ready ? [{ type: "Ready", status: "True", lastTransitionTime: over.ready }] : [],
      containerStatuses: [{ name: "c", restartCount: over.restarts ?? 0 }],
    },
  }) as unknown as KObject;

test("byLogging: scheduled, running, ready (longer first), more restarts, older first", () => {
  const names = (pods: KObject[]) => pods.sort(byLogging).map((p) => p.metadata.name);
  assert.deepEqual(names([pod("unscheduled", { node: "" }), pod("scheduled", {})]), ["scheduled", "unscheduled"]);
  assert.deepEqual(names([pod("pending", { phase: "Pending" }), pod("running", {})]), ["running", "pending"]);
  assert.deepEqual(names([pod("notready", {}), pod("ready", { ready: "2024-01-08T00:01:00Z" })]), ["ready", "notready"]);
  assert.deepEqual(names([pod("late", { ready: "2024-01-08T00:05:00Z" }), pod("early", { ready: "2024-01-08T00:01:00Z" })]), ["early", "late"]);
  assert.deepEqual(names([pod("calm", {}), pod("crashy", { restarts: 3 })]), ["crashy", "calm"]);
  assert.deepEqual(names([pod("young", { created: "2024-01-08T00:05:00Z" }), pod("old", {})]), ["old", "young"]);
});
