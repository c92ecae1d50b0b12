import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../cluster.ts";
import { requestAndWait } from "../../network/traffic.ts";
import { modelFiles } from "../catalogue.ts";
import { ARGOCD_BINARY } from "./argocd.ts";

const IMAGE = "quay.io/argoproj/argocd:v3.3.0";

function cluster(): Cluster {
  const c = new Cluster();
  c.addNodesFromTable([{ name: "kind-worker" }]);
  return c;
}

/** A service account allowed to create and get Secrets in default (the install's argocd-redis Role), or none. */
function rbac(allowed: boolean): string {
  const role = allowed
    ? `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get, create]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: r}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: sa, namespace: default}]\n`
    : "";
  return `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n${role}`;
}

test("the image's /usr/local/bin/argocd is the binary the model recognises when another image runs a copy", () => {
  assert.equal(modelFiles("argocd")?.["/usr/local/bin/argocd"], ARGOCD_BINARY);
});

test("argocd admin redis-initial-password creates the Secret argocd-redis once, as its service account", () => {
  const c = cluster();
  const pod = (name: string) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  serviceAccountName: sa\n  restartPolicy: Never\n  containers:\n  - name: init\n    image: ${IMAGE}\n    command: [argocd, admin, redis-initial-password]\n`;
  c.applySync(rbac(true) + pod("a"));
  c.advanceSync(30_000);
  assert.equal(c.api.get("Pod", "default", "a")!.status!.phase, "Succeeded");
  assert.equal(c.kubectlSync("logs a").stdout, "Checking for initial Redis password in secret default/argocd-redis at key auth. \nArgo CD Redis secret state confirmed: secret name argocd-redis.\nPassword secret is configured properly.\n");
  const auth = (c.api.get("Secret", "default", "argocd-redis") as { data?: Record<string, string> }).data!.auth!;
  assert.match(Buffer.from(auth, "base64").toString(), /^[a-zA-Z0-9]{16}$/);
  // A second run keeps the existing password.
  c.applySync(pod("b"));
  c.advanceSync(10_000);
  assert.equal(c.api.get("Pod", "default", "b")!.status!.phase, "Succeeded");
  assert.equal((c.api.get("Secret", "default", "argocd-redis") as { data?: Record<string, string> }).data!.auth, auth);
});

test("without RBAC for Secrets the init container fails with the API server's Forbidden", () => {
  const c = cluster();
  c.applySync(`${rbac(false)}---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  serviceAccountName: sa\n  restartPolicy: Never\n  containers:\n  - name: init\n    image: ${IMAGE}\n    command: [argocd, admin, redis-initial-password]\n`);
  c.advanceSync(30_000);
  assert.equal(c.api.get("Pod", "default", "a")!.status!.phase, "Failed");
  assert.match(c.kubectlSync("logs a").stdout, /level=fatal msg="secrets is forbidden: User \\"system:serviceaccount:default:sa\\" cannot create resource \\"secrets\\" in API group \\"\\" in the namespace \\"default\\""/);
});

test("the components listen on their default ports behind tini; cp and ln copy the binary; a copy runs in the Dex image", () => {
  const c = cluster();
  c.applySync(`apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  volumes: [{name: shared, emptyDir: {}}]\n  initContainers:\n  - name: copyutil\n    image: ${IMAGE}\n    command: [sh, -c, "/bin/cp -n /usr/local/bin/argocd /shared/argocd-dex && /bin/ln -s /shared/argocd-dex /shared/link && /bin/cp --update=none /usr/local/bin/argocd /shared/argocd-dex"]\n    volumeMounts: [{name: shared, mountPath: /shared}]\n  containers:\n  - name: server\n    image: ${IMAGE}\n    args: [/usr/local/bin/argocd-notifications]\n  - name: dex\n    image: ghcr.io/dexidp/dex:v2.43.0\n    command: [/shared/argocd-dex, rundex]\n    volumeMounts: [{name: shared, mountPath: /shared}]\n`);
  c.advanceSync(60_000);
  const pod = c.api.get("Pod", "default", "s")!;
  assert.equal(pod.status!.phase, "Running", JSON.stringify(pod.status));
  const o = requestAndWait(c.ctx, `http://${pod.status!.podIP}:9001/metrics`).outcome;
  assert.ok(o.ok && o.status === 200);
  assert.match(c.kubectlSync("logs s -c dex").stdout, /^time="[^"]+" level=info msg="dex is not configured"\n$/);
  assert.equal(c.kubectlSync(["exec", "s", "-c", "dex", "--", "cat", "/shared/link"]).stdout, ARGOCD_BINARY);
  // Without the copy the Dex container's command does not exist.
  const r = c.kubectlSync(["exec", "s", "-c", "server", "--", "cp", "/nope", "/tmp/x"]);
  assert.equal(r.stderr, "cp: cannot stat '/nope': No such file or directory\ncommand terminated with exit code 1\n");
});
