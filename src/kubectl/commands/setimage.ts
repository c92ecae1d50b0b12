/**
 * `kubectl set image` (k8s.io/kubectl/pkg/cmd/set/set_image.go): changes container images in the
 * pod template of workloads (or in a Pod), `CONTAINER=IMAGE` or `*=IMAGE`; prints
 * `<type>/<name> image updated`.
 */
import { ApiError } from "../../api/errors.ts";
import { KubectlError, serverWarnings, type CommandDef, type Invocation } from "../command.ts";
import { fetch, selectionsFromArgs } from "./builder.ts";
import { podSpecOf } from "./sethelper.ts";

function runSetImage(inv: Invocation): number {
  const pairs = inv.args.filter((a) => a.includes("="));
  const resources = inv.args.filter((a) => !a.includes("="));
  if (resources.length === 0) throw new KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
  if (pairs.length === 0) throw new KubectlError("at least one image update is required");
  const images = new Map<string, string>();
  for (const p of pairs) {
    const i = p.indexOf("=");
    images.set(p.slice(0, i), p.slice(i + 1));
  }
  const res = fetch(inv, selectionsFromArgs(inv, resources), { namespace: inv.namespace });
  let code = 0;
  for (const { r, obj } of res.items) {
    const spec = podSpecOf(obj);
    const qualified = `${r.singular}${r.group ? "." + r.group : ""}/${obj.metadata.name}`;
    if (!spec) {
      inv.err(`error: ${qualified} is not a resource with containers`);
      code = 1;
      continue;
    }
    const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    for (const name of images.keys()) {
      if (name !== "*" && !all.some((c) => c.name === name)) {
        inv.err(`error: unable to find container named ${JSON.stringify(name)}`);
        code = 1;
      }
    }
    if (code) continue;
    try {
      inv.ctx.api.mutate(r.key, obj.metadata.namespace, obj.metadata.name!, (o) => {
        const s = podSpecOf(o)!; // the same kind as the object checked above
        for (const c of [...(s.initContainers ?? []), ...(s.containers ?? [])]) {
          const image = images.get(c.name) ?? images.get("*");
          if (image !== undefined) c.image = image;
        }
      }, { warnings: serverWarnings(inv), fieldManager: String(inv.flags["field-manager"] || "kubectl-set") });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // set image's patch error, as kubectl words it (a PodSecurity refusal of a pod's new image).
      inv.err(`error: failed to patch image update to pod template: ${e.message}`);
      code = 1;
      continue;
    }
    inv.out(`${qualified} image updated`);
  }
  for (const e of res.errors) {
    inv.err(`Error from server (${e.reason}): ${e.message}`);
    code = 1;
  }
  return code;
}

export const setImageCommand: CommandDef = {
  path: ["set", "image"],
  flags: [
    { long: "all", type: "bool" },
    { long: "selector", short: "l", type: "string" },
    { long: "local", type: "bool" },
    { long: "dry-run", type: "string", default: "none" },
    { long: "record", type: "bool" },
  ],
  run: runSetImage,
};
