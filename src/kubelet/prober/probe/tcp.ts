/** pkg/probe/tcp/tcp.go: success when a TCP connection opens within the timeout; failure output is the dial error. */
import type { ProbeOutcome } from "./probe.ts";

export type Dial = (host: string, port: number) => { ok: true } | { ok: false; error: string };

export function doTCPProbe(dial: Dial, host: string, port: number): ProbeOutcome {
  const r = dial(host, port);
  return r.ok ? { result: "success", output: "" } : { result: "failure", output: r.error };
}
