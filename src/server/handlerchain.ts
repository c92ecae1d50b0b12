/**
 * The filters every request passes before a handler sees it, in the order of kube-apiserver's
 * DefaultBuildHandlerChain (staging/src/k8s.io/apiserver/pkg/server/config.go), outermost first:
 *
 *  1. panic recovery (filters/wrap.go WithPanicRecovery): whatever a handler throws, synchronously
 *     or later, becomes an error answer (a 500 Status for errors that are no API status) and the
 *     server goes on serving; an answer already under way is cut off;
 *  2. Host and Origin checks (hostcheck.ts; where upstream has WithCORS): DNS rebinding and
 *     cross-site requests from web pages;
 *  3. authentication (endpoints/filters/authentication.go): the client certificate, the bearer
 *     token, service account tokens (authentication.ts);
 *  4. the in-flight limit (filters/maxinflight.go): 429 with Retry-After (maxinflight.ts);
 *  5. what the handlers check before decoding (handlers/rest.go, negotiation): the Content-Type
 *     (415) and, while the body is read, its size (413) (requestbody.ts);
 *  6. lists wait their turn (where upstream has API Priority and Fairness,
 *     filters/priority-and-fairness.go, which keeps a burst of one kind of request from starving
 *     the others): one list runs per turn of the event loop, so whatever arrived meanwhile (a
 *     create, a GET) is handled between two lists instead of behind all of them.
 *
 * WebSocket upgrades (pods/exec) pass the same checks, Origin included, before the handshake.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { ApiError } from "../api/errors.ts";
import { TokenAuthenticator, type X509Authenticator } from "./authentication.ts";
import { HostCheck } from "./hostcheck.ts";
import { DEFAULT_MAX_MUTATING_REQUESTS_IN_FLIGHT, DEFAULT_MAX_REQUESTS_IN_FLIGHT, MaxInFlightLimit } from "./maxinflight.ts";
import { abortResponse, reportError } from "./panicrecovery.ts";
import { checkContentType } from "./requestbody.ts";
import { requestInfoOf, type RequestInfo } from "./requestinfo.ts";
import { KubeletStreamError } from "./remotecommand.ts";
import type { UserInfo } from "../api/authorization/user.ts";

export interface FilterConfig {
  /** The bearer token requests must carry; undefined turns authentication off (--insecure-no-auth). */
  token?: string;
  /** Host names besides loopback ones that requests may be addressed to (--allowed-host). */
  allowedHosts?: string[];
  /** --max-requests-inflight (400; 0: no limit). */
  maxRequestsInFlight?: number;
  /** --max-mutating-requests-inflight (200; 0: no limit). */
  maxMutatingRequestsInFlight?: number;
  /**
   * A bearer token other than the server's: the user it authenticates (a service account's token),
   * or undefined (401). Requests of such a user are authorized (`authorize`); the server's token is
   * the cluster's admin, whose requests are not.
   */
  authenticateToken?: (token: string) => UserInfo | undefined;
  /** The client-certificate authenticator (the facade's CA as client CA); its users are authorized as token users are. */
  x509?: X509Authenticator;
  /** Where a failed authentication's error goes (kube-apiserver logs it; the client sees only 401 Unauthorized). */
  onAuthenticationError?: (err: string) => void;
  /**
   * WithImpersonation: the user the request's Impersonate-* headers name (after checking the
   * authenticated user, undefined for the admin, may impersonate them), or undefined without them.
   */
  impersonate?: (req: IncomingMessage, user: UserInfo | undefined) => UserInfo | undefined;
  /** WithAuthorization: throws the 403 when the user may not make the request. */
  authorize?: (user: UserInfo, info: RequestInfo) => void;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, info: RequestInfo) => void | Promise<void>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, info: RequestInfo) => void;
/** Writes an error as the API server's answer (a Status); may throw, which closes the connection. */
export type ErrorWriter = (res: ServerResponse, e: unknown) => void;
/** Writes an error answer on a socket that was to be upgraded. */
export type UpgradeErrorWriter = (socket: Duplex, e: unknown) => void;

