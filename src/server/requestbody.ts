/**
 * Request bodies as kube-apiserver takes them:
 *  - at most 3 MiB (MaxRequestBodyBytes, staging/src/k8s.io/apiserver/pkg/server/config.go), read
 *    by limitedReadBody (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go); a longer one
 *    is refused with `413 Request entity too large: limit is 3145728` before it is held in memory;
 *  - only in the media types the API server decodes (negotiation.NegotiateInputSerializer; the
 *    patch types of PatchResource, staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go),
 *    else `415 the body of the request was in an unknown format - accepted media types include: …`
 *    (negotiation/errors.go). A missing Content-Type is JSON, as upstream takes the first
 *    serializer. So a web page's cross-site form or `text/plain` POST creates nothing.
 */
import type { IncomingMessage } from "node:http";
import { ApiError } from "../api/errors.ts";
import type { RequestInfo } from "./requestinfo.ts";

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** What create and update decode (the API server's serializers, CBOR being off in v1.32). */
export const BODY_MEDIA_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
/** What PATCH takes for built-in kinds, in the order the installer lists them. */
export const PATCH_MEDIA_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];

export function requestEntityTooLarge(limit = MAX_REQUEST_BODY_BYTES): ApiError {
  return new ApiError("RequestEntityTooLarge", `Request entity too large: limit is ${limit}`);
}

export function unsupportedMediaType(accepted: string[]): ApiError {
  return new ApiError("UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`);
}

/** The media type of a Content-Type header, without parameters, lower-cased ("" when absent). */
export function mediaTypeOf(contentType: string | undefined): string {
  return String(contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Whether the request carries a body (Content-Length above 0, or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  if (length !== undefined) return Number(length) > 0;
  return req.headers["transfer-encoding"] !== undefined;
}

/**
 * The content-type check, before the body is read: the media types a verb's body may have.
 * Throws the 415 ApiError. Requests without a body (GET, most DELETEs) pass.
 */
export function checkContentType(req: IncomingMessage, info: RequestInfo): void {
  const method = req.method ?? "GET";
  const bodied = method === "POST" || method === "PUT" || method === "PATCH" || (method === "DELETE" && hasBody(req));
  if (!bodied) return;
  const type = mediaTypeOf(req.headers["content-type"]);
  if (method === "PATCH" && info.isResourceRequest) {
    if (!PATCH_MEDIA_TYPES.includes(type)) throw unsupportedMediaType(PATCH_MEDIA_TYPES);
    return;
  }
  if (type === "" || BODY_MEDIA_TYPES.includes(type)) return;
  throw unsupportedMediaType(BODY_MEDIA_TYPES);
}

/**
 * The whole body, or the 413 ApiError once it passes `limit` bytes: a Content-Length
 * above the limit is refused before anything is read, and a longer body stops being kept at
 * limit + 1 bytes. The rest is read and dropped (nothing of it is held), so that the client, still
 * sending, gets the answer rather than a reset connection.
 */
export function readLimitedBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > limit) {
      tooLarge(req);
      reject(requestEntityTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        req.off("data", onData);
        tooLarge(req);
        reject(requestEntityTooLarge(limit));
        return;
      }
      chunks.push(c);
    };
    req.on("data", onData);
    req.on("end", () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, size));
    });
    // A client gone before the end of its body (the connection closed or reset) is no fault of the
    // server's: Go's request body reads io.ErrUnexpectedEOF, and the handler's scope.err answers it
    // as a Status of no reason (500, written to a connection already gone), nothing logged beyond
    // the request's line. Reported as a fault, each abandoned request wrote a stack to stderr.
    const gone = () => {
      if (done) return;
      done = true;
      reject(clientGone());
    };
    req.on("error", gone);
    req.on("aborted", gone);
  });
}

/** What reading the body of a client gone half-way gives: Go's io.ErrUnexpectedEOF, as the Status ErrorToAPIStatus makes of it. */
export function clientGone(): ApiError {
  return new ApiError("", "unexpected EOF");
}

/** The rest of a refused body is read and dropped. */
function tooLarge(req: IncomingMessage): void {
  req.resume();
}
