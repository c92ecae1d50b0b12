import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJobs, relabel } from "./scrape.ts";
import { readFileSync } from "node:fs";
import { parse } from "yaml";

// model/relabel's semantics (relabel.go at v3.1.0): regexes anchored, ${1} expansion, an empty result deletes.
test("relabel: replace, keep, drop, hashmod, labelmap, labeldrop", () => {
  assert.deepEqual(relabel({ a: "foo", b: "bar" }, [{ source_labels: ["a"], regex: "f(.*)", target_label: "d", replacement: "ch${1}-ch${1}" }]), { a: "foo", b: "bar", d: "choo-choo" });
  assert.deepEqual(relabel({ a: "foo" }, [{ source_labels: ["a"], regex: "o", target_label: "d" }]), { a: "foo" }, "anchored: no match");
  assert.deepEqual(relabel({ a: "foo", d: "x" }, [{ source_labels: ["b"], target_label: "d" }]), { a: "foo" }, "an empty result deletes the target");
  assert.equal(relabel({ a: "foo" }, [{ action: "keep", source_labels: ["a"], regex: "bar" }]), undefined);
  assert.equal(relabel({ a: "foo" }, [{ action: "drop", source_labels: ["a"], regex: "f.*" }]), undefined);
  assert.deepEqual(relabel({ a: "foo" }, [{ action: "hashmod", source_labels: ["a"], target_label: "h", modulus: 1 }]), { a: "foo", h: "0" });
  // The last 8 bytes of md5("foo"), big-endian, modulo 1000 (relabel.go HashMod), computed independently with Python hashlib.
  assert.deepEqual(relabel({ a: "foo" }, [{ action: "hashmod", source_labels: ["a"], target_label: "h", modulus: 1000 }]), { a: "foo", h: "696" });
  assert.deepEqual(relabel({ __meta_x: "1", b: "2" }, [{ action: "labelmap", regex: "__meta_(.+)" }, { action: "labeldrop", regex: "__meta_.*" }]), { b: "2", x: "1" });
  assert.throws(() => relabel({}, [{ action: "lowercase" }]), /unknown relabel action/);
});

test("the operator's generated configuration becomes one job; the default timeout; other discoveries refused", () => {
  const text = readFileSync(new URL("./testdata/MatchExpressionsServiceMonitor.golden", import.meta.url), "utf8").replace("$(SHARD)", "0");
  const jobs = parseJobs(text);
  assert.ok(!(jobs instanceof Error));
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0]!.name, "serviceMonitor/default/test/0");
  assert.equal(jobs[0]!.interval, "30s");
  assert.equal(jobs[0]!.timeout, "10s");
  assert.deepEqual(jobs[0]!.sd, [{ role: "endpoints", namespaces: ["default"] }]);
  assert.equal(((parse(text) as { scrape_configs: Array<{ relabel_configs: unknown[] }> }).scrape_configs[0]!.relabel_configs).length, jobs[0]!.relabel.length);
  assert.match((parseJobs("scrape_configs:\n- job_name: x\n  dns_sd_configs: [{names: [a]}]\n") as Error).message, /dns_sd_configs is not modelled/);
  assert.match((parseJobs("scrape_configs:\n- job_name: x\n  kubernetes_sd_configs: [{role: node}]\n") as Error).message, /role "node" is not modelled/);
});
