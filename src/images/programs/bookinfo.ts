/**
 * Istio's Bookinfo sample application without Istio: the images
 * `docker.io/istio/examples-bookinfo-{productpage-v1,details-v1,ratings-v1,reviews-v1,reviews-v2,
 * reviews-v3}`, modelled on their source `samples/bookinfo/src/` at istio/istio 05d518b (the commit
 * "Bump bookinfo samples for 1.26" that released the images 1.20.3, which bookinfo.yaml names up to
 * 1.29.x; the sources are unchanged since but for a comment). Each listens on 9080:
 *
 * - details (details/details.rb, ruby WEBrick): `GET /health` → `{"status":"Details is healthy"}`;
 *   `GET /details/<id>` → the book's details as Ruby's to_json writes them (a non-numeric id: 400
 *   `{"error":"please provide numeric product id"}`). Logs WEBrick's three start lines.
 * - ratings (ratings/ratings.js, node): `GET /health` → `{"status":"Ratings is healthy"}`;
 *   `GET /ratings/<id>` → `{"id":<id>,"ratings":{"Reviewer1":5,"Reviewer2":4}}`; logs
 *   `Server listening on: http://0.0.0.0:9080` and each request's `GET /ratings/0`; SIGTERM:
 *   `SIGTERM received`, exit 0.
 * - reviews (reviews/…/LibertyRestEndpoint.java on Open Liberty): `GET /health`;
 *   `GET /reviews/<id>` → the two reviews as the Java code concatenates them; v2 and v3
 *   (`ENABLE_RATINGS=true`, `STAR_COLOR` black / red) first ask `http://ratings:9080/ratings/<id>`
 *   (timeout 10 s for black, 2.5 s otherwise) and put each reviewer's stars in, or
 *   `"Ratings service is currently unavailable"`. The server listens once Liberty has started.
 * - productpage (productpage/productpage.py under gunicorn): `GET /productpage` asks details (3 s
 *   timeout) then reviews (twice at most) and renders templates/productpage.html (carried verbatim,
 *   rendered by ./jinja.ts); `GET /health` → `Product page is healthy`; `GET /api/v1/products`,
 *   `/api/v1/products/<id>`, `…/reviews`, `…/ratings` as simplejson dumps them; gunicorn's master
 *   start lines; SIGTERM: `Handling signal: term`, `Shutting down: Master`, exit 0.
 *
 * The calls between services go over the cluster network from the caller's pod (Service DNS,
 * endpoints, policies), answered at once with their delays (ProgramContext.exchange): the page
 * takes as long as its calls. Not modelled: `/`, `/login`, `/logout` (the page's sign-in), the
 * static files and `/metrics`, request headers' propagation (tracing), WEBrick's access log,
 * gunicorn's worker lines, Liberty's log, the external book service (details v2), the database
 * ratings (v2), and the flooding productpage; they answer 501 saying so where they are routes.
 */
import type { ContainerLaunch, HttpOutcome, ProcessIO } from "../../runtime/types.ts";
import type { Exchange, ModelBehaviour, ProgramContext } from "../launch.ts";
import { dataFile } from "../catalogue.ts";
import { ServerProcess, parseRequestPath, type HttpAnswer, type HttpRequest } from "./server.ts";
import { parseTemplate, renderTemplate } from "./jinja.ts";

const PORT = 9080;
/** Open Liberty's kernel start and the reviews application's deployment before it listens (approximate). */
export const REVIEWS_START_MS = 10_000;

const FLASK_404 = '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';

type Pod = { namespace: string; name: string };

/** A call from one service to another: the outcome, and the time it took. */
function call(exchange: Exchange | undefined, from: Pod, url: string, timeoutMs: number): { outcome: HttpOutcome; ms: number } {
  if (!exchange) return { outcome: { ok: false, kind: "unreachable", error: "no cluster network" }, ms: 0 };
  const r = exchange({ method: "GET", url, headers: {}, timeoutMs }, from);
  return { outcome: r.outcome, ms: r.afterMs };
}

/** The url of a service as the sample builds it: `<HOSTNAME env or name><.SERVICES_DOMAIN>:<NAME_SERVICE_PORT or 9080>`. */
function serviceUrl(env: Record<string, string>, name: string): string {
  const upper = name.toUpperCase();
  const domain = env.SERVICES_DOMAIN !== undefined ? `.${env.SERVICES_DOMAIN}` : "";
  return `http://${env[`${upper}_HOSTNAME`] ?? name}${domain}:${env[`${upper}_SERVICE_PORT`] ?? "9080"}`;
}

