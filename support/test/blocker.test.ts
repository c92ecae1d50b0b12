// Under support/test/ so that Cucumber, which loads support/*.ts, does not load it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { STEP_MODES } from "../define.ts";
import { liveBlocker } from "../blocker.ts";

test("liveBlocker names the first step a live target cannot run, with its reason", () => {
  STEP_MODES.set("I run {string}", { mode: "both" });
  STEP_MODES.set("{duration} pass(es)", { mode: "both" });
  STEP_MODES.set("pod {string} is {phase}", { mode: "both" });
  STEP_MODES.set("node {string} goes down and {duration} pass(es)", { mode: "sim", reason: "a step cannot stop a live node's kubelet" });
  STEP_MODES.set("pod {string} is pending because:", { mode: "facade", reason: "it reads the simulator annotations" });
  const steps = (...texts: string[]) => texts.map((text) => ({ text }));

  assert.equal(liveBlocker(steps('I run "kubectl get pods"', "30 seconds pass", 'pod "web1" is Running'), [], false), undefined);
  assert.equal(
    liveBlocker(steps('I run "kubectl get pods"', 'node "k8s-node2" goes down and 45 seconds pass', 'pod "web1" is Running'), [], true),
    'step "node "k8s-node2" goes down and 45 seconds pass" is sim-only: a step cannot stop a live node\'s kubelet',
  );
  // Facade-only steps run on the facade, and skip the scenario elsewhere.
  assert.equal(liveBlocker(steps('pod "web1" is pending because:'), [], true), undefined);
  assert.match(liveBlocker(steps('pod "web1" is pending because:'), [], false) ?? "", /is facade-only: it reads the simulator annotations/);
  // A step no definition matches is left for Cucumber to report as undefined; a duration that is no {duration} matches nothing.
  assert.equal(liveBlocker(steps("something nobody defined", "30 parsecs pass"), [], false), undefined);
  assert.equal(liveBlocker(steps("30 seconds pass"), ["@epic:Course", "@sim-only"], true), "the scenario is tagged @sim-only");
});
