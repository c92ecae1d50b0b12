/**
 * The worker of "Fine Parallel Processing Using a Work Queue" (kubernetes.io, tasks/job): the page's
 * `worker.py` with its `rediswq.py` (exercises/docs/application/job/redis/, carried verbatim and
 * compared byte for byte: any other script is not this program) run by `python worker.py`, over
 * redis-py's StrictRedis to `redis:6379` through the cluster network:
 *
 * - `RedisWQ(name="job2", host="redis")`: a session ID (uuid4), the main list `job2`, the
 *   processing list `job2:processing` and the lease keys `job2:leased_by_session:<sha224(item)>`.
 * - prints `Worker with sessionID: <id>` and `Initial queue state: empty=<bool>` (empty: both
 *   lists have no element, LLEN of each); while not empty, `lease(lease_secs=10, block=True,
 *   timeout=2)` is a BRPOPLPUSH from the main list to the processing list that waits at most 2 s,
 *   then a SETEX of the lease key (10 s, the session ID); an item prints `Working on <item>`,
 *   sleeps 10 s and `complete`s it (LREM from the processing list, DEL of the lease key and of a
 *   key named as the session ID, as rediswq.py's `delete(leasekey, session)` does); no item prints
 *   `Waiting for work`. Then `Queue empty, exiting`, exit 0.
 * - Python's stdout to a pipe (the container's log) is block-buffered: what the worker prints
 *   reaches the log when it exits (a few hundred bytes never fill the 8 KiB buffer). SIGTERM's
 *   default action ends it at once (143), the buffer lost.
 * - redis-py connects on the first command; a connection that fails raises
 *   `redis.exceptions.ConnectionError: Error <errno> connecting to redis:6379. <strerror>.` (the
 *   traceback's frames inside redis-py are not printed here), exit 1.
 * - `import redis` needs the package installed (the Dockerfile's `pip install redis`), and
 *   `import rediswq` the module beside the script: else Python's ModuleNotFoundError, exit 1.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ContainerProcess, ProcessIO, Signal } from "../../runtime/types.ts";
import type { TimerHandle } from "../../sim/clock.ts";
import { keyedRandom } from "../../sim/random.ts";
import { RedisServer } from "./databases.ts";
import type { RedisReply } from "./redisconfig.ts";

const DATA = new URL("../data/files/job-wq-2/", import.meta.url);
let known: { worker: string; rediswq: string } | undefined;

/** The page's worker.py and rediswq.py (data files: src/images/data/files/job-wq-2/). */
export function pageWorkerFiles(): { worker: string; rediswq: string } {
  known ??= { worker: readFileSync(new URL("worker.py", DATA), "utf8"), rediswq: readFileSync(new URL("rediswq.py", DATA), "utf8") };
  return known;
}

/** Where Python's site-packages of the official image live (`pip install redis` puts `redis/` there). */
export function sitePackages(env: Record<string, string>): string {
  const v = /^(\d+\.\d+)/.exec(env.PYTHON_VERSION ?? "")?.[1] ?? "3";
  return `/usr/local/lib/python${v}/site-packages`;
}

/** Whether `python <script>` in this filesystem runs the page's worker (else undefined: another program). */
export function isPageWorker(io: ProcessIO, scriptPath: string): boolean {
  try {
    return io.fs.readFile(scriptPath) === pageWorkerFiles().worker;
  } catch {
    return false;
  }
}

