Feature: kubectl diff: preview what kubectl apply will change
  # Source: https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/
  #
  # "`kubectl diff` also gives you a preview of what changes `apply` will make." kubectl writes the
  # live object and the object as it would be after the apply (a server-side dry run) as YAML into
  # two temporary directories and runs `diff -u -N` on them: exit code 0 means no differences, 1
  # differences, 2 an error. The page's simple_deployment.yaml is applied verbatim
  # (exercises/docs/application/); update_deployment.yaml is the page's edit of it (image
  # nginx:1.16.1, minReadySeconds removed; see exercises/docs/README.md). The directories' numbers
  # are random on a real machine; here they come from the cluster's own counter.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: diff prints the object that will be created, then nothing once it is applied
    When I try to run "kubectl diff -f exercises/docs/application/simple_deployment.yaml"
    Then the command exits with code 1
    And the output contains:
      """
      @@ -0,0 +1,42 @@
      +apiVersion: apps/v1
      +kind: Deployment
      +metadata:
      +  creationTimestamp: "2024-01-08T00:00:00Z"
      +  generation: 1
      +  name: nginx-deployment
      +  namespace: default
      """
    And the output contains:
      """
      +spec:
      +  minReadySeconds: 5
      +  progressDeadlineSeconds: 600
      +  replicas: 1
      """
    # A diff creates nothing.
    When I run "kubectl get deployments"
    Then the output is:
      """
      """
    When I run "kubectl apply -f exercises/docs/application/simple_deployment.yaml"
    And I try to run "kubectl diff -f exercises/docs/application/simple_deployment.yaml"
    Then the command exits with code 0
    And the output is:
      """
      """

  Scenario: the edited file's diff shows the image and the removed minReadySeconds, not the scaled replicas
    When I run "kubectl apply -f exercises/docs/application/simple_deployment.yaml"
    And I run "kubectl scale deployment/nginx-deployment --replicas=2"
    And 30 seconds pass
    And I try to run "kubectl diff -f exercises/docs/declarative-config/update_deployment.yaml"
    Then the command exits with code 1
    # The replicas set by `kubectl scale` stay: they are not in the last applied configuration.
    And the output contains:
      """
       spec:
      -  minReadySeconds: 5
         progressDeadlineSeconds: 600
         replicas: 2
      """
    And the output contains:
      """
      -      - image: nginx:1.14.2
      +      - image: nginx:1.16.1
      """
    And the output contains:
      """
      -  generation: 2
      +  generation: 3
      """
    When I run "kubectl apply -f exercises/docs/declarative-config/update_deployment.yaml"
    And I run "kubectl get deployment nginx-deployment -o 'jsonpath={.spec.replicas} {.spec.minReadySeconds} {.spec.template.spec.containers[0].image}'"
    Then the output is:
      """
      2  nginx:1.16.1
      """

  Scenario: a Secret's values are masked in the diff
    # db-secret.yaml (exercises/docs/declarative-config/) holds password "two" and user "admin".
    When I run "kubectl create secret generic db --from-literal=password=one"
    And I try to run "kubectl diff -f exercises/docs/declarative-config/db-secret.yaml"
    Then the command exits with code 1
    And the output contains:
      """
       data:
      -  password: '*** (before)'
      +  password: '*** (after)'
      +  user: '***'
      """

  Scenario: kubectl's own errors exit with code 2
    When I try to run "kubectl diff"
    Then the command exits with code 2
    And the command fails with:
      """
      error: must specify one of -f and -k
      """
