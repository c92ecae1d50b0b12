import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { KubectlError } from "../command.ts";
import { checkUDPPorts, convertPodNamedPortToNumber, parseAddresses, parsePorts, translateServicePortToTargetPort, type PortsOf } from "./portforward.ts";

type Svc = NonNullable<PortsOf["svc"]>;
const pod = (...ports: Array<{ name?: string; containerPort: number; protocol?: string }>): PortsOf["pod"] => ({ containers: [{ ports }] });

// staging/src/k8s.io/kubectl/pkg/cmd/portforward/portforward_test.go TestTranslateServicePortToTargetPort.
const TRANSLATE: Array<{ name: string; svc: Svc; pod: PortsOf["pod"]; ports: string[]; translated?: string[] }> = [
  { name: "test success 1 (int port)", svc: { ports: [{ port: 80, targetPort: 8080 }] }, pod: pod({ name: "http", containerPort: 8080 }), ports: ["80"], translated: ["80:8080"] },
  { name: "test success 1 (int port with random local port)", svc: { ports: [{ port: 80, targetPort: 8080 }] }, pod: pod({ name: "http", containerPort: 8080 }), ports: [":80"], translated: [":8080"] },
  { name: "test success 1 (int port with explicit local port)", svc: { ports: [{ port: 8080, targetPort: 8080 }] }, pod: pod({ name: "http", containerPort: 8080 }), ports: ["8000:8080"], translated: ["8000:8080"] },
  { name: "test success 2 (clusterIP: None)", svc: { clusterIP: "None", ports: [{ port: 80, targetPort: 8080 }] }, pod: pod({ name: "http", containerPort: 8080 }), ports: ["80"], translated: ["80"] },
  { name: "test success 2 (clusterIP: None with random local port)", svc: { clusterIP: "None", ports: [{ port: 80, targetPort: 8080 }] }, pod: pod({ name: "http", containerPort: 8080 }), ports: [":80"], translated: [":80"] },
  {
    name: "test success 3 (named target port)",
    svc: { ports: [{ port: 80, targetPort: "http" }, { port: 443, targetPort: "https" }] },
    pod: pod({ name: "http", containerPort: 8080 }, { name: "https", containerPort: 8443 }),
    ports: ["80", "443"],
    translated: ["80:8080", "443:8443"],
  },
  {
    name: "test success 3 (named target port with random local port)",
    svc: { ports: [{ port: 80, targetPort: "http" }, { port: 443, targetPort: "https" }] },
    pod: pod({ name: "http", containerPort: 8080 }, { name: "https", containerPort: 8443 }),
    ports: [":80", ":443"],
    translated: [":8080", ":8443"],
  },
  {
    name: "test success 4 (named service port)",
    svc: { ports: [{ port: 80, name: "http", targetPort: 8080 }, { port: 443, name: "https", targetPort: 8443 }] },
    pod: pod({ containerPort: 8080 }, { containerPort: 8443 }),
    ports: ["http", "https"],
    translated: ["80:8080", "443:8443"],
  },
  {
    name: "test success 4 (named service port with random local port)",
    svc: { ports: [{ port: 80, name: "http", targetPort: 8080 }, { port: 443, name: "https", targetPort: 8443 }] },
    pod: pod({ containerPort: 8080 }, { containerPort: 8443 }),
    ports: [":http", ":https"],
    translated: [":8080", ":8443"],
  },
  { name: "test success 4 (named service port and named pod container port)", svc: { ports: [{ port: 80, name: "http", targetPort: "http" }] }, pod: pod({ name: "http", containerPort: 80 }), ports: ["http"], translated: ["80"] },
  { name: "test success (targetPort omitted)", svc: { ports: [{ port: 80 }] }, pod: pod({ name: "http", containerPort: 80 }), ports: ["80"], translated: ["80"] },
  { name: "test success (targetPort omitted with random local port)", svc: { ports: [{ port: 80 }] }, pod: pod({ name: "http", containerPort: 80 }), ports: [":80"], translated: [":80"] },
  { name: "test failure 1 (named target port lookup failure)", svc: { ports: [{ port: 80, targetPort: "http" }] }, pod: pod({ name: "https", containerPort: 443 }), ports: ["80"] },
  { name: "test failure 1 (named service port lookup failure)", svc: { ports: [{ port: 80, targetPort: "http" }] }, pod: pod({ name: "http", containerPort: 8080 }), ports: ["https"] },
  { name: "test failure 2 (service port not declared)", svc: { ports: [{ port: 80, targetPort: "http" }] }, pod: pod({ name: "https", containerPort: 443 }), ports: ["443"] },
];

