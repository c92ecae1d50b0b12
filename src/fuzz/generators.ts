/**
 * fast-check generators for fuzzing the simulated API and kubectl: manifests (valid, broken, odd),
 * kubectl command lines, and feature texts. Used by the bounded fuzz tests in CI and by the long
 * run `npm run fuzz`.
 */
import fc from "fast-check";
import { stringify } from "yaml";

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}[a-z0-9]$/);
const oddString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom("", " ", "0", "-1", "1e309", "null", "~", "Ünïcödé", "名前", "a".repeat(300), "\u0000", "{{", "[", "'", '"', "\t", "-", ":"),
  name,
);
const scalar = fc.oneof(oddString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(oddString, tie("value"), { maxKeys: 3 })),
})).value;

const image = fc.constantFrom("busybox", "busybox:1.28", "nginx", "kubetm/app", "alpine", "nosuch/image:1", "", "UPPER");
const quantity = fc.constantFrom("100m", "1", "0.5", "128Mi", "1Gi", "2G", "abc", "-1", "1e3", "");

const container = fc.record(
  {
    name: fc.oneof(name, oddString),
    image,
    command: fc.option(fc.array(fc.constantFrom("sh", "-c", "sleep 5", "echo hi", "exit 1", "true"), { maxLength: 3 }), { nil: undefined }),
    resources: fc.option(
      fc.record({ requests: fc.option(fc.record({ cpu: quantity, memory: quantity }), { nil: undefined }), limits: fc.option(fc.record({ cpu: quantity, memory: quantity }), { nil: undefined }) }),
      { nil: undefined },
    ),
    readinessProbe: fc.option(fc.record({ exec: fc.record({ command: fc.constant(["cat", "/tmp/x"]) }), periodSeconds: fc.integer({ min: -5, max: 100 }), successThreshold: fc.integer({ min: -1, max: 5 }) }), { nil: undefined }),
    livenessProbe: fc.option(fc.record({ httpGet: fc.record({ path: fc.constant("/health"), port: fc.oneof(fc.integer({ min: -1, max: 70000 }), fc.constant("http")) }), successThreshold: fc.integer({ min: 0, max: 3 }) }), { nil: undefined }),
  },
  { requiredKeys: ["name", "image"] },
);

export const podManifest = fc.record({
  apiVersion: fc.constantFrom("v1", "v1", "v2", ""),
  kind: fc.constantFrom("Pod", "Pod", "Pd", "Service", "ConfigMap", ""),
  metadata: fc.record({ name: fc.oneof(name, oddString), labels: fc.option(fc.dictionary(oddString, oddString, { maxKeys: 3 }), { nil: undefined }), namespace: fc.option(fc.constantFrom("default", "kube-system", "nope"), { nil: undefined }) }, { requiredKeys: ["name"] }),
  spec: fc.record(
    {
      containers: fc.array(container, { maxLength: 3 }),
      restartPolicy: fc.option(fc.constantFrom("Always", "Never", "OnFailure", "Sometimes"), { nil: undefined }),
      nodeSelector: fc.option(fc.dictionary(oddString, oddString, { maxKeys: 2 }), { nil: undefined }),
      tolerations: fc.option(fc.array(fc.record({ key: oddString, operator: fc.constantFrom("Equal", "Exists", "Nope"), value: oddString, effect: fc.constantFrom("NoSchedule", "NoExecute", "Bad", "") }), { maxLength: 2 }), { nil: undefined }),
      bogusField: fc.option(anyValue, { nil: undefined }),
    },
    { requiredKeys: ["containers"] },
  ),
});

/** A YAML stream: mostly object documents, sometimes raw garbage, deep nesting or many documents. */
export const manifestText = fc.oneof(
  { weight: 6, arbitrary: fc.array(podManifest, { minLength: 1, maxLength: 3 }).map((docs) => docs.map((d) => stringify(d)).join("---\n")) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom("a:", " b: 1", "- x", "  - y: [", "c: {", "\t", "---", "key: value", "key: value", "? x", "&a x", "*a", "!!binary x"), { maxLength: 12 }).map((l) => l.join("\n")) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }).map((d) => "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: " + "[".repeat(d) + "]".repeat(d)) },
  { weight: 1, arbitrary: anyValue.map((v) => stringify(v)) },
  { weight: 1, arbitrary: fc.constant("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  name: dup2\n") },
);

