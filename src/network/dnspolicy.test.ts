import { test } from "node:test";
import assert from "node:assert/strict";
import { podDNSType, resolvConfText } from "./dnspolicy.ts";
import type { Pod } from "../api/types.gen.ts";

const pod = (spec: Record<string, unknown>, namespace = "default"): Pod => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace }, spec: { containers: [], ...spec } }) as Pod;

test("getPodDNSType (pkg/kubelet/network/dns TestGetPodDNSType's cases)", () => {
  assert.equal(podDNSType(pod({})), "cluster");
  assert.equal(podDNSType(pod({ dnsPolicy: "ClusterFirst" })), "cluster");
  assert.equal(podDNSType(pod({ dnsPolicy: "ClusterFirst", hostNetwork: true })), "host");
  assert.equal(podDNSType(pod({ dnsPolicy: "ClusterFirstWithHostNet", hostNetwork: true })), "cluster");
  assert.equal(podDNSType(pod({ dnsPolicy: "ClusterFirstWithHostNet" })), "cluster");
  assert.equal(podDNSType(pod({ dnsPolicy: "Default" })), "host");
  assert.equal(podDNSType(pod({ dnsPolicy: "None" })), "none");
});

test("resolv.conf per dnsPolicy: the cluster's, the kind node's, only the dnsConfig's", () => {
  assert.equal(resolvConfText(pod({}, "test")), "search test.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n");
  assert.equal(resolvConfText(pod({ dnsPolicy: "Default" })), "nameserver 172.18.0.1\noptions ndots:0\n");
  // The page's custom-dns.yaml.
  const none = pod({
    dnsPolicy: "None",
    dnsConfig: { nameservers: ["192.0.2.1"], searches: ["ns1.svc.cluster-domain.example", "my.dns.search.suffix"], options: [{ name: "ndots", value: "2" }, { name: "edns0" }] },
  });
  assert.equal(resolvConfText(none), "search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 192.0.2.1\noptions ndots:2 edns0\n");
});

test("appendDNSConfig: duplicates dropped, the pod's option replaces the same name, an empty value prints the name alone", () => {
  const p = pod({ dnsConfig: { nameservers: ["10.96.0.10", "1.1.1.1"], searches: ["svc.cluster.local", "example.com"], options: [{ name: "ndots", value: "1" }, { name: "single-request", value: "" }] } });
  assert.equal(resolvConfText(p), "search default.svc.cluster.local svc.cluster.local cluster.local example.com\nnameserver 10.96.0.10\nnameserver 1.1.1.1\noptions ndots:1 single-request\n");
  const four = pod({ dnsPolicy: "None", dnsConfig: { nameservers: ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"] } });
  assert.equal(resolvConfText(four), "nameserver 1.1.1.1\nnameserver 2.2.2.2\nnameserver 3.3.3.3\n");
});
