/** Node validation (ValidateNode: name and taints). */
import type { KObject } from "../types.ts";
import { F, GoRepr, objs, type Errs } from "./field.ts";
import { NameIsDNSSubdomain, validateLabelName, validateObjectMeta } from "./meta.ts";
import { goValue, IsValidLabelValue } from "./names.ts";
import { validateTaintEffect } from "./pod.ts";

export function validateNodeTaints(taints: unknown, path: string): Errs {
  const errs: Errs = [];
  const unique = new Map<string, Set<string>>();
  objs(taints).forEach((t, i) => {
    const idx = `${path}[${i}]`;
    errs.push(...validateLabelName(String(t.key ?? ""), `${idx}.key`));
    const msgs = IsValidLabelValue(String(t.value ?? ""));
    if (msgs.length) errs.push(F.invalid(`${idx}.value`, t.value, msgs.join(";")));
    errs.push(...validateTaintEffect(t.effect, false, `${idx}.effect`));
    const effect = String(t.effect ?? "");
    const key = String(t.key ?? "");
    if (unique.get(effect)?.has(key)) {
      const repr = `core.Taint{Key:${goValue(t.key ?? "")}, Value:${goValue(t.value ?? "")}, Effect:${goValue(effect)}, TimeAdded:<nil>}`;
      errs.push(F.duplicate(idx, new GoRepr(repr), "taints must be unique by key and effect pair"));
      return;
    }
    if (!unique.has(effect)) unique.set(effect, new Set());
    unique.get(effect)!.add(key);
  });
  return errs;
}

export function validateNode(node: KObject): Errs {
  const errs = validateObjectMeta(node.metadata, false, NameIsDNSSubdomain);
  errs.push(...validateNodeTaints(node.spec?.taints, "spec.taints"));
  return errs;
}