/** uuid.uuid4() as str(): 32 random hex digits with the version (4) and variant bits. */
function uuid4(key: string): string {
  const r = keyedRandom(key);
  const h = [...Array(32)].map(() => r.int(16).toString(16));
  h[12] = "4";
  h[16] = (8 + r.int(4)).toString(16);
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const MAIN = "job2";
const PROCESSING = "job2:processing";
const LEASE_PREFIX = "job2:leased_by_session:";

class ConnectionError extends Error {}

export class RedisQueueWorker implements ContainerProcess {
  private out = "";
  private timer: TimerHandle | undefined;
  private onExit?: (code: number) => void;
  private done = false;
  private readonly session: string;

  constructor(
    private readonly io: ProcessIO,
    /** The script's absolute path (tracebacks name it). */
    private readonly script: string,
    /** Identity of this start (pod and restart): the session ID's random source. */
    key: string,
  ) {
    this.session = uuid4(`python-uuid4/${key}`);
  }

  start(onExit: (code: number) => void): void {
    this.onExit = onExit;
    const dir = this.script.slice(0, this.script.lastIndexOf("/")) || "/";
    const missing = (mod: string, line: number, text: string) => {
      this.io.stderr(`Traceback (most recent call last):\n  File "${this.script}", line ${line}, in <module>\n    ${text}\nModuleNotFoundError: No module named '${mod}'\n`);
      this.exit(1);
    };
    let rediswq: string | undefined;
    try {
      rediswq = this.io.fs.readFile(`${dir}/rediswq.py`);
    } catch {
      rediswq = undefined;
    }
    if (rediswq === undefined) return missing("rediswq", 4, "import rediswq");
    if (rediswq !== pageWorkerFiles().rediswq) {
      this.io.stderr(`kube-scenario: ${dir}/rediswq.py is not the page's rediswq.py; the simulation models only the page's worker.py with the page's rediswq.py\n`);
      return this.exit(1);
    }
    if (this.io.fs.stat(`${sitePackages(this.io.env)}/redis`)?.type !== "dir") {
      this.io.stderr(`Traceback (most recent call last):\n  File "${this.script}", line 4, in <module>\n    import rediswq\n  File "${dir}/rediswq.py", line 8, in <module>\n    import redis\nModuleNotFoundError: No module named 'redis'\n`);
      return this.exit(1);
    }
    this.print(`Worker with sessionID: ${this.session}`);
    this.guard(13, 'print("Initial queue state: empty=" + str(q.empty()))', () => {
      const empty = this.empty();
      this.print(`Initial queue state: empty=${empty ? "True" : "False"}`);
      this.loop();
    });
  }

  /** `while not q.empty():` */
  private loop(): void {
    this.guard(14, "while not q.empty():", () => {
      if (this.empty()) {
        this.print("Queue empty, exiting");
        return this.exit(0);
      }
      this.guard(15, "item = q.lease(lease_secs=10, block=True, timeout=2) ", () => {
        const server = this.server();
        server.blockingPopPush(MAIN, PROCESSING, 2, (item) => {
          if (this.done) return;
          if (typeof item === "object") return this.fail(15, "item = q.lease(lease_secs=10, block=True, timeout=2) ", `redis.exceptions.ResponseError: ${item.t === "error" ? item.s : ""}`);
          if (item === undefined) {
            this.print("Waiting for work");
            return this.loop();
          }
          this.guard(15, "item = q.lease(lease_secs=10, block=True, timeout=2) ", () => {
            this.call(["SETEX", LEASE_PREFIX + itemKey(item), "10", this.session]);
            this.print(`Working on ${item}`);
            this.timer = this.io.clock.setTimeout(() => {
              this.timer = undefined;
              this.guard(20, "q.complete(item)", () => {
                this.call(["LREM", PROCESSING, "0", item]);
                this.call(["DEL", LEASE_PREFIX + itemKey(item), this.session]);
                this.loop();
              });
            }, 10_000);
          });
        });
      });
    });
  }

  /** q.empty(): LLEN of the main and the processing list. */
  private empty(): boolean {
    const a = this.call(["LLEN", MAIN]);
    if (a.t === "int" && a.n !== 0) return false;
    const b = this.call(["LLEN", PROCESSING]);
    return b.t === "int" && b.n === 0;
  }

  /** The server a new connection to redis:6379 reaches, or redis-py's ConnectionError. */
  private server(): RedisServer {
    const c = this.io.connect?.("redis", 6379);
    if (!c || !c.ok) {
      const why = !c ? "Connection refused" : c.kind === "nxdomain" ? "Name or service not known" : c.kind === "timeout" ? "Connection timed out" : "Connection refused";
      const errno = !c || c.kind === "refused" ? 111 : c.kind === "nxdomain" ? -2 : 110;
      throw new ConnectionError(`Error ${errno} connecting to redis:6379. ${why}.`);
    }
    if (!(c.app instanceof RedisServer) || !c.app.running) throw new ConnectionError("Error while reading from redis:6379 : (104, 'Connection reset by peer')");
    return c.app;
  }

  private call(args: string[]): RedisReply {
    const r = this.server().command(args);
    if (r.t === "error") throw new Error(`redis.exceptions.ResponseError: ${r.s}`);
    return r;
  }

  /** Runs a step of the script; a redis error ends the program with Python's traceback. */
  private guard(line: number, text: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof ConnectionError) return this.fail(line, text, `redis.exceptions.ConnectionError: ${e.message}`);
      if (e instanceof Error && e.message.startsWith("redis.exceptions.")) return this.fail(line, text, e.message);
      throw e;
    }
  }

  private fail(line: number, text: string, last: string): void {
    this.io.stderr(`Traceback (most recent call last):\n  File "${this.script}", line ${line}, in <module>\n    ${text}\n${last}\n`);
    this.exit(1);
  }

  private print(line: string): void {
    this.out += `${line}\n`;
  }

  /** The interpreter ends: stdout's buffer is flushed. */
  private exit(code: number): void {
    if (this.done) return;
    this.done = true;
    if (this.out) this.io.stdout(this.out);
    this.out = "";
    const cb = this.onExit;
    this.io.clock.setTimeout(() => cb?.(code), 0);
  }

  kill(signal: Signal): void {
    if (this.done) return;
    // SIGTERM and SIGKILL end Python at once (no handler): the buffered output is lost.
    this.done = true;
    this.io.clock.clear(this.timer);
    const cb = this.onExit;
    this.io.clock.setTimeout(() => cb?.(signal === "SIGKILL" ? 137 : 143), 0);
  }
}

/** rediswq's _itemkey: sha224 of the item's bytes, in hex. */
export function itemKey(item: string): string {
  return createHash("sha224").update(item, "utf8").digest("hex");
}
