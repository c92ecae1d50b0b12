Feature: kubectl set env: environment variables on a Deployment's pod template
  # Source: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_set/kubectl_set_env/
  #
  # The reference page's examples against its `registry` Deployment: set a variable, list the
  # environment, import a ConfigMap's keys (all of them with a prefix, or only some), remove a
  # variable. Each change to the pod template rolls the Deployment out again, and the new Pod
  # carries the variables.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create deployment registry --image=registry:2"
    And I run "kubectl create configmap myconfigmap --from-literal=my-example-key=blue --from-literal=db.port=3306"
    And I run "kubectl rollout status deployment/registry"

  Scenario: Set a variable, list the environment, and the new Pod has it
    When I run "kubectl set env deployment/registry STORAGE_DIR=/local"
    Then the output is:
      """
      deployment.apps/registry env updated
      """
    When I run "kubectl set env deployment/registry --list"
    Then the output is:
      """
      # Deployment registry, container registry
      STORAGE_DIR=/local
      """
    When I run "kubectl rollout status deployment/registry"
    And 30 seconds pass
    And I run "kubectl get pods -l app=registry -o jsonpath={.items[*].spec.containers[0].env}"
    Then the output is:
      """
      [{"name":"STORAGE_DIR","value":"/local"}]
      """
    # Setting the same value again changes nothing: kubectl sends no patch and prints nothing.
    When I run "kubectl set env deployment/registry STORAGE_DIR=/local"
    Then the output is:
      """
      """
    When I run "kubectl set env deployment/registry STORAGE_DIR-"
    Then the output is:
      """
      deployment.apps/registry env updated
      """
    When I run "kubectl set env deployment/registry --list"
    Then the output is:
      """
      # Deployment registry, container registry
      """

  Scenario: Import a ConfigMap's keys as references, with a prefix or only some keys
    When I run "kubectl set env --from=configmap/myconfigmap --prefix=MYSQL_ deployment/registry"
    Then the output is:
      """
      deployment.apps/registry env updated
      """
    When I run "kubectl set env deployment/registry --list"
    Then the output is:
      """
      # Deployment registry, container registry
      # MYSQL_DB_PORT from configmap myconfigmap, key db.port
      # MYSQL_MY_EXAMPLE_KEY from configmap myconfigmap, key my-example-key
      """
    When I run "kubectl set env deployment/registry --list --resolve"
    Then the output is:
      """
      # Deployment registry, container registry
      MYSQL_DB_PORT=3306
      MYSQL_MY_EXAMPLE_KEY=blue
      """
    When I run "kubectl set env --keys=my-example-key --from=configmap/myconfigmap deployment/registry"
    And I run "kubectl rollout status deployment/registry"
    And 30 seconds pass
    And I run "kubectl get pods -l app=registry -o jsonpath={.items[*].spec.containers[0].env[*].name}"
    Then the output is:
      """
      MYSQL_DB_PORT MYSQL_MY_EXAMPLE_KEY MY_EXAMPLE_KEY
      """

  Scenario: Mistakes kubectl refuses
    When I try to run "kubectl set env deployment/registry A=1 deployment/other"
    Then the command fails with:
      """
      error: all resources must be specified before environment changes: deployment/registry A=1 deployment/other
      """
    When I try to run "kubectl set env deployment/registry --keys=my-example-key"
    Then the command fails with:
      """
      error: when specifying --keys, a configmap or secret must be provided with --from
      """
    When I run "kubectl set env deployment/registry MODE=fast"
    And I try to run "kubectl set env deployment/registry MODE=slow --overwrite=false"
    Then the command fails with:
      """
      error: deployments/registry 'MODE' already has a value (fast), and --overwrite is false
      """
    When I run "kubectl set env deployment/registry -c sidecar MODE=slow"
    Then the error output is:
      """
      warning: Deployment/registry does not have any containers matching "sidecar"
      """
