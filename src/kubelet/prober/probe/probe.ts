/** pkg/probe: the outcome of one probe run. */
export type ProbeResult = "success" | "warning" | "failure" | "unknown";

export interface ProbeOutcome {
  result: ProbeResult;
  /** What the prober puts in its events: the response body, the error text, the command's output. */
  output: string;
}
