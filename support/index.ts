/**
 * kube-scenario's step library, `kube-scenario/steps`: importing it registers with Cucumber the
 * world (one simulated cluster per scenario), the parameter types and every step of the catalogue
 * (docs/steps.md), and gives a project's own step files what they need to add steps over the same
 * cluster (README, "Your own steps"):
 *
 *   // steps/course.steps.mjs
 *   import { Then } from "kube-scenario/steps";
 *   Then("pod {string} runs on a node labelled {string}", function (pod, label) {
 *     const p = this.cluster.get("Pod", pod);              // this: KubeWorld
 *     ...
 *   });
 *
 * Steps defined through these `Given`/`When`/`Then` also get the report's explanation and timeline
 * on the step that fails, as the library's own steps do. The list of step files below is checked
 * against steps/ by support/index.test.ts.
 */
import "./fast-match.ts";
import "./gherkin-cache.ts";
import "./params.ts";
import "./world.ts";
import "./live.ts";
import "../steps/cluster.steps.ts";
import "../steps/events.steps.ts";
import "../steps/images.steps.ts";
import "../steps/kubectl.steps.ts";
import "../steps/manifests.steps.ts";
import "../steps/nodes-lifecycle.steps.ts";
import "../steps/nodes.steps.ts";
import "../steps/objects.steps.ts";
import "../steps/pods.steps.ts";
import "../steps/probes.steps.ts";
import "../steps/resources.steps.ts";
import "../steps/scheduling.steps.ts";
import "../steps/time-assertions.steps.ts";
import "../steps/time.steps.ts";
import "../steps/traffic.steps.ts";
import "../steps/workloads.steps.ts";

export { Given, When, Then, action, both, simOnly, facadeOnly, type LiveMode } from "./define.ts";
export { KubeWorld, type CommandResult } from "./world.ts";
export { CONTRACT_STEPS } from "./contract.ts";
export { KO as KOREAN_PHRASES } from "./phrases.ko.ts";
export { Cluster, KubectlFailure, type ClusterOptions } from "../src/cluster.ts";
export type { KObject } from "../src/api/types.ts";
export type { KubectlResult } from "../src/kubectl/index.ts";
export { explainPod, explainPods, withExplanation } from "../src/report/explain.ts";
export { parseDuration } from "../src/sim/duration.ts";
