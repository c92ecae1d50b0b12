/**
 * `kubernetes_build_info` (k8s.io/component-base/metrics/version.go, RegisterBuildInfo): an ALPHA
 * gauge of constant 1 labelled with the binary's version.Info, which every component registers.
 * The simulated components are the v1.32.0 build /version reports (../version.ts).
 */
import { versionInfo } from "../version.ts";
import { help, type MetricFamily } from "./textformat.ts";

export function buildInfoFamily(): MetricFamily {
  const v = versionInfo();
  return {
    name: "kubernetes_build_info",
    help: help(
      "ALPHA",
      "A metric with a constant '1' value labeled by major, minor, git version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, and platform on which it is running.",
    ),
    type: "gauge",
    samples: [
      {
        labels: {
          major: v.major,
          minor: v.minor,
          git_version: v.gitVersion,
          git_commit: v.gitCommit,
          git_tree_state: v.gitTreeState,
          build_date: v.buildDate,
          go_version: v.goVersion,
          compiler: v.compiler,
          platform: v.platform,
        },
        value: 1,
      },
    ],
  };
}
