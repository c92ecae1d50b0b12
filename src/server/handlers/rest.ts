/**
 * The facade's request scope: the shared REST handlers' (src/api/endpoints/handlers/rest.ts, which
 * kubectl proxy and the in-pod API server call too) with what only `kube-scenario serve` has, the
 * node:http request and response, the served Cluster and its open watches.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Cluster } from "../../cluster.ts";
import type { RequestScope as SharedScope } from "../../api/endpoints/handlers/rest.ts";

export {
  bodyFieldValidation,
  checkNamespaceAndName,
  decodeObject,
  decodePatched,
  decodeSubresourceObject,
  fieldPredicate,
  fieldValidation,
  isDryRun,
  labelPredicate,
  managerOf,
  parseJSON,
  parseObject,
  patchType,
  summarizeData,
  trackUpdate,
  wantsTable,
  type Result,
  type Route,
} from "../../api/endpoints/handlers/rest.ts";

export interface RequestScope extends SharedScope {
  cluster: Cluster;
  req: IncomingMessage;
  res: ServerResponse;
  /** Open watches, stopped when the server closes or resets. */
  watchers: Set<() => void>;
}
