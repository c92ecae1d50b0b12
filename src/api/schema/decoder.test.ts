import { test } from "node:test";
import assert from "node:assert/strict";
import { findUnknownFields } from "./decoder.ts";
import type { KObject } from "../types.ts";

const pod = (spec: object, extra: object = {}): KObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec, ...extra }) as KObject;

test("unknown fields are reported with their paths, in document order", () => {
  assert.deepEqual(findUnknownFields(pod({ containers: [{ name: "a", image: "x" }] })), []);
  assert.deepEqual(findUnknownFields(pod({ containers: [{ name: "a", imagee: "x" }] })), ["spec.containers[0].imagee"]);
  assert.deepEqual(
    findUnknownFields(pod({ containers: [{ name: "a", image: "x", livenessProbe: { httpGet: { port: 80, paht: "/" } } }], restartPolicyy: "Never" }, { specs: {} })),
    ["spec.containers[0].livenessProbe.httpGet.paht", "spec.restartPolicyy", "specs"],
  );
  assert.deepEqual(findUnknownFields({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", labelz: {} }, spec: { replica: 2 } } as KObject), [
    "metadata.labelz",
    "spec.replica",
  ]);
  // maps accept any key; quantities and int-or-strings their forms
  assert.deepEqual(findUnknownFields(pod({ nodeSelector: { anything: "x" }, containers: [{ name: "a", resources: { limits: { cpu: 1, memory: "1Gi" } }, ports: [{ containerPort: 80 }] }] })), []);
  assert.deepEqual(findUnknownFields({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "b" }, status: undefined } as KObject), []);
});

test("values of the wrong type fail as encoding/json does", () => {
  const msg = (o: KObject) => {
    try {
      findUnknownFields(o);
    } catch (e) {
      return (e as Error).message;
    }
    return "accepted";
  };
  assert.equal(
    msg({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { replicas: "3" } } as KObject),
    'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  );
  assert.equal(
    msg(pod({ containers: { name: "a" } })),
    'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container',
  );
  assert.equal(
    msg(pod({ containers: [{ name: "a", image: 5 }] })),
    'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string',
  );
  assert.equal(
    msg(pod({ containers: [{ name: "a", ports: [{ containerPort: 80.5 }] }] })),
    'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number 80.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
  );
  assert.equal(
    msg(pod({ containers: [{ name: "a", resources: { requests: { memory: "1GB" } } }] })),
    "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  );
  assert.equal(msg(pod({ containers: [{ name: "a", resources: { requests: { memory: "1mi" } } }] })), "Pod in version \"v1\" cannot be handled as a Pod: unable to parse quantity's suffix");
});

test("the schema covers every served kind, in every served version", async () => {
  const { apiVersionOf, BUILTIN_RESOURCES } = await import("../resources.ts");
  for (const r of BUILTIN_RESOURCES.filter((x) => x.storable)) {
    assert.deepEqual(findUnknownFields({ apiVersion: apiVersionOf(r), kind: r.kind, metadata: { name: "x" }, bogus: 1 } as KObject, r), ["bogus"], `${apiVersionOf(r)} ${r.kind}`);
  }
  // autoscaling/v1 has targetCPUUtilizationPercentage, v2 has metrics.
  const hpa = BUILTIN_RESOURCES.filter((x) => x.kind === "HorizontalPodAutoscaler");
  const spec = { spec: { targetCPUUtilizationPercentage: 50, metrics: [] } };
  const unknown = (r: (typeof hpa)[number]) => findUnknownFields({ apiVersion: apiVersionOf(r), kind: r.kind, metadata: { name: "x" }, ...spec } as KObject, r);
  assert.deepEqual(unknown(hpa.find((r) => r.version === "v1")!), ["spec.metrics"]);
  assert.deepEqual(unknown(hpa.find((r) => r.version === "v2")!), ["spec.targetCPUUtilizationPercentage"]);
});

test("base64 errors name the byte encoding/base64 names", () => {
  const at = (v: string) => {
    try {
      findUnknownFields({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { k: v } } as unknown as KObject);
      return -1;
    } catch (e) {
      return Number(/input byte (\d+)$/.exec((e as Error).message)?.[1]);
    }
  };
  assert.equal(at("aGVsbG8="), -1);
  assert.equal(at("aGVs\r\nbG8="), -1);
  assert.equal(at("YQ=="), -1);
  assert.equal(at("aGVsbG8"), 4); // an unfinished last quantum: its first byte
  assert.equal(at("Y"), 0);
  assert.equal(at("YQ="), 3); // "==" expected, the input ends: its length
  assert.equal(at("YQ=x"), 2); // the second padding byte is wrong: the first one's offset
  assert.equal(at("Y==="), 1); // padding too early
  assert.equal(at("YQ==YQ=="), 4); // data after the padding
  assert.equal(at("YQ==\n"), -1);
  assert.equal(at("a b="), 1);
});

test("a Secret's data must be base64", () => {
  const secret = (data: Record<string, string>) => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data }) as KObject;
  assert.deepEqual(findUnknownFields(secret({ password: "cGFzcw==" })), []);
  assert.throws(() => findUnknownFields(secret({ password: "pa$s" })), {
    message: 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 2',
  });
});

