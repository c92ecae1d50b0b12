/**
 * Port of pkg/kubelet/kubelet_pods_test.go TestMakeEnvironmentVariables (the cases of the
 * simulation's scope; upstream compares sorted lists, so these do too) and of its downward API
 * resource cases.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../api/types.ts";
import { bareContext } from "./testutil.ts";
import { getServiceEnvVarMap, makeEnvironmentVariables, type EnvContext } from "./kubelet_env.ts";

const buildService = (name: string, namespace: string, clusterIP: string, protocol: string, port: number): KObject =>
  ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec: { ports: [{ protocol, port }], clusterIP } }) as KObject;

const services = [
  buildService("kubernetes", "default", "1.2.3.1", "TCP", 8081),
  buildService("test", "test1", "1.2.3.3", "TCP", 8083),
  buildService("kubernetes", "test2", "1.2.3.4", "TCP", 8084),
  buildService("test", "test2", "1.2.3.5", "TCP", 8085),
  buildService("test", "test2", "None", "TCP", 8085),
  buildService("test", "test2", "", "TCP", 8085),
  buildService("not-special", "default", "1.2.3.8", "TCP", 8088),
  buildService("not-special", "default", "None", "TCP", 8088),
  buildService("not-special", "default", "", "TCP", 8088),
];

const kube8081: Array<[string, string]> = [
  ["KUBERNETES_SERVICE_HOST", "1.2.3.1"],
  ["KUBERNETES_SERVICE_PORT", "8081"],
  ["KUBERNETES_PORT", "tcp://1.2.3.1:8081"],
  ["KUBERNETES_PORT_8081_TCP", "tcp://1.2.3.1:8081"],
  ["KUBERNETES_PORT_8081_TCP_PROTO", "tcp"],
  ["KUBERNETES_PORT_8081_TCP_PORT", "8081"],
  ["KUBERNETES_PORT_8081_TCP_ADDR", "1.2.3.1"],
];
const test8083: Array<[string, string]> = [
  ["TEST_SERVICE_HOST", "1.2.3.3"],
  ["TEST_SERVICE_PORT", "8083"],
  ["TEST_PORT", "tcp://1.2.3.3:8083"],
  ["TEST_PORT_8083_TCP", "tcp://1.2.3.3:8083"],
  ["TEST_PORT_8083_TCP_PROTO", "tcp"],
  ["TEST_PORT_8083_TCP_PORT", "8083"],
  ["TEST_PORT_8083_TCP_ADDR", "1.2.3.3"],
];

const sorted = (l: ReadonlyArray<readonly [string, string]>) => [...l].map(([k, v]) => `${k}=${v}`).sort();

function serviceCase(ns: string, links: boolean, expected: Array<[string, string]>) {
  assert.deepEqual(sorted([...getServiceEnvVarMap(services, ns, links)]), sorted(expected), `${ns} links=${links}`);
}

test("service env: the master service always, the namespace's services with enableServiceLinks", () => {
  serviceCase("test1", false, kube8081);
  serviceCase("test1", true, [...test8083, ...kube8081]);
  // "master service in pod ns": the default namespace's kubernetes Service wins with links off...
  serviceCase("test2", false, kube8081);
  // ...and the pod namespace's own `kubernetes` Service overrides it with links on.
  serviceCase("test2", true, [
    ["TEST_SERVICE_HOST", "1.2.3.5"],
    ["TEST_SERVICE_PORT", "8085"],
    ["TEST_PORT", "tcp://1.2.3.5:8085"],
    ["TEST_PORT_8085_TCP", "tcp://1.2.3.5:8085"],
    ["TEST_PORT_8085_TCP_PROTO", "tcp"],
    ["TEST_PORT_8085_TCP_PORT", "8085"],
    ["TEST_PORT_8085_TCP_ADDR", "1.2.3.5"],
    ["KUBERNETES_SERVICE_HOST", "1.2.3.4"],
    ["KUBERNETES_SERVICE_PORT", "8084"],
    ["KUBERNETES_PORT", "tcp://1.2.3.4:8084"],
    ["KUBERNETES_PORT_8084_TCP", "tcp://1.2.3.4:8084"],
    ["KUBERNETES_PORT_8084_TCP_PROTO", "tcp"],
    ["KUBERNETES_PORT_8084_TCP_PORT", "8084"],
    ["KUBERNETES_PORT_8084_TCP_ADDR", "1.2.3.4"],
  ]);
  serviceCase("default", false, kube8081);
  serviceCase("default", true, [
    ["NOT_SPECIAL_SERVICE_HOST", "1.2.3.8"],
    ["NOT_SPECIAL_SERVICE_PORT", "8088"],
    ["NOT_SPECIAL_PORT", "tcp://1.2.3.8:8088"],
    ["NOT_SPECIAL_PORT_8088_TCP", "tcp://1.2.3.8:8088"],
    ["NOT_SPECIAL_PORT_8088_TCP_PROTO", "tcp"],
    ["NOT_SPECIAL_PORT_8088_TCP_PORT", "8088"],
    ["NOT_SPECIAL_PORT_8088_TCP_ADDR", "1.2.3.8"],
    ...kube8081,
  ]);
});

function cluster(extra: KObject[] = []) {
  const ctx = bareContext();
  for (const ns of ["test1", "test2", "downward-api"]) ctx.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  for (const s of services.filter((x) => x.spec.clusterIP && x.spec.clusterIP !== "None")) ctx.api.create(structuredClone(s));
  for (const o of extra) ctx.api.create(o);
  return ctx;
}

const ec: EnvContext = { podIPs: ["1.2.3.4"], hostIPs: ["127.0.0.1"], nodeAllocatable: { cpu: "4", memory: "8Gi" } };
const pod = (ns: string, links: boolean, container: any): KObject =>
  ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "dapi-test-pod-name", namespace: ns, uid: "uid-1", labels: { app: "web" } },
    spec: { serviceAccountName: "special", nodeName: "node-name", enableServiceLinks: links, containers: [container] },
  }) as KObject;

test("env expansion, service env vars (TestMakeEnvironmentVariables)", () => {
  const container = {
    name: "c",
    env: [
      { name: "TEST_LITERAL", value: "test-test-test" },
      { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
      { name: "OUT_OF_ORDER_TEST", value: "$(OUT_OF_ORDER_TARGET)" },
      { name: "OUT_OF_ORDER_TARGET", value: "FOO" },
      { name: "EMPTY_VAR" },
      { name: "EMPTY_TEST", value: "foo-$(EMPTY_VAR)" },
      { name: "POD_NAME_TEST2", value: "test2-$(POD_NAME)" },
      { name: "POD_NAME_TEST3", value: "$(POD_NAME_TEST2)-3" },
      { name: "LITERAL_TEST", value: "literal-$(TEST_LITERAL)" },
      { name: "SERVICE_VAR_TEST", value: "$(TEST_SERVICE_HOST):$(TEST_SERVICE_PORT)" },
      { name: "TEST_UNDEFINED", value: "$(UNDEFINED_VAR)" },
    ],
  };
  const r = makeEnvironmentVariables(cluster(), pod("test1", true, container), container, ec);
  assert.ok(r.ok);
  assert.deepEqual(
    sorted(r.env),
    sorted([
      ["TEST_LITERAL", "test-test-test"],
      ["POD_NAME", "dapi-test-pod-name"],
      ["POD_NAME_TEST2", "test2-dapi-test-pod-name"],
      ["POD_NAME_TEST3", "test2-dapi-test-pod-name-3"],
      ["LITERAL_TEST", "literal-test-test-test"],
      ...test8083,
      ["SERVICE_VAR_TEST", "1.2.3.3:8083"],
      ["OUT_OF_ORDER_TEST", "$(OUT_OF_ORDER_TARGET)"],
      ["OUT_OF_ORDER_TARGET", "FOO"],
      ["TEST_UNDEFINED", "$(UNDEFINED_VAR)"],
      ["EMPTY_VAR", ""],
      ["EMPTY_TEST", "foo-"],
      ...kube8081,
    ]),
  );
  // The simulation keeps the declared order, then the services' variables.
  assert.deepEqual(r.env.slice(0, 3).map(([k]) => k), ["TEST_LITERAL", "POD_NAME", "OUT_OF_ORDER_TEST"]);
});

test("downward api pod (TestMakeEnvironmentVariables): fields from the pod, IPs from the sandbox and node", () => {
  const f = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: "v1", fieldPath } } });
  const container = {
    name: "c",
    env: [
      f("POD_NAME", "metadata.name"),
      f("POD_NAMESPACE", "metadata.namespace"),
      f("POD_NODE_NAME", "spec.nodeName"),
      f("POD_SERVICE_ACCOUNT_NAME", "spec.serviceAccountName"),
      f("POD_IP", "status.podIP"),
      f("POD_IPS", "status.podIPs"),
      f("HOST_IP", "status.hostIP"),
      f("HOST_IPS", "status.hostIPs"),
      f("APP", "metadata.labels['app']"),
      f("UID", "metadata.uid"),
    ],
  };
  const r = makeEnvironmentVariables(cluster(), pod("downward-api", false, container), container, { ...ec, podIPs: ["1.2.3.4", "fd00::6"], hostIPs: ["127.0.0.1", "::1"] });
  assert.ok(r.ok);
  assert.deepEqual(r.env.slice(0, 10), [
    ["POD_NAME", "dapi-test-pod-name"],
    ["POD_NAMESPACE", "downward-api"],
    ["POD_NODE_NAME", "node-name"],
    ["POD_SERVICE_ACCOUNT_NAME", "special"],
    ["POD_IP", "1.2.3.4"],
    ["POD_IPS", "1.2.3.4,fd00::6"],
    ["HOST_IP", "127.0.0.1"],
    ["HOST_IPS", "127.0.0.1,::1"],
    ["APP", "web"],
    ["UID", "uid-1"],
  ]);
});

test("configmap envFrom with a prefix; env overrides envFrom; missing sources and keys", () => {
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "test-config-map", namespace: "test1" }, data: { REPLACE_ME: "FROM_CONFIG_MAP", DUPE_TEST: "CONFIG_MAP" } } as KObject;
  const sec = { apiVersion: "v1", kind: "Secret", metadata: { name: "test-secret", namespace: "test1" }, data: { REPLACE_ME: Buffer.from("FROM_SECRET").toString("base64") } } as KObject;
  const ctx = cluster([cm, sec]);
  const container = {
    name: "c",
    envFrom: [{ configMapRef: { name: "test-config-map" } }, { prefix: "p_", configMapRef: { name: "test-config-map" } }, { prefix: "s_", secretRef: { name: "test-secret" } }],
    env: [
      { name: "TEST_LITERAL", value: "test-test-test" },
      { name: "EXPANSION_TEST", value: "$(REPLACE_ME)" },
      { name: "DUPE_TEST", value: "ENV_VAR" },
    ],
  };
  const r = makeEnvironmentVariables(ctx, pod("test1", false, container), container, ec);
  assert.ok(r.ok);
  assert.deepEqual(
    sorted(r.env),
    sorted([
      ["TEST_LITERAL", "test-test-test"],
      ["REPLACE_ME", "FROM_CONFIG_MAP"],
      ["EXPANSION_TEST", "FROM_CONFIG_MAP"],
      ["DUPE_TEST", "ENV_VAR"],
      ["p_REPLACE_ME", "FROM_CONFIG_MAP"],
      ["p_DUPE_TEST", "CONFIG_MAP"],
      ["s_REPLACE_ME", "FROM_SECRET"],
      ...kube8081,
    ]),
  );
  const miss = (c: any) => makeEnvironmentVariables(ctx, pod("test1", false, c), c, ec);
  assert.deepEqual(miss({ name: "c", envFrom: [{ configMapRef: { name: "nope" } }] }), { ok: false, message: 'configmap "nope" not found' });
  assert.deepEqual(miss({ name: "c", env: [{ name: "X", valueFrom: { secretKeyRef: { name: "test-secret", key: "nope" } } }] }), {
    ok: false,
    message: "couldn't find key nope in Secret test1/test-secret",
  });
  const optional = miss({ name: "c", env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "missing-config-map", key: "key", optional: true } } }] });
  assert.ok(optional.ok && !optional.env.some(([k]) => k === "X"));
});

test("resourceFieldRef: divisor and ceiling, the node's allocatable for a missing limit, another container by name", () => {
  let n = 0;
  const r = (resource: string, divisor?: string, containerName?: string) => ({ name: `V${n++}`, valueFrom: { resourceFieldRef: { resource, divisor, containerName } } });
  const container = {
    name: "c",
    resources: { requests: { cpu: "125m", memory: "32Mi" }, limits: { cpu: "250m" } },
    env: [r("requests.cpu"), r("requests.cpu", "1m"), r("limits.cpu"), r("limits.memory"), r("requests.memory", "1Mi"), r("limits.memory", "1Gi"), r("limits.cpu", "1m", "other")],
  };
  const p = pod("test1", false, container);
  p.spec.containers.push({ name: "other", resources: { limits: { cpu: "1500m" } } });
  const res = makeEnvironmentVariables(cluster(), p, container, ec);
  assert.ok(res.ok);
  assert.deepEqual(res.env.slice(0, 7).map(([, v]) => v), ["1", "125", "1", String(8 * 1024 ** 3), "32", "8", "1500"]);
});

test("service variables kept per namespace follow every Service write and delete (issue #19), as the reference engine", () => {
  for (const reference of [false, true]) {
    const ctx = cluster();
    ctx.reference = reference;
    const container = { name: "c" };
    const names = (ns: string, links = true) => {
      const r = makeEnvironmentVariables(ctx, pod(ns, links, container), container, ec);
      assert.ok(r.ok);
      return r.env.map(([k, v]) => `${k}=${v}`);
    };
    const first = names("test1");
    assert.deepEqual(names("test1"), first);
    assert.deepEqual(sorted(first.map((s) => s.split("=", 2) as [string, string])), sorted([...test8083, ...kube8081]));
    // Links off in the same namespace is another list, not the kept one.
    assert.deepEqual(sorted(names("test1", false).map((s) => s.split("=", 2) as [string, string])), sorted(kube8081));
    ctx.api.create(buildService("zeta", "test1", "1.2.3.9", "TCP", 9000));
    assert.ok(names("test1").includes("ZETA_SERVICE_HOST=1.2.3.9"), `a new Service shows (reference=${reference})`);
    ctx.api.delete("Service", "test1", "zeta");
    assert.deepEqual(names("test1"), first, `a deleted Service goes (reference=${reference})`);
    const svc = structuredClone(ctx.api.get("Service", "default", "kubernetes")!);
    svc.spec.ports[0].port = 9443;
    ctx.api.update(svc);
    assert.ok(names("test1").includes("KUBERNETES_SERVICE_PORT=9443"), `a changed master Service shows (reference=${reference})`);
  }
});

test("a container that declares no variable gets the kept service variables as one shared, frozen list (issue #19), equal to the reference engine's", () => {
  const lists = [false, true].map((reference) => {
    const ctx = cluster();
    ctx.reference = reference;
    const c = { name: "c" };
    const a = makeEnvironmentVariables(ctx, pod("test2", true, c), c, ec);
    const b = makeEnvironmentVariables(ctx, pod("test2", true, c), c, ec);
    assert.ok(a.ok && b.ok);
    assert.equal(a.env === b.env, !reference, "kept and shared on the fast engine only");
    if (!reference) assert.ok(Object.isFrozen(a.env));
    // A declared variable (or an optional envFrom source that is missing: nothing declared) — the first is a list of its own.
    const d = { name: "c", env: [{ name: "X", value: "$(TEST_SERVICE_HOST)" }] };
    const withX = makeEnvironmentVariables(ctx, pod("test2", true, d), d, ec);
    assert.ok(withX.ok && withX.env !== a.env && withX.env[0]![1] === "1.2.3.5");
    const e = { name: "c", envFrom: [{ configMapRef: { name: "absent", optional: true } }] };
    const none = makeEnvironmentVariables(ctx, pod("test2", true, e), e, ec);
    assert.ok(none.ok);
    assert.deepEqual(none.env, a.env);
    return a.env.map(([k, v]) => `${k}=${v}`);
  });
  assert.deepEqual(lists[0], lists[1]);
  assert.ok(lists[0]!.length > 7);
});