abstract class BookinfoServer extends ServerProcess {
  constructor(
    io: ProcessIO,
    protected readonly pod: Pod,
    protected readonly exchange: Exchange | undefined,
    protected readonly startMs: number,
  ) {
    super(io);
  }

  protected abstract serve(req: HttpRequest): HttpAnswer;

  protected open(): void {
    this.listen(PORT, (req) => this.serve(req), this.startMs);
  }
}

/** Ruby's `Time#strftime("%Y-%m-%d %H:%M:%S")` in UTC. */
const rubyTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

export class DetailsServer extends BookinfoServer {
  protected run(): void {
    // WEBrick::HTTPServer.new logs its version and ruby's; #start logs the pid and port (webrick 1.8.2, ruby 3.4.3).
    const t = rubyTime(this.io.clock.now());
    this.logErr(`[${t}] INFO  WEBrick 1.8.2\n[${t}] INFO  ruby 3.4.3 (2025-04-14) [x86_64-linux]\n[${t}] INFO  WEBrick::HTTPServer#start: pid=1 port=${PORT}`);
    // `trap 'INT'` only: SIGTERM ends ruby with the signal's default action.
    this.open();
  }

  protected serve(req: HttpRequest): HttpAnswer {
    const path = parseRequestPath(req.path).path;
    if (path === "/health" || path.startsWith("/health/")) return { status: 200, body: '{"status":"Details is healthy"}' };
    if (path === "/details" || path.startsWith("/details/")) {
      const last = path.split("/").filter(Boolean).pop() ?? "";
      if (!/^[-+]?\d+$/.test(last)) return { status: 400, body: '{"error":"please provide numeric product id"}' };
      if (this.io.env.ENABLE_EXTERNAL_BOOK_SERVICE === "true") return { status: 501, body: "kube-scenario: the details service's external book service (googleapis.com) is not simulated\n" };
      const id = Number(last);
      return { status: 200, body: `{"id":${id},"author":"William Shakespeare","year":1595,"type":"paperback","pages":200,"publisher":"PublisherA","language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}` };
    }
    // WEBrick's 404 page.
    return { status: 404, body: `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">\n<HTML>\n  <HEAD><TITLE>Not Found</TITLE></HEAD>\n  <BODY>\n    <H1>Not Found</H1>\n    \`${path}' not found.\n    <HR>\n    <ADDRESS>\n     WEBrick/1.8.2 (Ruby/3.4.3/2025-04-14) at\n     ${(req.headers.Host ?? this.io.hostname).replace(/:\d+$/, "")}:${PORT}\n    </ADDRESS>\n  </BODY>\n</HTML>\n` };
  }
}

export class RatingsServer extends BookinfoServer {
  protected run(): void {
    this.onStop = { exitCode: 0 };
    if (this.io.env.SERVICE_VERSION === "v2") {
      this.logErr("kube-scenario: the ratings service backed by a database (SERVICE_VERSION=v2) is not simulated");
      this.exit(1);
      return;
    }
    this.open();
    this.after(this.startMs, () => this.log(`Server listening on: http://0.0.0.0:${PORT}`));
  }

  override stopSignal(b = this.onStop): void {
    if (this.running) this.log("SIGTERM received");
    super.stopSignal(b);
  }

  protected serve(req: HttpRequest): HttpAnswer {
    this.log(`${req.method} ${req.path}`);
    const path = parseRequestPath(req.path).path;
    if (req.method === "GET" && path === "/health") return { status: 200, body: '{"status":"Ratings is healthy"}' };
    if (req.method === "GET" && /^\/ratings\/[0-9]*/.test(path)) {
      const id = Number.parseInt(req.path.split("/").pop() ?? "", 10);
      if (Number.isNaN(id)) return { status: 400, body: '{"error":"please provide numeric product ID"}' };
      return { status: 200, body: JSON.stringify({ id, ratings: { Reviewer1: 5, Reviewer2: 4 } }) };
    }
    // httpdispatcher: no listener for the path.
    return { status: 404, body: "Page Not found" };
  }
}

export class ReviewsServer extends BookinfoServer {
  protected run(): void {
    this.onStop = { exitCode: 0 };
    this.open();
  }

