/**
 * `kubectl scale` (k8s.io/kubectl/pkg/cmd/scale): sets spec.replicas of the built-in resources
 * with a scale subresource (Deployments, ReplicaSets, StatefulSets, ReplicationControllers), with the --current-replicas and
 * --resource-version preconditions; prints `<type>/<name> scaled`.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { errorString, fetch, reduceErrors, selectionsFromArgs } from "./builder.ts";

/**
 * kubectl scale PATCHes the scale subresource with no `fieldManager` (scale.go has no
 * --field-manager flag): the API server names the manager after the User-Agent, `kubectl`, and
 * the entry names the subresource (what the real kubectl v1.32.4 records through the facade).
 */
const SCALE_WRITE = { fieldManager: "kubectl", fieldManagerSubresource: "scale" } as const;

function runScale(inv: Invocation): number {
  const f = inv.flags;
  if (!inv.set.has("replicas") || f.replicas < 0) {
    throw new KubectlError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
  }
  if (inv.args.length === 0) throw new KubectlError("required resource not specified");
  const res = fetch(inv, selectionsFromArgs(inv, inv.args), { namespace: inv.namespace, labelSelector: f.selector || undefined });
  // Nothing to scale: the builder's errors after the message (`no objects passed to scale
  // deployments.apps "x" not found`, several as `[a, b]`), as kubectl v1.32 words it.
  if (res.items.length === 0) {
    const err = reduceErrors(res.errors);
    throw new KubectlError(err ? `no objects passed to scale ${errorString(err)}` : "no objects passed to scale");
  }
  let code = 0;
  for (const { r, obj } of res.items) {
    if (r.crd || !r.subresources.some((sub) => sub.name === "scale")) {
      inv.err(`error: no scaler has been implemented for ${JSON.stringify(`${r.group ? r.group + "/" : ""}${r.version}, Kind=${r.kind}`)}`);
      code = 1;
      continue;
    }
    const current = obj.spec?.replicas ?? 1;
    if (inv.set.has("current-replicas") && f["current-replicas"] !== -1 && f["current-replicas"] !== current) {
      inv.err(`error: Expected replicas to be ${f["current-replicas"]}, was ${current}`);
      code = 1;
      continue;
    }
    if (f["resource-version"] && f["resource-version"] !== obj.metadata.resourceVersion) {
      inv.err(`error: Expected resource version to be ${f["resource-version"]}, was ${obj.metadata.resourceVersion}`);
      code = 1;
      continue;
    }
    const qualified = `${r.singular}${r.group ? "." + r.group : ""}/${obj.metadata.name}`;
    if (f["dry-run"] && f["dry-run"] !== "none") {
      inv.out(`${qualified} scaled (dry run)`);
      continue;
    }
    inv.ctx.api.mutate(r.key, obj.metadata.namespace, obj.metadata.name!, (o) => (o.spec.replicas = f.replicas), SCALE_WRITE);
    inv.out(`${qualified} scaled`);
  }
  for (const e of res.errors) {
    inv.err(`Error from server (${e.reason}): ${e.message}`);
    code = 1;
  }
  return code;
}

export const scaleCommand: CommandDef = {
  path: ["scale"],
  flags: [
    { long: "replicas", type: "int", default: -1 },
    { long: "current-replicas", type: "int", default: -1 },
    { long: "resource-version", type: "string" },
    { long: "selector", short: "l", type: "string" },
    { long: "all", type: "bool" },
    { long: "timeout", type: "string", default: "0s" },
    { long: "dry-run", type: "string", default: "none" },
    { long: "filename", short: "f", type: "stringArray" },
  ],
  run: runScale,
};
