import { action, simOnly } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { runOnNode } from "../src/kubelet/inspect.ts";

action("I run {string} on node {string}", simOnly("a step cannot reach a live node's own filesystem", function (this: KubeWorld, command: string, node: string) {
  const r = runOnNode(this.cluster.ctx, node, command);
  this.last = { command: `${command} (on node ${node})`, stdout: r.stdout, stderr: "", exitCode: r.exitCode };
  this.attachText(`$ ${command} (on ${node})`, r.stdout);
  if (r.exitCode !== 0) throw new Error(`"${command}" on node ${JSON.stringify(node)} failed with exit code ${r.exitCode}:\n${r.stdout}`);
}));

/**
 * A page's shell snippet of several lines, run on the node (where the page says `ssh my-node1`, or
 * `docker exec -it <node> bash` on kind): a here-document that writes a static pod's manifest.
 */
action(
  "I run on node {string}:",
  simOnly("a step cannot reach a live node's own filesystem", function (this: KubeWorld, node: string, script: string) {
    const r = runOnNode(this.cluster.ctx, node, script);
    this.last = { command: `${script} (on node ${node})`, stdout: r.stdout, stderr: "", exitCode: r.exitCode };
    this.attachText(`$ sh (on ${node})`, `${script}\n---\n${r.stdout}`);
    if (r.exitCode !== 0) throw new Error(`the commands on node ${JSON.stringify(node)} failed with exit code ${r.exitCode}:\n${r.stdout}`);
  }),
  "노드 {string} 에서 다음 명령을 실행한다:",
);

/** As `I run ... on node`, recording the result whatever its exit code (a curl that cannot connect). */
action("I try to run {string} on node {string}", simOnly("a step cannot reach a live node's own filesystem", function (this: KubeWorld, command: string, node: string) {
  const r = runOnNode(this.cluster.ctx, node, command);
  this.last = { command: `${command} (on node ${node})`, stdout: r.stdout, stderr: "", exitCode: r.exitCode };
  this.attachText(`$ ${command} (on ${node})`, r.stdout);
}));
