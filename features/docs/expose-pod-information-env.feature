Feature: Expose Pod Information to Containers Through Environment Variables
  # Source: https://kubernetes.io/docs/tasks/inject-data-application/environment-variable-expose-pod-information/
  #
  # The downward API in env: pod fields (fieldRef) and container resources (resourceFieldRef).
  # The page ran on minikube, so the node here is called minikube too; the pod IP is the
  # simulated cluster's (the page shows 172.17.0.4).

  Background:
    Given a cluster with nodes:
      | name     |
      | minikube |

  Scenario: The container prints the pod's node, name, namespace, IP and service account
    When I apply the manifest file "exercises/docs/pods/inject/dapi-envars-pod.yaml"
    And 15 seconds pass
    Then pod "dapi-envars-fieldref" is Running
    When I run "kubectl get pod dapi-envars-fieldref -o jsonpath={.status.podIP}"
    Then the output is:
      """
      10.244.0.2
      """
    And the logs of pod "dapi-envars-fieldref" contain:
      """
      minikube
      dapi-envars-fieldref
      default
      10.244.0.2
      default
      """

  Scenario: printenv in the container shows the variables with the pod's values
    When I apply the manifest file "exercises/docs/pods/inject/dapi-envars-pod.yaml"
    And 15 seconds pass
    And I run "kubectl exec dapi-envars-fieldref -- printenv"
    Then the output contains:
      """
      MY_NODE_NAME=minikube
      MY_POD_NAME=dapi-envars-fieldref
      MY_POD_NAMESPACE=default
      MY_POD_IP=10.244.0.2
      MY_POD_SERVICE_ACCOUNT=default
      """
    And the output contains:
      """
      HOSTNAME=dapi-envars-fieldref
      """
    And the output contains:
      """
      KUBERNETES_SERVICE_HOST=10.96.0.1
      """

  Scenario: The container prints its own requests and limits
    When I apply the manifest file "exercises/docs/pods/inject/dapi-envars-container.yaml"
    And 15 seconds pass
    Then pod "dapi-envars-resourcefieldref" is Running
    And the logs of pod "dapi-envars-resourcefieldref" contain:
      """
      1
      1
      33554432
      67108864
      """
