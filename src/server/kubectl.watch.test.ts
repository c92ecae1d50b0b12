/**
 * `kubectl get -w` in a terminal of its own (src/kubectl/commands/getwatch.ts) against the real
 * kubectl v1.32 watching the same simulated cluster through the facade: the same rows, line for
 * line, in the same columns (liggitt/tabwriter's RememberWidths), for the same events. Only the AGE
 * column differs: the real kubectl computes it when its event arrives over HTTP, after the
 * simulated span has passed, where ours prints at the instant of the event.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_KUBECTL, withKubectl, until } from "./testutil.ts";

const POD = (name: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: w}}\nspec:\n  containers: [{name: c, image: ${image}}]\n`;
/** Each line without its last column (AGE), trailing spaces kept: the padding before it is the columns' widths. */
const withoutAge = (out: string) => out.trimEnd().split("\n").map((l) => l.replace(/\S+$/, ""));
/**
 * With -o wide AGE is not the last column, and its text (ours at the event, the real one later)
 * moves the columns after it: each line's words without the AGE cell (the header's fifth word).
 */
const wordsWithoutAge = (out: string) => {
  const lines = out.trimEnd().split("\n").map((l) => l.trim().split(/\s+/));
  const at = lines[0]!.indexOf("AGE");
  return lines.map((w) => w.filter((_, i) => i !== at));
};

for (const args of [["get", "pods", "-w"], ["get", "pods", "-w", "--output-watch-events"], ["get", "pods", "--watch-only", "-l", "app=w"], ["get", "pods", "-w", "-o", "wide"]]) {
  test(`kubectl ${args.join(" ")}: the real kubectl's rows and columns`, { skip: NO_KUBECTL, timeout: 90_000 }, async (t) => {
    await withKubectl(t, async (h) => {
      const { cluster } = h;
      cluster.applySync(POD("a", "busybox").replace("image: busybox}", "image: busybox, command: [sleep, '3600']}").replace("labels: {app: w}", "labels: {app: other}"));
      cluster.advanceSync(40_000);
      const real = h.kubectlStream(args);
      const safety = AbortSignal.timeout(60_000);
      if (!args.includes("--watch-only")) await real.waitFor(/^(ADDED\s+)?a\s.*\n/m, safety);
      // --watch-only prints nothing at first: wait until its watch is open on the facade (1.5 s of wall time was too short under load).
      else await until(() => h.server.openWatches === 1, "kubectl's watch", safety);
      const ours = cluster.startKubectl(args);
      cluster.applySync(POD("long-name-pod-b", "nginx"));
      cluster.advanceSync(8_000);
      cluster.api.delete("Pod", "default", "long-name-pod-b");
      cluster.advanceSync(40_000);
      const mine = ours.stop().stdout;
      const lines = mine.trimEnd().split("\n").length;
      // The real kubectl has printed the same number of lines once every event reached it.
      await real.waitFor(new RegExp(`^(?:.*\\n){${lines}}`), safety);
      const { out } = await real.stop();
      const same = args.includes("wide") ? wordsWithoutAge : withoutAge;
      assert.deepEqual(same(mine), same(out), `ours:\n${mine}\nreal kubectl:\n${out}`);
      assert.ok(!ours.running);
    });
  });
}

// get.go's watch prints each object with the printer alone: a template per event (no newline of
// its own), YAML with `---` between objects, JSON one object after another.
for (const output of ['go-template={{.metadata.name}} {{.status.phase}} {{.metadata.deletionTimestamp}}{{"\\n"}}', "jsonpath={.metadata.name}:{.metadata.finalizers}", "yaml", "json"]) {
  test(`kubectl get pod b -w -o ${output.split("=")[0]}: the real kubectl's output, object by object`, { skip: NO_KUBECTL, timeout: 90_000 }, async (t) => {
    await withKubectl(t, async (h) => {
      const { cluster } = h;
      cluster.applySync(POD("b", "nginx"));
      cluster.advanceSync(20_000);
      const args = ["get", "pod", "b", "-w", "-o", output];
      const real = h.kubectlStream(args);
      const safety = AbortSignal.timeout(60_000);
      await real.waitFor(/b/, safety);
      await new Promise((r) => setTimeout(r, 1500)); // the real watch is established after its first print
      const ours = cluster.startKubectl(args);
      cluster.kubectlSync("kubectl delete pod b --wait=false");
      cluster.advanceSync(40_000);
      const mine = ours.stop().stdout;
      const deletions = mine.split(output === "json" ? '"deletionTimestamp"' : output === "yaml" ? "deletionTimestamp:" : "T00:").length - 1;
      assert.ok(deletions >= 2 || output.startsWith("jsonpath"), `ours shows the deletion:\n${mine}`);
      await real.waitFor(new RegExp(mine.length > 0 ? `[\\s\\S]{${mine.length}}` : ""), safety);
      const { out } = await real.stop();
      // The facade shifts the timestamps it serves to the wall clock (src/server/timeshift.ts).
      const times = (t: string) => t.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, "<time>");
      assert.equal(times(mine), times(out), `ours:\n${mine}\nreal kubectl:\n${out}`);
    });
  });
}
