/**
 * No handler error ends the process: kube-apiserver's WithPanicRecovery
 * (staging/src/k8s.io/apiserver/pkg/server/filters/wrap.go) turns a handler's panic into a 500 and
 * keeps serving; errors a handler returns become a metav1.Status (responsewriters.ErrorNegotiated).
 * In Node an exception thrown from an event callback (a socket's data, a timer, a watch handler
 * called by the simulation) has no request around it and would end the process, losing every
 * object of the simulated cluster; `guarded` wraps such callbacks so the error is logged and
 * handed to a fallback (usually: close that one connection) instead.
 */
import type { ServerResponse } from "node:http";

/** Where errors that reach no client are reported (stderr by default; tests replace it). */
export let reportError: (where: string, e: unknown) => void = (where, e) => {
  console.error(`kube-scenario serve: ${where}: ${(e as Error)?.stack ?? String(e)}`);
};

export function setErrorReporter(fn: (where: string, e: unknown) => void): () => void {
  const before = reportError;
  reportError = fn;
  return () => {
    reportError = before;
  };
}

/**
 * Wraps an event callback: an exception it throws is reported and passed to `onError` (which must
 * not throw either; its own exceptions are reported and dropped).
 */
export function guarded<A extends unknown[]>(where: string, fn: (...args: A) => void, onError?: (e: unknown) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (e) {
      reportError(where, e);
      if (onError) {
        try {
          onError(e);
        } catch (e2) {
          reportError(`${where} (while recovering)`, e2);
        }
      }
    }
  };
}

/** Runs a promise-returning task and reports its rejection instead of leaving it unhandled. */
export function detached(where: string, p: Promise<unknown>, onError?: (e: unknown) => void): void {
  p.catch((e) => {
    reportError(where, e);
    if (onError) {
      try {
        onError(e);
      } catch (e2) {
        reportError(`${where} (while recovering)`, e2);
      }
    }
  });
}

/**
 * The last resort of a request whose handler failed after it started answering (or whose error
 * could not be written): the connection is closed, so the client sees the answer end early
 * rather than wait, and nothing more is buffered for it.
 */
export function abortResponse(res: ServerResponse): void {
  if (!res.destroyed) res.destroy();
}
