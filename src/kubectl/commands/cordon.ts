/**
 * `kubectl cordon` / `kubectl uncordon` (k8s.io/kubectl/pkg/cmd/drain): set or clear
 * `spec.unschedulable`; `node/x cordoned`, `node/x already cordoned`, `uncordoned`.
 */
import { ApiError } from "../../api/errors.ts";
import type { ResourceType } from "../../api/resources.ts";
import type { KObject } from "../../api/types.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { resourceName } from "../printers/index.ts";
import { apiErrorText, fetch, resolveType } from "./builder.ts";

export const NODE_FLAGS = [
  { long: "selector", short: "l", type: "string" as const },
  { long: "dry-run", type: "string" as const, default: "none" },
];

/** The nodes a cordon/uncordon/drain command names: `NODE` or `-l SELECTOR`. */
export function selectNodes(inv: Invocation, verb: string): { nodes: KObject[]; r: ResourceType; errors: ApiError[] } {
  const r = resolveType("nodes");
  if (inv.args.length === 0 && !inv.flags.selector) {
    throw new KubectlError(`error: USAGE: ${verb} NODE [flags]\nSee 'kubectl ${verb} -h' for help and examples`, 1, true);
  }
  if (inv.args.length > 1) throw new KubectlError(`error: USAGE: ${verb} NODE [flags]\nSee 'kubectl ${verb} -h' for help and examples`, 1, true);
  const name = inv.args[0]?.replace(/^(nodes?|no)\//, "");
  const res = fetch(inv, [{ r, names: name ? [name] : undefined }], { namespace: inv.namespace, labelSelector: inv.flags.selector || undefined });
  return { nodes: res.items.map((i) => i.obj), r, errors: res.errors };
}

/** Sets spec.unschedulable on each node; returns the lines kubectl prints. */
export function cordonNodes(inv: Invocation, nodes: KObject[], r: ResourceType, desired: boolean): string[] {
  const out: string[] = [];
  const dry = String(inv.flags["dry-run"]) !== "none";
  const verb = desired ? "cordoned" : "uncordoned";
  for (const node of nodes) {
    const name = node.metadata.name!;
    if (Boolean(node.spec?.unschedulable) === desired) {
      out.push(`${resourceName(r, name)} already ${verb}`);
      continue;
    }
    if (!dry) {
      inv.ctx.api.mutate("Node", undefined, name, (n) => {
        n.spec = n.spec ?? {};
        if (desired) n.spec.unschedulable = true;
        else delete n.spec.unschedulable;
        // drain.CordonHelper patches without a fieldManager: the User-Agent's `kubectl`.
      }, { fieldManager: "kubectl" });
    }
    out.push(`${resourceName(r, name)} ${verb}${dry ? " (dry run)" : ""}`);
  }
  return out;
}

function cordonLike(path: string, desired: boolean): CommandDef {
  return {
    path: [path],
    flags: NODE_FLAGS,
    run(inv) {
      const { nodes, r, errors } = selectNodes(inv, path);
      for (const line of cordonNodes(inv, nodes, r, desired)) inv.out(line);
      for (const e of errors) inv.err(apiErrorText(e));
      return errors.length > 0 ? 1 : 0;
    },
  };
}

export const cordonCommand = cordonLike("cordon", true);
export const uncordonCommand = cordonLike("uncordon", false);
