import { test } from "node:test";
import assert from "node:assert/strict";
import { addQuantity, formatQuantity, parseQuantity, podRequestsAndLimits, ZERO } from "./quantity.ts";

test("a parsed quantity prints as written", () => {
  for (const s of ["500m", "1Gi", "102400000Ki", "4", "0.5"]) assert.equal(formatQuantity(parseQuantity(s)), s);
});

test("sums print canonically in the first term's format", () => {
  assert.equal(formatQuantity(addQuantity(parseQuantity("250m"), parseQuantity("250m"))), "500m");
  assert.equal(formatQuantity(addQuantity(parseQuantity("500m"), parseQuantity("500m"))), "1");
  assert.equal(formatQuantity(addQuantity(parseQuantity("64Mi"), parseQuantity("64Mi"))), "128Mi");
  assert.equal(formatQuantity(addQuantity(parseQuantity("512Mi"), parseQuantity("512Mi"))), "1Gi");
  assert.equal(formatQuantity(addQuantity(parseQuantity("100M"), parseQuantity("900M"))), "1G");
  assert.equal(formatQuantity(ZERO), "0");
});

test("pod requests: containers summed, init containers taken as a maximum", () => {
  const pod = {
    spec: {
      initContainers: [{ resources: { requests: { cpu: "2" } } }],
      containers: [{ resources: { requests: { cpu: "250m", memory: "64Mi" }, limits: { memory: "128Mi" } } }, { resources: { requests: { cpu: "250m" } } }],
    },
  };
  const { requests, limits } = podRequestsAndLimits(pod);
  assert.equal(formatQuantity(requests.cpu), "2");
  assert.equal(formatQuantity(requests.memory), "64Mi");
  assert.equal(formatQuantity(limits.memory), "128Mi");
});
