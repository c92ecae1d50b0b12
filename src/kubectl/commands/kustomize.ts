/**
 * `kubectl kustomize [DIR]` (k8s.io/kubectl/pkg/cmd/kustomize, kustomize v5.5.0's build command)
 * and the `-k DIR` manifests of apply, create, get, describe and delete (cli-runtime's
 * KustomizeVisitor: the build in the legacy order, read as one stream whose source is DIR).
 * The build itself is src/kubectl/kustomize/.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { kustomize, KustomizeError, type Kustomized } from "../kustomize/index.ts";

function run(inv: Invocation, dir: string): Kustomized {
  try {
    const k = kustomize(inv.ctx.files, dir);
    for (const w of k.warnings) inv.err(w);
    return k;
  } catch (e) {
    if (e instanceof KustomizeError) throw new KubectlError(e.message);
    throw e;
  }
}

/** The YAML stream a `-k DIR` build gives the builder (read as one stream whose source is DIR). */
export function kustomizeText(inv: Invocation, dir: string): string {
  return run(inv, dir).yaml;
}

export const kustomizeCommand: CommandDef = {
  path: ["kustomize"],
  flags: [
    { long: "output", short: "o", type: "string" },
    { long: "enable-helm", type: "bool" },
    { long: "enable-alpha-plugins", type: "bool" },
    { long: "load-restrictor", type: "string", default: "LoadRestrictionsRootOnly" },
    { long: "reorder", type: "string", default: "legacy" },
    { long: "as-current-user", type: "bool" },
    { long: "env", short: "e", type: "stringArray" },
    { long: "mount", type: "stringArray" },
    { long: "network", type: "bool" },
    { long: "helm-command", type: "string", default: "helm" },
  ],
  run(inv) {
    if (inv.args.length > 1) throw new KubectlError("specify one path to kustomization.yaml");
    for (const f of ["output", "enable-helm", "enable-alpha-plugins", "as-current-user", "env", "mount", "network", "helm-command"]) {
      if (inv.set.has(f)) throw new KubectlError(`kubectl kustomize --${f} is not simulated`);
    }
    if (inv.set.has("load-restrictor") && inv.flags["load-restrictor"] !== "LoadRestrictionsRootOnly") throw new KubectlError("kubectl kustomize --load-restrictor other than LoadRestrictionsRootOnly is not simulated");
    if (inv.set.has("reorder") && inv.flags.reorder !== "legacy") throw new KubectlError("kubectl kustomize --reorder other than legacy is not simulated");
    const k = run(inv, inv.args[0] ?? ".");
    if (inv.write) inv.write(k.yaml);
    else inv.out(k.yaml.replace(/\n$/, ""));
    return 0;
  },
};
