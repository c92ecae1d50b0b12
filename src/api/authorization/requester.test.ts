import { test } from "node:test";
import assert from "node:assert/strict";
import { asRequester, controllerRequester, currentRequester, KUBE_CONTROLLER_MANAGER, nodeRequester, requestUserInfo } from "./requester.ts";
import { KUBERNETES_ADMIN } from "./user.ts";

test("the requester: the admin outside any request, the innermost one inside, restored after a throw", () => {
  const jane = { name: "jane", groups: ["dev"] };
  assert.equal(currentRequester(), KUBERNETES_ADMIN);
  asRequester(jane, () => {
    assert.equal(currentRequester(), jane);
    assert.throws(() => asRequester(KUBE_CONTROLLER_MANAGER, () => {
      assert.equal(currentRequester(), KUBE_CONTROLLER_MANAGER);
      throw new Error("x");
    }));
    assert.equal(currentRequester(), jane);
  });
  assert.equal(currentRequester(), KUBERNETES_ADMIN);
});

test("controllers authenticate as their kube-system service accounts (controller_policy.go's names), others as kube-controller-manager", () => {
  const sa = (c: string) => controllerRequester(c).name;
  assert.equal(sa("replicaset-controller"), "system:serviceaccount:kube-system:replicaset-controller");
  assert.equal(sa("daemonset-controller"), "system:serviceaccount:kube-system:daemon-set-controller");
  assert.equal(sa("endpoints-controller"), "system:serviceaccount:kube-system:endpoint-controller");
  assert.equal(sa("garbage-collector-controller"), "system:serviceaccount:kube-system:generic-garbage-collector");
  assert.equal(sa("taint-eviction-controller"), "system:serviceaccount:kube-system:node-controller");
  assert.equal(sa("persistentvolume-binder-controller"), "system:serviceaccount:kube-system:persistent-volume-binder");
  assert.equal(sa("serviceaccount-token-controller"), "system:kube-controller-manager");
  assert.equal(sa("kubernetes-service"), "system:apiserver");
  assert.equal(sa("no-such-controller"), "system:kube-controller-manager");
  assert.deepEqual(controllerRequester("job-controller").groups, ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"]);
  assert.equal(controllerRequester("job-controller"), controllerRequester("job-controller"), "one object per controller");
  assert.deepEqual(nodeRequester("n1"), { name: "system:node:n1", groups: ["system:nodes", "system:authenticated"] });
});

test("authenticationv1.UserInfo as admission sends it: username, uid, groups, extra, the empty ones left out; copies", () => {
  assert.deepEqual(requestUserInfo(), { username: "kubernetes-admin", groups: ["kubeadm:cluster-admins", "system:authenticated"] });
  const extra = { "authentication.kubernetes.io/credential-id": ["JTI=1"] };
  const u = { name: "system:serviceaccount:a:b", uid: "u1", groups: ["g"], extra };
  const info = requestUserInfo(u);
  assert.deepEqual(Object.keys(info), ["username", "uid", "groups", "extra"]);
  assert.deepEqual(info.extra, extra);
  assert.notEqual(info.extra, extra);
  assert.deepEqual(requestUserInfo({ name: "x", groups: [], extra: {} }), { username: "x" });
});
