/**
 * `kubectl api-resources` (k8s.io/kubectl/pkg/cmd/apiresources): the resource types the simulated
 * API server serves (preferred versions, custom resources included), sorted by group then name, as
 * NAME SHORTNAMES APIVERSION NAMESPACED KIND (-o wide adds VERBS and CATEGORIES).
 */
import { apiVersionOf } from "../../api/resources.ts";
import { KubectlError, type CommandDef } from "../command.ts";
import { formatRows } from "../printers/tabwriter.ts";

export const apiResourcesCommand: CommandDef = {
  path: ["api-resources"],
  flags: [
    { long: "output", short: "o", type: "string" },
    { long: "no-headers", type: "bool" },
    { long: "namespaced", type: "bool", default: true },
    { long: "api-group", type: "string" },
    { long: "sort-by", type: "string" },
    { long: "verbs", type: "stringArray" },
    { long: "cached", type: "bool" },
    { long: "categories", type: "stringArray" },
  ],
  run(inv) {
    const f = inv.flags;
    const output = String(f.output ?? "");
    if (output !== "" && output !== "wide" && output !== "name") throw new KubectlError(`--output ${output} is not available`);
    let types = inv.ctx.api.registry.preferredResources();
    const verbs = (f.verbs as string[]).flatMap((v) => v.split(",")).filter(Boolean);
    if (verbs.length) types = types.filter((t) => verbs.every((v) => t.verbs.includes(v)));
    const categories = (f.categories as string[]).flatMap((v) => v.split(",")).filter(Boolean);
    if (categories.length) types = types.filter((t) => categories.some((c) => t.categories.includes(c)));
    if (inv.set.has("namespaced")) types = types.filter((t) => t.namespaced === f.namespaced);
    if (inv.set.has("api-group")) types = types.filter((t) => t.group === f["api-group"]);
    const sortBy = String(f["sort-by"] ?? "");
    if (sortBy && sortBy !== "name" && sortBy !== "kind") throw new KubectlError(`--sort-by accepts only name or kind`);
    const key = (t: (typeof types)[number]) => (sortBy === "name" ? t.plural : sortBy === "kind" ? t.kind : t.group);
    types.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0));
    if (output === "name") {
      for (const t of types) inv.out(t.group ? `${t.plural}.${t.group}` : t.plural);
      return 0;
    }
    const rows: string[][] = [];
    const wide = output === "wide";
    if (!f["no-headers"]) rows.push(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", ...(wide ? ["VERBS", "CATEGORIES"] : [])]);
    for (const t of types) {
      rows.push([t.plural, t.shortNames.join(","), apiVersionOf(t), String(t.namespaced), t.kind, ...(wide ? [t.verbs.join(","), t.categories.join(",")] : [])]);
    }
    inv.out(formatRows(rows).replace(/\n$/, ""));
    return 0;
  },
};
