import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../sim/clock.ts";
import { MemFs } from "../runtime/vfs.ts";
import type { ProcessIO } from "../runtime/types.ts";
import { GenericProcess, declaredTcpPorts, genericNotice } from "./generic.ts";

function io(clock: SimClock): ProcessIO {
  return { clock, fs: new MemFs(clock, {}), env: {}, hostname: "shop", stdout: () => {}, stderr: () => {}, resolve: () => undefined, http: () => {} };
}

test("the generic process listens on its TCP containerPorts, answers 200 everywhere and exits 0 on SIGTERM", () => {
  const clock = new SimClock("2024-01-08T00:00:00Z");
  const ports = declaredTcpPorts({ ports: [{ containerPort: 8080 }, { containerPort: 9090, protocol: "TCP" }, { containerPort: 53, protocol: "UDP" }] });
  assert.deepEqual(ports, [8080, 9090]);
  const p = new GenericProcess(io(clock), ports);
  const exits: number[] = [];
  p.start((c) => exits.push(c));
  assert.equal(p.listening(8080), true);
  assert.equal(p.listening(53), false);
  assert.equal(p.handle({ method: "GET", path: "/anything?x=1", port: 8080, headers: {} }).status, 200);
  assert.equal(p.handle({ method: "POST", path: "/grpc.health.v1.Health/Check", port: 9090, headers: {} }).status, 200, "gRPC health: SERVING");
  p.kill("SIGTERM");
  assert.deepEqual(exits, [0]);
  assert.equal(p.listening(8080), false);
});

test("the notice says how the container runs and how to give it behaviour", () => {
  const text = genericNotice("myorg/shop:1.0", "myorg/shop", { ports: [{ containerPort: 8080 }] });
  assert.match(text, /^Image "myorg\/shop:1\.0" is not in kube-scenario's image catalogue/);
  assert.match(text, /containerPorts 8080/);
  assert.match(text, /Given the image "myorg\/shop" behaves as:/);
});
