/**
 * `kubetm/app`, the course's sample application (a Node.js HTTP server on port 8080): it serves
 * 10 seconds after its container starts; `/hostname` answers the pod's name, `/health` answers 200
 * until `/status500` is called and 500 from then on (until `/status200`); other paths 404. Like a
 * Node.js process running as PID 1 without a signal handler, it ignores SIGTERM (it stops at
 * SIGKILL when the grace period ends).
 */
import type { AppSpec } from "./model.ts";

export const KUBETM_APP_STARTUP_MS = 10_000;

export function kubetmAppSpec(startupMs = KUBETM_APP_STARTUP_MS): AppSpec {
  return {
    ports: [8080],
    startup: startupMs,
    routes: {
      "/hostname": { status: 200, body: "{hostname}" },
      "/health": { status: 200, body: "Status : 200" },
      "/status500": { status: 200, body: "Status 500 mode", sets: { "/health": { status: 500, body: "Status : 500" } } },
      "/status200": { status: 200, body: "Status 200 mode", sets: { "/health": { status: 200, body: "Status : 200" } } },
    },
    notFound: { status: 404, body: "Cannot GET {path}" },
    onSigterm: "ignore",
    memory: "30Mi",
  };
}
