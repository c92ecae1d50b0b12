import { test } from "node:test";
import assert from "node:assert/strict";
import { option } from "./envoy.ts";

// The envoy container's arguments as Envoy Gateway's Deployment passes them (proxy/resource.go):
// each flag with its value in one argument; envoy's own `--flag value` and `--flag=value` too.
test("envoy's options, in one argument or two", () => {
  const argv = ["envoy", "--service-cluster default/eg", "--service-node $(ENVOY_POD_NAME)", "--log-level=warn", "-c", "/etc/envoy/envoy.yaml", "--drain-time-s", "60"];
  assert.equal(option(argv, "--service-cluster"), "default/eg");
  assert.equal(option(argv, "--log-level"), "warn");
  assert.equal(option(argv, "--drain-time-s"), "60");
  assert.equal(option(argv, "--config-yaml"), undefined);
});
