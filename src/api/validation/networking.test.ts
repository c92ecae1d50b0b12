// networking.k8s.io validation: cases of upstream's pkg/apis/networking/validation/validation_test.go
// (TestValidateIngressCreate, TestValidateIngressRuleValue, TestValidateIngressTLS,
// TestValidateIngressClass, TestValidateNetworkPolicy), with the texts v1.32 prints.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../types.ts";
import { validateIngress, validateIngressClass, validateIngressClassUpdate, validateIngressUpdate, validateNetworkPolicy } from "./networking.ts";
import { parseCIDRSloppy, parseIPSloppy, cidrContainsIP } from "./netutil.ts";
import { ApiServer } from "../store.ts";
import { SimClock } from "../../sim/clock.ts";
import { defaultAdmissionPlugins } from "../admission/index.ts";

const RFC1123_SUB =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const WILDCARD =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const texts = (errs: { field: string; detail: string }[]) => errs.map((e) => `${e.field}: ${e.detail}`);

const backend = { service: { name: "default-backend", port: { number: 80 } } };
function ingress(spec: object, annotations?: Record<string, string>): KObject {
  return { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "foo", namespace: "default", ...(annotations ? { annotations } : {}) }, spec } as KObject;
}
const rule = (host: string, paths: object[]) => ({ host, http: { paths } });
const path = (p: string, pathType = "Exact", b: object = backend) => ({ path: p, pathType, backend: b });

test("a valid Ingress: rules, default backend, TLS, class", () => {
  assert.deepEqual(
    texts(validateIngress(ingress({ ingressClassName: "nginx", defaultBackend: backend, tls: [{ hosts: ["foo.bar.com", "*.bar.com"], secretName: "tls" }], rules: [rule("foo.bar.com", [path("/foo"), path("/", "Prefix")]), rule("*.bar.com", [path("/", "ImplementationSpecific")])] }))),
    [],
  );
  assert.deepEqual(texts(validateIngress(ingress({ rules: [{ host: "x.com" }] }))), [], "a rule without http is valid");
  assert.deepEqual(texts(validateIngress(ingress({ rules: [rule("", [path("", "ImplementationSpecific")])] }))), [], "an empty ImplementationSpecific path");
});

test("neither rules nor a default backend; rules without paths", () => {
  assert.deepEqual(texts(validateIngress(ingress({}))), ["spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"]);
  assert.deepEqual(texts(validateIngress(ingress({ rules: [] }))), ["spec: Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must be specified"]);
  assert.deepEqual(texts(validateIngress(ingress({ rules: [{ host: "a.com", http: { paths: [] } }] }))), ["spec.rules[0].http.paths: Required value"]);
});

