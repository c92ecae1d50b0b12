import { test } from "node:test";
import assert from "node:assert/strict";
import {
  exitedContainerMessage,
  getTerminationMessage,
  readLastStringFromContainerLogs,
  truncateTerminationMessages,
  type ExitedContainer,
} from "./termination.ts";

const exited = (o: Partial<ExitedContainer>, log = ""): ExitedContainer => ({
  exitCode: 0,
  terminationMessagePath: "/dev/termination-log",
  terminationMessagePolicy: "File",
  terminationFile: "",
  log: () => log,
  ...o,
});

test("getTerminationMessage reads the last 4 KiB of the file, and falls back to the logs only when it is empty or missing", () => {
  assert.deepEqual(getTerminationMessage("Sleep expired\n", false), { message: "Sleep expired\n", checkLogs: false });
  assert.deepEqual(getTerminationMessage("", true), { message: "", checkLogs: true });
  assert.deepEqual(getTerminationMessage(undefined, true), { message: "", checkLogs: true });
  assert.deepEqual(getTerminationMessage("x", true), { message: "x", checkLogs: false });
  const big = "a".repeat(4000) + "b".repeat(200);
  const r = getTerminationMessage(big, false);
  assert.equal(Buffer.byteLength(r.message), 4096);
  assert.ok(r.message.endsWith("b".repeat(200)));
});

test("readLastStringFromContainerLogs keeps the last 80 lines, then at most their last 2 KiB", () => {
  const lines = Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join("");
  const tail = readLastStringFromContainerLogs(lines);
  assert.ok(tail.startsWith("line 20\n"));
  assert.ok(tail.endsWith("line 99\n"));
  assert.equal(readLastStringFromContainerLogs("no newline at the end"), "no newline at the end");
  const wide = Array.from({ length: 10 }, (_, i) => `${String(i).repeat(500)}\n`).join("");
  assert.equal(Buffer.byteLength(readLastStringFromContainerLogs(wide)), 2048);
});

test("convertToKubeContainerStatus: File policy takes the file; FallbackToLogsOnError takes the log of a failed container with an empty file", () => {
  assert.equal(exitedContainerMessage(exited({ terminationFile: "Sleep expired\n" })), "Sleep expired\n");
  assert.equal(exitedContainerMessage(exited({ exitCode: 1 }, "boom\n")), undefined);
  assert.equal(exitedContainerMessage(exited({ exitCode: 1, terminationMessagePolicy: "FallbackToLogsOnError" }, "boom\n")), "boom\n");
  // A successful container never falls back.
  assert.equal(exitedContainerMessage(exited({ exitCode: 0, terminationMessagePolicy: "FallbackToLogsOnError" }, "ok\n")), undefined);
  // The file wins over the logs.
  assert.equal(exitedContainerMessage(exited({ exitCode: 2, terminationMessagePolicy: "FallbackToLogsOnError", terminationFile: "from file" }, "log\n")), "from file");
  // A container that could not run has no logs.
  assert.equal(exitedContainerMessage(exited({ exitCode: 128, reason: "ContainerCannotRun", terminationMessagePolicy: "FallbackToLogsOnError" }, "x\n")), undefined);
  // Appended to the runtime's own message.
  assert.equal(exitedContainerMessage(exited({ exitCode: 1, message: "runtime says", terminationFile: "app says" })), "runtime says: app says");
  // No path: only the logs can say something.
  assert.equal(exitedContainerMessage(exited({ exitCode: 1, terminationMessagePath: "", terminationMessagePolicy: "FallbackToLogsOnError" }, "tail\n")), "tail\n");
});

test("normalizeStatus: terminated messages cut to 12 KiB over the number of containers (TestStatusNormalizeTerminationMessages-like)", () => {
  const pod = { spec: { containers: [{}, {}, {}], initContainers: [{}] } };
  const long = "x".repeat(5000);
  const status: any = {
    containerStatuses: [{ state: { terminated: { message: long } }, lastState: { terminated: { message: long } } }, { state: { running: {} } }],
    initContainerStatuses: [{ state: { terminated: { message: "short" } } }],
  };
  truncateTerminationMessages(pod, status);
  assert.equal(status.containerStatuses[0].state.terminated.message.length, 3072);
  assert.equal(status.containerStatuses[0].lastState.terminated.message.length, 3072);
  assert.equal(status.initContainerStatuses[0].state.terminated.message, "short");
});