test("a Secret's data and a ConfigMap's binaryData are stored as the bytes' standard base64", () => {
  const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { a: "aGVs\nbG8=", b: "aGVsbG9=", c: "YWJj\r\nZGVm\n" } } as unknown as KObject;
  findUnknownFields(secret);
  // Line breaks skipped as encoding/base64 does; non-zero padding bits dropped by re-encoding.
  assert.deepEqual(secret.data, { a: "aGVsbG8=", b: "aGVsbG8=", c: "YWJjZGVm" });
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, binaryData: { bin: "AAEC\nAw==" } } as unknown as KObject;
  findUnknownFields(cm);
  assert.deepEqual(cm.binaryData, { bin: "AAECAw==" });
  assert.throws(() => findUnknownFields({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, binaryData: { bin: "no!" } } as unknown as KObject), {
    message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 2',
  });
});

test("the fast engine's memo: a frozen part walked clean is skipped after, one with unknown fields or bad values is walked and reported every time", () => {
  const deepFreeze = <T>(o: T): T => {
    if (o && typeof o === "object" && !Object.isFrozen(o)) {
      Object.freeze(o);
      for (const v of Object.values(o)) deepFreeze(v);
    }
    return o;
  };
  const clean = deepFreeze({ name: "a", image: "x", ports: [{ containerPort: 80 }] });
  const unknown = deepFreeze({ name: "b", imagee: "x" });
  const bad = deepFreeze({ name: "c", image: 3 });
  for (const memo of [false, true]) {
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(findUnknownFields(pod({ containers: [clean] }), undefined, false, memo), []);
      assert.deepEqual(findUnknownFields(pod({ containers: [clean, unknown] }), undefined, false, memo), ["spec.containers[1].imagee"]);
      // The same frozen object under another path reports that path.
      assert.deepEqual(findUnknownFields(pod({ initContainers: [unknown], containers: [clean] }), undefined, false, memo), ["spec.initContainers[0].imagee"]);
      assert.throws(() => findUnknownFields(pod({ containers: [bad] }), undefined, false, memo), /cannot unmarshal number into Go struct field Container.spec.containers.image of type string/);
    }
  }
  // Walked as another type, a frozen object is walked again: `clean` as a Pod's metadata has unknown fields.
  assert.deepEqual(findUnknownFields({ apiVersion: "v1", kind: "Pod", metadata: clean, spec: { containers: [clean] } } as unknown as KObject, undefined, false, true), ["metadata.image", "metadata.ports"]);
});

test("a caBundle ([]byte) must be base64: webhook configurations, a CRD's conversion webhook, an APIService", () => {
  const crd = (caBundle: string) =>
    ({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "selfierequests.stable.example.com" },
      spec: { conversion: { strategy: "Webhook", webhook: { clientConfig: { caBundle, url: "https://example.com" }, conversionReviewVersions: ["v1"] } } },
    }) as unknown as KObject;
  // storage/test-crd.yaml of kubernetes.io's examples.
  assert.throws(() => findUnknownFields(crd("<CABundle info>")), {
    message: 'CustomResourceDefinition in version "v1" cannot be handled as a CustomResourceDefinition: illegal base64 data at input byte 0',
  });
  const ok = crd("aGVs\nbG8=");
  assert.deepEqual(findUnknownFields(ok), []);
  assert.equal((ok.spec as { conversion: { webhook: { clientConfig: { caBundle: string } } } }).conversion.webhook.clientConfig.caBundle, "aGVsbG8=");
  const vwc = { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingWebhookConfiguration", metadata: { name: "v" }, webhooks: [{ name: "a.example.com", clientConfig: { caBundle: "Q0E=" } }, { name: "b.example.com", clientConfig: { caBundle: "Q0E" } }] } as unknown as KObject;
  // An unfinished quantum: Go names its first byte (decodeQuantum's CorruptInputError(si - j)).
  assert.throws(() => findUnknownFields(vwc), { message: 'ValidatingWebhookConfiguration in version "v1" cannot be handled as a ValidatingWebhookConfiguration: illegal base64 data at input byte 0' });
  const mwc = { apiVersion: "admissionregistration.k8s.io/v1", kind: "MutatingWebhookConfiguration", metadata: { name: "m" }, webhooks: [{ name: "a.example.com", clientConfig: { caBundle: "Ca Bundle" } }] } as unknown as KObject;
  assert.throws(() => findUnknownFields(mwc), { message: 'MutatingWebhookConfiguration in version "v1" cannot be handled as a MutatingWebhookConfiguration: illegal base64 data at input byte 2' });
  const apisvc = { apiVersion: "apiregistration.k8s.io/v1", kind: "APIService", metadata: { name: "v1beta1.metrics.k8s.io" }, spec: { caBundle: "not-base64" } } as unknown as KObject;
  assert.throws(() => findUnknownFields(apisvc), { message: 'APIService in version "v1" cannot be handled as a APIService: illegal base64 data at input byte 3' });
});