test("paths: pathType required and supported, absolute, no dot segments or encoded slashes (TestValidateIngressRuleValue)", () => {
  const one = (p: object) => texts(validateIngress(ingress({ rules: [rule("foo.com", [p])] })));
  assert.deepEqual(one({ path: "/", backend }), ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"]);
  assert.deepEqual(one(path("/", "Regex")), ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"']);
  assert.deepEqual(one(path("foo")), ['spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path']);
  assert.deepEqual(one(path("", "Prefix")), ['spec.rules[0].http.paths[0].path: Invalid value: "": must be an absolute path']);
  assert.deepEqual(one(path("foo", "ImplementationSpecific")), ['spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path']);
  for (const seq of ["//", "/./", "/../", "%2f", "%2F"]) {
    assert.deepEqual(one(path(`/foo${seq}bar`)), [`spec.rules[0].http.paths[0].path: Invalid value: "/foo${seq}bar": must not contain '${seq}'`]);
  }
  assert.deepEqual(one(path("/foo/..", "Prefix")), ["spec.rules[0].http.paths[0].path: Invalid value: \"/foo/..\": cannot end with '/..'"]);
  assert.deepEqual(one(path("/foo/.")), ["spec.rules[0].http.paths[0].path: Invalid value: \"/foo/.\": cannot end with '/.'"]);
  assert.deepEqual(one(path("/foo/./..", "ImplementationSpecific")), [], "ImplementationSpecific paths are only checked to be absolute");
});

test("hosts: DNS names, not IPs; wildcards only as the first label; TLS hosts and secret names", () => {
  assert.deepEqual(texts(validateIngress(ingress({ rules: [rule("1.1.1.1", [path("/")])] }))), [
    'spec.rules[0].host: Invalid value: "1.1.1.1": must be a DNS name, not an IP address',
  ]);
  assert.deepEqual(texts(validateIngress(ingress({ rules: [rule("Foo_Bar", [path("/")])] }))), [`spec.rules[0].host: Invalid value: "Foo_Bar": ${RFC1123_SUB}`]);
  assert.deepEqual(texts(validateIngress(ingress({ rules: [rule("foo.*.bar.com", [path("/")])] }))), [`spec.rules[0].host: Invalid value: "foo.*.bar.com": ${WILDCARD}`]);
  assert.deepEqual(texts(validateIngress(ingress({ rules: [rule("*", [path("/")])] }))), [`spec.rules[0].host: Invalid value: "*": ${WILDCARD}`]);
  assert.deepEqual(texts(validateIngress(ingress({ rules: [rule("*.bar.com", [path("foo")])] }))), ['spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path'], "a wildcard host's rule is checked on create");
  assert.deepEqual(texts(validateIngress(ingress({ defaultBackend: backend, tls: [{ hosts: ["foo.*.bar.com"] }, { secretName: "Not_A_Secret" }] }))), [
    `spec.tls[0].hosts[0]: Invalid value: "foo.*.bar.com": ${WILDCARD}`,
    `spec.tls[1].secretName: Invalid value: "Not_A_Secret": ${RFC1123_SUB}`,
  ]);
});

test("backends: a service (name and one kind of port) or a resource, never both", () => {
  const withBackend = (b: object) => texts(validateIngress(ingress({ defaultBackend: b })));
  assert.deepEqual(withBackend({}), ['spec.defaultBackend: Invalid value: "": resource or service backend is required']);
  assert.deepEqual(withBackend({ service: { name: "svc", port: { number: 80 } }, resource: { kind: "K", name: "n" } }), ['spec.defaultBackend: Invalid value: "": cannot set both resource and service backends']);
  assert.deepEqual(withBackend({ service: { port: { number: 80 } } }), ["spec.defaultBackend.service.name: Required value"]);
  assert.deepEqual(withBackend({ service: { name: "1svc", port: { number: 80 } } }), [`spec.defaultBackend.service.name: Invalid value: "1svc": ${DNS1035}`]);
  assert.deepEqual(withBackend({ service: { name: "svc", port: {} } }), ["spec.defaultBackend: Required value: port name or number is required"]);
  assert.deepEqual(withBackend({ service: { name: "svc", port: { name: "http", number: 80 } } }), ['spec.defaultBackend: Invalid value: "": cannot set both port name & port number']);
  assert.deepEqual(withBackend({ service: { name: "svc", port: { number: 70000 } } }), ["spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive"]);
  assert.deepEqual(withBackend({ service: { name: "svc", port: { name: "HTTP" } } }), [
    'spec.defaultBackend.service.port.name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'spec.defaultBackend.service.port.name: Invalid value: "HTTP": must contain at least one letter (a-z)',
  ]);
  assert.deepEqual(withBackend({ resource: { apiGroup: "example.com", kind: "", name: "a/b" } }), [
    "spec.defaultBackend.resource.kind: Required value: kind is required",
    "spec.defaultBackend.resource.name: Invalid value: \"a/b\": may not contain '/'",
  ]);
});

test("the class annotation must agree with ingressClassName on create", () => {
  assert.deepEqual(texts(validateIngress(ingress({ ingressClassName: "bar", defaultBackend: backend }, { "kubernetes.io/ingress.class": "foo" }))), [
    'annotations.kubernetes.io/ingress.class: Invalid value: "foo": must match `ingressClassName` when both are specified',
  ]);
  assert.deepEqual(texts(validateIngress(ingress({ ingressClassName: "foo", defaultBackend: backend }, { "kubernetes.io/ingress.class": "foo" }))), []);
});

test("updates keep what the stored object already had: invalid TLS secret names, invalid rules of wildcard hosts", () => {
  const old = ingress({ tls: [{ secretName: "Bad_Name" }], rules: [rule("*.bar.com", [path("foo")])] });
  assert.deepEqual(texts(validateIngressUpdate(old, old)), []);
  const fresh = ingress({ tls: [{ secretName: "ok" }], rules: [rule("foo.com", [path("/")])] });
  // Against a stored object without them, both are refused (rules before TLS, as ValidateIngressSpec checks them).
  assert.deepEqual(texts(validateIngressUpdate(old, fresh)), ['spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path', 'spec.tls[0].secretName: Invalid value: "Bad_Name": ' + RFC1123_SUB]);
});

test("IngressClass: a domain-prefixed controller, immutable; parameters with a scope", () => {
  const ic = (spec: object): KObject => ({ apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "nginx" }, spec }) as KObject;
  assert.deepEqual(texts(validateIngressClass(ic({ controller: "k8s.io/ingress-nginx" }))), []);
  assert.deepEqual(texts(validateIngressClass(ic({}))), ["spec.controller: Required value"]);
  assert.deepEqual(texts(validateIngressClass(ic({ controller: "nginx" }))), ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
  assert.deepEqual(texts(validateIngressClass(ic({ controller: `foo.co/${"a".repeat(250)}` }))), ["spec.controller: Too long: may not be more than 250 bytes"]);
  assert.deepEqual(texts(validateIngressClass(ic({ controller: "k8s.io/x", parameters: { kind: "K", name: "n" } }))), ["spec.parameters.scope: Required value"]);
  assert.deepEqual(texts(validateIngressClass(ic({ controller: "k8s.io/x", parameters: { kind: "K", name: "n", scope: "Namespace" } }))), [
    "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
  ]);
  assert.deepEqual(texts(validateIngressClass(ic({ controller: "k8s.io/x", parameters: { kind: "K", name: "n", scope: "Cluster", namespace: "a" } }))), [
    "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
  ]);
  assert.deepEqual(texts(validateIngressClass(ic({ controller: "k8s.io/x", parameters: { kind: "K", name: "n", scope: "Global" } }))), [
    'spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"',
  ]);
  assert.deepEqual(texts(validateIngressClassUpdate(ic({ controller: "k8s.io/y" }), ic({ controller: "k8s.io/x" }))), ['spec.controller: Invalid value: "k8s.io/y": field is immutable']);
});

test("NetworkPolicy: ports, port ranges, peers, ipBlocks, policyTypes (TestValidateNetworkPolicy)", () => {
  const np = (spec: object): KObject => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "np", namespace: "default" }, spec }) as KObject;
  const v = (spec: object) => texts(validateNetworkPolicy(np(spec)));
  assert.deepEqual(v({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "192.168.0.0/16", except: ["192.168.3.0/24"] } }], ports: [{ port: 80, endPort: 90 }, { protocol: "UDP", port: "dns" }] }], policyTypes: ["Ingress", "Egress"] }), []);
  assert.deepEqual(v({ podSelector: {}, ingress: [{ from: [{}] }] }), ["spec.ingress[0].from[0]: Required value: must specify a peer"]);
  assert.deepEqual(v({ podSelector: {}, egress: [{ to: [{ podSelector: {}, ipBlock: { cidr: "10.0.0.0/8" } }] }] }), ["spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer"]);
  assert.deepEqual(v({ podSelector: {}, ingress: [{ ports: [{ protocol: "HTTP" }] }] }), ['spec.ingress[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "TCP", "UDP", "SCTP"']);
  assert.deepEqual(v({ podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] }), ["spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"]);
  assert.deepEqual(v({ podSelector: {}, ingress: [{ ports: [{ port: 90, endPort: 80 }] }] }), ["spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`"]);
  assert.deepEqual(v({ podSelector: {}, ingress: [{ ports: [{ port: "http", endPort: 80 }] }] }), ["spec.ingress[0].ports[0].endPort: Invalid value: 80: may not be specified when `port` is non-numeric"]);
  assert.deepEqual(v({ podSelector: {}, ingress: [{ ports: [{ endPort: 80 }] }] }), ["spec.ingress[0].ports[0].endPort: Invalid value: 80: may not be specified when `port` is not specified"]);
  assert.deepEqual(v({ podSelector: {}, ingress: [{ from: [{ ipBlock: {} }] }] }), ["spec.ingress[0].from[0].ipBlock.cidr: Required value"]);
  assert.deepEqual(v({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "192.168.5.6" } }] }] }), ['spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "192.168.5.6": not a valid CIDR']);
  assert.deepEqual(v({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "192.168.8.0/24", except: ["192.169.8.0/24"] } }] }] }), [
    'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.169.8.0/24": must be a strict subset of `cidr`',
  ]);
  assert.deepEqual(v({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "192.168.0.0/24", except: ["192.168.0.0/24"] } }] }] }), [
    'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.0.0/24": must be a strict subset of `cidr`',
  ]);
  assert.deepEqual(v({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: "fd00:192:168::/48", except: ["fd00:192:169:3::/64"] } }] }] }), [
    'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "fd00:192:169:3::/64": must be a strict subset of `cidr`',
  ]);
  assert.deepEqual(v({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "192.168.0.0/16", except: [""] } }] }] }), ['spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "": not a valid CIDR']);
  assert.deepEqual(v({ podSelector: {}, policyTypes: ["foo"] }), ['spec.policyTypes[0]: Unsupported value: "foo": supported values: "Ingress", "Egress"']);
  assert.deepEqual(v({ podSelector: {}, policyTypes: ["Ingress", "Egress", "Ingress"] }), ['spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes']);
  assert.deepEqual(v({ podSelector: { matchLabels: { "bad key": "x" } } }).length, 1);
});

