/**
 * kubeadm's DNS add-on: CoreDNS as `kubeadm init` installs it in kube-system (ports
 * cmd/kubeadm/app/phases/addons/dns/manifests.go, rendered as dns.go renders it for a v1.32
 * cluster: DeploymentName coredns, Replicas 2, Image registry.k8s.io/coredns/coredns:v1.11.3
 * (constants.CoreDNSVersion), ControlPlaneTaintKey node-role.kubernetes.io/control-plane,
 * DNSDomain cluster.local, DNSIP 10.96.0.10 (the tenth address of the service CIDR); the Corefile's
 * `cache 30 { disable success/denial cluster.local }` is kubernetes/kubernetes#128359, v1.32).
 *
 * createCoreDNSAddon's order: the ConfigMap `coredns` (the Corefile), the ClusterRole and
 * ClusterRoleBinding `system:coredns`, the ServiceAccount `coredns`, the Deployment `coredns`, the
 * Service `kube-dns`. Written through the API as kubeadm's client writes them, so the Deployment
 * controller, the scheduler and the kubelets run the pods (label `k8s-app=kube-dns`) as on a real
 * cluster: they take their requests (100m CPU, 70Mi) on the nodes, tolerate the control-plane
 * taint and spread by preferred anti-affinity.
 *
 * Name resolution itself does not go through these pods: the cluster's DNS answers (src/network),
 * routing names outside the cluster by the Corefile the running pods loaded
 * (src/images/programs/coredns.ts), by kubeadm's default without them (docs/divergences.md).
 */
import type { ApiServer } from "../../api/store.ts";
import type { KObject } from "../../api/types.ts";
import { KUBE_DNS_IP } from "../../api/registry/core/service/ipallocator.ts";

export const COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.11.3";
export const DNS_DOMAIN = "cluster.local";

/** The Corefile kubeadm v1.32 writes into the `coredns` ConfigMap (CoreDNSConfigMap, DNSDomain cluster.local). */
export const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${DNS_DOMAIN} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${DNS_DOMAIN}
       disable denial ${DNS_DOMAIN}
    }
    loop
    reload
    loadbalance
}
`;

/** The objects, in the order kubeadm creates them. */
export function coreDNSAddonObjects(): KObject[] {
  const port = (name: string, port: number, protocol: string) => ({ name, port, protocol, targetPort: port });
  return [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "coredns", namespace: "kube-system" }, data: { Corefile: COREFILE } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "system:coredns" },
      rules: [
        { apiGroups: [""], resources: ["endpoints", "services", "pods", "namespaces"], verbs: ["list", "watch"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "system:coredns" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:coredns" },
      subjects: [{ kind: "ServiceAccount", name: "coredns", namespace: "kube-system" }],
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "coredns", namespace: "kube-system" } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "coredns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
      spec: {
        replicas: 2,
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
        selector: { matchLabels: { "k8s-app": "kube-dns" } },
        template: {
          metadata: { labels: { "k8s-app": "kube-dns" } },
          spec: {
            priorityClassName: "system-cluster-critical",
            serviceAccountName: "coredns",
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: { labelSelector: { matchExpressions: [{ key: "k8s-app", operator: "In", values: ["kube-dns"] }] }, topologyKey: "kubernetes.io/hostname" },
                  },
                ],
              },
            },
            tolerations: [
              { key: "CriticalAddonsOnly", operator: "Exists" },
              { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
            ],
            nodeSelector: { "kubernetes.io/os": "linux" },
            containers: [
              {
                name: "coredns",
                image: COREDNS_IMAGE,
                imagePullPolicy: "IfNotPresent",
                resources: { limits: { memory: "170Mi" }, requests: { cpu: "100m", memory: "70Mi" } },
                args: ["-conf", "/etc/coredns/Corefile"],
                volumeMounts: [{ name: "config-volume", mountPath: "/etc/coredns", readOnly: true }],
                ports: [
                  { containerPort: 53, name: "dns", protocol: "UDP" },
                  { containerPort: 53, name: "dns-tcp", protocol: "TCP" },
                  { containerPort: 9153, name: "metrics", protocol: "TCP" },
                  { containerPort: 8080, name: "liveness-probe", protocol: "TCP" },
                  { containerPort: 8181, name: "readiness-probe", protocol: "TCP" },
                ],
                livenessProbe: { httpGet: { path: "/health", port: "liveness-probe", scheme: "HTTP" }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
                readinessProbe: { httpGet: { path: "/ready", port: "readiness-probe", scheme: "HTTP" } },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] }, readOnlyRootFilesystem: true },
              },
            ],
            dnsPolicy: "Default",
            volumes: [{ name: "config-volume", configMap: { name: "coredns", items: [{ key: "Corefile", path: "Corefile" }] } }],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        labels: { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" },
        name: "kube-dns",
        namespace: "kube-system",
        annotations: { "prometheus.io/port": "9153", "prometheus.io/scrape": "true" },
      },
      spec: {
        clusterIP: KUBE_DNS_IP,
        ports: [port("dns", 53, "UDP"), port("dns-tcp", 53, "TCP"), port("metrics", 9153, "TCP")],
        selector: { "k8s-app": "kube-dns" },
      },
    },
  ];
}

/**
 * EnsureDNSAddon: creates what is missing (kubeadm's createOrUpdate keeps an existing object here:
 * the add-on is installed once). Returns the names of the objects it created.
 */
export function installCoreDNSAddon(api: ApiServer): string[] {
  const created: string[] = [];
  for (const obj of coreDNSAddonObjects()) {
    if (api.get(obj.kind, obj.metadata.namespace, obj.metadata.name!)) continue;
    api.create(obj);
    created.push(`${obj.kind}/${obj.metadata.name}`);
  }
  return created;
}
