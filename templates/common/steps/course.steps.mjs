// @ts-check
// The course's own steps, next to kube-scenario's (`npx kube-scenario steps` lists them all).
// A step gets the scenario's world as `this` (KubeWorld): `this.cluster` is the simulated cluster
// the other steps drive (`get`, `kubectl`, `apply`, `advance`), `this.lastResult()` the last
// command's output. Steps defined through kube-scenario's Given/When/Then also get the failure's
// explanation and the pods' timeline attached to the step that fails, in the report.
import { Then, explainPod } from "kube-scenario/steps";

/** The pod runs on a node that carries the label (`key=value`). */
Then(
  "pod {string} runs on a node labelled {string}",
  /** @this {import("kube-scenario/steps").KubeWorld} @param {string} pod @param {string} label */
  async function (pod, label) {
    const [key, value] = label.split("=");
    const nodeName = this.cluster.get("Pod", pod)?.spec?.nodeName;
    if (!nodeName) throw new Error(`pod "${pod}" is not scheduled\n\n--- why ---\n${explainPod(this.cluster.ctx, pod)}`);
    const node = JSON.parse((await this.cluster.kubectl(`get node ${nodeName} -o json`)).stdout);
    const labels = node.metadata.labels ?? {};
    if (labels[key] !== value) throw new Error(`pod "${pod}" runs on node "${nodeName}", whose labels ${JSON.stringify(labels)} lack ${label}`);
  },
  "파드 {string} 는 {string} 레이블이 붙은 노드에서 실행된다",
);
