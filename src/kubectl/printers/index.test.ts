import { test } from "node:test";
import assert from "node:assert/strict";
import { parseOutputFormat } from "./index.ts";

test("parseOutputFormat: --template without -o is a Go template (PrintFlags' backwards compatibility); -o names the format", () => {
  assert.deepEqual(parseOutputFormat("", undefined, { template: "{{.status.initContainerStatuses}}" }).kind, "go-template");
  assert.deepEqual(parseOutputFormat("", undefined, {}), { kind: "table", wide: false });
  assert.deepEqual(parseOutputFormat("jsonpath", undefined, { template: "{.metadata.name}" }).kind, "jsonpath");
});
