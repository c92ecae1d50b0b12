import { both, When } from "../support/define.ts";
import type { KubeWorld } from "../support/world.ts";
import { then } from "../src/backend.ts";

function applyText(world: KubeWorld, text: string, source: string): unknown {
  world.attachText(`manifest ${source}`, text, "text/yaml");
  return then(world.backend.apply(text, source), (r) => {
    world.last = { ...r, command: `kubectl apply -f ${source}` };
    if (r.exitCode !== 0) throw new Error(`kubectl apply failed (exit code ${r.exitCode}):\n${r.stderr}`);
  });
}

When("I apply the manifest:", both(function (this: KubeWorld, text: string) {
  return applyText(this, text, "-");
}));

When("I apply the manifest file {string}", both(function (this: KubeWorld, path: string) {
  return applyText(this, this.backend.readProjectFile(path), path);
}));

When("I try to apply the manifest:", both(function (this: KubeWorld, text: string) {
  this.attachText("manifest", text, "text/yaml");
  return then(this.backend.apply(text, "-"), (r) => {
    this.last = { ...r, command: "kubectl apply -f -" };
  });
}));
