/**
 * The stress images of the "Assign Memory/CPU Resources" pages, holding what their arguments say:
 *
 * - `polinux/stress`: stress 1.0.4 (`stress --vm 1 --vm-bytes 150M --vm-hang 1`). Each `--vm`
 *   worker holds `--vm-bytes` (default 256M; suffixes B, K, M, G are powers of 1024), `--cpu N`
 *   spins N workers, `--timeout N` ends a successful run after N seconds. Memory is held a
 *   fraction of a second after the start, so a limit below it OOM-kills the container at the
 *   next look of the memory model (memory-demo-2: 250M against 100Mi).
 * - `vish/stress` (vishh/stress main.go, ENTRYPOINT ["/stress", "-logtostderr"]): `-cpus N`
 *   threads spin, `-mem-total` is allocated in `-mem-alloc-size` chunks (4Ki) with
 *   `-mem-alloc-sleep` (1ms) between them; it then runs until stopped. glog lines as it logs them.
 *
 * The spinning workers burn their cores in the container's CPU cgroup from the start (throttled to
 * its limit by the CFS model, as the page's cpu-demo is: `-cpus 2` under a 1-CPU limit uses 1 CPU),
 * which `kubectl top` and the kubelet's resource metrics read; the memory model reads `memoryBytes()`.
 */
import type { ContainerLaunch, ProcessIO } from "../../runtime/types.ts";
import type { ModelBehaviour, ProgramContext } from "../launch.ts";
import { ExitAtOnce } from "../processes.ts";
import { GO_UNHANDLED_SIGTERM, ServerProcess } from "./server.ts";
import { glogPrefix, parseGoFlags } from "./goflags.ts";

/** stress's sizes: `150M` = 150 × 1024², `1G`, `512K`, `100B`, a bare number of bytes. */
export function stressBytes(text: string): number | undefined {
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase()]!;
  return Number(m[1]) * unit;
}

/** Memory stress's own process holds besides its workers' buffers. */
const STRESS_BASE_BYTES = 745_472;
/** How long a --vm worker takes to allocate and touch its buffer. */
const VM_ALLOC_MS = 100;

export interface StressArgs {
  cpu: number;
  io: number;
  vm: number;
  vmBytes: number;
  hdd: number;
  timeoutS?: number;
}

export function parseStressArgs(args: string[]): StressArgs | string {
  const a: StressArgs = { cpu: 0, io: 0, vm: 0, vmBytes: 256 * 1024 ** 2, hdd: 0 };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const next = () => args[++i] ?? "";
    switch (flag) {
      case "-c":
      case "--cpu":
        a.cpu = Number(next());
        break;
      case "-i":
      case "--io":
        a.io = Number(next());
        break;
      case "-m":
      case "--vm":
        a.vm = Number(next());
        break;
      case "--vm-bytes": {
        const b = stressBytes(next());
        if (b === undefined) return "invalid number in vm-bytes";
        a.vmBytes = b;
        break;
      }
      case "-d":
      case "--hdd":
        a.hdd = Number(next());
        break;
      case "-t":
      case "--timeout":
        a.timeoutS = Number(next());
        break;
      case "--vm-hang":
      case "--vm-stride":
      case "--hdd-bytes":
      case "--backoff":
        next();
        break;
      case "-v":
      case "--verbose":
      case "-q":
      case "--quiet":
      case "-n":
      case "--dry-run":
      case "--vm-keep":
        break;
      default:
        return `unrecognized option '${flag}'`;
    }
  }
  return a;
}

export class StressProcess extends ServerProcess {
  private held = 0;

  constructor(
    io: ProcessIO,
    private readonly args: StressArgs,
  ) {
    super(io);
    // stress ends its workers and dies of SIGTERM (no handler for it in the parent).
    this.onStop = "ignore";
  }

  protected run(): void {
    const a = this.args;
    this.logErr(`stress: info: [1] dispatching hogs: ${a.cpu} cpu, ${a.io} io, ${a.vm} vm, ${a.hdd} hdd`);
    // Each --cpu worker spins sqrt() in a loop (stress.c hogcpu).
    if (a.cpu > 0) this.io.cpu?.burn(a.cpu);
    this.held = STRESS_BASE_BYTES;
    this.after(VM_ALLOC_MS, () => (this.held = STRESS_BASE_BYTES + a.vm * a.vmBytes));
    if (a.timeoutS !== undefined) {
      this.after(a.timeoutS * 1000, () => {
        this.logErr(`stress: info: [1] successful run completed in ${a.timeoutS}s`);
        this.exit(0);
      });
    }
  }

  memoryBytes(): number {
    return this.running ? this.held : 0;
  }

}

const STRESS_USAGE = `\`stress' imposes certain types of compute stress on your system

Usage: stress [OPTION [ARG]] ...
 -?, --help         show this help statement
     --version      show version statement
 -v, --verbose      be verbose
 -q, --quiet        be quiet
 -n, --dry-run      show what would have been done
 -t, --timeout N    timeout after N seconds
     --backoff N    wait factor of N microseconds before work starts
 -c, --cpu N        spawn N workers spinning on sqrt()
 -i, --io N         spawn N workers spinning on sync()
 -m, --vm N         spawn N workers spinning on malloc()/free()
     --vm-bytes B   malloc B bytes per vm worker (default is 256MB)
     --vm-stride B  touch a byte every B bytes (default is 4096)
     --vm-hang N    sleep N secs before free (default none, 0 is inf)
     --vm-keep      redirty memory instead of freeing and reallocating
 -d, --hdd N        spawn N workers spinning on write()/unlink()
     --hdd-bytes B  write B bytes per hdd worker (default is 1GB)

Example: stress --cpu 2 --io 1 --vm 1 --vm-bytes 128M --timeout 10s

Note: Numbers may be suffixed with s,m,h,d,y (time) or B,K,M,G (size).
`;

