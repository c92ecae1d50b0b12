import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../../../cluster.ts";
import { inServiceCIDR } from "./ipallocator.ts";

// pkg/registry/core/service/storage/alloc.go initIPFamilyFields on a single-stack IPv4 cluster
// (the families kubeadm configures by default); its test table's single-stack rows.
test("a single-stack IPv4 cluster refuses IPv6 families and RequireDualStack; PreferDualStack gets IPv4 only", async () => {
  const c = new Cluster();
  const svc = (name: string, spec: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: x}\n  ports: [{port: 80}]\n${spec}`;
  const cases: Array<[string, string, string | undefined]> = [
    ["v6", "  ipFamilies: [IPv6]\n", 'The Service "v6" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster\n'],
    ["v6v4", "  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv6, IPv4]\n", 'The Service "v6v4" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster\n'],
    ["v4v6", "  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv4, IPv6]\n", 'The Service "v4v6" is invalid: spec.ipFamilies[1]: Invalid value: "IPv6": not configured on this cluster\n'],
    [
      "require",
      "  ipFamilyPolicy: RequireDualStack\n  ipFamilies: [IPv6]\n",
      'The Service "require" is invalid: \n* spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services\n* spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster\n',
    ],
    ["prefer", "  ipFamilyPolicy: PreferDualStack\n", undefined],
  ];
  for (const [name, spec, err] of cases) {
    const r = await c.kubectl(["apply", "-f", "-"], svc(name, spec));
    if (err === undefined) assert.equal(r.stdout, `service/${name} created\n`, r.stderr);
    else assert.deepEqual([r.exitCode, r.stderr], [1, err], name);
  }
  const prefer = c.api.get("Service", "default", "prefer")!;
  assert.deepEqual([prefer.spec.ipFamilyPolicy, prefer.spec.ipFamilies, prefer.spec.clusterIPs.length], ["PreferDualStack", ["IPv4"], 1]);
  // A headless Service without a selector is the exception upstream makes before these checks.
  const headless = await c.kubectl(["apply", "-f", "-"], "apiVersion: v1\nkind: Service\nmetadata:\n  name: hl\nspec:\n  clusterIP: None\n  ipFamilies: [IPv6]\n  ports: [{port: 80}]\n");
  assert.equal(headless.stdout, "service/hl created\n", headless.stderr);
  await c.close();
});

// pkg/registry/core/service/strategy.go dropTypeDependentFields (strategy_test.go's type-change rows:
// node ports wiped unless a new one is asked for, the LoadBalancer-only fields wiped when unchanged).
test("a type change wipes what only the old type used: a LoadBalancer or NodePort Service patched to ClusterIP", async () => {
  const c = new Cluster();
  const created = await c.kubectl(
    ["apply", "-f", "-"],
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\nspec:\n  type: LoadBalancer\n  loadBalancerClass: example.com/lb\n  selector: {app: x}\n  ports: [{port: 80}]\n",
  );
  assert.equal(created.stdout, "service/lb created\n", created.stderr);
  const before = c.api.get("Service", "default", "lb")!;
  assert.equal(typeof before.spec.ports[0].nodePort, "number");
  assert.deepEqual([before.spec.externalTrafficPolicy, before.spec.allocateLoadBalancerNodePorts], ["Cluster", true]);
  const patched = await c.kubectl(["patch", "svc", "lb", "-p", '{"spec":{"type":"ClusterIP"}}']);
  assert.deepEqual([patched.exitCode, patched.stdout, patched.stderr], [0, "service/lb patched\n", ""]);
  const after = c.api.get("Service", "default", "lb")!;
  assert.equal(after.spec.type, "ClusterIP");
  assert.equal(after.spec.ports[0].nodePort, undefined);
  for (const f of ["externalTrafficPolicy", "allocateLoadBalancerNodePorts", "loadBalancerClass"]) assert.equal(after.spec[f], undefined, f);
  assert.equal(after.spec.clusterIP, before.spec.clusterIP);
  // NodePort to ClusterIP while asking for a node port it did not have: left to validation, refused.
  await c.kubectl(["apply", "-f", "-"], "apiVersion: v1\nkind: Service\nmetadata:\n  name: np\nspec:\n  type: NodePort\n  selector: {app: x}\n  ports: [{port: 80, nodePort: 30080}]\n");
  const refused = await c.kubectl(["patch", "svc", "np", "-p", '{"spec":{"type":"ClusterIP","ports":[{"port":80,"nodePort":30081}]}}']);
  assert.equal(refused.exitCode, 1);
  assert.match(refused.stderr, /spec\.ports\[0\]\.nodePort: Forbidden: may not be used when `type` is 'ClusterIP'/);
  // The same port as before is no new ask: wiped, and the change goes through.
  const kept = await c.kubectl(["patch", "svc", "np", "-p", '{"spec":{"type":"ClusterIP"}}']);
  assert.equal(kept.stdout, "service/np patched\n", kept.stderr);
  assert.equal(c.api.get("Service", "default", "np")!.spec.ports[0].nodePort, undefined);
  await c.close();
});

// strategy.go dropTypeDependentFields (needsClusterIP) and alloc.go allocateUpdate: to ExternalName,
// the cluster IPs and family fields go (the address is free again); back from it, a new address.
test("a type change to ExternalName wipes the cluster IPs and IP families; back to ClusterIP allocates a new address", async () => {
  const c = new Cluster();
  await c.kubectl(["apply", "-f", "-"], "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: {app: x}\n  ports: [{port: 80}]\n");
  const first = c.api.get("Service", "default", "s")!.spec.clusterIP;
  const toExt = await c.kubectl(["patch", "svc", "s", "-p", '{"spec":{"type":"ExternalName","externalName":"db.example.com"}}']);
  assert.deepEqual([toExt.exitCode, toExt.stdout, toExt.stderr], [0, "service/s patched\n", ""]);
  const ext = c.api.get("Service", "default", "s")!;
  for (const f of ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"]) assert.equal(ext.spec[f], undefined, f);
  assert.equal((await c.kubectl(["get", "svc", "s"])).stdout.split("\n")[1].replace(/ +/g, " "), "s ExternalName <none> db.example.com 80/TCP 0s");
  // The freed address can be asked for by another Service.
  const taken = await c.kubectl(["apply", "-f", "-"], `apiVersion: v1\nkind: Service\nmetadata:\n  name: t\nspec:\n  clusterIP: ${first}\n  ports: [{port: 80}]\n`);
  assert.equal(taken.stdout, "service/t created\n", taken.stderr);
  const back = await c.kubectl(["patch", "svc", "s", "-p", '{"spec":{"type":"ClusterIP","externalName":null}}']);
  assert.equal(back.stdout, "service/s patched\n", back.stderr);
  const again = c.api.get("Service", "default", "s")!.spec;
  assert.ok(inServiceCIDR(again.clusterIP), again.clusterIP);
  assert.notEqual(again.clusterIP, first);
  assert.deepEqual([again.clusterIPs, again.ipFamilies, again.ipFamilyPolicy], [[again.clusterIP], ["IPv4"], "SingleStack"]);
  // Asking for a new cluster IP while changing to ExternalName is left to validation, which refuses it.
  const refused = await c.kubectl(["patch", "svc", "t", "-p", '{"spec":{"type":"ExternalName","externalName":"x.example.com","clusterIP":"10.96.0.77","clusterIPs":["10.96.0.77"]}}']);
  assert.equal(refused.exitCode, 1);
  assert.match(refused.stderr, /spec\.clusterIPs: Forbidden: may not be set for ExternalName services/);
  await c.close();
});

// alloc.go allocHealthCheckNodePort and updateHealthCheckNodePort; storage.go patchAllocatedValues.
test("a LoadBalancer with externalTrafficPolicy Local gets a health check node port; a requested one is reserved", async () => {
  const c = new Cluster();
  const lb = (name: string, extra = "") => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n${extra}  selector: {app: x}\n  ports: [{port: 80}]\n`;
  assert.equal((await c.kubectl(["apply", "-f", "-"], lb("local"))).stdout, "service/local created\n");
  const local = c.api.get("Service", "default", "local")!;
  const hc = local.spec.healthCheckNodePort;
  assert.ok(hc >= 30000 && hc <= 32767 && hc !== local.spec.ports[0].nodePort, String(hc));
  const described = await c.kubectl(["describe", "svc", "local"]);
  assert.match(described.stdout, new RegExp(`\\nHealthCheck NodePort:     ${hc}\\n`));
  // A Cluster policy needs none.
  await c.kubectl(["apply", "-f", "-"], "apiVersion: v1\nkind: Service\nmetadata:\n  name: cluster\nspec:\n  type: LoadBalancer\n  selector: {app: x}\n  ports: [{port: 80}]\n");
  assert.equal(c.api.get("Service", "default", "cluster")!.spec.healthCheckNodePort, undefined);
  // Requested: reserved when free, refused when taken (by a node port or another health check port).
  assert.equal((await c.kubectl(["apply", "-f", "-"], lb("asked", "  healthCheckNodePort: 30500\n"))).stdout, "service/asked created\n");
  assert.equal(c.api.get("Service", "default", "asked")!.spec.healthCheckNodePort, 30500);
  const taken = await c.kubectl(["apply", "-f", "-"], lb("taken", `  healthCheckNodePort: ${hc}\n`));
  assert.equal(taken.exitCode, 1);
  assert.equal(taken.stderr, `Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed to allocate requested HealthCheck NodePort ${hc}: provided port is already allocated\n`);
  // An update that leaves it out keeps it; Cluster to Local allocates one; Local to Cluster drops it.
  assert.equal((await c.kubectl(["patch", "svc", "local", "-p", '{"spec":{"sessionAffinity":"ClientIP"}}'])).stdout, "service/local patched\n");
  assert.equal(c.api.get("Service", "default", "local")!.spec.healthCheckNodePort, hc);
  assert.equal((await c.kubectl(["patch", "svc", "cluster", "-p", '{"spec":{"externalTrafficPolicy":"Local"}}'])).stdout, "service/cluster patched\n");
  const now = c.api.get("Service", "default", "cluster")!.spec.healthCheckNodePort;
  assert.ok(now >= 30000 && now !== hc && now !== 30500, String(now));
  assert.equal((await c.kubectl(["patch", "svc", "local", "-p", '{"spec":{"externalTrafficPolicy":"Cluster"}}'])).stdout, "service/local patched\n");
  assert.equal(c.api.get("Service", "default", "local")!.spec.healthCheckNodePort, undefined);
  await c.close();
});
