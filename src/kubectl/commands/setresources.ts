/**
 * `kubectl set resources` (k8s.io/kubectl/pkg/cmd/set/set_resources.go, with
 * generate/versioned HandleResourceRequirementsV1): sets `--limits` and `--requests` on the
 * containers (and init containers) a `-c` wildcard selects, in the pod template of workloads or
 * in Pods; prints `<type>/<name> resource requirements updated`.
 */
import { canonicalQuantity, parseQuantity } from "../../api/quantity.ts";
import type { KObject } from "../../api/types.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { goTypeName, podSpecOf, runSetPatches, selectContainers, SET_FLAGS, setTargets } from "./sethelper.ts";

/** populateResourceListV1: `cpu=100m,memory=256Mi` into a resource list (empty text: none). */
export function parseResourceList(spec: string): Record<string, string> | undefined {
  if (spec === "") return undefined;
  const out: Record<string, string> = {};
  for (const statement of spec.split(",")) {
    const parts = statement.split("=");
    if (parts.length !== 2) throw new KubectlError(`Invalid argument syntax ${statement}, expected <resource>=<value>`);
    try {
      parseQuantity(parts[1]);
    } catch (e) {
      if (e instanceof Error) throw new KubectlError(e.message);
      throw e;
    }
    out[parts[0]!] = canonicalQuantity(parts[1]);
  }
  return out;
}

/** The resource list as the API serialises a Go map: keys sorted. */
function sorted<T>(list: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(list).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function runSetResources(inv: Invocation): number {
  const f = inv.flags;
  const limitsText = String(f.limits ?? "");
  const requestsText = String(f.requests ?? "");
  if (f.local && inv.args.length) {
    throw new KubectlError("error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'", 1, true);
  }
  const targets = setTargets(inv, inv.args);
  if (f.all && f.selector) throw new KubectlError("cannot set --all and --selector at the same time");
  if (!limitsText && !requestsText) throw new KubectlError("you must specify an update to requests or limits (in the form of --requests/--limits)");
  const limits = parseResourceList(limitsText);
  const requests = parseResourceList(requestsText);
  const selector = String(f.containers ?? "*");
  const failures: string[] = [];
  return runSetPatches(
    inv,
    targets,
    "resource requirements updated",
    "failed to patch resources update to pod template ",
    (obj: KObject, t) => {
      const spec = podSpecOf(obj);
      if (!spec) throw new KubectlError(`the object is not a pod or does not have a pod template: ${goTypeName(t.r)}`);
      const containers = selectContainers(spec, selector);
      if (containers.length === 0) {
        failures.push(`error: unable to find container named ${selector}`);
        return;
      }
      for (const c of containers) {
        const res = (c.resources ??= {});
        if (limits) res.limits = sorted({ ...(res.limits ?? {}), ...limits });
        if (requests) res.requests = sorted({ ...(res.requests ?? {}), ...requests });
      }
    },
    failures,
  );
}

export const setResourcesCommand: CommandDef = {
  path: ["set", "resources"],
  flags: [
    ...SET_FLAGS,
    { long: "containers", short: "c", type: "string", default: "*" },
    { long: "limits", type: "string" },
    { long: "requests", type: "string" },
  ],
  run: runSetResources,
};
