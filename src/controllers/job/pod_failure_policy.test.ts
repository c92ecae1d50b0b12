import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { matchPodFailurePolicy, type PodFailurePolicy } from "./pod_failure_policy.ts";

const pod = (status: Record<string, unknown>): KObject => ({ apiVersion: "v1", kind: "Pod", metadata: { namespace: "default", name: "mypod" }, status: { phase: "Failed", ...status } });
const terminated = (name: string, exitCode: number) => ({ name, state: { terminated: { exitCode } } });

// pod_failure_policy_test.go TestMatchPodFailurePolicy (a selection of its cases).
test("matchPodFailurePolicy", () => {
  const cases: Array<[string, PodFailurePolicy | undefined, KObject, { message?: string; countFailed: boolean; action?: string }]> = [
    ["no policy: count", undefined, pod({ containerStatuses: [terminated("main", 2)] }), { countFailed: true }],
    [
      "FailJob on an exit code In the values",
      { rules: [{ action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [1, 2, 3] } }] },
      pod({ containerStatuses: [terminated("main", 2)] }),
      { message: "Container main for pod default/mypod failed with exit code 2 matching FailJob rule at index 0", countFailed: true, action: "FailJob" },
    ],
    [
      "NotIn with the code in the values: no match",
      { rules: [{ action: "FailJob", onExitCodes: { operator: "NotIn", values: [1, 2, 3] } }] },
      pod({ containerStatuses: [terminated("main", 2)] }),
      { countFailed: true },
    ],
    [
      "NotIn with another code: FailJob",
      { rules: [{ action: "FailJob", onExitCodes: { operator: "NotIn", values: [1, 2, 3] } }] },
      pod({ containerStatuses: [terminated("main", 42)] }),
      { message: "Container main for pod default/mypod failed with exit code 42 matching FailJob rule at index 0", countFailed: true, action: "FailJob" },
    ],
    [
      "exit code 0 never matches",
      { rules: [{ action: "FailJob", onExitCodes: { operator: "NotIn", values: [1] } }] },
      pod({ containerStatuses: [terminated("main", 0)] }),
      { countFailed: true },
    ],
    [
      "another container's name: no match",
      { rules: [{ action: "FailJob", onExitCodes: { containerName: "other", operator: "In", values: [2] } }] },
      pod({ containerStatuses: [terminated("main", 2)] }),
      { countFailed: true },
    ],
    [
      "an init container's exit code",
      { rules: [{ action: "FailJob", onExitCodes: { operator: "In", values: [5] } }] },
      pod({ initContainerStatuses: [terminated("init", 5)] }),
      { message: "Container init for pod default/mypod failed with exit code 5 matching FailJob rule at index 0", countFailed: true, action: "FailJob" },
    ],
    [
      "Ignore on an exit code",
      { rules: [{ action: "Ignore", onExitCodes: { operator: "In", values: [1, 2, 3] } }] },
      pod({ containerStatuses: [terminated("main", 1)] }),
      { countFailed: false, action: "Ignore" },
    ],
    [
      "Count on an exit code",
      { rules: [{ action: "Count", onExitCodes: { operator: "In", values: [1, 2, 3] } }] },
      pod({ containerStatuses: [terminated("main", 1)] }),
      { countFailed: true, action: "Count" },
    ],
    [
      "FailIndex on an exit code",
      { rules: [{ action: "FailIndex", onExitCodes: { operator: "In", values: [1] } }] },
      pod({ containerStatuses: [terminated("main", 1)] }),
      { countFailed: true, action: "FailIndex" },
    ],
    [
      "the first matching rule wins",
      { rules: [{ action: "Ignore", onExitCodes: { operator: "In", values: [1] } }, { action: "FailJob", onExitCodes: { operator: "In", values: [1, 2] } }] },
      pod({ containerStatuses: [terminated("main", 2)] }),
      { message: "Container main for pod default/mypod failed with exit code 2 matching FailJob rule at index 1", countFailed: true, action: "FailJob" },
    ],
    [
      "Ignore on DisruptionTarget",
      { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] },
      pod({ conditions: [{ type: "DisruptionTarget", status: "True" }] }),
      { countFailed: false, action: "Ignore" },
    ],
    [
      "FailJob on a pod condition",
      { rules: [{ action: "FailJob", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] },
      pod({ conditions: [{ type: "DisruptionTarget", status: "True" }] }),
      { message: "Pod default/mypod has condition DisruptionTarget matching FailJob rule at index 0", countFailed: true, action: "FailJob" },
    ],
    [
      "the condition's status must match",
      { rules: [{ action: "FailJob", onPodConditions: [{ type: "DisruptionTarget", status: "False" }] }] },
      pod({ conditions: [{ type: "DisruptionTarget", status: "True" }] }),
      { countFailed: true },
    ],
    [
      "a running container has no exit code",
      { rules: [{ action: "FailJob", onExitCodes: { operator: "NotIn", values: [1] } }] },
      pod({ containerStatuses: [{ name: "main", state: { running: {} } }] }),
      { countFailed: true },
    ],
  ];
  for (const [name, policy, p, want] of cases) assert.deepEqual(matchPodFailurePolicy(policy, p), want, name);
});
