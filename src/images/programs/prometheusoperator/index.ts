/**
 * The Prometheus Operator's images (github.com/prometheus-operator/prometheus-operator, modelled on
 * v0.80.1): `quay.io/prometheus-operator/prometheus-operator` (Dockerfile: the Go binary
 * `/bin/operator` on quay.io/prometheus/busybox, USER 65534, `ENTRYPOINT ["/bin/operator"]`).
 * Its program: ./operator.ts, with the Prometheus controller of ./prometheus.ts.
 */
import type { ModelBehaviour } from "../../launch.ts";
import { launchOperator } from "./operator.ts";
import { PrometheusOperatorWithPrometheus } from "./prometheus.ts";
import { launchReloader } from "./reloader.ts";
import { launchPrometheusWith } from "./prometheusserver.ts";
import { ScrapingPrometheus } from "./scrape.ts";
import { launchExampleApp } from "./exampleapp.ts";
import type { ContainerLaunch } from "../../../runtime/types.ts";
import type { ProgramContext } from "../../launch.ts";

const launch = (argv: string[], l: ContainerLaunch, ctx: ProgramContext) => launchOperator(argv, l, ctx, (l2, f, pod, api) => new PrometheusOperatorWithPrometheus(l2, f, pod, api));

export const PROMETHEUS_OPERATOR: ModelBehaviour = { programs: { "/bin/operator": launch, operator: launch } };

export const PROMETHEUS_CONFIG_RELOADER: ModelBehaviour = { programs: { "/bin/prometheus-config-reloader": launchReloader, "prometheus-config-reloader": launchReloader } };

const launchPrometheus = launchPrometheusWith((l, flags, ctx) => new ScrapingPrometheus(l, flags, ctx, l));
export const PROMETHEUS: ModelBehaviour = { programs: { "/bin/prometheus": launchPrometheus, prometheus: launchPrometheus } };
export const PROMETHEUS_EXAMPLE_APP: ModelBehaviour = { programs: { "/bin/prometheus-example-app": launchExampleApp, "prometheus-example-app": launchExampleApp } };
