/**
 * `kubectl create serviceaccount|priorityclass|poddisruptionbudget|quota NAME`
 * (staging/src/k8s.io/kubectl/pkg/cmd/create/create_serviceaccount.go, create_priorityclass.go,
 * create_pdb.go, create_quota.go), with their client-side checks and messages.
 */
import { parseToLabelSelector, SelectorError } from "../../../api/labels.ts";
import { parseQuantity, QuantityError } from "../../../api/quantity.ts";
import { KubectlError } from "../../command.ts";
import { enforcedNamespace, nameFromArgs, type Generator } from "./generator.ts";

export const serviceAccountGenerator: Generator = {
  path: ["create", "serviceaccount"],
  aliases: ["sa"],
  flags: [],
  wrapError: "failed to create serviceaccount",
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const ns = enforcedNamespace(inv);
    return { kind: "ServiceAccount", apiVersion: "v1", metadata: { name, ...(ns ? { namespace: ns } : {}) } };
  },
};

export const priorityClassGenerator: Generator = {
  path: ["create", "priorityclass"],
  aliases: ["pc"],
  flags: [
    { long: "value", type: "int" },
    { long: "global-default", type: "bool" },
    { long: "description", type: "string" },
    { long: "preemption-policy", type: "string", default: "PreemptLowerPriority" },
  ],
  wrapError: "failed to create priorityclass",
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const f = inv.flags;
    return {
      kind: "PriorityClass",
      apiVersion: "scheduling.k8s.io/v1",
      metadata: { name },
      value: f.value,
      ...(f["global-default"] ? { globalDefault: true } : {}),
      ...(f.description ? { description: f.description } : {}),
      preemptionPolicy: f["preemption-policy"],
    };
  },
};

/** An int-or-string of the PDB: a number, or a percentage. */
const intOrPercent = (v: string): number | string => (/^[0-9]+$/.test(v) ? Number(v) : v);

export const podDisruptionBudgetGenerator: Generator = {
  path: ["create", "poddisruptionbudget"],
  aliases: ["pdb"],
  flags: [
    { long: "selector", type: "string" },
    { long: "min-available", type: "string" },
    { long: "max-unavailable", type: "string" },
  ],
  wrapError: "failed to create poddisruptionbudgets",
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const f = inv.flags;
    const selector = String(f.selector ?? "");
    const min = String(f["min-available"] ?? "");
    const max = String(f["max-unavailable"] ?? "");
    if (!selector) throw new KubectlError("a selector must be specified");
    if (!min && !max) throw new KubectlError("one of min-available or max-unavailable must be specified");
    if (min && max) throw new KubectlError("min-available and max-unavailable cannot be both specified");
    if (min && !/^[0-9]+%?$/.test(min)) throw new KubectlError("invalid format specified for min-available");
    if (max && !/^[0-9]+%?$/.test(max)) throw new KubectlError("invalid format specified for max-unavailable");
    let sel;
    try {
      sel = parseToLabelSelector(selector);
    } catch (e) {
      if (e instanceof SelectorError || e instanceof KubectlError) throw new KubectlError(e.message);
      throw e;
    }
    const ns = enforcedNamespace(inv);
    return {
      kind: "PodDisruptionBudget",
      apiVersion: "policy/v1",
      metadata: { name, ...(ns ? { namespace: ns } : {}) },
      spec: {
        ...(min ? { minAvailable: intOrPercent(min) } : {}),
        selector: sel,
        ...(max ? { maxUnavailable: intOrPercent(max) } : {}),
      },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    };
  },
};

export const quotaGenerator: Generator = {
  path: ["create", "quota"],
  aliases: ["resourcequota"],
  flags: [
    { long: "hard", type: "string" },
    { long: "scopes", type: "string" },
  ],
  wrapError: "failed to create quota",
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const hardText = String(inv.flags.hard ?? "");
    const hard: Record<string, string> = {};
    for (const item of hardText ? hardText.split(",") : []) {
      const eq = item.indexOf("=");
      const parts = item.split("=");
      if (eq < 0 || parts.length !== 2) throw new KubectlError(`Invalid argument syntax ${item}, expected <resource>=<value>`);
      try {
        hard[parts[0]] = parseQuantity(parts[1]).toString();
      } catch (e) {
        if (e instanceof QuantityError) throw new KubectlError(e.message);
        throw e;
      }
    }
    const scopesText = String(inv.flags.scopes ?? "");
    const scopes = scopesText ? scopesText.split(",") : [];
    const ns = enforcedNamespace(inv);
    return {
      kind: "ResourceQuota",
      apiVersion: "v1",
      metadata: { name, ...(ns ? { namespace: ns } : {}) },
      spec: { ...(Object.keys(hard).length ? { hard } : {}), ...(scopes.length ? { scopes } : {}) },
      status: {},
    };
  },
};
