/**
 * The Kubernetes Basics tutorial's app (`gcr.io/google-samples/kubernetes-bootcamp:v1`,
 * `docker.io/jocatalin/kubernetes-bootcamp:v2`): a Node.js 6.3.1 image whose CMD
 * `node server.js` runs this server.js (the v1 image's `/server.js`, as the tutorial's
 * `cat server.js` prints it):
 *
 *   var handleRequest = function(request, response) {
 *     response.setHeader('Content-Type', 'text/plain');
 *     response.writeHead(200);
 *     response.write("Hello Kubernetes bootcamp! | Running on: ");
 *     response.write(host);
 *     response.end(" | v=1\n");
 *     console.log("Running On:" ,host, "| Total Requests:", ++requests,"| App Uptime:", (new Date() - startTime)/1000 , "seconds", "| Log Time:",new Date());
 *   }
 *   var www = http.createServer(handleRequest);
 *   www.listen(8080,function () {
 *       startTime = new Date();;
 *       host = process.env.HOSTNAME;
 *       console.log ("Kubernetes Bootcamp App Started At:",startTime, "| Running On: " ,host, "\n" );
 *   });
 *
 * console.log joins its arguments with spaces and prints a Date as its ISO string. The v2 image
 * answers `v=2` (the tutorial's "Performing a Rolling Update"). Node installs no SIGTERM handler,
 * and the shell of `CMD node server.js` (`/bin/sh -c`, Debian jessie's dash) is PID 1 without a
 * trap: the stop signal is ignored, the container is killed when the grace period ends.
 */
import type { ProcessIO } from "../../runtime/types.ts";
import type { ModelBehaviour } from "../launch.ts";
import { ServerProcess } from "./server.ts";

export class BootcampServer extends ServerProcess {
  private requests = 0;
  private startTime = -1;

  constructor(
    io: ProcessIO,
    private readonly version: string,
    private readonly startMs: number,
  ) {
    super(io);
    this.onStop = "ignore";
  }

  private get host(): string {
    return this.io.env.HOSTNAME ?? this.io.hostname;
  }

  protected run(): void {
    const listening = () => {
      this.startTime = this.io.clock.now();
      this.io.stdout(`Kubernetes Bootcamp App Started At: ${isoDate(this.startTime)} | Running On:  ${this.host} \n\n`);
    };
    if (this.startMs > 0) this.after(this.startMs, listening);
    else listening();
    this.listen(8080, () => {
      const now = this.io.clock.now();
      this.requests++;
      this.io.stdout(`Running On: ${this.host} | Total Requests: ${this.requests} | App Uptime: ${(now - this.startTime) / 1000} seconds | Log Time: ${isoDate(now)}\n`);
      return { status: 200, body: `Hello Kubernetes bootcamp! | Running on: ${this.host} | v=${this.version}\n` };
    }, this.startMs);
  }
}

/** A JavaScript Date as console.log prints it: its ISO string. */
function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** The image's CMD `/bin/sh -c "node server.js"` starts the server; any other shell command runs in the shell. */
const nodeServerCmd = { "/bin/sh": (argv: string[]) => (argv[1] === "-c" && argv[2] === "node server.js" && argv.length === 3 ? { exec: ["node", "server.js"] } : undefined) };

/** `node server.js` (also `node /server.js`) serves; the version is the tag's (`v1`, `v2`). */
export const BOOTCAMP: ModelBehaviour = {
  programs: {
    node: (argv, l, ctx) => {
      if (argv[1] !== "server.js" && argv[1] !== "/server.js") return undefined;
      return new BootcampServer(l.io, /^v(\d+)$/.exec(ctx.tag)?.[1] ?? "1", ctx.startMs);
    },
  },
  entrypoints: nodeServerCmd,
};
