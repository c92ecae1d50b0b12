/** Every kubectl command the simulation knows, one module each. */
import { KubectlError, notSimulated, type CommandDef, type Invocation } from "../command.ts";
import { pathOf, pluginList } from "../plugin.ts";
import { apiResourcesCommand } from "./apiresources.ts";
import { apiVersionsCommand } from "./apiversions.ts";
import { clusterInfoCommand } from "./clusterinfo.ts";
import { CONFIG_COMMANDS } from "./config.ts";
import { certificateApproveCommand, certificateDenyCommand } from "./certificate.ts";
import { CREATE_COMMANDS } from "./create/index.ts";
import { EXPOSE_COMMANDS } from "./expose.ts";
import { patchCommand } from "./patch.ts";
import { editCommand } from "./edit.ts";
import { eventsCommand } from "./events.ts";
import { applyCommand, createCommand } from "./apply.ts";
import { execCommand } from "./exec.ts";
import { attachCommand } from "./attach.ts";
import { cpCommand } from "./cp.ts";
import { logsCommand } from "./logs.ts";
import { cordonCommand, uncordonCommand } from "./cordon.ts";
import { deleteCommand } from "./delete.ts";
import { describeCommand } from "./describe.ts";
import { drainCommand } from "./drain.ts";
import { getCommand } from "./get.ts";
import { labelCommand } from "./label.ts";
import { rolloutHistoryCommand, rolloutStatusCommand, rolloutUndoCommand } from "./rollout.ts";
import { replaceCommand } from "./replace.ts";
import { diffCommand } from "./diff.ts";
import { rolloutPauseCommand, rolloutRestartCommand, rolloutResumeCommand } from "./rolloutpatch.ts";
import { scaleCommand } from "./scale.ts";
import { setEnvCommand } from "./setenv.ts";
import { setImageCommand } from "./setimage.ts";
import { setSaCommand, setServiceAccountCommand } from "./setserviceaccount.ts";
import { setSubjectCommand } from "./setsubject.ts";
import { setResourcesCommand } from "./setresources.ts";
import { setSelectorCommand } from "./setselector.ts";
import { taintCommand } from "./taint.ts";
import { topCommand } from "./top.ts";
import { autoscaleCommand } from "./autoscale.ts";
import { versionCommand } from "./version.ts";
import { waitCommand } from "./waitcommand.ts";
import { kustomizeCommand } from "./kustomize.ts";
import { runCommand } from "./run.ts";
import { debugCommand } from "./debug.ts";
import { annotateCommand } from "./annotate.ts";
import { authCanICommand, authWhoAmICommand } from "./auth.ts";
import { explainCommand } from "./explain.ts";
import { portForwardCommand } from "./portforward.ts";
import { proxyCommand } from "./proxy.ts";

export const COMMANDS: CommandDef[] = [
  applyCommand,
  debugCommand,
  createCommand,
  getCommand,
  describeCommand,
  deleteCommand,
  labelCommand,
  taintCommand,
  topCommand,
  autoscaleCommand,
  cordonCommand,
  uncordonCommand,
  drainCommand,
  rolloutStatusCommand,
  rolloutHistoryCommand,
  rolloutUndoCommand,
  rolloutPauseCommand,
  rolloutResumeCommand,
  rolloutRestartCommand,
  scaleCommand,
  setImageCommand,
  setServiceAccountCommand,
  setSaCommand,
  setSubjectCommand,
  setResourcesCommand,
  setSelectorCommand,
  setEnvCommand,
  apiResourcesCommand,
  apiVersionsCommand,
  clusterInfoCommand,
  versionCommand,
  logsCommand,
  execCommand,
  attachCommand,
  cpCommand,
  ...CONFIG_COMMANDS,
  certificateApproveCommand,
  certificateDenyCommand,
  ...CREATE_COMMANDS,
  ...EXPOSE_COMMANDS,
  patchCommand,
  editCommand,
  eventsCommand,
  kustomizeCommand,
  waitCommand,
  replaceCommand,
  diffCommand,
  runCommand,
  annotateCommand,
  authCanICommand,
  authWhoAmICommand,
  explainCommand,
  portForwardCommand,
  proxyCommand,
];

/**
 * Commands of kubectl v1.32 (`kubectl --help` and the subcommands of config, rollout and set) the
 * simulation does not implement: they say so, rather than reading like kubectl rejecting the
 * command or its flags.
 */
export const NOT_SIMULATED: string[][] = [
  "auth",
  "completion", "plugin",
].map((v) => [v]).concat([
  ["cluster-info", "dump"],
  ["auth", "reconcile"],
  ["certificate"],
]);

/**
 * `kubectl plugin list` (pkg/cmd/plugin/plugin.go; src/kubectl/plugin.ts): the plugins on the
 * machine's PATH. A plugin whose name is a command's words overwrites it when cobra's Find finds
 * one: the deepest command those words start with.
 */
COMMANDS.push({
  path: ["plugin", "list"],
  flags: [{ long: "name-only", type: "bool" }],
  run(inv: Invocation): number {
    const machine = inv.ctx.machine;
    if (!machine) throw new KubectlError("kubectl plugin list needs the user's machine (a terminal's kubectl)");
    const isCommand = (words: string[]): string | undefined => {
      let best: string[] | undefined;
      for (const c of COMMANDS) {
        const p = c.path;
        if (p.length > words.length || (best && p.length <= best.length)) continue;
        if (p.every((w, i) => words[i] === w)) best = p;
      }
      return best ? `kubectl ${best.join(" ")}` : undefined;
    };
    const r = pluginList(machine, pathOf(machine, inv.env ?? {}), !!inv.flags["name-only"], isCommand);
    if (r.stdout) (inv.write ?? inv.out)(r.stdout);
    if (r.stderr) (inv.writeErr ?? inv.err)(r.stderr);
    return r.failed ? 1 : 0;
  },
});

for (const path of NOT_SIMULATED) {
  if (!COMMANDS.some((c) => c.path.join(" ") === path.join(" "))) COMMANDS.push(notSimulated(path));
}
