import { When } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";

function applyText(world: KubeWorld, text: string, source: string): void {
  world.attachText(`manifest ${source}`, text, "text/yaml");
  const cmd = source === "-" ? ["apply", "-f", "-"] : ["apply", "-f", source];
  const r = world.cluster.kubectlSync(cmd, source === "-" ? text : undefined);
  world.last = { ...r, command: `kubectl ${cmd.join(" ")}` };
  if (r.exitCode !== 0) throw new Error(`kubectl apply failed (exit code ${r.exitCode}):\n${r.stderr}`);
}

When("I apply the manifest:", function (this: KubeWorld, text: string) {
  applyText(this, text, "-");
});

When("I apply the manifest file {string}", function (this: KubeWorld, path: string) {
  applyText(this, this.cluster.readProjectFile(path), path);
});

When("I try to apply the manifest:", function (this: KubeWorld, text: string) {
  this.attachText("manifest", text, "text/yaml");
  const r = this.cluster.kubectlSync(["apply", "-f", "-"], text);
  this.last = { ...r, command: "kubectl apply -f -" };
});
