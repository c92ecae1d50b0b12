/**
 * The Prometheus Operator's images (github.com/prometheus-operator/prometheus-operator, modelled on
 * v0.80.1): `quay.io/prometheus-operator/prometheus-operator` (Dockerfile: the Go binary
 * `/bin/operator` on quay.io/prometheus/busybox, USER 65534, `ENTRYPOINT ["/bin/operator"]`).
 * Its program: ./operator.ts.
 */
import type { ModelBehaviour } from "../../launch.ts";
import { launchOperator } from "./operator.ts";

export const PROMETHEUS_OPERATOR: ModelBehaviour = { programs: { "/bin/operator": launchOperator, operator: launchOperator } };
