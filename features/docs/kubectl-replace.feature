Feature: kubectl replace: replace an object whole, or delete and re-create it with --force
  # Source: https://kubernetes.io/docs/concepts/workloads/management/#disruptive-updates
  #
  # The page's my-nginx Deployment (exercises/docs/application/nginx/nginx-deployment.yaml,
  # verbatim, what https://k8s.io/examples/application/nginx/nginx-deployment.yaml serves).
  # "use `replace --force`, which deletes and re-creates the resource". The page shows an older
  # kubectl's `deployment.apps/my-nginx deleted`; v1.32 prints `deployment.apps "my-nginx" deleted`.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I run "kubectl apply -f exercises/docs/application/nginx/nginx-deployment.yaml"
    And I run "kubectl rollout status deployment/my-nginx"

  Scenario: replace --force deletes the Deployment and creates it again
    When 1 minute passes
    And I run "kubectl replace -f exercises/docs/application/nginx/nginx-deployment.yaml --force"
    Then the output is:
      """
      deployment.apps "my-nginx" deleted
      deployment.apps/my-nginx replaced
      """
    # A new object: its age starts again, and its Pods are new ones.
    When I run "kubectl rollout status deployment/my-nginx"
    And I run "kubectl get deployment my-nginx"
    Then the output is:
      """
      NAME       READY   UP-TO-DATE   AVAILABLE   AGE
      my-nginx   3/3     3            3           1s
      """

  Scenario: replace without --force updates the live object in place; a missing one is an error
    When I run "kubectl replace -f exercises/docs/application/nginx/nginx-deployment.yaml"
    Then the output is:
      """
      deployment.apps/my-nginx replaced
      """
    # replace writes the file as it is: the last-applied annotation `kubectl apply` kept is gone.
    When I run "kubectl get deployment my-nginx -o jsonpath={.metadata.annotations}"
    Then the output is:
      """
      {"deployment.kubernetes.io/revision":"1"}
      """
    When I run "kubectl replace --save-config -f exercises/docs/application/nginx/nginx-deployment.yaml"
    And I run "kubectl get deployment my-nginx -o yaml"
    Then the output contains:
      """
          kubectl.kubernetes.io/last-applied-configuration: |
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"my-nginx","namespace":"default"},"spec":{"replicas":3,"selector":{"matchLabels":{"app.kubernetes.io/name":"nginx"}},"template":{"metadata":{"labels":{"app.kubernetes.io/name":"nginx"}},"spec":{"containers":[{"image":"nginx:1.14.2","name":"nginx","ports":[{"containerPort":80}]}]}}}}
      """
    When I run "kubectl delete deployment my-nginx"
    And I try to run "kubectl replace -f exercises/docs/application/nginx/nginx-deployment.yaml"
    Then the command fails with:
      """
      Error from server (NotFound): error when replacing "exercises/docs/application/nginx/nginx-deployment.yaml": deployments.apps "my-nginx" not found
      """
    When I try to run "kubectl replace --grace-period=5 -f exercises/docs/application/nginx/nginx-deployment.yaml"
    Then the command fails with:
      """
      error: --grace-period must have --force specified
      """
