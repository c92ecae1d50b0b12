import { test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import { ApiError } from "../../api/errors.ts";
import { decodeProtobuf } from "./decode.ts";

const root = new protobuf.Root();
root.resolvePath = (_o: string, t: string) => join(dirname(fileURLToPath(import.meta.url)), "proto", t);
root.loadSync(["k8s.io/api/apps/v1/generated.proto"], { keepCase: true });

/** A body as client-go's protobuf serializer writes it: `k8s\0` and a runtime.Unknown. */
function body(apiVersion: string, kind: string, type: string, value: Record<string, unknown>): Buffer {
  const T = root.lookupType(type);
  const raw = T.encode(T.fromObject(value)).finish();
  const Unknown = root.lookupType("k8s.io.apimachinery.pkg.runtime.Unknown");
  const env = Unknown.encode(Unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: "", contentType: "" })).finish();
  return Buffer.concat([Buffer.from("k8s\0", "binary"), env]);
}

test("a Deployment body: TypeMeta from the envelope, Time, IntOrString and Quantity in their JSON forms, Go's zero fields left out", () => {
  const obj = decodeProtobuf(
    body("apps/v1", "Deployment", "k8s.io.api.apps.v1.Deployment", {
      metadata: { name: "d", generateName: "", creationTimestamp: {}, labels: { app: "d" } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "d" } },
        strategy: { rollingUpdate: { maxSurge: { type: 1, strVal: "25%" }, maxUnavailable: { type: 0, intVal: 1 } } },
        template: {
          metadata: { creationTimestamp: { seconds: 1704672000 } },
          spec: { containers: [{ name: "c", image: "nginx", stdin: false, resources: { limits: { memory: { string: "64Mi" } } } }] },
        },
      },
    }),
  );
  assert.deepEqual(obj, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d", creationTimestamp: null, labels: { app: "d" } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: "d" } },
      strategy: { rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } },
      template: {
        metadata: { creationTimestamp: "2024-01-08T00:00:00Z" },
        spec: { containers: [{ name: "c", image: "nginx", resources: { limits: { memory: "64Mi" } } }] },
      },
    },
  });
});

test("bodies that are not Kubernetes protobuf are a clear 400", () => {
  assert.throws(() => decodeProtobuf(Buffer.from("{}")), (e: ApiError) => e.code === 400 && /expected prefix \[107 56 115 0\]/.test(e.message));
  assert.throws(() => decodeProtobuf(Buffer.from("k8s\0\xff\xff", "binary")), (e: ApiError) => e.code === 400);
  assert.throws(() => decodeProtobuf(body("example.com/v1", "Widget", "k8s.io.api.apps.v1.Deployment", {})), (e: ApiError) => e.code === 415);
});

test("Go's inline-embedded structs (`json:\",inline\"`) are fields of their own in protobuf and merge into the parent in JSON", () => {
  const obj = decodeProtobuf(
    body("apps/v1", "Deployment", "k8s.io.api.apps.v1.Deployment", {
      metadata: { name: "d" },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "c",
                image: "nginx",
                env: [{ name: "A", valueFrom: { configMapKeyRef: { localObjectReference: { name: "cm" }, key: "a" }, secretKeyRef: { localObjectReference: { name: "s" }, key: "b" } } }],
                envFrom: [{ configMapRef: { localObjectReference: { name: "cm" } } }, { secretRef: { localObjectReference: { name: "s" } } }],
                readinessProbe: { handler: { exec: { command: ["true"] } }, periodSeconds: 5 },
              },
            ],
            volumes: [
              { name: "v", volumeSource: { configMap: { localObjectReference: { name: "cm" } } } },
              { name: "p", volumeSource: { projected: { sources: [{ secret: { localObjectReference: { name: "s" } } }, { configMap: { localObjectReference: { name: "cm" } } }] } } },
            ],
          },
        },
      },
    }),
  );
  const spec = (obj.spec as { template: { spec: Record<string, unknown> } }).template.spec;
  assert.deepEqual(spec, {
    containers: [
      {
        name: "c",
        image: "nginx",
        env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "cm", key: "a" }, secretKeyRef: { name: "s", key: "b" } } }],
        envFrom: [{ configMapRef: { name: "cm" } }, { secretRef: { name: "s" } }],
        readinessProbe: { exec: { command: ["true"] }, periodSeconds: 5 },
      },
    ],
    volumes: [
      { name: "v", configMap: { name: "cm" } },
      { name: "p", projected: { sources: [{ secret: { name: "s" } }, { configMap: { name: "cm" } }] } },
    ],
  });
});

test("a set pointer field's zero is kept, a non-pointer omitempty zero left out, a non-omitempty zero kept (the Go types' fields.json)", () => {
  // kubectl create job --from=cronjob/x sends the CronJob's template as it is: its `false`s and `0`s
  // that mean something (automountServiceAccountToken, allowPrivilegeEscalation, enableServiceLinks,
  // runAsUser: 0, storageClassName: "") must survive, or a restricted namespace refuses the pods.
  const obj = decodeProtobuf(
    body("apps/v1", "Deployment", "k8s.io.api.apps.v1.Deployment", {
      metadata: { name: "d", ownerReferences: [{ apiVersion: "v1", kind: "X", name: "x", uid: "u", controller: false, blockOwnerDeletion: false }] },
      spec: {
        paused: false,
        minReadySeconds: 0,
        selector: { matchLabels: { app: "d" } },
        template: {
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            hostNetwork: false,
            securityContext: { runAsUser: 0, runAsNonRoot: false },
            containers: [{
              name: "c",
              image: "nginx",
              tty: false,
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false },
              env: [{ name: "EMPTY", value: "" }],
              lifecycle: { preStop: { httpGet: { path: "/", port: { type: 0, intVal: 80 }, httpHeaders: [{ name: "X", value: "" }] } } },
            }],
          },
        },
        volumeClaimTemplates: undefined,
      },
    }),
  );
  const spec = obj.spec as Record<string, any>;
  assert.deepEqual((obj.metadata as Record<string, any>).ownerReferences, [{ apiVersion: "v1", kind: "X", name: "x", uid: "u", controller: false, blockOwnerDeletion: false }]);
  assert.equal("paused" in spec, false, "paused is a plain bool with omitempty");
  assert.equal("minReadySeconds" in spec, false);
  const pod = spec.template.spec;
  assert.equal(pod.automountServiceAccountToken, false);
  assert.equal(pod.enableServiceLinks, false);
  assert.equal("hostNetwork" in pod, false);
  assert.deepEqual(pod.securityContext, { runAsUser: 0, runAsNonRoot: false });
  const c = pod.containers[0];
  assert.equal("tty" in c, false);
  assert.deepEqual(c.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false });
  // EnvVar.value is `omitempty`: an empty value is left out, as Go's JSON does.
  assert.deepEqual(c.env, [{ name: "EMPTY" }]);
  // HTTPHeader.value has no omitempty: Go's JSON writes the empty string.
  assert.deepEqual(c.lifecycle.preStop.httpGet.httpHeaders, [{ name: "X", value: "" }]);
});
