import { test } from "node:test";
import assert from "node:assert/strict";
import type { KObject } from "../../api/types.ts";
import { serviceLink } from "./clusterinfo.ts";

const svc = (spec: unknown, status: unknown = {}): KObject => ({ apiVersion: "v1", kind: "Service", metadata: { name: "dash", namespace: "kube-system" }, spec, status }) as KObject;
const HOST = "https://10.0.0.1:6443";

test("serviceLink: the API server's proxy path, scheme:name:port as utilnet.JoinSchemeNamePort joins them", () => {
  assert.equal(serviceLink(HOST, svc({ ports: [{ name: "dns", port: 53 }] })), `${HOST}/api/v1/namespaces/kube-system/services/dash:dns/proxy`);
  assert.equal(serviceLink(HOST, svc({ ports: [{ port: 80 }] })), `${HOST}/api/v1/namespaces/kube-system/services/dash/proxy`);
  assert.equal(serviceLink(HOST, svc({ ports: [{ name: "https", port: 8443 }] })), `${HOST}/api/v1/namespaces/kube-system/services/https:dash:https/proxy`);
  assert.equal(serviceLink(HOST, svc({ ports: [{ port: 443 }] })), `${HOST}/api/v1/namespaces/kube-system/services/https:dash:/proxy`);
  assert.equal(serviceLink(HOST, svc({})), `${HOST}/api/v1/namespaces/kube-system/services/dash/proxy`);
});

test("serviceLink: a load balancer's first ingress, http://ip:port followed by a space for every port", () => {
  const lb = svc({ ports: [{ port: 80 }, { port: 443 }] }, { loadBalancer: { ingress: [{ ip: "203.0.113.7" }, { ip: "203.0.113.8" }] } });
  assert.equal(serviceLink(HOST, lb), "http://203.0.113.7:80 http://203.0.113.7:443 ");
  const named = svc({ ports: [{ port: 8080 }] }, { loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } });
  assert.equal(serviceLink(HOST, named), "http://lb.example.com:8080 ");
});
