Feature: Configure a Pod to Use a ConfigMap
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/
  #
  # ConfigMap data as environment variables (one key, several ConfigMaps, every key with envFrom),
  # in a command line through `$(VAR)`, and as files of a volume. The pods run `env`, `echo`, `ls`
  # or `cat` once and stop (restartPolicy Never), so their logs hold what the page shows.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Environment variables from two ConfigMaps
    When I apply the manifest file "exercises/docs/configmap/configmaps.yaml"
    And I apply the manifest file "exercises/docs/pods/pod-multiple-configmap-env-variable.yaml"
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    And the logs of pod "dapi-test-pod" contain:
      """
      SPECIAL_LEVEL_KEY=very
      LOG_LEVEL=INFO
      """

  Scenario: Every key of a ConfigMap as an environment variable (envFrom)
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I apply the manifest file "exercises/docs/pods/pod-configmap-envFrom.yaml"
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    And the logs of pod "dapi-test-pod" contain:
      """
      SPECIAL_LEVEL=very
      SPECIAL_TYPE=charm
      """

  Scenario: ConfigMap-defined variables in the command, through $(VAR_NAME)
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I apply the manifest file "exercises/docs/pods/pod-configmap-env-var-valueFrom.yaml"
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    When I run "kubectl logs dapi-test-pod"
    Then the output is:
      """
      very charm
      """

  Scenario: A ConfigMap as a volume: one file per key
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I apply the manifest file "exercises/docs/pods/pod-configmap-volume.yaml"
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    When I run "kubectl logs dapi-test-pod"
    Then the output is:
      """
      SPECIAL_LEVEL
      SPECIAL_TYPE
      """

  Scenario: A key of a ConfigMap at a path of the volume (items)
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I apply the manifest file "exercises/docs/pods/pod-configmap-volume-specific-key.yaml"
    Then within 30 seconds pod "dapi-test-pod" is Succeeded
    When I run "kubectl logs dapi-test-pod"
    Then the output is:
      """
      very
      """

  Scenario: A pod referencing a ConfigMap that does not exist does not start
    When I apply the manifest file "exercises/docs/pods/pod-configmap-envFrom.yaml"
    And 10 seconds pass
    Then container "test-container" of pod "dapi-test-pod" is waiting with reason "CreateContainerConfigError"
    And the events of pod "dapi-test-pod" contain:
      """
      Warning Failed Error: configmap "special-config" not found
      """

  Scenario: describe configmap shows each key and its value
    When I apply the manifest file "exercises/docs/configmap/configmap-multikeys.yaml"
    And I run "kubectl describe configmap special-config"
    Then the output is:
      """
      Name:         special-config
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>

      Data
      ====
      SPECIAL_LEVEL:
      ----
      very

      SPECIAL_TYPE:
      ----
      charm


      BinaryData
      ====

      Events:  <none>
      """
