import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: replicalimits.rules.example.com}
spec:
  group: rules.example.com
  scope: Namespaced
  names: {plural: replicalimits, singular: replicalimit, kind: ReplicaLimit}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, properties: {maxReplicas: {type: integer}}}}
`;

// schemaobjectmeta.GetObjectMetaWithOptions(ReturnUnknownFieldPaths): a custom resource's
// metadata fields that ObjectMeta does not have are unknown fields, as the schema's are.
test("a custom resource's unknown metadata field: refused under Strict, a warning under Warn, dropped", async () => {
  const c = new Cluster({});
  await c.apply(CRD);
  await c.advance("1s");
  const cr = `apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata:
  name: limit
  namesapce: default
maxReplicas: 3
`;
  const strict = await c.kubectl("kubectl apply -f -", cr);
  assert.equal(strict.stderr, 'Error from server (BadRequest): error when creating "STDIN": ReplicaLimit in version "v1" cannot be handled as a ReplicaLimit: strict decoding error: unknown field "metadata.namesapce"\n');
  const warn = await c.kubectl("kubectl apply --validate=warn -f -", cr);
  assert.equal(warn.stderr, 'Warning: unknown field "metadata.namesapce"\n');
  assert.equal(warn.stdout, "replicalimit.rules.example.com/limit created\n");
  const stored = c.api.get("replicalimits.rules.example.com", "default", "limit")!;
  assert.equal((stored.metadata as Record<string, unknown>).namesapce, undefined);
  assert.equal(stored.maxReplicas, 3);
});
