/**
 * A pipe between the elements of a pipeline (`a | b`): each element runs as its own task, the
 * reader blocks (in simulated time) until data or end of file arrives, a writer pauses while
 * more than PIPE_CAPACITY bytes wait unread, and writing after the reader has gone ends the
 * writer with SIGPIPE (exit 141), as `while true; do echo y; done | head -1` does.
 */
import { ExitSignal } from "./effects.ts";

export const PIPE_CAPACITY = 65_536;

export class Pipe {
  buf = "";
  writerClosed = false;
  readerClosed = false;
  private waiters: Array<() => void> = [];

  write(s: string): void {
    if (this.readerClosed) throw new ExitSignal(128 + 13);
    if (s === "") return;
    this.buf += s;
    this.wake();
  }

  /** Takes everything buffered. */
  take(): string {
    const s = this.buf;
    this.buf = "";
    if (s) this.wake();
    return s;
  }

  closeWriter(): void {
    if (this.writerClosed) return;
    this.writerClosed = true;
    this.wake();
  }

  closeReader(): void {
    if (this.readerClosed) return;
    this.readerClosed = true;
    this.buf = "";
    this.wake();
  }

  /** Whether a reader can go on now (data or end of file). */
  readable(): boolean {
    return this.buf.length > 0 || this.writerClosed;
  }

  /** Whether a writer can go on now (room, or nobody reads any more). */
  writable(): boolean {
    return this.buf.length < PIPE_CAPACITY || this.readerClosed;
  }

  /** Whether someone waits for the pipe to change (a reader blocked on it: a container's standard input nobody has attached to yet). */
  get awaited(): boolean {
    return this.waiters.length > 0;
  }

  /** Calls `fn` once at the next change of the pipe. */
  onChange(fn: () => void): void {
    this.waiters.push(fn);
  }

  private wake(): void {
    const ws = this.waiters.splice(0);
    for (const w of ws) w();
  }
}
