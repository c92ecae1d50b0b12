import { test } from "node:test";
import assert from "node:assert/strict";
import { ERR_REASON, NodePorts } from "./nodeports.ts";
import { Code, PodInfo } from "../types.ts";
import { node, nodeInfo, pod } from "../testutil.ts";

const withPorts = (name: string, ports: string[]) =>
  pod(name, { containers: [{ name: "c", image: "app", ports: ports.map((s) => { const [protocol, hostIP, port] = s.split("/"); return { protocol, hostIP, hostPort: Number(port), containerPort: Number(port) }; }) }] });

// node_ports_test.go TestNodePorts.
const cases: Array<[string, string[], string[], boolean]> = [
  ["nothing running", ["UDP/127.0.0.1/8080"], [], true],
  ["other port", ["UDP/127.0.0.1/8080"], ["UDP/127.0.0.1/9090"], true],
  ["same udp port", ["UDP/127.0.0.1/8080"], ["UDP/127.0.0.1/8080"], false],
  ["same tcp port", ["TCP/127.0.0.1/8080"], ["TCP/127.0.0.1/8080"], false],
  ["different host ip", ["TCP/127.0.0.1/8080"], ["TCP/127.0.0.2/8080"], true],
  ["different protocol", ["UDP/127.0.0.1/8080"], ["TCP/127.0.0.1/8080"], true],
  ["second udp port conflict", ["UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"], ["UDP/127.0.0.1/8080"], false],
  ["first tcp port conflict", ["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"], ["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081"], false],
  ["first tcp port conflict due to 0.0.0.0 hostIP", ["TCP/0.0.0.0/8001"], ["TCP/127.0.0.1/8001"], false],
  ["TCP hostPort conflict due to 0.0.0.0 hostIP", ["TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"], ["TCP/127.0.0.1/8001"], false],
  ["second tcp port conflict to 0.0.0.0 hostIP", ["TCP/127.0.0.1/8001"], ["TCP/0.0.0.0/8001"], false],
  ["second different protocol", ["UDP/127.0.0.1/8001"], ["TCP/0.0.0.0/8001"], true],
  ["UDP hostPort conflict due to 0.0.0.0 hostIP", ["UDP/127.0.0.1/8001"], ["TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001"], false],
];
for (const [name, want, used, fits] of cases) {
  test(`NodePorts: ${name}`, () => {
    const pl = new NodePorts();
    const p = new PodInfo(withPorts("p", want));
    assert.equal(pl.preFilter(new Map(), p).status, null);
    const s = pl.filter(new Map(), p, nodeInfo(node("n"), used.length ? [withPorts("u", used)] : []));
    if (fits) assert.equal(s, null);
    else {
      assert.equal(s?.code, Code.Unschedulable);
      assert.deepEqual(s?.reasons, [ERR_REASON]);
    }
  });
}

test("NodePorts: PreFilter skips pods without host ports", () => {
  assert.equal(new NodePorts().preFilter(new Map(), new PodInfo(pod("p"))).status?.code, Code.Skip);
});
