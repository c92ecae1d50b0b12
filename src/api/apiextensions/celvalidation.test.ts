import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Cluster } from "../../cluster.ts";

// The Gateway API's own CRDs, verbatim (exercises/apps/gateway-api/standard-install.yaml, v1.2.1):
// their x-kubernetes-validations rules, list-map keys, defaults (a status default included) and
// enums, as an API server holding them refuses and fills objects. Each message is the rule's own
// `message` in the CRD; the paths and forms are apiextensions-apiserver's (schema/cel/validation.go,
// schema/listtype/validation.go, registry/customresource/strategy.go).
const STANDARD_INSTALL = readFileSync("exercises/apps/gateway-api/standard-install.yaml", "utf8");

async function gatewayApi(): Promise<Cluster> {
  const c = new Cluster({});
  const r = await c.kubectl("kubectl apply -f -", STANDARD_INSTALL);
  assert.equal(r.exitCode, 0, r.stderr);
  await c.advance("1s");
  return c;
}

const gateway = (name: string, spec: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ${name}}
spec:
  gatewayClassName: eg
${spec}`;

const route = (kind: string, name: string, spec: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}}
spec:
${spec}`;

test("Gateway API v1.2.1 CRDs: GatewayClass controllerName is immutable (a transition rule); a new object reads back with the CRD's status default", async () => {
  const c = await gatewayApi();
  const gc = (controller: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: ${controller}}
`;
  assert.equal((await c.kubectl("kubectl apply -f -", gc("gateway.envoyproxy.io/gatewayclass-controller"))).exitCode, 0);
  const again = await c.kubectl("kubectl apply -f -", gc("example.com/other"));
  assert.equal(again.stderr, 'The GatewayClass "eg" is invalid: spec.controllerName: Invalid value: "string": Value is immutable\n');
  // PrepareForCreate drops a created object's status; the storage's decoder defaults it back.
  const status = await c.kubectl("kubectl get gatewayclass eg -o jsonpath={.status.conditions[0]}");
  assert.equal(status.stdout, '{"lastTransitionTime":"1970-01-01T00:00:00Z","message":"Waiting for controller","reason":"Pending","status":"Unknown","type":"Accepted"}');
  assert.equal((await c.kubectl("kubectl get gatewayclass")).stdout, [
    "NAME   CONTROLLER                                      ACCEPTED   AGE",
    "eg     gateway.envoyproxy.io/gatewayclass-controller   Unknown    0s",
    "",
  ].join("\n"));
});

test("Gateway API v1.2.1 CRDs: the Gateway's listener rules, and the list-map key check beside the rule on names", async () => {
  const c = await gatewayApi();
  const tlsOnHttp = await c.kubectl("kubectl apply -f -", gateway("gw", "  listeners:\n  - {name: http, protocol: HTTP, port: 80, tls: {certificateRefs: [{name: c}]}}\n"));
  assert.equal(tlsOnHttp.stderr, `The Gateway "gw" is invalid: spec.listeners: Invalid value: "array": tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']\n`);
  // listeners is `x-kubernetes-list-type: map` keyed by name: the list-type check and the rule both refuse.
  const dupName = await c.kubectl("kubectl apply -f -", gateway("gw", "  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n  - {name: http, protocol: HTTP, port: 8080}\n"));
  assert.equal(dupName.stderr, [
    'The Gateway "gw" is invalid: ',
    '* spec.listeners[1]: Duplicate value: map[string]interface {}{"name":"http"}',
    '* spec.listeners: Invalid value: "array": Listener name must be unique within the Gateway',
    "",
  ].join("\n"));
  const dupCombo = await c.kubectl("kubectl apply -f -", gateway("gw", "  listeners:\n  - {name: a, protocol: HTTP, port: 80, hostname: foo.example.com}\n  - {name: b, protocol: HTTP, port: 80, hostname: foo.example.com}\n"));
  assert.equal(dupCombo.stderr, 'The Gateway "gw" is invalid: spec.listeners: Invalid value: "array": Combination of port, protocol and hostname must be unique for each listener\n');
  // tls.certificateRefs has no default: the rule reads an absent key, and the evaluation error
  // names the rule it came from (validation.go).
  const noCert = await c.kubectl("kubectl apply -f -", gateway("gw", "  listeners:\n  - {name: https, protocol: HTTPS, port: 443, tls: {mode: Terminate}}\n"));
  assert.equal(noCert.stderr, 'The Gateway "gw" is invalid: spec.listeners[0].tls: Invalid value: "object": no such key: certificateRefs evaluating rule: certificateRefs or options must be specified when mode is Terminate\n');
  const addresses = await c.kubectl("kubectl apply -f -", gateway("gw", [
    "  addresses: [{type: IPAddress, value: 10.0.0.1}, {type: IPAddress, value: 10.0.0.1}, {type: Hostname, value: Foo_bar}]",
    '  infrastructure: {labels: {"-bad": x}}',
    "  listeners:",
    "  - {name: http, protocol: HTTP, port: 80}",
    "",
  ].join("\n")));
  assert.equal(addresses.stderr, [
    'The Gateway "gw" is invalid: ',
    '* spec.addresses: Invalid value: "array": IPAddress values must be unique',
    '* spec.addresses[2]: Invalid value: "object": Hostname value must only contain valid characters (matching ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)',
    '* spec.infrastructure.labels: Invalid value: "object": Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.',
    "",
  ].join("\n"));
  // An enum refusal blocks the rules (strategy.go hasBlockingErr): they are not evaluated.
  const enumBad = await c.kubectl("kubectl apply -f -", gateway("gw", "  listeners:\n  - {name: http, protocol: HTTP, port: 80, tls: {}, allowedRoutes: {namespaces: {from: Everywhere}}}\n"));
  assert.equal(enumBad.stderr, [
    'The Gateway "gw" is invalid: ',
    '* spec.listeners[0].allowedRoutes.namespaces.from: Unsupported value: "Everywhere": supported values: "All", "Selector", "Same"',
    "* <nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
    "",
  ].join("\n"));
  const ok = await c.kubectl("kubectl apply -f -", gateway("gw", "  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n"));
  assert.equal(ok.stdout, "gateway.gateway.networking.k8s.io/gw created\n");
  // The listener's allowedRoutes default, and the Gateway's status default.
  assert.equal((await c.kubectl("kubectl get gateway gw -o jsonpath={.spec.listeners[0].allowedRoutes}")).stdout, '{"namespaces":{"from":"Same"}}');
  assert.equal((await c.kubectl("kubectl get gateway")).stdout, [
    "NAME   CLASS   ADDRESS   PROGRAMMED   AGE",
    "gw     eg                Unknown      0s",
    "",
  ].join("\n"));
});

