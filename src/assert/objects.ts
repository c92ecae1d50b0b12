/**
 * `Then <kind> "<name>" matches:` — finds the object as kubectl would name it and checks the
 * contract's partial match, failing with the differing path, expected and actual values, and the
 * object as it stands.
 */
import { parse, stringify } from "yaml";
import type { ClusterView } from "../api/reader.ts";
import { deepFreeze } from "../api/types.ts";
import { partialMatch } from "./match.ts";
import { DETAILS_MARKER } from "../report/explain.ts";
import { AssertionFailure, type Problem } from "./expect.ts";

/** The object matches the expectation; a kind kubectl does not know or YAML that does not parse throws (the author's error). */
/**
 * Expectations parsed, by their text: a check "within" a time reads the same text at every poll
 * (the course pack parsed YAML ~4 % of its time here). The value is only read (partialMatch, the
 * messages) and frozen, so sharing it cannot be seen; invalid YAML is not kept (it fails the same
 * way each time). Bounded: emptied when full.
 */
const expectations = new Map<string, unknown>();
const EXPECTATIONS_MAX = 256;

function parseExpectation(text: string): unknown {
  if (expectations.has(text)) return expectations.get(text);
  let expected: unknown;
  try {
    expected = parse(text);
  } catch (e) {
    throw new AssertionFailure(`the expectation is not valid YAML: ${(e as Error).message}`);
  }
  if (expectations.size >= EXPECTATIONS_MAX) expectations.clear();
  expectations.set(text, deepFreeze(expected));
  return expected;
}

export function checkObjectMatches(cluster: ClusterView, kindArg: string, name: string, namespace: string | undefined, expectationYaml: string): Problem {
  const r = cluster.api.registry.resolve(kindArg);
  if (!r) throw new AssertionFailure(`"${kindArg}" is not a kind kubectl knows (try pod, node, service, endpoints, endpointslice, replicaset, deployment, job, cronjob, event, namespace, configmap)`);
  const expected = parseExpectation(expectationYaml);
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
