import { test } from "node:test";
import assert from "node:assert/strict";
import { featureEnabled, featureEnabledFamily, featureGates } from "./featuregate.ts";
import { writeText } from "./textformat.ts";
import { apiserverMetrics } from "./apiserver.ts";

test("the v1.32 gates: unique names, the special AllAlpha and AllBeta, the stages of gates pages read", () => {
  const gates = featureGates();
  assert.equal(new Set(gates.map((g) => g.name)).size, gates.length);
  assert.ok(gates.length > 170, `${gates.length} gates`);
  const at = (n: string) => gates.find((g) => g.name === n);
  // featuregate's defaultFeatures: AllAlpha and AllBeta are known gates, off.
  assert.deepEqual(at("AllAlpha"), { name: "AllAlpha", stage: "ALPHA", enabled: false });
  assert.deepEqual(at("AllBeta"), { name: "AllBeta", stage: "BETA", enabled: false });
  // "Adopting Sidecar Containers": beta and on in v1.32 (GA in 1.33).
  assert.deepEqual(at("SidecarContainers"), { name: "SidecarContainers", stage: "BETA", enabled: true });
  // GA gates report the empty stage; deprecated ones DEPRECATED.
  assert.deepEqual(at("PodDisruptionConditions"), { name: "PodDisruptionConditions", stage: "", enabled: true });
  assert.deepEqual(at("KMSv1"), { name: "KMSv1", stage: "DEPRECATED", enabled: false });
  // Alpha but on by default.
  assert.equal(featureEnabled("WindowsHostNetwork"), true);
  // Beta and off: DynamicResourceAllocation went beta (off) in 1.32.
  assert.deepEqual(at("DynamicResourceAllocation"), { name: "DynamicResourceAllocation", stage: "BETA", enabled: false });
  // The linter's Go constant names are the gates' string names here.
  assert.ok(at("CustomCPUCFSQuotaPeriod") && !at("CPUCFSQuotaPeriod"));
  assert.ok(at("RuntimeClassInImageCriApi") && !at("RuntimeClassInImageCriAPI"));
  // Gates removed before v1.32 (HPAContainerMetrics, PodHostIPs: GA in 1.30, gone in 1.32) and 1.33's are not known.
  for (const gone of ["HPAContainerMetrics", "PodHostIPs", "ZeroLimitedNominalConcurrencyShares", "DeclarativeValidation", "AllowParsingUserUIDFromCertAuth"]) assert.equal(at(gone), undefined, gone);
  assert.throws(() => featureEnabled("NoSuchGate"), /unrecognized feature gate: NoSuchGate/);
});

test("kubernetes_feature_enabled as the Adopting Sidecar Containers page greps it", () => {
  const text = writeText([featureEnabledFamily()]);
  const lines = text.split("\n");
  assert.equal(lines[0], "# HELP kubernetes_feature_enabled [BETA] This metric records the data about the stage and enablement of a k8s feature.");
  assert.equal(lines[1], "# TYPE kubernetes_feature_enabled gauge");
  assert.ok(lines.includes('kubernetes_feature_enabled{name="SidecarContainers",stage="BETA"} 1'));
  // Sorted by label value, byte-wise: upper case before lower case (APIListChunking before AllAlpha).
  assert.equal(lines[2], 'kubernetes_feature_enabled{name="APIListChunking",stage=""} 1');
  assert.equal(lines[3], 'kubernetes_feature_enabled{name="APIResponseCompression",stage="BETA"} 1');
});

test("kube-apiserver's /metrics: kubernetes_build_info then kubernetes_feature_enabled", () => {
  const { body, contentType } = apiserverMetrics();
  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  const families = body.split("\n").filter((l) => l.startsWith("# TYPE")).map((l) => l.split(" ")[2]);
  assert.deepEqual(families, ["kubernetes_build_info", "kubernetes_feature_enabled"]);
  assert.ok(body.includes('kubernetes_build_info{build_date="2024-12-11T18:04:20Z",compiler="gc",git_commit="70d3cc986aa8221cd1dfb1121852688902d3bf53",git_tree_state="clean",git_version="v1.32.0",go_version="go1.23.3",major="1",minor="32",platform="linux/amd64"} 1\n'));
  assert.ok(body.endsWith("\n"));
});