const kubectlWord = fc.oneof(
  fc.constantFrom("get", "describe", "delete", "label", "taint", "cordon", "uncordon", "apply", "create", "logs", "exec", "drain", "rollout", "scale", "top", "version", "api-resources"),
  fc.constantFrom("pods", "po", "nodes", "node/n1", "svc", "endpoints", "events", "deploy", "rs", "jobs", "ns", "foo", "pod", "k8s-node1", "n1", "p1"),
  fc.constantFrom("-o", "yaml", "json", "wide", "name", "jsonpath={.items[*].metadata.name}", "-l", "app=x", "-n", "default", "-A", "--show-labels", "--overwrite", "--foo", "-x", "--", "sh", "-c", "echo hi", "kr=az-1", "kr-", "hw=gpu:NoSchedule", "hw:NoSchedule-", "--grace-period=0", "--force", "-f", "-", "--all", "'", '"'),
  fc.string({ maxLength: 8 }),
);

export const kubectlLine = fc.array(kubectlWord, { minLength: 0, maxLength: 7 }).map((w) => w.join(" "));

// ---------------------------------------------------------------------------------------------
// Broader manifests: every kind the simulator serves, fields replaced by values of the wrong type,
// required fields dropped, huge numbers, odd unicode, deep nesting, duplicate keys, many documents.

/** Odd unicode: combining marks, RTL, emoji with ZWJ, surrogate-looking text, BOM, NEL, full-width. */
export const oddUnicode = fc.constantFrom(
  "e\u0301", "\u202Eabc", "👩‍👩‍👧", "\uFEFFname", "a\u0085b", "ｆｕｌｌ", "İstanbul", "ß", "\u00A0", "\u2028", "𝔘𝔫𝔦", "x\u200By", "ä".normalize("NFD"),
);
const weirdString = fc.oneof(oddString, oddUnicode, fc.string({ unit: "grapheme", maxLength: 12 }), fc.string({ unit: "binary", maxLength: 8 }));
/** A value of some type, used where a field of another type belongs. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER, "", "x", "3", [], {}, [1, 2], { a: 1 }, [[]], "1e309"),
  weirdString,
);
const hugeInt = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e20, -1, 0));

function podSpec(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      containers: fc.array(container, { minLength: 1, maxLength: 2 }),
      restartPolicy: fc.constantFrom("Always", "Never", "OnFailure"),
      terminationGracePeriodSeconds: hugeInt,
      activeDeadlineSeconds: hugeInt,
      nodeName: fc.oneof(fc.constantFrom("n1", "k8s-node1", "ghost"), weirdString),
      priority: hugeInt,
    },
    { requiredKeys: ["containers"] },
  );
}

const selectorLabels = fc.constantFrom({ app: "x" }, { app: "y" }, {}, { "bad key!": "v" }, { app: "é" });
const template = fc.record({ metadata: fc.record({ labels: selectorLabels }), spec: podSpec() });

const metadata = fc.record(
  {
    name: fc.oneof({ weight: 4, arbitrary: name }, { weight: 1, arbitrary: weirdString }, { weight: 1, arbitrary: fc.constant("a".repeat(254)) }),
    namespace: fc.constantFrom("default", "kube-system", "nope", ""),
    labels: fc.dictionary(weirdString, weirdString, { maxKeys: 3 }),
    annotations: fc.dictionary(weirdString, fc.oneof(weirdString, fc.constant("v".repeat(300_000))), { maxKeys: 2 }),
    generateName: fc.constantFrom("gen-", "", "X"),
    finalizers: fc.array(fc.constantFrom("kubernetes.io/x", "foo", ""), { maxLength: 2 }),
  },
  { requiredKeys: ["name"] },
);

/** Valid-shaped objects of every served kind (individual fields may still be out of range). */
export const anyKindObject: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ apiVersion: fc.constant("v1"), kind: fc.constant("Pod"), metadata, spec: podSpec() }),
  fc.record({ apiVersion: fc.constant("apps/v1"), kind: fc.constantFrom("ReplicaSet", "Deployment"), metadata, spec: fc.record({ replicas: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constantFrom(2 ** 31, 1e20, 1.5)), selector: fc.record({ matchLabels: selectorLabels }), template, minReadySeconds: hugeInt, revisionHistoryLimit: hugeInt, progressDeadlineSeconds: hugeInt }, { requiredKeys: ["selector", "template"] }) }),
  fc.record({ apiVersion: fc.constant("batch/v1"), kind: fc.constant("Job"), metadata, spec: fc.record({ completions: hugeInt, parallelism: fc.integer({ min: -1, max: 4 }), backoffLimit: hugeInt, activeDeadlineSeconds: hugeInt, template }, { requiredKeys: ["template"] }) }),
  fc.record({ apiVersion: fc.constant("v1"), kind: fc.constant("Service"), metadata, spec: fc.record({ selector: selectorLabels, type: fc.constantFrom("ClusterIP", "NodePort", "LoadBalancer", "Bogus"), ports: fc.array(fc.record({ port: hugeInt, targetPort: fc.oneof(hugeInt, weirdString), nodePort: hugeInt, protocol: fc.constantFrom("TCP", "UDP", "ICMP") }, { requiredKeys: ["port"] }), { maxLength: 2 }) }) }),
  fc.record({ apiVersion: fc.constant("v1"), kind: fc.constant("ConfigMap"), metadata, data: fc.dictionary(weirdString, weirdString, { maxKeys: 3 }) }),
  fc.record({ apiVersion: fc.constant("v1"), kind: fc.constant("Namespace"), metadata }),
  fc.record({ apiVersion: fc.constant("v1"), kind: fc.constant("Node"), metadata, spec: fc.record({ unschedulable: fc.boolean(), taints: fc.array(fc.record({ key: weirdString, value: weirdString, effect: fc.constantFrom("NoSchedule", "NoExecute", "PreferNoSchedule", "Bad") }), { maxLength: 2 }) }) }),
);

