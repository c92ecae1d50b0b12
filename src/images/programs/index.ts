/**
 * What each image model runs (its data — config, shell, size, files — is in ../data/models.json).
 * A model not listed here runs its command in its shell only (busybox, alpine, debian, ubuntu).
 */
import type { ModelBehaviour } from "../launch.ts";
import { RunUntilStopped } from "../processes.ts";
import { launchGeneric } from "../generic.ts";
import { NGINX } from "./nginx.ts";
import { HELLO_GO } from "./hellogo.ts";
import { AGNHOST, LIVENESS, SERVE_HOSTNAME } from "./agnhost.ts";
import { ECHOSERVER, ETCD, GB_FRONTEND, GOPROXY, HELLO_APP, HPA_EXAMPLE, NODE_HELLO, PAUSE } from "./small.ts";
import { BOOTCAMP } from "./bootcamp.ts";
import { POLINUX_STRESS, VISH_STRESS } from "./stress.ts";
import { PERL } from "./perl.ts";
import { POSTGRES, REDIS } from "./databases.ts";
import { MYSQL } from "./mysql.ts";
import { XTRABACKUP } from "./xtrabackup.ts";
import { HTTPD } from "./httpd.ts";
import { COREDNS } from "./coredns.ts";
import { MY_KUBE_SCHEDULER } from "./kubescheduler.ts";
import { METRICS_SERVER } from "./metricsserver.ts";
import { KUBE_STATE_METRICS } from "./kubestatemetrics.ts";
import { ARGOCD, DEX_INTERCEPT } from "./argocd.ts";
import { CERT_MANAGER_CAINJECTOR, CERT_MANAGER_CONTROLLER, CERT_MANAGER_WEBHOOK } from "./certmanager/index.ts";
import { INGRESS_NGINX_CONTROLLER, KUBE_WEBHOOK_CERTGEN } from "./ingressnginx.ts";
import { ENVOY_GATEWAY } from "./envoygateway.ts";
import { PROMETHEUS, PROMETHEUS_CONFIG_RELOADER, PROMETHEUS_EXAMPLE_APP, PROMETHEUS_OPERATOR } from "./prometheusoperator/index.ts";
import { KYVERNO, KYVERNO_BACKGROUND, KYVERNO_CLEANUP, KYVERNO_PRE, KYVERNO_REPORTS } from "./kyverno/index.ts";
import { ENVOY_PROXY } from "./envoy.ts";
import { ECHO_BASIC } from "./echobasic.ts";
import { PODINFO } from "./podinfo.ts";
import { METALLB_CONTROLLER, METALLB_SPEAKER } from "./metallb.ts";
import { BOOKINFO_DETAILS, BOOKINFO_PRODUCTPAGE, BOOKINFO_RATINGS, BOOKINFO_REVIEWS } from "./bookinfo.ts";
import { KUBERNETES_ZOOKEEPER } from "./zkcommands.ts";
import { cassandraBehaviour } from "./cassandra.ts";
import { busyboxCommands } from "./bbnslookup.ts";
import { startArgv, type EntrypointWrapper } from "../launch.ts";
import { aptGet, installed, ubuntuRelease } from "./apt.ts";
import { AMQP_TOOLS } from "./amqptools.ts";
import type { CommandFn } from "../../runtime/shell/index.ts";
import { bindNslookup } from "../../runtime/shell/net.ts";

/** The ubuntu image's apt-get (of the tag's release) and the programs of the packages it installs. */
function ubuntuCommands(tag: string): Record<string, CommandFn> {
  const out: Record<string, CommandFn> = { "apt-get": aptGet(ubuntuRelease(tag)) };
  for (const [name, fn] of Object.entries(AMQP_TOOLS)) out[name] = installed(`/usr/bin/${name}`, fn);
  // dnsutils: BIND 9's nslookup once installed (until then the shell's own applet answers).
  out.nslookup = installed("/usr/bin/nslookup", bindNslookup);
  return out;
}

/**
 * The bash image's docker-entrypoint.sh: no arguments or an option first mean bash; a first
 * argument that is no command runs as a bash script (`docker run bash script.sh`).
 */
const bashEntrypoint: EntrypointWrapper = (argv, l) => {
  const args = argv.slice(1);
  if (args.length === 0 || args[0]!.startsWith("-")) return { exec: ["bash", ...args] };
  const first = args[0]!;
  const isFile = first.includes("/") ? !!l.io.fs.stat(first) : false;
  if (!first.includes("/") || isFile) return { exec: args };
  return { exec: ["bash", ...args] };
};