test("translateServicePortToTargetPort: upstream's table", () => {
  for (const tc of TRANSLATE) {
    if (tc.translated) assert.deepEqual(translateServicePortToTargetPort(tc.ports, tc.svc, tc.pod), tc.translated, tc.name);
    else assert.throws(() => translateServicePortToTargetPort(tc.ports, tc.svc, tc.pod), KubectlError, tc.name);
  }
  // util's messages (service_port.go).
  assert.throws(() => translateServicePortToTargetPort(["443"], { name: "web", ports: [{ port: 80 }] }, pod()), { message: "Service web does not have a service port 443" });
  assert.throws(() => translateServicePortToTargetPort(["https"], { name: "web", ports: [{ port: 80 }] }, pod()), { message: "Service 'web' does not have a named port 'https'" });
});

test("convertPodNamedPortToNumber: upstream's table", () => {
  const http = pod({ name: "http", containerPort: 80 });
  assert.deepEqual(convertPodNamedPortToNumber(["80"], http), ["80"]);
  assert.deepEqual(convertPodNamedPortToNumber(["8000:80"], http), ["8000:80"]);
  assert.deepEqual(convertPodNamedPortToNumber([":80"], http), [":80"]);
  assert.deepEqual(convertPodNamedPortToNumber(["http"], http), ["80"]);
  assert.deepEqual(convertPodNamedPortToNumber(["8000:http"], http), ["8000:80"]);
  assert.deepEqual(convertPodNamedPortToNumber([":http"], http), [":80"]);
  const https = { name: "web", containers: [{ ports: [{ name: "https", containerPort: 443 }] }] };
  assert.throws(() => convertPodNamedPortToNumber(["http"], https), { message: "Pod 'web' does not have a named port 'http'" });
  assert.throws(() => convertPodNamedPortToNumber(["https", "http"], https), KubectlError);
});

test("checkUDPPorts: upstream's TestCheckUDPPort", () => {
  assert.throws(() => checkUDPPorts(["53"], { pod: pod({ protocol: "UDP", containerPort: 53 }) }), { message: "UDP protocol is not supported for 53" });
  assert.throws(() => checkUDPPorts(["dns"], { pod: pod({ protocol: "UDP", containerPort: 53, name: "dns" }) }), { message: "UDP protocol is not supported for dns" });
  checkUDPPorts([":53"], { pod: pod({ protocol: "UDP", containerPort: 53 }, { protocol: "TCP", containerPort: 53 }) });
  checkUDPPorts([":53"], { pod: pod({ protocol: "TCP", containerPort: 53 }, { protocol: "UDP", containerPort: 53 }) });
  assert.throws(() => checkUDPPorts(["53"], { svc: { ports: [{ protocol: "UDP", port: 53 }] }, pod: pod() }), KubectlError);
  assert.throws(() => checkUDPPorts(["dns"], { svc: { ports: [{ protocol: "UDP", port: 53, name: "dns" }] }, pod: pod() }), KubectlError);
  checkUDPPorts(["53"], { svc: { ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] }, pod: pod() });
});

test("parsePorts and parseAddresses: client-go's rules and messages", () => {
  assert.deepEqual(parsePorts(["5000", "8888:5000", "0:5000", ":5000"]), [
    { local: 5000, remote: 5000 },
    { local: 8888, remote: 5000 },
    { local: 0, remote: 5000 },
    { local: 0, remote: 5000 },
  ]);
  assert.throws(() => parsePorts(["a:b:c"]), { message: "invalid port format 'a:b:c'" });
  assert.throws(() => parsePorts(["x:80"]), { message: `error parsing local port 'x': strconv.ParseUint: parsing "x": invalid syntax` });
  assert.throws(() => parsePorts(["80:70000"]), { message: `error parsing remote port '70000': strconv.ParseUint: parsing "70000": value out of range` });
  assert.throws(() => parsePorts(["80:0"]), { message: "remote port must be > 0" });
  assert.deepEqual(
    parseAddresses(["localhost", "10.19.21.23"]).map((a) => a.address),
    ["10.19.21.23", "127.0.0.1", "::1"],
  );
  assert.throws(() => parseAddresses(["example.com"]), { message: "example.com is not a valid IP" });
});

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 1
  selector:
    matchLabels: {app: hello}
  template:
    metadata:
      labels: {app: hello}
    spec:
      containers:
      - name: hello
        image: gcr.io/google-samples/hello-app:1.0
        ports:
        - containerPort: 8080
          name: http
---
apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
  selector: {app: hello}
  ports:
  - port: 80
    targetPort: http
