/**
 * `kubectl set subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname]
 * [--serviceaccount=namespace:serviceaccountname]` (k8s.io/kubectl/pkg/cmd/set/set_subject.go):
 * adds subjects to a RoleBinding or ClusterRoleBinding — users, then groups, then service accounts,
 * each list sorted and without repeats (sets.NewString(...).List()), a subject already bound left
 * where it is. An object that gains nothing is skipped without a word (exit 0: kubectl v1.32.4
 * does this; the `info: ... was not changed` error of older versions is gone); prints
 * `<type>/<name> subjects updated`.
 */
import { KubectlError, type CommandDef, type Invocation } from "../command.ts";
import { runSetPatches, SET_FLAGS, setTargets } from "./sethelper.ts";

interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

const sortedSet = (xs: string[]) => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** rbacv1.Subject equality (`v == item`): every field, an absent one equal to "". */
const same = (a: Subject, b: Subject) => a.kind === b.kind && (a.apiGroup ?? "") === (b.apiGroup ?? "") && a.name === b.name && (a.namespace ?? "") === (b.namespace ?? "");

function runSetSubject(inv: Invocation): number {
  const f = inv.flags;
  const users: string[] = f.user ?? [];
  const groups: string[] = f.group ?? [];
  const accounts: string[] = f.serviceaccount ?? [];
  const targets = setTargets(inv, inv.args);
  // Validate.
  if (f.all && f.selector) throw new KubectlError("cannot set --all and --selector at the same time");
  if (users.length === 0 && groups.length === 0 && accounts.length === 0) throw new KubectlError("you must specify at least one value of user, group or serviceaccount");
  for (const sa of accounts) {
    const tokens = sa.split(":");
    if (tokens.length !== 2 || tokens[1] === "") throw new KubectlError("serviceaccount must be <namespace>:<name>");
    if (tokens[0] === "" && targets.items.some((t) => t.obj.kind === "ClusterRoleBinding")) {
      throw new KubectlError("serviceaccount must be <namespace>:<name>, namespace must be specified");
    }
  }
  const wanted: Subject[] = [
    ...sortedSet(users).map((name) => ({ kind: "User", apiGroup: "rbac.authorization.k8s.io", name })),
    ...sortedSet(groups).map((name) => ({ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name })),
    ...sortedSet(accounts).map((sa) => {
      const [ns, name] = sa.split(":") as [string, string];
      return { kind: "ServiceAccount", name, namespace: ns || inv.namespace };
    }),
  ];
  return runSetPatches(
    inv,
    targets,
    "subjects updated",
    "failed to patch subjects to rolebinding: ",
    (obj) => {
      if (obj.kind !== "RoleBinding" && obj.kind !== "ClusterRoleBinding") throw new KubectlError("setting subjects is only supported for RoleBinding/ClusterRoleBinding");
      // addSubjects: each wanted subject not yet bound is appended (checked against the subjects as read).
      const existing: Subject[] = (obj.subjects as Subject[] | undefined) ?? [];
      const added = wanted.filter((w) => !existing.some((e) => same(e, w)));
      if (added.length) obj.subjects = [...existing, ...added];
    },
  );
}

export const setSubjectCommand: CommandDef = {
  path: ["set", "subject"],
  flags: [
    ...SET_FLAGS,
    { long: "user", type: "stringArray" },
    { long: "group", type: "stringArray" },
    { long: "serviceaccount", type: "stringArray" },
  ],
  run: runSetSubject,
};
