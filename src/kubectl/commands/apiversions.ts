/**
 * `kubectl api-versions` (staging/src/k8s.io/kubectl/pkg/cmd/apiresources/apiversions.go): every
 * group version the server's discovery lists (metav1.ExtractGroupVersions of ServerGroups: the
 * core `v1`, every version of the built-in groups, the custom resources' groups and the aggregated
 * metrics.k8s.io/v1beta1 while metrics-server runs), sorted as Go's sort.Strings sorts them.
 */
import { DISCOVERY } from "../../api/resources.ts";
import { KubectlError, type CommandDef } from "../command.ts";
import { METRICS_API_VERSION } from "../../metrics/api.ts";
import { metricsServer } from "../../metrics/server.ts";

export const apiVersionsCommand: CommandDef = {
  path: ["api-versions"],
  flags: [],
  run(inv) {
    if (inv.args.length > 0) throw new KubectlError(`unknown command "${inv.args[0]}" for "kubectl api-versions"`);
    const versions = new Set<string>(["v1"]);
    for (const g of DISCOVERY.groups) for (const v of g.versions) versions.add(v.groupVersion);
    for (const r of inv.ctx.api.registry.resources()) if (r.crd) versions.add(`${r.group}/${r.version}`);
    if (metricsServer(inv.ctx)) versions.add(METRICS_API_VERSION);
    for (const v of [...versions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) inv.out(v);
    return 0;
  },
};