/** Replaces the value at one random path of the object by a value of the wrong type (or drops it). */
export function corrupt(obj: unknown, path: number[], replacement: unknown, drop: boolean): unknown {
  if (path.length === 0 || obj === null || typeof obj !== "object") return replacement;
  const keys = Object.keys(obj as object);
  if (keys.length === 0) return replacement;
  const k = keys[path[0] % keys.length];
  const copy: Record<string, unknown> | unknown[] = Array.isArray(obj) ? [...obj] : { ...(obj as Record<string, unknown>) };
  if (path.length === 1 && drop) {
    if (Array.isArray(copy)) copy.splice(Number(k), 1);
    else delete copy[k];
    return copy;
  }
  (copy as Record<string, unknown>)[k] = corrupt((obj as Record<string, unknown>)[k], path.slice(1), replacement, drop);
  return copy;
}

export const brokenObject = fc
  .tuple(anyKindObject, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), wrongType, fc.boolean())
  .map(([o, path, rep, drop]) => corrupt(o, path, rep, drop));

/** Nested `a: {a: {...}}` (or lists) `depth` levels deep under a field of a real object. */
export const deepNesting = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean(), fc.constantFrom("data", "spec", "metadata")).map(([d, flow, where]) => {
  const inner = flow ? "[".repeat(d) + "]".repeat(d) : "{a: ".repeat(d) + "1" + "}".repeat(d);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n${where}:\n  x: ${inner}\n`;
});

/** The same key twice at some level (YAML forbids it; kubectl rejects it). */
export const duplicateKeys = fc.constantFrom(
  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  name: dup2\n",
  "apiVersion: v1\nkind: Pod\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: busybox}]}\n",
  "apiVersion: v1\nkind: Pod\nmetadata: {name: p, name: q}\nspec: {containers: [{name: c, image: busybox}]}\n",
  "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    image: nginx\n",
  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata: {k: 1, k: 2}\n",
  "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: b, a: c}}\nspec: {containers: [{name: c, image: busybox}]}\n",
);

/** Thousands of documents in one stream (sometimes with one broken document among them). */
export const manyDocuments = fc.tuple(fc.integer({ min: 500, max: 3000 }), fc.option(fc.nat(), { nil: undefined })).map(([n, bad]) => {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  i: "${i}"\n`);
  if (bad !== undefined) docs[bad % n] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 7BAD\n`;
  return docs.join("---\n");
});

/** Any manifest text: the lead's mix plus the broader generators above. */
export const anyManifestText = fc.oneof(
  { weight: 4, arbitrary: manifestText },
  { weight: 3, arbitrary: fc.array(anyKindObject, { minLength: 1, maxLength: 3 }).map((d) => d.map((x) => stringify(x)).join("---\n")) },
  { weight: 4, arbitrary: fc.array(brokenObject, { minLength: 1, maxLength: 2 }).map((d) => d.map((x) => stringify(x)).join("---\n")) },
  { weight: 1, arbitrary: brokenObject.map((x) => JSON.stringify(x)) },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: duplicateKeys },
);
