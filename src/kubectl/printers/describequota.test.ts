import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { describeNamespace } from "./describequota.ts";

const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "dev", labels: { "kubernetes.io/metadata.name": "dev" } }, status: { phase: "Active" } } as KObject;

// describe.go NamespaceDescriber with DescribeResourceQuotas / DescribeLimitRanges.
test("describeNamespace: without quotas and limit ranges", () => {
  assert.equal(describeNamespace(ns, [], []), "Name:         dev\nLabels:       kubernetes.io/metadata.name=dev\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n");
});

test("describeNamespace: its quotas (used and hard, sorted) and limit ranges", () => {
  const quota = { kind: "ResourceQuota", metadata: { name: "q", namespace: "dev" }, spec: {}, status: { hard: { pods: "2", cpu: "1" }, used: { pods: "1", cpu: "500m" } } } as unknown as KObject;
  const lr = { kind: "LimitRange", metadata: { name: "l", namespace: "dev" }, spec: { limits: [{ type: "Container", default: { cpu: "1" }, defaultRequest: { cpu: "500m" } }] } } as unknown as KObject;
  assert.equal(
    describeNamespace(ns, [quota], [lr]),
    [
      "Name:         dev",
      "Labels:       kubernetes.io/metadata.name=dev",
      "Annotations:  <none>",
      "Status:       Active",
      "",
      "Resource Quotas",
      "  Name:     q",
      "  Resource  Used  Hard",
      "  --------  ---   ---",
      "  cpu       500m  1",
      "  pods      1     2",
      "",
      "Resource Limits",
      " Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio",
      " ----       --------  ---  ---  ---------------  -------------  -----------------------",
      " Container  cpu       -    -    500m             1              -",
      "",
    ].join("\n"),
  );
});
