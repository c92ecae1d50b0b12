/**
 * What the simulated API server answers at /version (k8s.io/apiserver/pkg/routes/version.go with
 * k8s.io/apimachinery/pkg/version.Info): Kubernetes v1.32.0's build, its fields in the struct's order
 * (the order `kubectl version -o json` and `kubectl get --raw /version` print them in). The in-process
 * kubectl is the same release, so `kubectl version` shows one build for client and server.
 */
export const GIT_VERSION = "v1.32.0";

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export function versionInfo(gitVersion = GIT_VERSION): VersionInfo {
  return {
    major: "1",
    minor: "32",
    gitVersion,
    gitCommit: "70d3cc986aa8221cd1dfb1121852688902d3bf53",
    gitTreeState: "clean",
    buildDate: "2024-12-11T18:04:20Z",
    goVersion: "go1.23.3",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

/**
 * The body of GET /version: responsewriters.WriteRawJSON, json.MarshalIndent with two spaces and no
 * trailing newline.
 */
export function versionBody(): string {
  return JSON.stringify(versionInfo(), null, 2);
}
