/**
 * `kubectl create <generator>` (staging/src/k8s.io/kubectl/pkg/cmd/create/): every generator the
 * simulation has, the `secret` and `service` groups, and the generators it does not have saying so.
 */
import { KubectlError, notSimulated, type CommandDef } from "../../command.ts";
import { configMapGenerator } from "./configmap.ts";
import { generatorCommands } from "./generator.ts";
import { GROUP_HELP } from "./grouphelp.ts";
import { namespaceGenerator } from "./namespace.ts";
import { secretDockerRegistryGenerator, secretGenericGenerator, secretTLSGenerator } from "./secret.ts";
import { SERVICE_GENERATORS } from "./service.ts";
import { podDisruptionBudgetGenerator, priorityClassGenerator, quotaGenerator, serviceAccountGenerator } from "./policy.ts";
import { cronJobGenerator, deploymentGenerator, jobGenerator } from "./workloads.ts";
import { createTokenCommand } from "./token.ts";
import { ingressGenerator } from "./ingress.ts";

/** `kubectl create secret` / `service` without a subcommand: the group's help on stderr, exit 1. */
function group(name: string, aliases: string[] = []): CommandDef[] {
  return [name, ...aliases].map((word) => ({
    path: ["create", word],
    flags: [],
    run(inv) {
      if (inv.args.length === 0) {
        inv.err(GROUP_HELP[name].replace(/\n$/, ""));
        return 1;
      }
      throw new KubectlError(`error: unknown command ${JSON.stringify(inv.args[0])}\nSee 'kubectl create ${name} -h' for help and examples`, 1, true);
    },
  }));
}

export const CREATE_COMMANDS: CommandDef[] = [
  ...[
    namespaceGenerator,
    configMapGenerator,
    secretGenericGenerator,
    secretDockerRegistryGenerator,
    secretTLSGenerator,
    deploymentGenerator,
    jobGenerator,
    cronJobGenerator,
    ...SERVICE_GENERATORS,
    serviceAccountGenerator,
    priorityClassGenerator,
    podDisruptionBudgetGenerator,
    quotaGenerator,
    ingressGenerator,
  ].flatMap(generatorCommands),
  createTokenCommand,
  ...group("secret"),
  ...group("service", ["svc"]),
  ...[
    ["create", "clusterrole"],
    ["create", "clusterrolebinding"],
    ["create", "role"],
    ["create", "rolebinding"],
  ].map(notSimulated),
];