  /** getRatings: the two reviewers' stars, or -1 each when the ratings service does not answer 200. */
  private ratings(id: number): { r1: number; r2: number; ms: number } {
    const color = this.io.env.STAR_COLOR ?? "black";
    const url = `${serviceUrl(this.io.env, "ratings")}/ratings/${id}`;
    const { outcome, ms } = call(this.exchange, this.pod, url, color === "black" ? 10_000 : 2_500);
    if (!outcome.ok) return { r1: -1, r2: -1, ms };
    if (outcome.status !== 200) {
      this.log(`Error: unable to contact ${serviceUrl(this.io.env, "ratings")}/ratings got status of ${outcome.status}`);
      return { r1: -1, r2: -1, ms };
    }
    try {
      const r = (JSON.parse(outcome.body) as { ratings?: Record<string, number> }).ratings ?? {};
      return { r1: r.Reviewer1 ?? -1, r2: r.Reviewer2 ?? -1, ms };
    } catch {
      return { r1: -1, r2: -1, ms };
    }
  }

  protected serve(req: HttpRequest): HttpAnswer {
    const path = parseRequestPath(req.path).path;
    if (path === "/health") return { status: 200, body: '{"status": "Reviews is healthy"}' };
    const m = /^\/reviews\/(-?\d+)$/.exec(path);
    if (!m) return { status: 404, body: "" };
    const id = Number(m[1]);
    const enabled = (this.io.env.ENABLE_RATINGS ?? "").toLowerCase() === "true";
    const color = this.io.env.STAR_COLOR ?? "black";
    const stars = enabled ? this.ratings(id) : { r1: -1, r2: -1, ms: 0 };
    const rating = (s: number) => (!enabled ? "" : s !== -1 ? `, "rating": {"stars": ${s}, "color": "${color}"}` : ', "rating": {"error": "Ratings service is currently unavailable"}');
    const body =
      `{"id": "${id}","podname": "${this.io.env.HOSTNAME ?? this.io.hostname}","clustername": "${this.io.env.CLUSTER_NAME ?? "null"}","reviews": [` +
      `{  "reviewer": "Reviewer1",  "text": "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!"${rating(stars.r1)}},` +
      `{  "reviewer": "Reviewer2",  "text": "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare."${rating(stars.r2)}}]}`;
    return { status: 200, body, delayMs: stars.ms };
  }
}

