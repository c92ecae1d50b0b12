Feature: Adopting Sidecar Containers: is the SidecarContainers feature gate on?
  # Source: https://kubernetes.io/docs/tutorials/configuration/pod-sidecar-containers/
  #
  # "Ensure the feature gate is enabled": the page reads the API server's own Prometheus metrics
  # (`kubectl get --raw /metrics`) and each node's kubelet's, through the API server's node proxy
  # (`/api/v1/nodes/<node-name>/proxy/metrics`), where every component reports each of its feature
  # gates as `kubernetes_feature_enabled{name,stage}` (1 when on). In v1.32 SidecarContainers is a
  # beta feature, on by default.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The API server reports the SidecarContainers gate as beta and enabled
    When I run "kubectl get --raw /metrics | grep kubernetes_feature_enabled | grep SidecarContainers"
    Then the output is:
      """
      kubernetes_feature_enabled{name="SidecarContainers",stage="BETA"} 1
      """

  Scenario: Each node's kubelet reports the SidecarContainers gate as beta and enabled
    When I run "kubectl get --raw /api/v1/nodes/k8s-node1/proxy/metrics | grep kubernetes_feature_enabled | grep SidecarContainers"
    Then the output is:
      """
      kubernetes_feature_enabled{name="SidecarContainers",stage="BETA"} 1
      """

  Scenario: The metric's HELP and TYPE lines, as the Prometheus text format writes them
    When I run "kubectl get --raw /metrics | grep -B2 'name=\"APIListChunking\"'"
    Then the output is:
      """
      # HELP kubernetes_feature_enabled [BETA] This metric records the data about the stage and enablement of a k8s feature.
      # TYPE kubernetes_feature_enabled gauge
      kubernetes_feature_enabled{name="APIListChunking",stage=""} 1
      """
