/**
 * Termination messages (pkg/kubelet/kuberuntime/kuberuntime_container.go getTerminationMessage,
 * readLastStringFromContainerLogs and convertToKubeContainerStatus; the limits of
 * pkg/kubelet/container/runtime.go; the status manager's normalizeStatus truncation).
 *
 * When a container has exited, the kubelet reads the last 4 KiB of the file it bind-mounted at
 * `terminationMessagePath`. With `terminationMessagePolicy: FallbackToLogsOnError`, a container
 * that failed (non-zero exit) and left that file empty gets the tail of its log instead: the last
 * 80 lines, at most their last 2 KiB. The message is appended to the runtime's own message (after
 * `: `). The status manager then cuts every terminated message to the pod's share of 12 KiB:
 * 12 KiB divided by the number of containers and init containers, keeping the start.
 */
import type { ContainerStateTerminated, PodStatus } from "../../api/types.gen.ts";

/** The most bytes of termination message output a pod may carry across all its containers. */
export const MAX_POD_TERMINATION_MESSAGE_LOG_LENGTH = 1024 * 12;
/** The most bytes the kubelet reads from a container's termination message file (its end). */
export const MAX_CONTAINER_TERMINATION_MESSAGE_LENGTH = 1024 * 4;
/** The most bytes of log a FallbackToLogsOnError message keeps (its end). */
export const MAX_CONTAINER_TERMINATION_MESSAGE_LOG_LENGTH = 1024 * 2;
/** The most log lines a FallbackToLogsOnError message is read from. */
export const MAX_CONTAINER_TERMINATION_MESSAGE_LOG_LINES = 80;

const decoder = new TextDecoder("utf-8");

/** The last `max` bytes of a text (a cut through a character decodes to U+FFFD, as the API server's JSON encoding of Go's bytes does). */
export function lastBytes(text: string, max: number): string {
  if (text.length * 3 <= max) return text;
  const b = Buffer.from(text, "utf8");
  return b.length <= max ? text : decoder.decode(b.subarray(b.length - max));
}

/** The first `max` bytes of a text. */
export function firstBytes(text: string, max: number): string {
  if (text.length * 3 <= max) return text;
  const b = Buffer.from(text, "utf8");
  return b.length <= max ? text : decoder.decode(b.subarray(0, max));
}

/**
 * getTerminationMessage: the file's last 4 KiB, and whether the logs must be read instead
 * (falling back and the file empty or missing).
 */
export function getTerminationMessage(fileContent: string | undefined, fallbackToLogs: boolean): { message: string; checkLogs: boolean } {
  if (fileContent === undefined) return { message: "", checkLogs: fallbackToLogs };
  const data = lastBytes(fileContent, MAX_CONTAINER_TERMINATION_MESSAGE_LENGTH);
  return { message: data, checkLogs: fallbackToLogs && data.length === 0 };
}

/** readLastStringFromContainerLogs: the last 80 lines of the log, then at most their last 2 KiB. */
export function readLastStringFromContainerLogs(log: string): string {
  if (!log) return "";
  const lines = log.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return lastBytes(lines.slice(-MAX_CONTAINER_TERMINATION_MESSAGE_LOG_LINES).join(""), MAX_CONTAINER_TERMINATION_MESSAGE_LOG_LENGTH);
}

export interface ExitedContainer {
  exitCode: number;
  reason?: string;
  /** The runtime's own message, if any. */
  message?: string;
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  /** What the file at terminationMessagePath holds now; undefined when there is none. */
  terminationFile?: string;
  /** The container's log (stdout and stderr as they were written). */
  log(): string;
}

/** convertToKubeContainerStatus: the message an exited container's status carries. */
export function exitedContainerMessage(c: ExitedContainer): string | undefined {
  // A container that could not even start has no logs to fall back to.
  const fallbackToLogs = c.terminationMessagePolicy === "FallbackToLogsOnError" && c.exitCode !== 0 && c.reason !== "ContainerCannotRun";
  const r = c.terminationMessagePath ? getTerminationMessage(c.terminationFile, fallbackToLogs) : { message: "", checkLogs: fallbackToLogs };
  const t = r.checkLogs ? readLastStringFromContainerLogs(c.log()) : r.message;
  if (!t) return c.message;
  return c.message ? `${c.message}: ${t}` : t;
}

/**
 * normalizeStatus (status manager): every terminated message cut to the pod's share of 12 KiB.
 * Changes `status` in place.
 */
export function truncateTerminationMessages(pod: { spec?: { containers?: unknown[]; initContainers?: unknown[] } }, status: PodStatus | undefined): void {
  const n = (pod.spec?.containers?.length ?? 0) + (pod.spec?.initContainers?.length ?? 0);
  const bytesPerStatus = n > 0 ? Math.floor(MAX_POD_TERMINATION_MESSAGE_LOG_LENGTH / n) : MAX_POD_TERMINATION_MESSAGE_LOG_LENGTH;
  for (const list of [status?.containerStatuses, status?.initContainerStatuses, status?.ephemeralContainerStatuses]) {
    for (const cs of list ?? []) {
      cutMessage(cs.state?.terminated, bytesPerStatus);
      cutMessage(cs.lastState?.terminated, bytesPerStatus);
    }
  }
}

/** A terminated state's message cut to `bytesPerStatus` (a module function: no named closure per status write). */
function cutMessage(t: ContainerStateTerminated | undefined, bytesPerStatus: number): void {
  if (t && typeof t.message === "string" && t.message.length > bytesPerStatus / 3) t.message = firstBytes(t.message, bytesPerStatus);
}
