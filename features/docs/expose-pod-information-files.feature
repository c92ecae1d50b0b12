Feature: Expose Pod Information to Containers Through Files
  # Source: https://kubernetes.io/docs/tasks/inject-data-application/downward-api-volume-expose-pod-information/
  #
  # A downwardAPI volume writes the pod's labels and annotations (`key="value"` lines, in key
  # order) and the container's requests and limits (in the divisor's unit) as files.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The container's log shows the labels and annotations files
    When I apply the manifest file "exercises/docs/pods/inject/dapi-volume.yaml"
    And 10 seconds pass
    When I run "kubectl get pods"
    Then the output contains:
      """
      kubernetes-downwardapi-volume-example   1/1     Running   0
      """
    And the logs of pod "kubernetes-downwardapi-volume-example" contain:
      """
      cluster="test-cluster1"
      rack="rack-22"
      zone="us-est-coast"

      build="two"
      builder="john-doe"
      """

  Scenario: The labels file holds every label; the annotations file every annotation the kubelet sees
    When I apply the manifest file "exercises/docs/pods/inject/dapi-volume.yaml"
    And 10 seconds pass
    And I run "kubectl exec kubernetes-downwardapi-volume-example -- cat /etc/podinfo/labels"
    Then the output is:
      """
      cluster="test-cluster1"
      rack="rack-22"
      zone="us-est-coast"
      """
    When I run "kubectl exec kubernetes-downwardapi-volume-example -- cat /etc/podinfo/annotations"
    Then the output contains:
      """
      build="two"
      builder="john-doe"
      """
    And the output contains:
      """
      kubernetes.io/config.source="api"
      """
    When I run "kubectl exec kubernetes-downwardapi-volume-example -- ls /etc/podinfo"
    Then the output is:
      """
      annotations
      labels
      """

  Scenario: A new label reaches the labels file (the volume is refreshed)
    When I apply the manifest file "exercises/docs/pods/inject/dapi-volume.yaml"
    And 10 seconds pass
    And I run "kubectl label pod kubernetes-downwardapi-volume-example tier=frontend"
    And 5 seconds pass
    And I run "kubectl exec kubernetes-downwardapi-volume-example -- cat /etc/podinfo/labels"
    Then the output is:
      """
      cluster="test-cluster1"
      rack="rack-22"
      tier="frontend"
      zone="us-est-coast"
      """

  Scenario: Container fields: limits and requests in the divisor's unit
    When I apply the manifest file "exercises/docs/pods/inject/dapi-volume-resources.yaml"
    And 10 seconds pass
    And I run "kubectl exec kubernetes-downwardapi-volume-example-2 -- cat /etc/podinfo/cpu_limit"
    Then the output is:
      """
      250
      """
    When I run "kubectl exec kubernetes-downwardapi-volume-example-2 -- sh -c 'cat /etc/podinfo/cpu_request; echo; cat /etc/podinfo/mem_limit; echo; cat /etc/podinfo/mem_request'"
    Then the output is:
      """
      125
      64
      32
      """