test("ParseIPSloppy and ParseCIDRSloppy as Go's pre-1.17 parser: leading zeros, IPv6 forms, masking", () => {
  assert.ok(parseIPSloppy("010.000.0.1"));
  assert.equal(parseIPSloppy("1.2.3"), undefined);
  assert.equal(parseIPSloppy("256.0.0.1"), undefined);
  assert.ok(parseIPSloppy("::"));
  assert.ok(parseIPSloppy("::1"));
  assert.ok(parseIPSloppy("fe80::1:2"));
  assert.ok(parseIPSloppy("::ffff:1.2.3.4"));
  assert.equal(parseIPSloppy("1::2::3"), undefined);
  assert.equal(parseIPSloppy("1:2:3:4:5:6:7:8:9"), undefined);
  assert.equal(parseIPSloppy("1:2:3:4:5:6:7"), undefined);
  assert.equal(parseIPSloppy("foo.com"), undefined);
  const net = parseCIDRSloppy("192.168.1.1/24")!;
  assert.equal(net.ones, 24);
  assert.ok(cidrContainsIP(net, parseIPSloppy("192.168.1.200")!));
  assert.ok(!cidrContainsIP(net, parseIPSloppy("192.168.2.1")!));
  assert.equal(parseCIDRSloppy("10.0.0.0/33"), undefined);
  assert.ok(cidrContainsIP(parseCIDRSloppy("fd00::/8")!, parseIPSloppy("fd12::1")!));
  assert.ok(!cidrContainsIP(parseCIDRSloppy("fd00::/8")!, parseIPSloppy("10.0.0.1")!));
});

test("through the API server: the Invalid error names the group's kind, and a valid Ingress is stored", () => {
  const api = new ApiServer(new SimClock());
  for (const p of defaultAdmissionPlugins()) api.registerAdmission(p);
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  assert.throws(
    () => api.create(ingress({ rules: [rule("shop.example.com", [{ path: "/", backend }])] })),
    (e: Error) => e.message === 'Ingress.networking.k8s.io "foo" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
  );
  assert.ok(api.create(ingress({ rules: [rule("shop.example.com", [path("/", "Prefix")])] })));
});
