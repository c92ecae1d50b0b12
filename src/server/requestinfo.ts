/**
 * What a request is about (src/api/endpoints/request/requestinfo.ts, RequestInfoFactory), read from
 * node:http's request.
 */
import type { IncomingMessage } from "node:http";
import { requestInfoFor, type RequestInfo } from "../api/endpoints/request/requestinfo.ts";

export { authorizerAttributes, isLongRunning, isMutating, parseBool, requestInfoFor, type RequestInfo } from "../api/endpoints/request/requestinfo.ts";

export function requestInfoOf(req: IncomingMessage): RequestInfo {
  return requestInfoFor(req.method, req.url);
}
