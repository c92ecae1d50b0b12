import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "./cluster.ts";

// The user's machine behind a cluster's kubectl (src/cluster.ts, UserMachine) makes its files when
// first reached, not with kubectl's context: what a session sees must be what a machine made with
// the context shows (the reference engine makes it then), times included.
function session(reference: boolean): string[] {
  const c = new Cluster({ reference });
  const out: string[] = [];
  const run = (line: string | string[]) => {
    const r = c.kubectlSync(line);
    out.push(`$ ${Array.isArray(line) ? line.join(" ") : line}\n${r.stdout}${r.stderr}exit ${r.exitCode}`);
  };
  run(["get", "pods"]); // the context is made here, the machine's files not yet
  run(["apply", "-f", "/dev/null"]); // read from the fresh machine's files
  run(["apply", "-f", "/tmp"]);
  c.advanceSync(3_600_000);
  run("ls -la / /root /dev"); // first reached an hour later: its directories keep the context's time
  run("echo hi > /tmp/x; ls -la /tmp");
  c.advanceSync(60_000);
  run("kubectl get ns -o name > ns.txt");
  run("ls -la");
  run("kubectl apply -f ns.txt");
  return out;
}

test("the user's machine made on first use shows what one made with kubectl's context shows", () => {
  const fast = session(false);
  assert.deepEqual(fast, session(true));
  assert.match(fast[3]!, /dev\n/);
  assert.match(fast[3]!, / Jan {2}8 00:00 null\n/);
  assert.match(fast[4]!, / Jan {2}8 01:00 x\n/);
});
