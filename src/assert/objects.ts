/**
 * `Then <kind> "<name>" matches:` — finds the object as kubectl would name it and checks the
 * contract's partial match, failing with the differing path, expected and actual values, and the
 * object as it stands.
 */
import { parse, stringify } from "yaml";
import type { ClusterView } from "../api/reader.ts";
import { partialMatch } from "./match.ts";
import { DETAILS_MARKER } from "../report/explain.ts";
import { AssertionFailure, type Problem } from "./expect.ts";

/** The object matches the expectation; a kind kubectl does not know or YAML that does not parse throws (the author's error). */
export function checkObjectMatches(cluster: ClusterView, kindArg: string, name: string, namespace: string | undefined, expectationYaml: string): Problem {
  const r = cluster.api.registry.resolve(kindArg);
  if (!r) throw new AssertionFailure(`"${kindArg}" is not a kind kubectl knows (try pod, node, service, endpoints, endpointslice, replicaset, deployment, job, cronjob, event, namespace, configmap)`);
  let expected: unknown;
  try {
    expected = parse(expectationYaml);
  } catch (e) {
    throw new AssertionFailure(`the expectation is not valid YAML: ${(e as Error).message}`);
  }
  const ns = r.namespaced ? namespace ?? "default" : undefined;
  const obj = cluster.api.get(r.key, ns, name);
  if (!obj) {
    const where = r.namespaced ? ` in namespace "${ns}"` : "";
    const names = cluster.api.list(r.key, { namespace: ns }).map((o) => o.metadata.name);
    return `${r.singular} "${name}" not found${where} (at ${cluster.clock.nowRFC3339()}); existing: ${names.length ? names.join(", ") : "none"}`;
  }
  const mismatches = partialMatch(expected, obj);
  if (mismatches.length === 0) return undefined;
  const lines = mismatches.map(
    (m) => `  ${m.path}: ${m.problem}\n    expected: ${JSON.stringify(m.expected)}\n    actual:   ${m.actual === undefined ? "(absent)" : JSON.stringify(m.actual)}`,
  );
  return `${r.singular} "${name}" does not match at ${cluster.clock.nowRFC3339()}:\n${lines.join("\n")}\n\n${DETAILS_MARKER}\nthe ${r.singular} as it stands:\n${stringify(obj)}`;
}
