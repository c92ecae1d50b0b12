/**
 * The facade's authentication of service-account tokens, impersonation (--as) and RBAC, through
 * the real kubectl (the texts are what kubectl v1.32.4 printed against it).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { withKubectl } from "./testutil.ts";
import { createToken } from "../api/registry/core/serviceaccount/token.ts";

test("a service account's token authenticates as the account and RBAC authorizes its requests; --as impersonates", async (t) => {
  await withKubectl(t, async ({ kubectl, cluster }) => {
    const token = createToken(cluster.api, "default", "default", {}).status.token;
    const sa = (args: string[]) => kubectl(["--token", token, ...args]);
    assert.deepEqual(await sa(["get", "pods"]), {
      code: 1,
      out: "",
      err: 'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"\n',
    });
    const who = await sa(["auth", "whoami"]);
    assert.match(who.out, /^ATTRIBUTE +VALUE\nUsername +system:serviceaccount:default:default\nUID +[0-9a-f-]{36}\nGroups +\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]\nExtra: authentication.kubernetes.io\/credential-id +\[JTI=[0-9a-f-]{36}\]\n$/);
    assert.equal((await kubectl(["create", "rolebinding", "rb", "--clusterrole=view", "--serviceaccount=default:default"])).code, 0);
    assert.deepEqual(await sa(["get", "pods"]), { code: 0, out: "", err: "No resources found in default namespace.\n" });
    assert.equal((await sa(["auth", "can-i", "list", "secrets"])).out, "no\n");
    // The account may not impersonate; the admin may.
    assert.equal(
      (await sa(["get", "pods", "--as=jane"])).err,
      'Error from server (Forbidden): users "jane" is forbidden: User "system:serviceaccount:default:default" cannot impersonate resource "users" in API group "" at the cluster scope\n',
    );
    assert.deepEqual(await kubectl(["auth", "can-i", "list", "pods", "--as=jane"]), { code: 1, out: "no\n", err: "" });
    assert.equal((await kubectl(["auth", "can-i", "list", "pods", "--as=system:serviceaccount:default:default"])).out, "yes\n");
    assert.equal((await kubectl(["auth", "can-i", "list", "nodes"])).err, "Warning: resource 'nodes' is not namespace scoped\n\n");
    // A token that is no service account's (or no longer valid) is 401.
    assert.equal((await kubectl(["--token", "not.a.token", "get", "pods"])).err, "error: You must be logged in to the server (Unauthorized)\n");
    cluster.api.delete("ServiceAccount", "default", "default");
    cluster.clock.settle();
    assert.equal((await sa(["get", "pods"])).err, "error: You must be logged in to the server (Unauthorized)\n");
  });
});

test("a service account allowed to create Roles cannot grant what it does not hold (RBAC's escalation check), as on a real cluster", async (t) => {
  await withKubectl(t, async ({ kubectl, cluster }) => {
    assert.equal((await kubectl(["create", "role", "role-writer", "--verb=create", "--resource=roles"])).code, 0);
    assert.equal((await kubectl(["create", "rolebinding", "role-writer", "--role=role-writer", "--serviceaccount=default:default"])).code, 0);
    const token = createToken(cluster.api, "default", "default", {}).status.token;
    const r = await kubectl(["--token", token, "create", "role", "secrets", "--verb=get", "--resource=secrets"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^Error from server \(Forbidden\): roles\.rbac\.authorization\.k8s\.io "secrets" is forbidden: user "system:serviceaccount:default:default" \(groups=\["system:serviceaccounts" "system:serviceaccounts:default" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["get"\]\}\n$/);
    assert.equal(cluster.api.get("Role", "default", "secrets"), undefined);
    // What it holds it may grant.
    assert.equal((await kubectl(["--token", token, "create", "role", "more-writers", "--verb=create", "--resource=roles"])).code, 0);
  });
});