function launchStress(argv: string[], l: ContainerLaunch) {
  const args = argv.slice(1);
  if (args.length === 0 || args.includes("--help") || args.includes("-?")) {
    l.io.stdout(STRESS_USAGE);
    return new ExitAtOnce(l.io.clock, 0);
  }
  const parsed = parseStressArgs(args);
  if (typeof parsed === "string") {
    l.io.stderr(`stress: FAIL: [1] (244) ${parsed}\n`);
    return new ExitAtOnce(l.io.clock, 1);
  }
  return new StressProcess(l.io, parsed);
}

/** vishh/stress: Kubernetes' resource.Quantity sizes (`150Mi`, `1G`). */
function quantityBytes(q: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q.trim());
  if (!m) return undefined;
  const unit = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 }[m[2] ?? ""]!;
  return Math.round(Number(m[1]) * unit);
}

/** Go's time.ParseDuration for the simple forms stress takes (`1ms`, `10s`). */
function goDurationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]!]!;
  return Number(m[1]) * unit;
}

export class VishStressProcess extends ServerProcess {
  private readonly allocStart: number;

  constructor(
    io: ProcessIO,
    private readonly cpus: number,
    private readonly totalBytes: number,
    private readonly stepBytes: number,
    private readonly sleepMs: number,
    private readonly totalText: string,
    private readonly stepText: string,
    private readonly sleepText: string,
  ) {
    super(io);
    this.onStop = GO_UNHANDLED_SIGTERM;
    this.allocStart = io.clock.now();
  }

  protected run(): void {
    const now = this.io.clock.now();
    this.logErr(`${glogPrefix(now, "I", "main.go:26")}Allocating ${JSON.stringify(this.totalText)} memory, in ${JSON.stringify(this.stepText)} chunks, with a ${this.sleepText} sleep between allocations`);
    for (let i = 0; i < this.cpus; i++) this.logErr(`${glogPrefix(now, "I", "main.go:39")}Spawning a thread to consume CPU`);
    // Each goroutine copies /dev/zero to ioutil.Discard without end (main.go's burnCPU): a core each.
    if (this.cpus > 0) this.io.cpu?.burn(this.cpus);
    this.after(this.allocationMs(), () => this.logErr(`${glogPrefix(this.io.clock.now(), "I", "main.go:29")}Allocated ${JSON.stringify(this.totalText)} memory`));
  }

  private allocationMs(): number {
    if (this.stepBytes <= 0) return 0;
    return Math.floor(this.totalBytes / this.stepBytes) * this.sleepMs;
  }

  memoryBytes(): number {
    if (!this.running || this.totalBytes === 0 || this.stepBytes <= 0) return this.running ? 1_024 * 1_024 : 0;
    const steps = Math.floor(this.totalBytes / this.stepBytes);
    const done = this.sleepMs > 0 ? Math.min(steps, Math.floor((this.io.clock.now() - this.allocStart) / this.sleepMs)) : steps;
    return 1_024 * 1_024 + done * this.stepBytes;
  }
}

function launchVishStress(argv: string[], l: ContainerLaunch) {
  const f = parseGoFlags(argv.slice(1), { bool: ["logtostderr", "alsologtostderr"], value: ["cpus", "mem-total", "mem-alloc-size", "mem-alloc-sleep", "v", "stderrthreshold", "log_dir", "vmodule"] });
  if (f.unknown.length) {
    const name = f.unknown[0]!.replace(/^--?/, "").replace(/=.*$/, "");
    l.io.stderr(`flag provided but not defined: -${name}\nUsage of /stress:\n`);
    return new ExitAtOnce(l.io.clock, 2);
  }
  const totalText = f.values.get("mem-total") ?? "0";
  const stepText = f.values.get("mem-alloc-size") ?? "4Ki";
  const sleepText = f.values.get("mem-alloc-sleep") ?? "1ms";
  const total = quantityBytes(totalText);
  const step = quantityBytes(stepText);
  const sleep = goDurationMs(sleepText);
  const cpus = Number(f.values.get("cpus") ?? 0);
  if (total === undefined || step === undefined || sleep === undefined || !Number.isInteger(cpus)) {
    l.io.stderr(`invalid value for a flag of /stress\n`);
    return new ExitAtOnce(l.io.clock, 2);
  }
  return new VishStressProcess(l.io, cpus, total, step, sleep, totalText, stepText, sleepText);
}

export const POLINUX_STRESS: ModelBehaviour = {
  programs: { stress: (argv, l) => launchStress(argv, l), "/usr/local/bin/stress": (argv, l) => launchStress(argv, l) },
};

export const VISH_STRESS: ModelBehaviour = {
  programs: { "/stress": (argv, l, _ctx: ProgramContext) => launchVishStress(argv, l) },
};