/** The cassandra image: dumb-init runs the child it is given as the image's shell would (run.sh's port, see ./cassandra.ts). */
const CASSANDRA: ModelBehaviour = cassandraBehaviour((argv, l, ctx) => startArgv(argv, l, "bash", CASSANDRA, ctx, 1, "dash"));

export const MODEL_BEHAVIOURS: Record<string, ModelBehaviour> = {
  // busybox's own applets are the shell's (1.28); a later tag's nslookup is the newer one.
  busybox: { tagCommands: busyboxCommands },
  ubuntu: { tagCommands: ubuntuCommands },
  nginx: NGINX,
  nginxhttps: NGINX,
  httpd: HTTPD,
  redis: REDIS,
  postgres: POSTGRES,
  mysql: MYSQL,
  xtrabackup: XTRABACKUP,
  "kubernetes-zookeeper": KUBERNETES_ZOOKEEPER,
  cassandra: CASSANDRA,
  perl: PERL,
  bash: { entrypoints: { "docker-entrypoint.sh": bashEntrypoint } },
  agnhost: AGNHOST,
  liveness: LIVENESS,
  "serve-hostname": SERVE_HOSTNAME,
  pause: PAUSE,
  goproxy: GOPROXY,
  etcd: ETCD,
  coredns: COREDNS,
  "my-kube-scheduler": MY_KUBE_SCHEDULER,
  "metrics-server": METRICS_SERVER,
  "kube-state-metrics": KUBE_STATE_METRICS,
  argocd: ARGOCD,
  "cert-manager-controller": CERT_MANAGER_CONTROLLER,
  "cert-manager-webhook": CERT_MANAGER_WEBHOOK,
  "cert-manager-cainjector": CERT_MANAGER_CAINJECTOR,
  // Dex as Argo CD runs it: a copy of the Argo CD binary; otherwise an unknown program (the generic process).
  dex: { intercept: DEX_INTERCEPT, fallback: (argv, l, ctx) => launchGeneric(l, ctx.startMs) },
  "ingress-nginx-controller": INGRESS_NGINX_CONTROLLER,
  "kube-webhook-certgen": KUBE_WEBHOOK_CERTGEN,
  "envoy-gateway": ENVOY_GATEWAY,
  "prometheus-operator": PROMETHEUS_OPERATOR,
  "prometheus-config-reloader": PROMETHEUS_CONFIG_RELOADER,
  prometheus: PROMETHEUS,
  "prometheus-example-app": PROMETHEUS_EXAMPLE_APP,
  kyverno: KYVERNO,
  kyvernopre: KYVERNO_PRE,
  "kyverno-background-controller": KYVERNO_BACKGROUND,
  "kyverno-cleanup-controller": KYVERNO_CLEANUP,
  "kyverno-reports-controller": KYVERNO_REPORTS,
  "envoy-proxy": ENVOY_PROXY,
  "echo-basic": ECHO_BASIC,
  podinfo: PODINFO,
  "metallb-controller": METALLB_CONTROLLER,
  "metallb-speaker": METALLB_SPEAKER,
  "bookinfo-details": BOOKINFO_DETAILS,
  "bookinfo-ratings": BOOKINFO_RATINGS,
  "bookinfo-reviews-v1": BOOKINFO_REVIEWS,
  "bookinfo-reviews-v2": BOOKINFO_REVIEWS,
  "bookinfo-reviews-v3": BOOKINFO_REVIEWS,
  "bookinfo-productpage": BOOKINFO_PRODUCTPAGE,
  echoserver: ECHOSERVER,
  "hpa-example": HPA_EXAMPLE,
  "hello-app": HELLO_APP,
  "node-hello": NODE_HELLO,
  "kubernetes-bootcamp": BOOTCAMP,
  "kubernetes-bootcamp-v2": BOOTCAMP,
  "gb-frontend": GB_FRONTEND,
  "hello-go-gke": HELLO_GO,
  "hello-frontend": NGINX,
  "polinux-stress": POLINUX_STRESS,
  "vish-stress": VISH_STRESS,
  // The course's init image: its command runs in the shell; without one it waits until stopped.
  "course-init": { fallback: (argv, l) => (argv.length === 0 ? new RunUntilStopped(l.io.clock) : undefined) },
  // An image the catalogue does not model: a command the shell knows runs there, anything else is the generic process.
  generic: {
    intercept: (argv, l, ctx) => (l.container.command?.length ? undefined : launchGeneric(l, ctx.startMs)),
    fallback: (argv, l, ctx) => launchGeneric(l, ctx.startMs),
  },
};

export function modelBehaviour(model: string): ModelBehaviour {
  return MODEL_BEHAVIOURS[model] ?? {};
}
