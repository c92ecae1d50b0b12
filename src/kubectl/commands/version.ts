/**
 * `kubectl version`: the client, its bundled Kustomize and the simulated API server, as v1.32 prints
 * them (-o json: json.MarshalIndent of the struct, fields in its order; -o yaml: sigs.k8s.io/yaml,
 * keys sorted).
 */
import { KubectlError, type CommandDef } from "../command.ts";
import { goJSON } from "../printers/gojson.ts";
import { goYAML } from "../printers/goyaml.ts";
import { GIT_VERSION, versionInfo } from "../../api/version.ts";

export const CLIENT_VERSION = GIT_VERSION;
export const KUSTOMIZE_VERSION = "v5.5.0";
export const SERVER_VERSION = GIT_VERSION;

export const versionCommand: CommandDef = {
  path: ["version"],
  flags: [
    { long: "client", type: "bool" },
    { long: "output", short: "o", type: "string" },
  ],
  run(inv) {
    const out = String(inv.flags.output ?? "");
    if (out !== "" && out !== "yaml" && out !== "json") throw new KubectlError(`--output must be 'yaml' or 'json'`);
    const v: Record<string, unknown> = { clientVersion: versionInfo(CLIENT_VERSION), kustomizeVersion: KUSTOMIZE_VERSION };
    if (!inv.flags.client) v.serverVersion = versionInfo(SERVER_VERSION);
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