/** simplejson.dumps with its default separators (`, `, `: `) and ensure_ascii. */
export function pyDumps(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(", ")}]`;
  if (v !== null && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${pyDumps(k)}: ${pyDumps(x)}`).join(", ")}}`;
  if (typeof v === "string") return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return v === null || v === undefined ? "null" : JSON.stringify(v);
}

const PRODUCTS = [
  {
    id: 0,
    title: "The Comedy of Errors",
    descriptionHtml:
      '<a href="https://en.wikipedia.org/wiki/The_Comedy_of_Errors">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare\'s</b> early plays. It is his shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play.',
  },
];

let template: ReturnType<typeof parseTemplate> | undefined;

/** gunicorn's log line prefix: `[2024-01-08 00:00:01 +0000] [1] [INFO] `. */
const gunicornLine = (ms: number, msg: string) => `[${rubyTime(ms)} +0000] [1] [INFO] ${msg}`;

export class ProductpageServer extends BookinfoServer {
  protected run(): void {
    this.onStop = { exitCode: 0 };
    const now = this.io.clock.now();
    this.logErr(`${gunicornLine(now, "Starting gunicorn 23.0.0")}\n${gunicornLine(now, `Listening at: http://[::]:${PORT} (1)`)}\n${gunicornLine(now, "Using worker: gevent")}`);
    this.open();
  }

  override stopSignal(b = this.onStop): void {
    if (this.running) this.logErr(`${gunicornLine(this.io.clock.now(), "Handling signal: term")}\n${gunicornLine(this.io.clock.now(), "Shutting down: Master")}`);
    super.stopSignal(b);
  }

  /** getProductDetails: (status, JSON), and the time the call took. */
  private details(id: string): { status: number; json: unknown; ms: number } {
    const { outcome, ms } = call(this.exchange, this.pod, `${serviceUrl(this.io.env, "details")}/details/${id}`, 3_000);
    if (outcome.ok && outcome.status === 200) return { status: 200, json: JSON.parse(outcome.body), ms };
    return { status: outcome.ok && outcome.status ? outcome.status : 500, json: { error: "Sorry, product details are currently unavailable for this book." }, ms };
  }

  /** getProductReviews: two tries at most. */
  private reviews(id: string): { status: number; json: unknown; ms: number } {
    let total = 0;
    let last: HttpOutcome | undefined;
    for (let i = 0; i < 2; i++) {
      const { outcome, ms } = call(this.exchange, this.pod, `${serviceUrl(this.io.env, "reviews")}/reviews/${id}`, 3_000);
      total += ms;
      last = outcome;
      if (outcome.ok && outcome.status === 200) return { status: 200, json: JSON.parse(outcome.body), ms: total };
    }
    return { status: last?.ok && last.status ? last.status : 500, json: { error: "Sorry, product reviews are currently unavailable for this book." }, ms: total };
  }

  private ratings(id: string): { status: number; json: unknown; ms: number } {
    const { outcome, ms } = call(this.exchange, this.pod, `${serviceUrl(this.io.env, "ratings")}/ratings/${id}`, 3_000);
    if (outcome.ok && outcome.status === 200) return { status: 200, json: JSON.parse(outcome.body), ms };
    return { status: outcome.ok && outcome.status ? outcome.status : 500, json: { error: "Sorry, product ratings are currently unavailable for this book." }, ms };
  }

  protected serve(req: HttpRequest): HttpAnswer {
    const path = parseRequestPath(req.path).path;
    if (req.method !== "GET" && req.method !== "HEAD" && path !== "/login") return { status: 405, body: "" };
    switch (path) {
      case "/health":
        return { status: 200, body: "Product page is healthy" };
      case "/productpage": {
        const d = this.details("0");
        const r = this.reviews("0");
        template ??= parseTemplate(dataFile("bookinfo/productpage.html"));
        const body = renderTemplate(template, { detailsStatus: d.status, reviewsStatus: r.status, product: PRODUCTS[0], details: d.json, reviews: r.json, user: "" });
        return { status: 200, body, delayMs: d.ms + r.ms };
      }
      case "/api/v1/products":
        return { status: 200, body: pyDumps(PRODUCTS) };
      case "/":
      case "/index.html":
      case "/login":
      case "/logout":
      case "/metrics":
        return { status: 501, body: `kube-scenario: productpage's ${path} is not simulated\n` };
    }
    const m = /^\/api\/v1\/products\/([^/]+)(\/reviews|\/ratings)?$/.exec(path);
    if (m) {
      const r = m[2] === "/reviews" ? this.reviews(m[1]!) : m[2] === "/ratings" ? this.ratings(m[1]!) : this.details(m[1]!);
      return { status: r.status, body: pyDumps(r.json), delayMs: r.ms };
    }
    if (path.startsWith("/static/")) return { status: 501, body: `kube-scenario: productpage's static files are not simulated\n` };
    return { status: 404, body: FLASK_404 };
  }
}

type Ctor = new (io: ProcessIO, pod: Pod, exchange: Exchange | undefined, startMs: number) => BookinfoServer;

/** A program of the sample that runs when its command is the Dockerfile's CMD (`ruby details.rb 9080`). */
function program(ctor: Ctor, matches: (argv: string[]) => boolean, startMs = 0) {
  return (argv: string[], l: ContainerLaunch, ctx: ProgramContext): BookinfoServer | undefined => {
    if (!matches(argv)) return undefined;
    const pod = { namespace: l.pod.metadata.namespace ?? "default", name: l.pod.metadata.name ?? "" };
    return new ctor(l.io, pod, ctx.exchange, startMs + ctx.startMs);
  };
}

export const BOOKINFO_DETAILS: ModelBehaviour = {
  programs: { ruby: program(DetailsServer, (a) => a[1] === "details.rb" || a[1] === "/opt/microservices/details.rb") },
};
export const BOOKINFO_RATINGS: ModelBehaviour = {
  programs: { node: program(RatingsServer, (a) => /(^|\/)ratings\.js$/.test(a[1] ?? "")) },
};
export const BOOKINFO_REVIEWS: ModelBehaviour = {
  programs: { "/opt/ol/wlp/bin/server": program(ReviewsServer, (a) => a[1] === "run", REVIEWS_START_MS) },
};
export const BOOKINFO_PRODUCTPAGE: ModelBehaviour = {
  programs: { gunicorn: program(ProductpageServer, (a) => a.includes("productpage:app")) },
};
