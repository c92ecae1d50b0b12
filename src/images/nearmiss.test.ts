import { test } from "node:test";
import assert from "node:assert/strict";
import { editDistance, nearMissOf } from "./nearmiss.ts";

test("edit distance counts a swap of neighbours as one edit", () => {
  assert.equal(editDistance("nginx", "nginx"), 0);
  assert.equal(editDistance("ngnix", "nginx"), 1);
  assert.equal(editDistance("kubetm/ap", "kubetm/app"), 1);
  assert.equal(editDistance("abc", "xyz"), 3);
  assert.equal(editDistance("a", "abcdef"), 3, "capped at limit + 1");
});

test("a near miss names the known repository; a name far from every one has none", () => {
  assert.equal(nearMissOf("docker.io/polinux/stres"), "docker.io/polinux/stress");
  assert.equal(nearMissOf("docker.io/vish/stress"), undefined, "a known repository is no near miss of another");
  assert.equal(nearMissOf("docker.io/myorg/shop"), undefined);
  assert.equal(nearMissOf("ghcr.io/acme/api"), undefined);
});
