Feature: Imperative Management of Kubernetes Objects Using Configuration Files
  # Source: https://kubernetes.io/docs/tasks/manage-kubernetes-objects/imperative-config/
  #
  # The page names its commands with placeholders (`<filename|url>`, `<kind>/<name>`); here they
  # are the Deployment of k8s.io/examples/application/deployment.yaml (exercises/docs/application/
  # deployment.yaml, verbatim). `kubectl create --edit` opens an editor, which is not simulated:
  # it says so.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Create, view, update and delete an object from its configuration file
    When I run "kubectl create -f https://k8s.io/examples/application/deployment.yaml"
    Then the output is:
      """
      deployment.apps/nginx-deployment created
      """
    When 10 seconds pass
    And I run "kubectl get -f https://k8s.io/examples/application/deployment.yaml -o yaml"
    Then the output contains:
      """
      kind: Deployment
      metadata:
        annotations:
          deployment.kubernetes.io/revision: "1"
      """
    And the output contains:
      """
      status:
        availableReplicas: 2
      """
    When I run "kubectl replace -f https://k8s.io/examples/application/deployment.yaml"
    Then the output is:
      """
      deployment.apps/nginx-deployment replaced
      """
    When I run "kubectl delete -f https://k8s.io/examples/application/deployment.yaml"
    Then the output is:
      """
      deployment.apps "nginx-deployment" deleted
      """
    When I try to run "kubectl get -f https://k8s.io/examples/application/deployment.yaml -o yaml"
    Then the command fails with:
      """
      Error from server (NotFound): deployments.apps "nginx-deployment" not found
      """

  Scenario: Limitations: replace drops what another writer changed
    # 1. You create an object from a configuration file.
    When I run "kubectl create -f https://k8s.io/examples/application/deployment.yaml"
    # 2. Another source updates the object by changing some field.
    And I run "kubectl scale deployment nginx-deployment --replicas=3"
    And 10 seconds pass
    And I run "kubectl get deployment nginx-deployment"
    Then the output is:
      """
      NAME               READY   UP-TO-DATE   AVAILABLE   AGE
      nginx-deployment   3/3     3            3           10s
      """
    # 3. You replace the object from the configuration file: the change of step 2 is lost.
    When I run "kubectl replace -f https://k8s.io/examples/application/deployment.yaml"
    And 10 seconds pass
    And I run "kubectl get deployment nginx-deployment"
    Then the output is:
      """
      NAME               READY   UP-TO-DATE   AVAILABLE   AGE
      nginx-deployment   2/2     2            2           20s
      """

  Scenario: Creating and editing an object from a URL without saving the configuration
    When I try to run "kubectl create -f https://k8s.io/examples/application/deployment.yaml --edit"
    Then the command fails with:
      """
      error: kubectl create --edit is not simulated
      """
    And I try to run "kubectl get deployment nginx-deployment"
    Then the command fails with:
      """
      Error from server (NotFound): deployments.apps "nginx-deployment" not found
      """

  Scenario: Migrating from imperative commands to imperative object configuration
    When I run "kubectl create deployment nginx --image=nginx"
    # 1. Export the live object to a local object configuration file.
    And I run "kubectl get deployment/nginx -o yaml > deployment_nginx.yaml"
    Then the output is:
      """
      """
    # 3. For subsequent object management, use replace exclusively.
    When I run "kubectl replace -f deployment_nginx.yaml"
    Then the output is:
      """
      deployment.apps/nginx replaced
      """