`;

async function started(): Promise<{ c: Cluster; pod: string }> {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "n1" }]);
  c.applySync(WEB);
  await c.advance("30s");
  const pod = c.ctx.api.list("Pod")[0]!.metadata.name!;
  return { c, pod };
}

test("kubectl port-forward svc/NAME & maps the Service port to the pod's, and curl on the user's machine reaches the pod", async () => {
  const { c, pod } = await started();
  const fwd = await c.kubectl("kubectl port-forward svc/hello 8080:80 &");
  assert.deepEqual(fwd, { stdout: "Forwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\n", stderr: "", exitCode: 0 });
  const got = await c.kubectl("curl -s localhost:8080/");
  assert.deepEqual(got, { stdout: `Handling connection for 8080\nHello, world!\nVersion: 1.0.0\nHostname: ${pod}\n`, stderr: "", exitCode: 0 });
  // The port is taken: a second forward to it fails to listen on both addresses.
  const again = await c.kubectl(`kubectl port-forward pod/${pod} 8080 &`);
  assert.equal(again.stdout, "");
  assert.equal(
    again.stderr,
    "Unable to listen on port 8080: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:8080: bind: address already in use unable to create listener: Error listen tcp6 [::1]:8080: bind: address already in use]\n" +
      "error: unable to listen on any of the requested ports: [{8080 8080}]\n",
  );
  // Nothing listens on another port of the machine.
  const refused = await c.kubectl("curl -sS localhost:9090/");
  assert.equal(refused.stderr, "curl: (7) Failed to connect to localhost port 9090 after 0 ms: Couldn't connect to server\n");
  assert.equal(refused.exitCode, 7);
});

test("kubectl port-forward :PORT takes a port the kernel chooses, the same in every run; --address binds that address only", async () => {
  const { c, pod } = await started();
  const fwd = await c.kubectl(`kubectl port-forward deploy/hello :8080 &`);
  const m = /^Forwarding from 127\.0\.0\.1:(\d+) -> 8080\nForwarding from \[::1\]:(\d+) -> 8080\n$/.exec(fwd.stdout);
  assert.ok(m, fwd.stdout);
  assert.equal(m[1], m[2]);
  assert.ok(Number(m[1]) >= 32768 && Number(m[1]) <= 60999);
  const { c: c2 } = await started();
  assert.deepEqual(await c2.kubectl(`kubectl port-forward deploy/hello :8080 &`), fwd);
  const wide = await c.kubectl(`kubectl port-forward --address 0.0.0.0 ${pod} 9000:http &`);
  assert.equal(wide.stdout, "Forwarding from 0.0.0.0:9000 -> 8080\n");
  assert.match((await c.kubectl("curl -s 127.0.0.1:9000/")).stdout, /^Handling connection for 9000\nHello, world!/);
});

test("kubectl port-forward: a port nothing listens on in the pod is the runtime's connection refused, and kubectl ends", async () => {
  const { c, pod } = await started();
  await c.kubectl(`kubectl port-forward ${pod} 7000:6379 &`);
  const got = await c.kubectl("curl -sS localhost:7000/");
  assert.equal(got.stdout, "Handling connection for 7000\n");
  const lines = got.stderr.split("\n");
  assert.match(lines[0]!, /^E\d{4} \d\d:\d\d:\d\d\.\d{6} {4}4242 portforward\.go:413\] "Unhandled Error" err="an error occurred forwarding 7000 -> 6379: error forwarding port 6379 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace \\"\/var\/run\/netns\/cni-[0-9a-f-]{36}\\": failed to connect to localhost:6379 inside namespace \\"[0-9a-f]{64}\\", IPv4: dial tcp4 127\.0\.0\.1:6379: connect: connection refused IPv6 dial tcp6: address localhost: no suitable address found "$/);
  assert.deepEqual(lines.slice(1), ["error: lost connection to pod", "curl: (52) Empty reply from server", ""]);
  // The forward ended: its port is free again.
  assert.equal((await c.kubectl("curl -sS localhost:7000/")).exitCode, 7);
});

test("kubectl port-forward's errors before it listens (kubectl v1.32's texts)", async () => {
  const { c } = await started();
  assert.deepEqual(await c.kubectl("kubectl port-forward svc/hello"), {
    stdout: "",
    stderr: "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n",
    exitCode: 1,
  });
  assert.equal((await c.kubectl("kubectl port-forward nothere 80")).stderr, 'Error from server (NotFound): pods "nothere" not found\n');
  assert.equal((await c.kubectl("kubectl port-forward svc/hello 8443 &")).stderr, "error: Service hello does not have a service port 8443\n");
  assert.match((await c.kubectl("kubectl port-forward svc/hello 80")).stderr, /^error: port-forward keeps kubectl running until it is stopped/);
  c.applySync("apiVersion: v1\nkind: Pod\nmetadata:\n  name: pending\nspec:\n  nodeSelector: {none: none}\n  containers:\n  - name: c\n    image: busybox\n");
  await c.advance("1s");
  assert.equal((await c.kubectl("kubectl port-forward pending 80 &")).stderr, "error: unable to forward port because pod is not running. Current status=Pending\n");
});

test("kubectl port-forward in a second terminal prints there, connection by connection", async () => {
  const { c } = await started();
  const t = c.startKubectl("kubectl port-forward svc/hello 8080:80");
  assert.ok(t.running);
  await c.kubectl("curl -s localhost:8080/");
  await c.kubectl("curl -s localhost:8080/");
  assert.equal(t.stop().stdout, "Forwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\nHandling connection for 8080\nHandling connection for 8080\n");
  // Stopped: the port is free.
  assert.equal((await c.kubectl("curl -sS localhost:8080/")).exitCode, 7);
});
