/** `kubectl create <generator>`: every generator the simulation has, and the others saying they are not simulated. */
import type { CommandDef } from "../../command.ts";
import { notSimulated } from "../../command.ts";
import { generatorCommands } from "./generator.ts";
import { namespaceGenerator } from "./namespace.ts";

export const CREATE_COMMANDS: CommandDef[] = [
  ...[namespaceGenerator].flatMap(generatorCommands),
  ...[
    ["create", "clusterrole"],
    ["create", "clusterrolebinding"],
    ["create", "ingress"],
    ["create", "ing"],
    ["create", "role"],
    ["create", "rolebinding"],
    ["create", "token"],
  ].map(notSimulated),
];
