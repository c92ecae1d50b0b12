import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";

// The byte-for-byte behaviour against the real kubectl is in src/kubectl/testdata/config-files.yaml
// (src/kubectl.transcripts.test.ts); these check what the transcripts cannot: the simulated
// kubeconfig ($HOME/.kube/config) and the shell's KUBECONFIG.

test("set-credentials --embed-certs with an empty --client-certificate embeds nothing for it and keeps going", async () => {
  const c = new Cluster();
  c.kubectlSync("openssl genrsa -out k.key 2048");
  const r = c.kubectlSync("kubectl config set-credentials u --embed-certs --client-certificate= --client-key=k.key");
  assert.deepEqual(r, { stdout: 'User "u" set.\n', stderr: "", exitCode: 0 });
  const u = c.kubeconfig.users.get("u")!;
  assert.equal(u["client-certificate"], undefined);
  assert.equal(u["client-certificate-data"], undefined);
  assert.match(Buffer.from(u["client-key-data"]!, "base64").toString(), /^-----BEGIN PRIVATE KEY-----/);
  await c.close();
});

test("$HOME/.kube/config is the simulated kubeconfig; a path in it is kept absolute (it would need ../)", async () => {
  const c = new Cluster();
  assert.equal(c.kubectlSync("kubectl config set-credentials dev --client-certificate=dev.crt").stdout, 'User "dev" set.\n');
  assert.equal(c.kubeconfig.users.get("dev")?.["client-certificate"], "/root/dev.crt");
  assert.equal(c.kubectlSync("kubectl config delete-user dev").stdout, "deleted user dev from /root/.kube/config\n");
  assert.equal(c.kubectlSync("kubectl --kubeconfig=/root/.kube/config config get-contexts -o name").stdout, "kube-scenario\n");
  await c.close();
});

test("the shell's KUBECONFIG: merged views, writes to the files, and unset again", async () => {
  const c = new Cluster();
  c.kubectlSync("kubectl config --kubeconfig=demo set-context dev --cluster=development --namespace=frontend");
  assert.equal(c.kubectlSync("cat demo").stdout.includes("namespace: frontend"), true);
  c.kubectlSync('export KUBECONFIG="${KUBECONFIG}:demo:${HOME}/.kube/config"');
  assert.equal(c.kubectlSync("kubectl config get-contexts -o name").stdout, "dev\nkube-scenario\n");
  // The first file that exists is where a new entry goes.
  c.kubectlSync("kubectl config set-context extra --cluster=x");
  assert.match(c.kubectlSync("cat demo").stdout, /name: extra/);
  assert.equal(c.kubeconfig.contexts.has("extra"), false);
  // The simulated file defines kube-scenario: its change goes there.
  c.kubectlSync("kubectl config set-context kube-scenario --namespace=team-a");
  assert.equal(c.kubeconfig.namespaceOf(), "team-a");
  c.kubectlSync('export KUBECONFIG=""');
  assert.equal(c.kubectlSync("kubectl config get-contexts -o name").stdout, "kube-scenario\n");
  await c.close();
});
