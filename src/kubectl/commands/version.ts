/** `kubectl version`: the client, its bundled Kustomize and the simulated API server, as v1.32 prints them. */
import { KubectlError, type CommandDef } from "../command.ts";
import { goJSON } from "../printers/gojson.ts";
import { goYAML } from "../printers/goyaml.ts";

export const CLIENT_VERSION = "v1.32.0";
export const KUSTOMIZE_VERSION = "v5.5.0";
export const SERVER_VERSION = "v1.32.0";

function info(gitVersion: string) {
  return {
    buildDate: "2024-12-11T18:04:20Z",
    compiler: "gc",
    gitCommit: "70d3cc986aa8221cd1dfb1121852688902d3bf53",
    gitTreeState: "clean",
    gitVersion,
    goVersion: "go1.23.3",
    major: "1",
    minor: "32",
    platform: "linux/amd64",
  };
}

export const versionCommand: CommandDef = {
  path: ["version"],
  flags: [
    { long: "client", type: "bool" },
    { long: "output", short: "o", type: "string" },
  ],
  run(inv) {
    const out = String(inv.flags.output ?? "");
    if (out !== "" && out !== "yaml" && out !== "json") throw new KubectlError(`--output must be 'yaml' or 'json'`);
    const v: Record<string, unknown> = { clientVersion: info(CLIENT_VERSION), kustomizeVersion: KUSTOMIZE_VERSION };
    if (!inv.flags.client) v.serverVersion = info(SERVER_VERSION);
    if (out === "json") inv.out(goJSON(v, "  "));
    else if (out === "yaml") inv.out(goYAML(v).replace(/\n$/, ""));
    else {
      inv.out(`Client Version: ${CLIENT_VERSION}`);
      inv.out(`Kustomize Version: ${KUSTOMIZE_VERSION}`);
      if (!inv.flags.client) inv.out(`Server Version: ${SERVER_VERSION}`);
    }
    return 0;
  },
};