test("Gateway API v1.2.1 CRDs: HTTPRoute rules on paths, filters, parentRefs, timeouts and Service backends", async () => {
  const c = await gatewayApi();
  const path = await c.kubectl("kubectl apply -f -", route("HTTPRoute", "r", [
    "  parentRefs: [{name: gw}]",
    "  rules:",
    '  - matches: [{path: {type: PathPrefix, value: "foo//bar"}}]',
    "    backendRefs: [{name: svc}]",
    "",
  ].join("\n")));
  assert.equal(path.stderr, [
    'The HTTPRoute "r" is invalid: ',
    '* spec.rules[0].backendRefs[0]: Invalid value: "object": Must have port for Service reference',
    "* spec.rules[0].matches[0].path: Invalid value: \"object\": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
    "* spec.rules[0].matches[0].path: Invalid value: \"object\": must not contain '//' when type one of ['Exact', 'PathPrefix']",
    "",
  ].join("\n"));
  const filters = await c.kubectl("kubectl apply -f -", route("HTTPRoute", "r", [
    "  parentRefs: [{name: gw}, {name: gw}]",
    "  rules:",
    "  - filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}, {type: RequestHeaderModifier}]",
    "    backendRefs: [{name: svc, port: 80}]",
    "    timeouts: {request: 1s, backendRequest: 2s}",
    "",
  ].join("\n")));
  assert.equal(filters.stderr, [
    'The HTTPRoute "r" is invalid: ',
    '* spec.parentRefs: Invalid value: "array": sectionName must be unique when parentRefs includes 2 or more references to the same parent',
    '* spec.rules[0]: Invalid value: "object": RequestRedirect filter must not be used together with backendRefs',
    '* spec.rules[0].filters[1]: Invalid value: "object": filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type',
    '* spec.rules[0].timeouts: Invalid value: "object": backendRequest timeout cannot be longer than request timeout',
    "",
  ].join("\n"));
  const ok = await c.kubectl("kubectl apply -f -", route("HTTPRoute", "r", [
    "  parentRefs: [{name: gw, sectionName: http}, {name: gw, sectionName: https}]",
    "  hostnames: [www.example.com]",
    "  rules:",
    "  - matches: [{path: {type: PathPrefix, value: /login}, headers: [{name: env, value: canary}]}]",
    "    backendRefs: [{name: svc, port: 80}]",
    "    timeouts: {request: 10s, backendRequest: 2s}",
    "",
  ].join("\n")));
  assert.equal(ok.stdout, "httproute.gateway.networking.k8s.io/r created\n");
  // The defaults: parentRefs' group and kind, backendRefs' group, kind and weight, a header match's type.
  assert.equal((await c.kubectl("kubectl get httproute r -o jsonpath={.spec.parentRefs[0]}")).stdout, '{"group":"gateway.networking.k8s.io","kind":"Gateway","name":"gw","sectionName":"http"}');
  assert.equal((await c.kubectl("kubectl get httproute r -o jsonpath={.spec.rules[0].backendRefs[0]}")).stdout, '{"group":"","kind":"Service","name":"svc","port":80,"weight":1}');
  assert.equal((await c.kubectl("kubectl get httproute r -o jsonpath={.spec.rules[0].matches[0].headers[0].type}")).stdout, "Exact");
});

