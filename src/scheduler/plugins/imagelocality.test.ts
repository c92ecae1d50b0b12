import { test } from "node:test";
import assert from "node:assert/strict";
import { calculatePriority, ImageLocality, normalizedImageName } from "./imagelocality.ts";
import { PodInfo } from "../types.ts";
import { node, pod, snapshot } from "../testutil.ts";

const MB = 1024 * 1024;

test("normalizedImageName adds :latest only when there is no tag or digest", () => {
  assert.equal(normalizedImageName("gcr.io/40"), "gcr.io/40:latest");
  assert.equal(normalizedImageName("gcr.io/300:v1"), "gcr.io/300:v1");
  assert.equal(normalizedImageName("localhost:5000/app"), "localhost:5000/app:latest");
  assert.equal(normalizedImageName("app@sha256:abc"), "app@sha256:abc");
});

// image_locality_test.go TestImageLocalityPriority: "two images spread on two nodes, prefer the larger image one".
test("ImageLocality: the node holding the larger image scores higher", () => {
  const n1 = node("node1", { images: [{ names: ["gcr.io/40:latest", "gcr.io/40:v1"], sizeBytes: 40 * MB }, { names: ["gcr.io/300:latest", "gcr.io/300:v1"], sizeBytes: 300 * MB }] });
  const n2 = node("node2", { images: [{ names: ["gcr.io/250:latest"], sizeBytes: 250 * MB }, { names: ["gcr.io/10:latest", "gcr.io/10:v1"], sizeBytes: 10 * MB }] });
  const snap = snapshot([n1, n2]);
  const p = new PodInfo(pod("p", { containers: [{ name: "a", image: "gcr.io/40" }, { name: "b", image: "gcr.io/250" }] }));
  const pl = new ImageLocality(snap);
  // node1: 40MB × 1/2 = 20MB → below the 23MB threshold → 0; node2: 250MB × 1/2 = 125MB → 100·(125−23)/(2000−23) = 5
  assert.deepEqual(snap.nodeInfoList().map((n) => pl.score(new Map(), p, n)), [0, 5]);
});

test("ImageLocality: calculatePriority clamps to the thresholds", () => {
  assert.equal(calculatePriority(0, 1), 0);
  assert.equal(calculatePriority(5000 * MB, 1), 100);
  assert.equal(calculatePriority(1000 * MB, 2), Math.trunc((100 * (1000 * MB - 23 * MB)) / (2000 * MB - 23 * MB)));
});
