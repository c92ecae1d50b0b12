/**
 * httpd (docker-library/httpd): `httpd-foreground` runs `httpd -DFOREGROUND`, which logs the
 * ServerName warning and its start, and serves /usr/local/apache2/htdocs on port 80 (`index.html`
 * is "It works!"). STOPSIGNAL SIGWINCH: a graceful stop, exit 0.
 */
import type { ProcessIO } from "../../runtime/types.ts";
import type { ModelBehaviour } from "../launch.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";

/** Apache's log time: `Mon Jan 08 00:00:02.000000 2024`. */
function apacheTime(ms: number): string {
  const d = new Date(ms);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()];
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${day} ${mon} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() * 1000).padStart(6, "0")} ${d.getUTCFullYear()}`;
}

const DOCROOT = "/usr/local/apache2/htdocs";

export class HttpdProcess extends ServerProcess {
  constructor(
    io: ProcessIO,
    private readonly startMs = 0,
  ) {
    super(io);
    this.onStop = { exitCode: 0 };
  }

  protected run(): void {
    const v = this.io.env.HTTPD_VERSION ?? "2.4.62";
    const warn = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${this.io.hostname}. Set the 'ServerName' directive globally to suppress this message`;
    this.logErr(warn);
    this.logErr(warn);
    const t = apacheTime(this.io.clock.now());
    this.logErr(`[${t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/${v} (Unix) configured -- resuming normal operations`);
    this.logErr(`[${t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`);
    this.listen(80, (req) => this.serve(req), this.startMs);
  }

  override stopSignal(b = this.onStop): void {
    if (!this.running) return;
    this.logErr(`[${apacheTime(this.io.clock.now())}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully`);
    super.stopSignal(b);
  }

  private serve(req: HttpRequest): HttpAnswer {
    const { path } = parseRequestPath(req.path);
    if (path.split("/").includes("..")) return { status: 400, body: "" };
    const file = `${DOCROOT}${path}`;
    const st = this.io.fs.stat(file);
    const target = st?.type === "dir" ? `${file.replace(/\/$/, "")}/index.html` : file;
    if (this.io.fs.stat(target)?.type === "file") return { status: 200, body: this.io.fs.readFile(target) };
    return {
      status: 404,
      body: `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n`,
    };
  }
}

const launch = (_argv: string[], l: { io: ProcessIO }, ctx: { startMs: number }) => new HttpdProcess(l.io, ctx.startMs);

export const HTTPD: ModelBehaviour = {
  programs: { "httpd-foreground": launch, "/usr/local/bin/httpd-foreground": launch, httpd: (argv, l, ctx) => (argv.includes("-DFOREGROUND") || argv.includes("-D") ? launch(argv, l, ctx) : undefined) },
};
