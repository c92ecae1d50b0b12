// The cases of pkg/registry/core/pod/strategy_test.go TestApplyAppArmorVersionSkew (v1.32) that a
// create can meet, in this module's terms.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../types.gen.ts";
import { applyAppArmorVersionSkew, appArmorAnnotationForField, appArmorFieldForAnnotation } from "./apparmor.ts";

const K = "container.apparmor.security.beta.kubernetes.io/";
const W = (c: string) => `metadata.annotations[${K}${c}]: deprecated since v1.30; use the "appArmorProfile" field instead`;

function apply(p: Omit<Pod, "apiVersion" | "kind">): { pod: Pod; warnings: string[] } {
  const pod: Pod = { apiVersion: "v1", kind: "Pod", ...p };
  const warnings: string[] = [];
  applyAppArmorVersionSkew(pod, warnings);
  return { pod, warnings };
}

test("field to annotation: the container's field, else the pod's; nothing without either", () => {
  const { pod, warnings } = apply({
    metadata: { name: "p", annotations: { z: "1" } },
    spec: {
      securityContext: { appArmorProfile: { type: "RuntimeDefault" } },
      initContainers: [{ name: "init", image: "i" }],
      containers: [{ name: "ctr", image: "i", securityContext: { appArmorProfile: { type: "Localhost", localhostProfile: "foo" } } }],
    },
  });
  assert.deepEqual(pod.metadata!.annotations, { [`${K}ctr`]: "localhost/foo", [`${K}init`]: "runtime/default", z: "1" });
  assert.deepEqual(Object.keys(pod.metadata!.annotations!), [`${K}ctr`, `${K}init`, "z"]);
  assert.deepEqual(warnings, []);
  const none = apply({ metadata: { name: "p" }, spec: { containers: [{ name: "ctr", image: "i" }] } });
  assert.equal(none.pod.metadata!.annotations, undefined);
});

test("annotation to field, with the deprecation warning; not when it equals the pod's profile; an invalid annotation only warns", () => {
  const { pod, warnings } = apply({
    metadata: { name: "p", annotations: { [`${K}a`]: "unconfined", [`${K}b`]: "runtime/default", [`${K}c`]: "localhost/", [`${K}d`]: "localhost/x" } },
    spec: {
      securityContext: { appArmorProfile: { type: "RuntimeDefault" } },
      containers: [
        { name: "a", image: "i" },
        { name: "b", image: "i" },
        { name: "c", image: "i" },
        { name: "d", image: "i", securityContext: { appArmorProfile: { type: "Unconfined" } } },
      ],
    },
  });
  const c = pod.spec!.containers;
  assert.deepEqual(c[0]!.securityContext, { appArmorProfile: { type: "Unconfined" } });
  assert.equal(c[1]!.securityContext, undefined, "the same as the pod's profile");
  assert.equal(c[2]!.securityContext, undefined, "localhost/ without a name is not a valid field");
  assert.deepEqual(c[3]!.securityContext, { appArmorProfile: { type: "Unconfined" } }, "a field already set is kept");
  assert.deepEqual(warnings, [W("a"), W("c")]);
});

test("Windows pods are left alone", () => {
  const { pod } = apply({ metadata: { name: "p" }, spec: { os: { name: "windows" }, securityContext: { appArmorProfile: { type: "RuntimeDefault" } }, containers: [{ name: "c", image: "i" }] } });
  assert.equal(pod.metadata!.annotations, undefined);
});

test("the conversions", () => {
  assert.equal(appArmorAnnotationForField({ type: "Localhost" }), "");
  assert.equal(appArmorAnnotationForField({ type: "Bogus" }), "");
  assert.equal(appArmorFieldForAnnotation("bogus"), undefined);
  assert.deepEqual(appArmorFieldForAnnotation("localhost/k8s-apparmor-example-deny-write"), { type: "Localhost", localhostProfile: "k8s-apparmor-example-deny-write" });
});
