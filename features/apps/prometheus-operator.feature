@epic:Apps @feature:PrometheusOperator
Feature: The Prometheus Operator, installed from its release bundle
  # Sources: https://prometheus-operator.dev/docs/getting-started/installation/ (v0.80:
  # Documentation/getting-started/installation.md at the tag v0.80.1, "Install using YAML files":
  # the release's bundle.yaml with `kubectl create -f`, then `kubectl wait --for=condition=Ready pods
  # -l app.kubernetes.io/name=prometheus-operator`) and Documentation/getting-started/compatibility.md
  # (v0.80.1 is built with client-go v0.32.1, the Kubernetes 1.32 client). The page pipes the
  # download into `kubectl create -f -`; here kubectl reads the pinned URL (exercises/apps/
  # prometheus-operator/bundle.yaml, the release asset, which is the tag's bundle.yaml). The
  # operator's image follows the tag's source (src/images/programs/prometheusoperator/).
  The bundle holds the operator's ten CustomResourceDefinitions (Prometheus, ServiceMonitor,
  PodMonitor, PrometheusRule, Alertmanager …), its RBAC and its Deployment in the default namespace.

  Background:
    Given a cluster with nodes:
      | name        | cpu | memory |
      | kind-worker | 4   | 8Gi    |

  Scenario: kubectl apply cannot install it: six CRDs exceed the last-applied annotation's limit
    # The page installs with `kubectl create`: client-side apply keeps the whole object in the
    # kubectl.kubernetes.io/last-applied-configuration annotation, and six of the CRDs are larger
    # than the 262,144 bytes an object's annotations may hold (prometheus-operator issues #4348
    # and #7363, the latter with v0.80.1's bundle; their older API servers word the limit "must have
    # at most", v1.32's "may not be more than"). The other objects are created.
    When I try to run "kubectl apply -f https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.80.1/bundle.yaml"
    Then the command fails with:
      """
      Error from server (Invalid): error when creating "https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.80.1/bundle.yaml": CustomResourceDefinition.apiextensions.k8s.io "alertmanagerconfigs.monitoring.coreos.com" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes
      Error from server (Invalid): error when creating "https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.80.1/bundle.yaml": CustomResourceDefinition.apiextensions.k8s.io "alertmanagers.monitoring.coreos.com" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes
      Error from server (Invalid): error when creating "https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.80.1/bundle.yaml": CustomResourceDefinition.apiextensions.k8s.io "prometheusagents.monitoring.coreos.com" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes
      Error from server (Invalid): error when creating "https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.80.1/bundle.yaml": CustomResourceDefinition.apiextensions.k8s.io "prometheuses.monitoring.coreos.com" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes
      Error from server (Invalid): error when creating "https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.80.1/bundle.yaml": CustomResourceDefinition.apiextensions.k8s.io "scrapeconfigs.monitoring.coreos.com" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes
      Error from server (Invalid): error when creating "https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.80.1/bundle.yaml": CustomResourceDefinition.apiextensions.k8s.io "thanosrulers.monitoring.coreos.com" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes
      """
    When I run "kubectl get crds"
    Then the output is:
      """
      NAME                                    CREATED AT
      podmonitors.monitoring.coreos.com       2024-01-08T00:00:00Z
      probes.monitoring.coreos.com            2024-01-08T00:00:00Z
      prometheusrules.monitoring.coreos.com   2024-01-08T00:00:00Z
      servicemonitors.monitoring.coreos.com   2024-01-08T00:00:00Z
      """

  Scenario: kubectl create installs the CRDs and the operator, which keeps the kubelet Service
    When I run "kubectl create -f https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.80.1/bundle.yaml"
    Then the output is:
      """
      customresourcedefinition.apiextensions.k8s.io/alertmanagerconfigs.monitoring.coreos.com created
      customresourcedefinition.apiextensions.k8s.io/alertmanagers.monitoring.coreos.com created
      customresourcedefinition.apiextensions.k8s.io/podmonitors.monitoring.coreos.com created
      customresourcedefinition.apiextensions.k8s.io/probes.monitoring.coreos.com created
      customresourcedefinition.apiextensions.k8s.io/prometheusagents.monitoring.coreos.com created
      customresourcedefinition.apiextensions.k8s.io/prometheuses.monitoring.coreos.com created
      customresourcedefinition.apiextensions.k8s.io/prometheusrules.monitoring.coreos.com created
      customresourcedefinition.apiextensions.k8s.io/scrapeconfigs.monitoring.coreos.com created
      customresourcedefinition.apiextensions.k8s.io/servicemonitors.monitoring.coreos.com created
      customresourcedefinition.apiextensions.k8s.io/thanosrulers.monitoring.coreos.com created
      clusterrolebinding.rbac.authorization.k8s.io/prometheus-operator created
      clusterrole.rbac.authorization.k8s.io/prometheus-operator created
      deployment.apps/prometheus-operator created
      serviceaccount/prometheus-operator created
      service/prometheus-operator created
      """
    When I run "kubectl wait --for condition=Established crd --all"
    Then the output is:
      """
      customresourcedefinition.apiextensions.k8s.io/alertmanagerconfigs.monitoring.coreos.com condition met
      customresourcedefinition.apiextensions.k8s.io/alertmanagers.monitoring.coreos.com condition met
      customresourcedefinition.apiextensions.k8s.io/podmonitors.monitoring.coreos.com condition met
      customresourcedefinition.apiextensions.k8s.io/probes.monitoring.coreos.com condition met
      customresourcedefinition.apiextensions.k8s.io/prometheusagents.monitoring.coreos.com condition met
      customresourcedefinition.apiextensions.k8s.io/prometheuses.monitoring.coreos.com condition met
      customresourcedefinition.apiextensions.k8s.io/prometheusrules.monitoring.coreos.com condition met
      customresourcedefinition.apiextensions.k8s.io/scrapeconfigs.monitoring.coreos.com condition met
      customresourcedefinition.apiextensions.k8s.io/servicemonitors.monitoring.coreos.com condition met
      customresourcedefinition.apiextensions.k8s.io/thanosrulers.monitoring.coreos.com condition met
      """
    When I run "kubectl wait --for=condition=Ready pods -l app.kubernetes.io/name=prometheus-operator"
    Then the output is:
      """
      pod/prometheus-operator-6dcb846c7c-k65qh condition met
      """
    When I run "kubectl get deployment prometheus-operator"
    Then the output is:
      """
      NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
      prometheus-operator   1/1     1            1           1s
      """
    # --kubelet-service=kube-system/kubelet: the operator keeps a headless Service and its
    # Endpoints listing every node's kubelet ports (pkg/kubelet/controller.go), which a
    # ServiceMonitor can select to scrape the kubelets.
    When I run "kubectl get service,endpoints -n kube-system -l app.kubernetes.io/managed-by=prometheus-operator"
    Then the output is:
      """
      NAME              TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                        AGE
      service/kubelet   ClusterIP   None         <none>        10250/TCP,10255/TCP,4194/TCP   0s

      NAME                ENDPOINTS                                           AGE
      endpoints/kubelet   172.18.0.3:10250,172.18.0.3:10255,172.18.0.3:4194   0s
      """
    When I run "kubectl api-resources --api-group=monitoring.coreos.com"
    Then the output is:
      """
      NAME                  SHORTNAMES   APIVERSION                       NAMESPACED   KIND
      alertmanagerconfigs   amcfg        monitoring.coreos.com/v1alpha1   true         AlertmanagerConfig
      alertmanagers         am           monitoring.coreos.com/v1         true         Alertmanager
      podmonitors           pmon         monitoring.coreos.com/v1         true         PodMonitor
      probes                prb          monitoring.coreos.com/v1         true         Probe
      prometheusagents      promagent    monitoring.coreos.com/v1alpha1   true         PrometheusAgent
      prometheuses          prom         monitoring.coreos.com/v1         true         Prometheus
      prometheusrules       promrule     monitoring.coreos.com/v1         true         PrometheusRule
      scrapeconfigs         scfg         monitoring.coreos.com/v1alpha1   true         ScrapeConfig
      servicemonitors       smon         monitoring.coreos.com/v1         true         ServiceMonitor
      thanosrulers          ruler        monitoring.coreos.com/v1         true         ThanosRuler
      """

  Scenario: A Prometheus selecting the example app's ServiceMonitor becomes a StatefulSet the operator configures
    # The Platform Guide's "Deploying Prometheus" (Documentation/platform/platform-guide.md: the
    # prometheus ServiceAccount, ClusterRole and ClusterRoleBinding of example/rbac/prometheus) and
    # the Getting Started's "Using ServiceMonitors" (Documentation/developer/getting-started.md: the
    # example app's Deployment, Service and ServiceMonitor, and the Prometheus of
    # example/user-guides/getting-started/prometheus-service-monitor.yaml), all at the tag v0.80.1.
    When I run "kubectl create -f https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.80.1/bundle.yaml"
    And I run "kubectl wait --for=condition=Ready pods -l app.kubernetes.io/name=prometheus-operator"
    And I run "kubectl apply -f exercises/apps/prometheus-operator/example/rbac/prometheus"
    Then the output is:
      """
      clusterrolebinding.rbac.authorization.k8s.io/prometheus created
      clusterrole.rbac.authorization.k8s.io/prometheus created
      serviceaccount/prometheus created
      """
    When I run "kubectl apply -f exercises/apps/prometheus-operator/example/user-guides/getting-started/example-app-deployment.yaml -f exercises/apps/prometheus-operator/example/user-guides/getting-started/example-app-service.yaml -f exercises/apps/prometheus-operator/example/user-guides/getting-started/example-app-service-monitor.yaml"
    Then the output is:
      """
      deployment.apps/example-app created
      service/example-app created
      servicemonitor.monitoring.coreos.com/example-app created
      """
    When I run "kubectl apply -f exercises/apps/prometheus-operator/example/user-guides/getting-started/prometheus-service-monitor.yaml"
    Then the output is:
      """
      prometheus.monitoring.coreos.com/prometheus created
      """
    When 60 seconds pass
    And I run "kubectl get -n default prometheus prometheus"
    Then the output is:
      """
      NAME         VERSION   DESIRED   READY   RECONCILED   AVAILABLE   AGE
      prometheus                       1       True         True        60s
      """
    When I run "kubectl get statefulset prometheus-prometheus"
    Then the output is:
      """
      NAME                    READY   AGE
      prometheus-prometheus   1/1     60s
      """
    When I run "kubectl get pods -l prometheus=prometheus"
    Then the output is:
      """
      NAME                      READY   STATUS    RESTARTS   AGE
      prometheus-prometheus-0   2/2     Running   0          60s
      """
    When I run "kubectl get services,secrets,configmaps -l app.kubernetes.io/managed-by=prometheus-operator"
    Then the output is:
      """
      NAME                          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE
      service/prometheus-operated   ClusterIP   None         <none>        9090/TCP   60s

      NAME                                                              TYPE     DATA   AGE
      secret/prometheus-prometheus                                      Opaque   1      60s
      secret/prometheus-prometheus-thanos-prometheus-http-client-file   Opaque   1      60s
      secret/prometheus-prometheus-tls-assets-0                         Opaque   0      60s
      secret/prometheus-prometheus-web-config                           Opaque   1      60s

      NAME                                          DATA   AGE
      configmap/prometheus-prometheus-rulefiles-0   0      60s
      """
    # The operator writes the scrape configuration, gzipped, into the Secret prometheus-prometheus;
    # the config-reloader expands it ($(POD_NAME), $(SHARD)) for Prometheus.
    When I run "kubectl exec prometheus-prometheus-0 -c config-reloader -- head -16 /etc/prometheus/config_out/prometheus.env.yaml"
    Then the output is:
      """
      global:
        scrape_interval: 30s
        external_labels:
          prometheus: default/prometheus
          prometheus_replica: prometheus-prometheus-0
        evaluation_interval: 30s
      scrape_configs:
      - job_name: serviceMonitor/default/example-app/0
        honor_labels: false
        kubernetes_sd_configs:
        - role: endpoints
          namespaces:
            names:
            - default
        relabel_configs:
        - source_labels:
      """
    When I run "kubectl get prometheus prometheus -o jsonpath='{range .status.conditions[*]}{.type}={.status} {end}'"
    Then the output is:
      """
      Available=True Reconciled=True
      """
    # The example app's three pods are the targets of the ServiceMonitor's job; Prometheus scrapes
    # them every 30 s (the Prometheus's default scrapeInterval). The Platform Guide's NodePort
    # Service exposes it; here a pod asks it through the governing Service.
    When I run "kubectl apply -f exercises/apps/prometheus-operator/example/user-guides/getting-started/prometheus-service.yaml"
    Then the output is:
      """
      service/prometheus created
      """
    When I run "kubectl run curl --image=curlimages/curl:8.11.1 --restart=Never --command -- sleep 3600"
    And 30 seconds pass
    And I run "kubectl exec curl -- curl -s http://prometheus-operated:9090/api/v1/query?query=up%7Bpod%3D%22example-app-7687cc87d4-9bdsv%22%7D"
    Then the output is:
      """
      {"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","container":"example-app","endpoint":"web","instance":"10.244.0.3:8080","job":"example-app","namespace":"default","pod":"example-app-7687cc87d4-9bdsv","service":"example-app"},"value":[1704672091.225,"1"]}]}}
      """
    When I run "kubectl exec curl -- curl -s http://prometheus:9090/api/v1/targets?state=dropped"
    Then the output contains:
      """
      "droppedTargetCounts":{"serviceMonitor/default/example-app/0":
      """
