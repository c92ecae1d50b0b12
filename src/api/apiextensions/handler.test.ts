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

const RULES_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-validations:
        - rule: "self.metadata.name.startsWith('my-')"
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.minReplicas <= self.replicas"
              message: "replicas should be greater than or equal to minReplicas."
            - rule: "self.replicas <= self.maxReplicas"
              message: "replicas should be smaller than or equal to maxReplicas."
            - rule: "self.image == oldSelf.image"
              messageExpression: "'image is immutable: ' + oldSelf.image"
              reason: FieldValueForbidden
              fieldPath: ".image"
            properties:
              image: {type: string}
              minReplicas: {type: integer}
              replicas: {type: integer}
              maxReplicas: {type: integer}
`;

// The "Validation rules" examples of "Extend the Kubernetes API with CustomResourceDefinitions".
test("x-kubernetes-validations: self at the rule's node, messages, transition rules with oldSelf, reason and fieldPath", async () => {
  const c = new Cluster({});
  await c.apply(RULES_CRD);
  await c.advance("1s");
  const cr = (name: string, spec: string) => `apiVersion: stable.example.com/v1
kind: CronTab
metadata: {name: ${name}}
spec: {${spec}}
`;
  const r = await c.kubectl("kubectl apply -f -", cr("my-new-cron-object", "image: a, minReplicas: 0, replicas: 20, maxReplicas: 10"));
  assert.equal(r.stderr, 'The CronTab "my-new-cron-object" is invalid: spec: Invalid value: "object": replicas should be smaller than or equal to maxReplicas.\n');
  const both = await c.kubectl("kubectl apply -f -", cr("other", "image: a, minReplicas: 5, replicas: 20, maxReplicas: 10"));
  assert.equal(both.stderr, `The CronTab "other" is invalid: \n* <nil>: Invalid value: "object": failed rule: self.metadata.name.startsWith('my-')\n* spec: Invalid value: "object": replicas should be smaller than or equal to maxReplicas.\n`);
  assert.equal((await c.kubectl("kubectl apply -f -", cr("my-ok", "image: a, minReplicas: 0, replicas: 5, maxReplicas: 10"))).exitCode, 0);
  // The transition rule runs on updates only.
  const upd = await c.kubectl("kubectl apply -f -", cr("my-ok", "image: b, minReplicas: 0, replicas: 5, maxReplicas: 10"));
  assert.equal(upd.stderr, 'The CronTab "my-ok" is invalid: spec.image: Forbidden: image is immutable: a\n');
});
