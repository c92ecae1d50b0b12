/**
 * `kubectl cluster-info`, `kubectl api-versions` and `kubectl get --raw` of the API server's own paths
 * in-process (src/kubectl/commands/clusterinfo.ts, apiversions.ts, get.ts) against the real kubectl v1.32 on the same cluster through the facade: the same
 * lines, but for the control plane's address (the facade's port; the in-process kubeconfig names
 * `kube-scenario serve`'s default address).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { installCoreDNSAddon } from "../controllers/addons/dns.ts";
import { SIMULATED_SERVER } from "../kubectl/kubeconfig.ts";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

test("kubectl cluster-info, api-versions and get --raw /healthz|/version: the real kubectl's lines, with and without CoreDNS, a LoadBalancer without ingress", { skip: NO_KUBECTL, timeout: 90_000 }, async (t) => {
  await withKubectl(t, async (h) => {
    const { cluster } = h;
    const same = async (args: string[]) => {
      const real = await h.kubectl(args);
      const ours = cluster.kubectlSync(args);
      assert.equal(ours.exitCode, real.code, `${args.join(" ")}: exit code`);
      assert.equal(ours.stdout, real.out.split(h.url).join(SIMULATED_SERVER), `${args.join(" ")}: stdout`);
      return ours.stdout;
    };
    const bare = await same(["cluster-info"]);
    assert.match(bare, /^Kubernetes control plane is running at /);
    await same(["api-versions"]);
    for (const path of ["/healthz", "/livez", "/readyz", "/version"]) await same(["get", "--raw", path]);
    await same(["get", "--raw", "/version/"]);
    for (const bad of [["get", "--raw", "/healthz", "pods"], ["get", "--raw", "/healthz", "-o", "yaml"], ["get", "--raw", "healthz"]]) {
      const real = await h.kubectl(bad);
      const ours = cluster.kubectlSync(bad);
      assert.deepEqual([ours.exitCode, ours.stderr], [real.code, real.err], bad.join(" "));
    }
    installCoreDNSAddon(cluster.api);
    cluster.advanceSync(30_000);
    const withDNS = await same(["cluster-info"]);
    assert.match(withDNS, /\nCoreDNS is running at .*\/api\/v1\/namespaces\/kube-system\/services\/kube-dns:dns\/proxy\n/);
    await same(["cluster-info", "-n", "default"]);
    cluster.applySync("apiVersion: v1\nkind: Service\nmetadata: {name: web-ui, namespace: kube-system, labels: {kubernetes.io/cluster-service: 'true'}}\nspec:\n  type: LoadBalancer\n  ports: [{port: 443, targetPort: 8443}]\n  selector: {app: x}\n");
    cluster.advanceSync(5_000);
    await same(["cluster-info"]);
  });
});
