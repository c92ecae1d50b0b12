/** Port of pkg/kubelet/envvars/envvars_test.go TestFromServices. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromServices, makeEnvVariableName } from "./envvars.ts";
import type { KObject } from "../../api/types.ts";

const svc = (name: string, clusterIP: string, ports: Array<{ name?: string; port: number; protocol: string }>): KObject =>
  ({ apiVersion: "v1", kind: "Service", metadata: { name }, spec: { selector: { bar: "baz" }, clusterIP, ports } }) as KObject;

test("TestFromServices", () => {
  const sl = [
    svc("foo-bar", "1.2.3.4", [{ port: 8080, protocol: "TCP" }]),
    svc("abc-123", "5.6.7.8", [
      { name: "u-d-p", port: 8081, protocol: "UDP" },
      { name: "t-c-p", port: 8081, protocol: "TCP" },
    ]),
    svc("q-u-u-x", "9.8.7.6", [
      { port: 8082, protocol: "TCP" },
      { name: "8083", port: 8083, protocol: "TCP" },
    ]),
    svc("svrc-clusterip-none", "None", [{ port: 8082, protocol: "TCP" }]),
    svc("svrc-clusterip-empty", "", [{ port: 8082, protocol: "TCP" }]),
  ];
  assert.deepEqual(fromServices(sl), [
    ["FOO_BAR_SERVICE_HOST", "1.2.3.4"],
    ["FOO_BAR_SERVICE_PORT", "8080"],
    ["FOO_BAR_PORT", "tcp://1.2.3.4:8080"],
    ["FOO_BAR_PORT_8080_TCP", "tcp://1.2.3.4:8080"],
    ["FOO_BAR_PORT_8080_TCP_PROTO", "tcp"],
    ["FOO_BAR_PORT_8080_TCP_PORT", "8080"],
    ["FOO_BAR_PORT_8080_TCP_ADDR", "1.2.3.4"],
    ["ABC_123_SERVICE_HOST", "5.6.7.8"],
    ["ABC_123_SERVICE_PORT", "8081"],
    ["ABC_123_SERVICE_PORT_U_D_P", "8081"],
    ["ABC_123_SERVICE_PORT_T_C_P", "8081"],
    ["ABC_123_PORT", "udp://5.6.7.8:8081"],
    ["ABC_123_PORT_8081_UDP", "udp://5.6.7.8:8081"],
    ["ABC_123_PORT_8081_UDP_PROTO", "udp"],
    ["ABC_123_PORT_8081_UDP_PORT", "8081"],
    ["ABC_123_PORT_8081_UDP_ADDR", "5.6.7.8"],
    ["ABC_123_PORT_8081_TCP", "tcp://5.6.7.8:8081"],
    ["ABC_123_PORT_8081_TCP_PROTO", "tcp"],
    ["ABC_123_PORT_8081_TCP_PORT", "8081"],
    ["ABC_123_PORT_8081_TCP_ADDR", "5.6.7.8"],
    ["Q_U_U_X_SERVICE_HOST", "9.8.7.6"],
    ["Q_U_U_X_SERVICE_PORT", "8082"],
    ["Q_U_U_X_SERVICE_PORT_8083", "8083"],
    ["Q_U_U_X_PORT", "tcp://9.8.7.6:8082"],
    ["Q_U_U_X_PORT_8082_TCP", "tcp://9.8.7.6:8082"],
    ["Q_U_U_X_PORT_8082_TCP_PROTO", "tcp"],
    ["Q_U_U_X_PORT_8082_TCP_PORT", "8082"],
    ["Q_U_U_X_PORT_8082_TCP_ADDR", "9.8.7.6"],
    ["Q_U_U_X_PORT_8083_TCP", "tcp://9.8.7.6:8083"],
    ["Q_U_U_X_PORT_8083_TCP_PROTO", "tcp"],
    ["Q_U_U_X_PORT_8083_TCP_PORT", "8083"],
    ["Q_U_U_X_PORT_8083_TCP_ADDR", "9.8.7.6"],
  ]);
});

test("makeEnvVariableName", () => {
  assert.equal(makeEnvVariableName("8083"), "8083");
  assert.equal(makeEnvVariableName("redis-master"), "REDIS_MASTER");
});
