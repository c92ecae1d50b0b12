/**
 * WATCH of a collection (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go): a chunked
 * stream of JSON watch events, one per line.
 */
import type { KObject } from "../../api/types.ts";
import { convertFromStorage } from "../../api/conversion/index.ts";
import { fieldPredicate, labelPredicate, type RequestScope } from "./rest.ts";

export function serveWatch(s: RequestScope): void {
  const { r, ns, query: q, res, cluster, watchers } = s;
  const labels = labelPredicate(q.get("labelSelector"));
  const fields = fieldPredicate(r, q.get("fieldSelector"));
  const matches = (o: KObject) => (!ns || o.metadata.namespace === ns) && (!labels || labels(o.metadata.labels ?? {})) && (!fields || fields(o));
  res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  const write = (type: string, object: KObject) => res.write(JSON.stringify({ type, object }) + "\n");
  const rv = q.get("resourceVersion");
  // Objects as the requested version shows them (they are stored in the storage version).
  if (!rv || rv === "0") for (const o of cluster.api.list(r.key, { namespace: ns })) if (matches(o)) write("ADDED", convertFromStorage(o, r));
  const unwatch = cluster.api.watch(r.key, (ev) => {
    if (matches(ev.object)) write(ev.type, convertFromStorage(ev.object, r));
  });
  const stop = () => {
    unwatch();
    watchers.delete(stop);
    res.end();
  };
  watchers.add(stop);
  res.on("close", stop);
  const timeout = Number(q.get("timeoutSeconds") ?? 0);
  if (timeout > 0) globalThis.setTimeout(stop, timeout * 1000).unref();
}
