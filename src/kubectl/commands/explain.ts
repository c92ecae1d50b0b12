/**
 * `kubectl explain TYPE[.FIELD...]` (k8s.io/kubectl/pkg/cmd/explain, v1.32): the resource found
 * as kubectl finds it (explain.SplitAndParseResourceRequestWithMatchingPrefix: every resource the
 * first name matches, the first whose `resource.group` prefixes the argument, else the first;
 * with --api-version, the preferred one and that group version), then the group version's OpenAPI
 * v3 document (the same the facade serves at /openapi/v3, src/api/schema/openapi.ts) rendered by
 * the plaintext template (explainrender.ts): descriptions, `-required-`, enums, `--recursive`.
 *
 * `--output=plaintext-openapiv2` renders kubectl's older printer from /openapi/v2, which the
 * simulated API server does not serve (see docs/divergences.md): it fails as kubectl does against
 * such a server.
 */
import type { ResourceType } from "../../api/resources.ts";
import { openAPIV3Object } from "../../api/schema/openapi.ts";
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { renderExplain } from "./explainrender.ts";

const SUGGEST = `Use "kubectl api-resources" for a complete list of supported resources.`;

/**
 * The nodes of kubectl's jsonpath `{.<arg>}` (a trailing dot removed): field names, or undefined
 * for a node of another kind (an index `[0]`, the recursive descent of `..`).
 */
function pathNodes(arg: string): (string | undefined)[] {
  const input = `.${arg.endsWith(".") ? arg.slice(0, -1) : arg}`;
  const nodes: (string | undefined)[] = [];
  let i = 0;
  while (i < input.length) {
    if (input[i] === "[") {
      const end = input.indexOf("]", i);
      nodes.push(undefined);
      i = end < 0 ? input.length : end + 1;
      continue;
    }
    if (input.startsWith("..", i)) {
      nodes.push(undefined);
      i += 2;
    } else if (input[i] === ".") i++;
    let j = i;
    while (j < input.length && input[j] !== "." && input[j] !== "[") j++;
    if (j > i) nodes.push(input.slice(i, j).replaceAll("\\", ""));
    i = j;
  }
  return nodes;
}

/**
 * RESTMapper.ResourcesFor behind kubectl's shortcut expander: every served resource (all
 * versions) the name matches, in priority order (discovery's order: ResourceRegistry.prioritized;
 * the preferred version first). A short name expands to the first resource having it unless the
 * name is some resource's plural or singular; the others having it are warned about, as
 * client-go's expandResourceShortcut warns.
 */
function resourcesFor(inv: Invocation, name: string): ResourceType[] {
  const all = inv.ctx.api.registry.resources();
  const prioritized = inv.ctx.api.registry.prioritized();
  let plural = name.toLowerCase();
  let group: string | undefined;
  if (!all.some((r) => r.plural === name || r.singular === name)) {
    const having = prioritized.filter((r) => r.shortNames.includes(name));
    if (having.length) {
      [plural, group] = [having[0]!.plural, having[0]!.group];
      const warned = new Set<string>();
      for (const r of having) {
        const gr = r.group ? `${r.plural}.${r.group}` : r.plural;
        if ((r.plural === plural && r.group === group) || warned.has(gr)) continue;
        warned.add(gr);
        inv.err(`Warning: short name ${JSON.stringify(name)} could also match lower priority resource ${gr}`);
      }
    }
  }
  const matches = prioritized.filter((r) => (group === undefined || r.group === group) && (r.plural === plural || r.singular === plural));
  const groups = [...new Set(matches.map((r) => r.group))];
  return groups.flatMap((g) => {
    const inGroup = matches.filter((r) => r.group === g);
    return [...inGroup.filter((r) => r.preferred), ...inGroup.filter((r) => !r.preferred)];
  });
}

const groupResourceOf = (r: ResourceType) => (r.group ? `${r.plural}.${r.group}` : r.plural);

function fieldsOf(nodes: (string | undefined)[], message: string): string[] {
  return nodes.map((n) => {
    if (n === undefined) throw new KubectlError(message);
    return n;
  });
}

/** schema.ParseGroupVersion. */
function parseGroupVersion(gv: string): { group: string; version: string } {
  if (gv === "" || gv === "/") return { group: "", version: "" };
  const parts = gv.split("/");
  if (parts.length === 1) return { group: "", version: gv };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  throw new KubectlError(`unexpected GroupVersion string: ${gv}`);
}

export const explainCommand: CommandDef = {
  path: ["explain"],
  flags: [
    { long: "recursive", type: "bool" },
    { long: "api-version", type: "string" },
    { long: "output", short: "o", type: "string", default: "plaintext" },
  ],
  run(inv) {
    if (inv.args.length === 0) throw new KubectlError(`You must specify the type of resource to explain. ${SUGGEST}\n`);
    if (inv.args.length > 1) throw new KubectlError(`We accept only this format: explain RESOURCE\n`);
    const arg = inv.args[0]!;
    const apiVersion = String(inv.flags["api-version"] ?? "");
    const nodes = pathNodes(arg);
    if (nodes[0] === undefined) throw new KubectlError("invalid jsonpath syntax, first node must be field node");
    const candidates = resourcesFor(inv, nodes[0]);
    if (candidates.length === 0) throw new KubectlError(`the server doesn't have a resource type ${JSON.stringify(nodes[0])}`, 1, true);
    let r: ResourceType;
    let fieldPath: string[];
    if (!apiVersion) {
      // The first resource whose `resource.group` prefixes the argument, else the first.
      const prefixed = candidates.find((c) => arg.startsWith(groupResourceOf(c)));
      if (prefixed) {
        r = prefixed;
        const suffix = arg.slice(groupResourceOf(prefixed).length);
        fieldPath = suffix ? fieldsOf(pathNodes(suffix).slice(1), "invalid jsonpath syntax, first node must be field node") : [];
      } else {
        r = candidates[0]!;
        fieldPath = fieldsOf(nodes.slice(1), "invalid jsonpath syntax, first node must be field node");
      }
    } else {
      // SplitAndParseResourceRequest: ResourceFor, the highest priority match.
      r = candidates[0]!;
      fieldPath = fieldsOf(nodes.slice(1), "invalid jsonpath syntax, all nodes must be field nodes");
    }
    const output = String(inv.flags.output);
    if (output === "plaintext-openapiv2") {
      // kubectl reads /openapi/v2 for it; the simulated API server answers 404 there.
      throw new KubectlError("Error from server (NotFound): the server could not find the requested resource", 1, true);
    }
    let { group, version } = { group: r.group, version: r.version };
    if (apiVersion) ({ group, version } = parseGroupVersion(apiVersion));
    const path = group ? `apis/${group}/${version}` : `api/${version}`;
    const document = openAPIV3Object(inv.ctx.api.registry, path);
    if (!document) throw new KubectlError(`couldn't find resource for "${group}/${version}, Resource=${r.plural}"`);
    if (output !== "plaintext") throw new KubectlError(`unrecognized format: ${output}`);
    const result = renderExplain({ document, group, version, resource: r.plural, fieldPath, recursive: !!inv.flags.recursive });
    if (result.out) (inv.write ?? inv.out)(inv.write ? result.out : result.out.replace(/\n$/, ""));
    if (result.error) throw new KubectlError(result.error, 1, true);
    return 0;
  },
};

