/**
 * `kube-root-ca.crt` through `kube-scenario serve`: on a cluster the ConfigMap carries the
 * apiserver's serving CA bundle (kube-controller-manager's --root-ca-file is kubeadm's ca.crt, the CA
 * of kube-apiserver's serving certificate), so a client that trusts it (a Pod's client-go reading
 * /var/run/secrets/kubernetes.io/serviceaccount/ca.crt, a user copying it) verifies the API server.
 * The facade's CA is the served cluster's: the real kubectl given the ConfigMap's certificate as
 * --certificate-authority reaches the facade, and refuses it with the simulated CA
 * (src/controllers/certificates/clusterca.ts), which the facade never serves with.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CLUSTER_CA_PEM } from "../controllers/certificates/clusterca.ts";
import { NO_KUBECTL, withKubectl } from "./testutil.ts";

test("the kube-root-ca.crt ConfigMaps and token Secrets carry the facade's CA, which verifies it for the real kubectl", { skip: NO_KUBECTL, timeout: 90_000 }, async () => {
  await withKubectl(async (h) => {
    const ca = h.server.caPEM!;
    assert.match(ca, /^-----BEGIN CERTIFICATE-----\n/);
    assert.notEqual(ca, CLUSTER_CA_PEM);
    // The namespaces of the cluster's start, and one a client makes through the facade.
    assert.equal((await h.kubectl(["create", "namespace", "team"])).code, 0);
    h.cluster.advanceSync(1_000);
    for (const ns of ["default", "kube-system", "kube-public", "team"]) {
      const got = await h.kubectl(["get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", "jsonpath={.data.ca\\.crt}"]);
      assert.equal(got.code, 0, got.err);
      assert.equal(got.out, ca, ns);
    }
    // A legacy token Secret gets the same ca.crt from the tokens controller.
    const secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tok\n  namespace: team\n  annotations: {kubernetes.io/service-account.name: default}\ntype: kubernetes.io/service-account-token\n";
    assert.equal((await h.kubectl(["apply", "-f", "-"], secret)).code, 0);
    h.cluster.advanceSync(1_000);
    const tok = await h.kubectl(["get", "secret", "tok", "-n", "team", "-o", "jsonpath={.data.ca\\.crt}"]);
    assert.equal(Buffer.from(tok.out, "base64").toString(), ca);
    // What a user does with it: the ConfigMap's CA in place of the kubeconfig's verifies the server
    // (an override of --certificate-authority replaces the kubeconfig's certificate-authority-data).
    const fromMap = h.file("ca-from-configmap.crt", (await h.kubectl(["get", "configmap", "kube-root-ca.crt", "-o", "jsonpath={.data.ca\\.crt}"])).out);
    const ok = await h.kubectl(["--certificate-authority", fromMap, "get", "namespace", "team", "-o", "name"]);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(ok.out, "namespace/team\n");
    // The simulated CA does not: the check is real.
    const simulated = h.file("simulated-ca.crt", CLUSTER_CA_PEM);
    const refused = await h.kubectl(["--certificate-authority", simulated, "get", "namespace", "team"]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /x509: certificate signed by unknown authority/);
  });
});