export interface HandlerChain {
  onRequest(req: IncomingMessage, res: ServerResponse): void;
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** CONNECT requests (Node hands them over apart): the same checks, then 405 (no tunnels are served). */
  onConnect(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly inFlight: MaxInFlightLimit;
}

/** Errors that are answers (API statuses, the kubelet's refusals), not faults to report. */
const expected = (e: unknown) => e instanceof ApiError || e instanceof KubeletStreamError;

export function buildHandlerChain(handler: RequestHandler, upgrade: UpgradeHandler, writeError: ErrorWriter, writeUpgradeError: UpgradeErrorWriter, config: FilterConfig = {}): HandlerChain {
  const hosts = new HostCheck(config.allowedHosts);
  const authn = config.token !== undefined ? new TokenAuthenticator(config.token) : undefined;
  const inFlight = new MaxInFlightLimit(config.maxRequestsInFlight ?? DEFAULT_MAX_REQUESTS_IN_FLIGHT, config.maxMutatingRequestsInFlight ?? DEFAULT_MAX_MUTATING_REQUESTS_IN_FLIGHT);

  const fail = (req: IncomingMessage, res: ServerResponse, e: unknown) => {
    if (!expected(e)) reportError(`${req.method} ${req.url}`, e);
    try {
      if (res.headersSent || res.destroyed) return abortResponse(res);
      // A body left unread is read and dropped after the answer (Node does it), so the client gets the answer.
      writeError(res, e);
    } catch (e2) {
      reportError(`writing the error answer of ${req.method} ${req.url}`, e2);
      abortResponse(res);
    }
  };

  const run = (req: IncomingMessage, res: ServerResponse, info: RequestInfo) => {
    try {
      const p = handler(req, res, info);
      if (p) p.catch((e) => fail(req, res, e));
    } catch (e) {
      fail(req, res, e);
    }
  };
  const lists = new TurnQueue();

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    try {
      const info = requestInfoOf(req);
      hosts.checkHost(req);
      if (info.path.startsWith("/kube-scenario/")) hosts.checkOrigin(req);
      const authenticated = authn?.check(req, info.path, config.authenticateToken, config.x509, config.onAuthenticationError);
      const user = config.impersonate?.(req, authenticated) ?? authenticated;
      if (user) {
        info.user = user;
        config.authorize?.(user, info);
      }
      if (!inFlight.admit(info, res)) return;
      checkContentType(req, info);
      if (info.verb === "list") lists.push(() => (res.destroyed ? undefined : run(req, res, info)));
      else run(req, res, info);
    } catch (e) {
      fail(req, res, e);
    }
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets the connection must not leave an unhandled 'error' behind.
    socket.on("error", () => socket.destroy());
    try {
      const info = requestInfoOf(req);
      hosts.checkHost(req);
      hosts.checkOrigin(req);
      const authenticated = authn?.check(req, info.path, config.authenticateToken, config.x509, config.onAuthenticationError);
      const user = config.impersonate?.(req, authenticated) ?? authenticated;
      if (user) {
        info.user = user;
        config.authorize?.(user, info);
      }
      upgrade(req, socket, head, info);
    } catch (e) {
      if (!expected(e)) reportError(`upgrade ${req.url}`, e);
      try {
        writeUpgradeError(socket, e);
      } catch (e2) {
        reportError(`writing the error answer of upgrade ${req.url}`, e2);
        socket.destroy();
      }
    }
  };

  const onConnect = (req: IncomingMessage, socket: Duplex) => {
    socket.on("error", () => socket.destroy());
    try {
      const info = requestInfoOf(req);
      hosts.checkHost(req);
      authn?.check(req, info.path, config.authenticateToken, config.x509, config.onAuthenticationError);
      throw new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource");
    } catch (e) {
      try {
        writeUpgradeError(socket, e);
      } catch (e2) {
        reportError(`writing the error answer of CONNECT ${req.url}`, e2);
        socket.destroy();
      }
    }
  };

  return { onRequest, onUpgrade, onConnect, inFlight };
}

/**
 * Work done one item per turn of the event loop (setImmediate: after the I/O of the turn), in the
 * order it came. Between two items, every request that arrived is parsed and, unless it queues
 * here too, handled.
 */
export class TurnQueue {
  private readonly items: Array<(() => void) | undefined> = [];
  private head = 0;
  private scheduled = false;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: () => void): void {
    this.items.push(item);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.next);
    }
  }

  private readonly next = (): void => {
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    }
    try {
      item?.();
    } catch (e) {
      // (The server's items catch their own errors; anything else is reported, and the queue goes on.)
      reportError("a request waiting its turn", e);
    }
    if (this.length > 0) setImmediate(this.next);
    else this.scheduled = false;
  };
}
