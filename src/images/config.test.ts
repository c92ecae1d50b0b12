import { test } from "node:test";
import assert from "node:assert/strict";
import { containerArgs, containerEnv, containerWorkingDir } from "./config.ts";

// The table of "Define a Command and Arguments for a Container" (kubernetes.io), with an image
// whose ENTRYPOINT is [/ep-1] and CMD [foo, bar].
test("command and args combine with ENTRYPOINT and CMD as Kubernetes documents", () => {
  const image = { entrypoint: ["/ep-1"], cmd: ["foo", "bar"] };
  const rows: Array<[string[] | undefined, string[] | undefined, string[]]> = [
    [undefined, undefined, ["/ep-1", "foo", "bar"]],
    [["/ep-2"], undefined, ["/ep-2"]],
    [undefined, ["zoo", "boo"], ["/ep-1", "zoo", "boo"]],
    [["/ep-2"], ["zoo", "boo"], ["/ep-2", "zoo", "boo"]],
    [[], [], ["/ep-1", "foo", "bar"]],
  ];
  for (const [command, args, want] of rows) assert.deepEqual(containerArgs(image, { command, args }), want, JSON.stringify({ command, args }));
  assert.deepEqual(containerArgs({ cmd: ["sh"] }, {}), ["sh"]);
  assert.deepEqual(containerArgs({}, { args: ["--port=8080"] }), ["--port=8080"]);
});

test("the container's env goes over the image's ENV; workingDir over WORKDIR", () => {
  assert.deepEqual(containerEnv({ env: { PATH: "/usr/bin", A: "image" } }, { A: "pod" }), { PATH: "/usr/bin", A: "pod" });
  assert.equal(containerWorkingDir({ workingDir: "/data" }, {}), "/data");
  assert.equal(containerWorkingDir({ workingDir: "/data" }, { workingDir: "/srv" }), "/srv");
  assert.equal(containerWorkingDir({}, {}), "/");
});
