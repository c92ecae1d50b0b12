Feature: Example: Deploying PHP Guestbook application with Redis
  # Source: https://kubernetes.io/docs/tutorials/stateless-application/guestbook/
  #
  # The tutorial's manifests (exercises/docs/application/guestbook/, verbatim): a Redis leader
  # (docker.io/redis:6.0.5), two Redis followers (gb-redis-follower:v2), their Services, and three
  # replicas of the PHP frontend (gb-frontend:v5), which the tutorial then scales to 5 and back to 2.

  Background:
    Given a cluster with nodes:
      | name    |
      | worker1 |
      | worker2 |
    When I run "kubectl apply -f exercises/docs/application/guestbook/redis-leader-deployment.yaml"
    Then the output is:
      """
      deployment.apps/redis-leader created
      """
    When 20 seconds pass

  Scenario: The Redis leader runs, logs that it is ready, and its Service routes to it
    When I run "kubectl get pods -o custom-columns=READY:.status.containerStatuses[0].ready,STATUS:.status.phase,IMAGE:.spec.containers[0].image"
    Then the output is:
      """
      READY   STATUS    IMAGE
      true    Running   docker.io/redis:6.0.5
      """
    When I run "kubectl logs deployment/redis-leader"
    Then the output contains:
      """
      Ready to accept connections
      """
    When I run "kubectl apply -f exercises/docs/application/guestbook/redis-leader-service.yaml"
    And I run "kubectl get service redis-leader -o custom-columns=NAME:.metadata.name,TYPE:.spec.type,PORT:.spec.ports[0].port"
    Then the output is:
      """
      NAME           TYPE        PORT
      redis-leader   ClusterIP   6379
      """
    When I run "kubectl get endpoints redis-leader -o jsonpath={.subsets[0].ports[0].port}"
    Then the output is:
      """
      6379
      """

  Scenario: Two Redis followers and their Service
    When I run "kubectl apply -f exercises/docs/application/guestbook/redis-follower-deployment.yaml"
    And I run "kubectl apply -f exercises/docs/application/guestbook/redis-follower-service.yaml"
    Then the output is:
      """
      service/redis-follower created
      """
    When 20 seconds pass
    And I run "kubectl get deployment redis-follower"
    Then the output is:
      """
      NAME             READY   UP-TO-DATE   AVAILABLE   AGE
      redis-follower   2/2     2            2           20s
      """

  Scenario: The frontend runs three replicas, scaled up to 5 and down to 2
    When I run "kubectl apply -f exercises/docs/application/guestbook/frontend-deployment.yaml"
    And 30 seconds pass
    And I run "kubectl get pods -l app=guestbook -l tier=frontend -o custom-columns=STATUS:.status.phase"
    Then the output is:
      """
      STATUS
      Running
      Running
      Running
      """
    When I run "kubectl scale deployment frontend --replicas=5"
    Then the output is:
      """
      deployment.apps/frontend scaled
      """
    When 10 seconds pass
    And I run "kubectl get deployment frontend"
    Then the output is:
      """
      NAME       READY   UP-TO-DATE   AVAILABLE   AGE
      frontend   5/5     5            5           40s
      """
    When I run "kubectl scale deployment frontend --replicas=2"
    And 40 seconds pass
    And I run "kubectl get pods -l app=guestbook -l tier=frontend -o custom-columns=STATUS:.status.phase"
    Then the output is:
      """
      STATUS
      Running
      Running
      """
    When I run "kubectl get events -o custom-columns=REASON:.reason"
    Then the output does not contain:
      """
      GenericImage
      """
