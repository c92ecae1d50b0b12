/**
 * `kubectl set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT` (alias `sa`;
 * k8s.io/kubectl/pkg/cmd/set/set_serviceaccount.go): sets `serviceAccountName` in the pod spec of
 * a Pod or the pod template of a workload; prints `<type>/<name> serviceaccount updated`. The
 * patch is sent even when nothing changes (the command has no empty-patch check), and the account
 * is not looked up: a missing one shows only when the workload's pods are created.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { goTypeName, podSpecOf, runSetPatches, SET_FLAGS, setTargets } from "./sethelper.ts";

function runSetServiceAccount(inv: Invocation): number {
  // Complete: the last argument is the account, the others name resources.
  if (inv.args.length === 0) throw new KubectlError("serviceaccount is required");
  const account = inv.args[inv.args.length - 1]!;
  const targets = setTargets(inv, inv.args.slice(0, -1));
  return runSetPatches(
    inv,
    targets,
    "serviceaccount updated",
    "failed to patch ServiceAccountName ",
    (obj, t) => {
      const spec = podSpecOf(obj);
      if (!spec) throw new KubectlError(`the object is not a pod or does not have a pod template: ${goTypeName(t.r)}`);
      spec.serviceAccountName = account;
    },
    [],
    "send",
  );
}

const FLAGS = [...SET_FLAGS, { long: "record", type: "bool" as const }];

export const setServiceAccountCommand: CommandDef = { path: ["set", "serviceaccount"], flags: FLAGS, run: runSetServiceAccount };
/** The command's alias `sa`. */
export const setSaCommand: CommandDef = { path: ["set", "sa"], flags: FLAGS, run: runSetServiceAccount };
