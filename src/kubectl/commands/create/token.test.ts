// kubectl create token and kubectl describe serviceaccount; the expected texts are what kubectl
// v1.32.4 printed against the facade for the same commands (src/server/testutil.ts withKubectl).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../../cluster.ts";
import { decodeToken } from "../../../api/serviceaccount/jwt.ts";

function cluster(): Cluster {
  const c = new Cluster();
  c.applySync("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: build-robot\n");
  return c;
}

test("kubectl create token: the token alone (no newline, not a terminal), with the claims of the flags", () => {
  const c = cluster();
  const r = c.kubectlSync(["create", "token", "build-robot"]);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const now = Math.floor(c.clock.now() / 1000);
  const { claims } = decodeToken(r.stdout)!;
  assert.deepEqual([claims.aud, Number(claims.exp) - now, claims.sub], [["https://kubernetes.default.svc.cluster.local"], 3600, "system:serviceaccount:default:build-robot"]);
  const v = decodeToken(c.kubectlSync(["create", "token", "build-robot", "--duration", "2h", "--audience", "vault", "--audience", "https://example.com"]).stdout)!.claims;
  assert.deepEqual([v.aud, Number(v.exp) - Number(v.iat)], [["vault", "https://example.com"], 7200]);
  c.applySync("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: Opaque\n");
  const b = decodeToken(c.kubectlSync(["create", "token", "build-robot", "--bound-object-kind", "Secret", "--bound-object-name", "s"]).stdout)!.claims;
  assert.deepEqual((b["kubernetes.io"] as Record<string, unknown>).secret, { name: "s", uid: c.api.get("Secret", "default", "s")!.metadata.uid });
  c.kubectlSync(["create", "namespace", "team-a"]);
  const ns = decodeToken(c.kubectlSync(["create", "token", "default", "-n", "team-a"]).stdout)!.claims;
  assert.equal(ns.sub, "system:serviceaccount:team-a:default");
});

test("kubectl create token -o yaml and -o name: the TokenRequest", () => {
  const c = cluster();
  const y = c.kubectlSync(["create", "token", "build-robot", "--duration", "10m", "--audience", "vault", "-o", "yaml"]);
  assert.match(
    y.stdout,
    /^apiVersion: authentication\.k8s\.io\/v1\nkind: TokenRequest\nmetadata:\n {2}creationTimestamp: "2024-01-08T00:00:00Z"\n {2}name: build-robot\n {2}namespace: default\nspec:\n {2}audiences:\n {2}- vault\n {2}expirationSeconds: 600\nstatus:\n {2}expirationTimestamp: "2024-01-08T00:10:00Z"\n {2}token: [\w-]+\.[\w-]+\.[\w-]+\n$/,
  );
  assert.equal(c.kubectlSync(["create", "token", "build-robot", "-o", "name"]).stdout, "tokenrequest.authentication.k8s.io/build-robot\n");
});

test("kubectl create token: kubectl's own checks and the server's refusals, as kubectl v1.32.4 prints them", () => {
  const c = cluster();
  const cases: Array<[string[], string]> = [
    [["create", "token", "nobody"], 'error: failed to create token: serviceaccounts "nobody" not found\n'],
    [["create", "token", "build-robot", "--duration", "1m"], 'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n'],
    [["create", "token", "build-robot", "--duration", "1.5s"], "error: --duration cannot be expressed in units less than seconds\n"],
    [["create", "token", "build-robot", "--bound-object-kind", "Deployment", "--bound-object-name", "x"], "error: supported --bound-object-kind values are Node, Pod, Secret\n"],
    [["create", "token", "build-robot", "--bound-object-kind", "Pod", "--bound-object-name", "x"], 'error: failed to create token: pods "x" not found\n'],
    [["create", "token", "build-robot", "--bound-object-name", "x"], "error: --bound-object-name can only be set if --bound-object-kind is provided\n"],
    [["create", "token", "build-robot", "--bound-object-kind", "Pod"], "error: --bound-object-name is required if --bound-object-kind is provided\n"],
    [["create", "token", "build-robot", "--audience", ""], "error: --audience must not be an empty string\n"],
    [["create", "token"], "error: exactly one NAME is required, got 0\nSee 'kubectl create token -h' for help and examples\n"],
  ];
  for (const [args, stderr] of cases) {
    const r = c.kubectlSync(args);
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [1, "", stderr], args.join(" "));
  }
});

test("kubectl describe serviceaccount: v1.32's layout; tokens are the Secrets naming the account and its uid; missing pull secrets marked", () => {
  const c = cluster();
  assert.equal(
    c.kubectlSync(["describe", "sa", "build-robot"]).stdout,
    "Name:                build-robot\nNamespace:           default\nLabels:              <none>\nAnnotations:         <none>\nImage pull secrets:  <none>\nMountable secrets:   <none>\nTokens:              <none>\nEvents:              <none>\n",
  );
  c.applySync("apiVersion: v1\nkind: Secret\nmetadata:\n  name: build-robot-secret\n  annotations:\n    kubernetes.io/service-account.name: build-robot\ntype: kubernetes.io/service-account-token\n");
  c.advanceSync("1s");
  c.kubectlSync(["patch", "serviceaccount", "build-robot", "-p", '{"imagePullSecrets": [{"name": "myregistrykey"}, {"name": "build-robot-secret"}], "secrets": [{"name": "build-robot-secret"}]}']);
  assert.equal(
    c.kubectlSync(["describe", "serviceaccounts", "build-robot"]).stdout,
    "Name:                build-robot\nNamespace:           default\nLabels:              <none>\nAnnotations:         <none>\n" +
      "Image pull secrets:  myregistrykey (not found)\n                     build-robot-secret\nMountable secrets:   build-robot-secret\nTokens:              build-robot-secret\nEvents:              <none>\n",
  );
  assert.equal(c.kubectlSync(["get", "sa"]).stdout, "NAME          SECRETS   AGE\nbuild-robot   1         1s\ndefault       0         1s\n");
});
