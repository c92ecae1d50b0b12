/** Every kubectl command the simulation knows, one module each. */
import type { CommandDef } from "../command.ts";
import { applyCommand, createCommand } from "./apply.ts";
import { execCommand } from "./exec.ts";
import { logsCommand } from "./logs.ts";

export const COMMANDS: CommandDef[] = [applyCommand, createCommand, logsCommand, execCommand];
