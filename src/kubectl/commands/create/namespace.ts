/** `kubectl create namespace NAME` (staging/src/k8s.io/kubectl/pkg/cmd/create/create_namespace.go). */
import type { Generator } from "./generator.ts";
import { nameFromArgs } from "./generator.ts";

export const namespaceGenerator: Generator = {
  path: ["create", "namespace"],
  aliases: ["ns"],
  flags: [],
  build(inv, path) {
    const name = nameFromArgs(inv, path);
    return { apiVersion: "v1", kind: "Namespace", metadata: { name }, spec: {}, status: {} };
  },
};
