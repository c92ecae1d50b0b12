/**
 * Transcripts of the real kubectl: YAML files under `src/kubectl/testdata/` that record what
 * kubectl v1.32 printed for a sequence of commands against `kube-scenario serve` (recorded by
 * `scripts/kubectl-record.ts`), replayed by unit tests against the in-process kubectl, which must
 * print the same bytes. A transcript:
 *
 *   recorded: kubectl v1.32.4 against kube-scenario serve (scripts/kubectl-record.ts)
 *   kubeconfig: /tmp/kubectl-record/kubeconfig     # the file kubectl's messages name
 *   server: http://127.0.0.1:16443                 # the server URL in it
 *   nodes: [k8s-node1]
 *   files: { cm.env: "A=1\n" }                      # files the commands read, by relative path
 *   steps:
 *   - apply: |                                      # kubectl apply -f - of a manifest, unrecorded
 *       ...
 *   - advance: 30s                                  # simulated time passes
 *   - sh: cat config-demo                           # a shell command line (a file kubectl wrote)
 *   - run: config view                              # a kubectl command line and its outcome
 *     stdout: |
 *       ...
 *     stderr: ""
 *     exit: 0
 *
 * `ignore` on a step lists regular expressions whose matches are blanked in both outputs before
 * they are compared (ages the real kubectl computes from the wall clock, say). klog's line headers
 * (`E1205 07:54:50.980119   30944 run.go:72] ...`: wall time and process id) are always blanked.
 */
import { parse } from "yaml";

export interface TranscriptStep {
  run?: string;
  /** A command line of the user's shell (`cat config-demo`: a file kubectl wrote), recorded with bash. */
  sh?: string;
  stdout?: string;
  stderr?: string;
  exit?: number;
  apply?: string;
  advance?: string;
  ignore?: string[];
  /** Keep kubectl's `memcache.go` lines in the recorded stderr (the recorder drops them otherwise). */
  memcache?: boolean;
}

export interface Transcript {
  recorded?: string;
  kubeconfig?: string;
  server?: string;
  nodes?: string[];
  files?: Record<string, string>;
  steps: TranscriptStep[];
}

export function parseTranscript(text: string): Transcript {
  const t = parse(text) as Transcript;
  if (!t || !Array.isArray(t.steps)) throw new Error("a transcript needs a list of steps");
  return t;
}

/** Blanks what a step says to ignore. */
const KLOG_HEADER = /^[IWE]\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm;

export function blank(text: string, ignore: string[] | undefined): string {
  // A resourceVersion counts every write the cluster made before the command (leases, nodes, the
  // controllers' status updates): opaque to clients, and not what a transcript checks.
  let out = text.replace(KLOG_HEADER, "<klog> ").replace(/^(\s*"?resourceVersion"?: )"\d+"/gm, '$1"<rv>"');
  for (const re of ignore ?? []) out = out.replace(new RegExp(re, "gm"), "<ignored>");
  return out;
}