test("Gateway API v1.2.1 CRDs: GRPCRoute method matches ((?i) in a rule's regular expression)", async () => {
  const c = await gatewayApi();
  const bad = await c.kubectl("kubectl apply -f -", route("GRPCRoute", "g", [
    "  parentRefs: [{name: gw}]",
    "  rules:",
    '  - matches: [{method: {type: Exact}}, {method: {service: "foo-bar", method: "9x"}}]',
    "    backendRefs: [{name: svc, port: 50051}]",
    "",
  ].join("\n")));
  assert.equal(bad.stderr, [
    'The GRPCRoute "g" is invalid: ',
    "* spec.rules[0].matches[0].method: Invalid value: \"object\": One or both of 'service' or 'method' must be specified",
    '* spec.rules[0].matches[1].method: Invalid value: "object": service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)',
    '* spec.rules[0].matches[1].method: Invalid value: "object": method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)',
    "",
  ].join("\n"));
  // Upper case passes the service pattern only through its (?i) flag.
  const ok = await c.kubectl("kubectl apply -f -", route("GRPCRoute", "g", [
    "  parentRefs: [{name: gw}]",
    "  rules:",
    '  - matches: [{method: {service: "com.Example.User", method: "Login"}}]',
    "    backendRefs: [{name: svc, port: 50051}]",
    "",
  ].join("\n")));
  assert.equal(ok.stdout, "grpcroute.gateway.networking.k8s.io/g created\n");
});

test("list types: a set's repeated element and a map list's repeated keys (one key and several) are Duplicate values", async () => {
  const c = new Cluster({});
  await c.apply(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: lists.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: lists, singular: list, kind: List2}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
          ports:
            type: array
            x-kubernetes-list-type: map
            x-kubernetes-list-map-keys: [port, protocol]
            items: {type: object, properties: {port: {type: integer}, protocol: {type: string}}}
`);
  await c.advance("1s");
  const r = await c.kubectl("kubectl apply -f -", `apiVersion: example.com/v1
kind: List2
metadata: {name: l}
tags: [a, b, a, a]
ports: [{port: 80, protocol: TCP}, {port: 80, protocol: UDP}, {port: 80, protocol: TCP}, {port: 81}, {port: 81}]
`);
  assert.equal(r.stderr, [
    'The List2 "l" is invalid: ',
    '* ports[2]: Duplicate value: map[string]interface {}{"port":80, "protocol":"TCP"}',
    '* ports[4]: Duplicate value: map[string]interface {}{"port":81}',
    '* tags[2]: Duplicate value: "a"',
    "",
  ].join("\n"));
});

// The CRD validation rules' CEL environment is the API server's: the optional library included
// (k8s.io/apiserver pkg/cel/environment base.go, `cel.OptionalTypes()` since v1.28).
test("x-kubernetes-validations take CEL's optional syntax: self.?field, [?key], orValue", async () => {
  const c = new Cluster({});
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {plural: widgets, singular: widget, kind: Widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.?replicas.orValue(1) <= self.?maxReplicas.orValue(3)"
              message: replicas above the maximum
            - rule: "self.?labels[?'tier'].orValue('web') in ['web', 'db']"
              message: unknown tier
            properties:
              replicas: {type: integer}
              maxReplicas: {type: integer}
              labels: {type: object, additionalProperties: {type: string}}
`;
  assert.equal((await c.kubectl("kubectl apply -f -", crd)).exitCode, 0);
  await c.advance("1s");
  const widget = (name: string, spec: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
  assert.equal((await c.kubectl("kubectl apply -f -", widget("a", "{}"))).exitCode, 0);
  assert.equal((await c.kubectl("kubectl apply -f -", widget("b", "{replicas: 3, labels: {tier: db}}"))).exitCode, 0);
  const over = await c.kubectl("kubectl apply -f -", widget("c", "{replicas: 4}"));
  assert.equal(over.stderr, 'The Widget "c" is invalid: spec: Invalid value: "object": replicas above the maximum\n');
  const tier = await c.kubectl("kubectl apply -f -", widget("d", "{labels: {tier: cache}}"));
  assert.equal(tier.stderr, 'The Widget "d" is invalid: spec: Invalid value: "object": unknown tier\n');
});
