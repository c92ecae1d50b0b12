/** Every kubectl command the simulation knows, one module each. */
import type { CommandDef } from "../command.ts";
import { apiResourcesCommand } from "./apiresources.ts";
import { applyCommand, createCommand } from "./apply.ts";
import { execCommand } from "./exec.ts";
import { logsCommand } from "./logs.ts";
import { cordonCommand, uncordonCommand } from "./cordon.ts";
import { deleteCommand } from "./delete.ts";
import { describeCommand } from "./describe.ts";
import { drainCommand } from "./drain.ts";
import { getCommand } from "./get.ts";
import { labelCommand } from "./label.ts";
import { rolloutHistoryCommand, rolloutStatusCommand, rolloutUndoCommand } from "./rollout.ts";
import { scaleCommand } from "./scale.ts";
import { setImageCommand } from "./setimage.ts";
import { taintCommand } from "./taint.ts";
import { topCommand } from "./top.ts";
import { versionCommand } from "./version.ts";

export const COMMANDS: CommandDef[] = [
  applyCommand,
  createCommand,
  getCommand,
  describeCommand,
  deleteCommand,
  labelCommand,
  taintCommand,
  topCommand,
  cordonCommand,
  uncordonCommand,
  drainCommand,
  rolloutStatusCommand,
  rolloutHistoryCommand,
  rolloutUndoCommand,
  scaleCommand,
  setImageCommand,
  apiResourcesCommand,
  versionCommand,
  logsCommand,
  execCommand,
];
