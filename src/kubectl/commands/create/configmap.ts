/**
 * `kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key=value]
 * [--from-env-file=path] [--append-hash]` (staging/src/k8s.io/kubectl/pkg/cmd/create/
 * create_configmap.go): files, then literals, then env files; a file that is not valid UTF-8
 * goes to binaryData.
 */
import { IsConfigMapKey } from "../../../api/validation/core.ts";
import type { KObject } from "../../../api/types.ts";
import { KubectlError } from "../../command.ts";
import { enforcedNamespace, nameFromArgs, type Generator } from "./generator.ts";
import { contentHash, envFileEntries, fileSourceEntries, isValidUTF8, parseLiteralSource } from "./sources.ts";

export const configMapGenerator: Generator = {
  path: ["create", "configmap"],
  aliases: ["cm"],
  flags: [
    { long: "from-file", type: "stringSlice" },
    { long: "from-literal", type: "stringArray" },
    { long: "from-env-file", type: "stringSlice" },
    { long: "append-hash", type: "bool" },
  ],
  wrapError: "failed to create configmap",
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    const fromFile: string[] = inv.flags["from-file"];
    const fromLiteral: string[] = inv.flags["from-literal"];
    const fromEnv: string[] = inv.flags["from-env-file"];
    if (fromEnv.length && (fromFile.length || fromLiteral.length)) throw new KubectlError("from-env-file cannot be combined with from-file or from-literal");
    const data: Record<string, string> = {};
    const binaryData: Record<string, string> = {};
    const check = (key: string) => {
      const errs = IsConfigMapKey(key);
      if (errs.length) throw new KubectlError(`${JSON.stringify(key)} is not a valid key name for a ConfigMap: ${errs.join(",")}`);
      if (key in data) throw new KubectlError(`cannot add key ${JSON.stringify(key)}, another key by that name already exists in Data for ConfigMap ${JSON.stringify(name)}`);
      if (key in binaryData) throw new KubectlError(`cannot add key ${JSON.stringify(key)}, another key by that name already exists in BinaryData for ConfigMap ${JSON.stringify(name)}`);
    };
    for (const [key, bytes] of fileSourceEntries(inv.ctx.files, fromFile)) {
      check(key);
      if (isValidUTF8(bytes)) data[key] = bytes.toString("utf8");
      else binaryData[key] = bytes.toString("base64");
    }
    for (const source of fromLiteral) {
      const [key, value] = parseLiteralSource(source);
      check(key);
      data[key] = value;
    }
    for (const file of fromEnv) {
      for (const [key, value] of envFileEntries(inv.ctx.files, file, "configmap")) {
        check(key);
        data[key] = value;
      }
    }
    let finalName = name;
    if (inv.flags["append-hash"]) {
      const fields: Record<string, unknown> = { kind: "ConfigMap", name, data };
      if (Object.keys(binaryData).length) fields.binaryData = binaryData;
      finalName = `${name}-${contentHash(fields)}`;
    }
    const ns = enforcedNamespace(inv);
    const cm: KObject = { kind: "ConfigMap", apiVersion: "v1", metadata: { name: finalName, ...(ns ? { namespace: ns } : {}) } };
    if (Object.keys(data).length) cm.data = data;
    if (Object.keys(binaryData).length) cm.binaryData = binaryData;
    return cm;
  },
};
