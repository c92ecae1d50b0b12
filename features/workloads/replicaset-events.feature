Feature: A ReplicaSet's events when it creates many Pods
  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
  #
  # The page's nginx Deployment (exercises/docs/controllers/nginx-deployment.yaml, verbatim),
  # scaled as its "Scaling a Deployment" section does. The ReplicaSet controller records a
  # SuccessfulCreate event for each Pod it creates, through client-go's EventCorrelator: once 10
  # events about one object differ only by their message within 10 minutes, the next ones go into
  # one event "(combined from similar events): <the latest message>" whose count grows; and the spam
  # filter lets the controller send 25 events about the ReplicaSet, then one every 5 minutes, so a
  # large scale-down right after shows no SuccessfulDelete at all.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
      | k8s-node3 |
    When I run "kubectl apply -f exercises/docs/controllers/nginx-deployment.yaml"
    And 20 seconds pass

  Scenario: Scaled to 10 replicas: the tenth "Created pod" event is a combined one
    When I run "kubectl scale deployment/nginx-deployment --replicas=10"
    And 20 seconds pass
    And I run "kubectl describe rs"
    Then the output contains:
      """
      Events:
        Type    Reason            Age   From                   Message
        ----    ------            ----  ----                   -------
        Normal  SuccessfulCreate  40s   replicaset-controller  Created pod: nginx-deployment-
      """
    And the output contains:
      """
        Normal  SuccessfulCreate  20s   replicaset-controller  (combined from similar events): Created pod: nginx-deployment-
      """

  Scenario: Scaled to 30 and back to 1: 9 events, one combined x16, and no SuccessfulDelete
    # 3 + 27 creates: events 1-9 on their own, 10-25 combined (x16), 26-30 dropped by the spam
    # filter; the 29 deletions 20 s later are dropped too (the bucket refills one token in 5 minutes).
    When I run "kubectl scale deployment/nginx-deployment --replicas=30"
    And 20 seconds pass
    And I run "kubectl scale deployment/nginx-deployment --replicas=1"
    And 20 seconds pass
    And I run "kubectl get rs"
    Then the output contains:
      """
      1         1         1       60s
      """
    When I run "kubectl describe rs"
    Then the output contains:
      """
        Normal  SuccessfulCreate  40s (x16 over 40s)  replicaset-controller  (combined from similar events): Created pod: nginx-deployment-
      """
    And the output does not contain:
      """
      SuccessfulDelete
      """
    When I run "kubectl describe deployment nginx-deployment"
    # The Deployment's own events come from another controller (another broadcaster and source): all there.
    Then the output contains:
      """
        Normal  ScalingReplicaSet  20s   deployment-controller  Scaled down replica set nginx-deployment-
      """
    And the output contains:
      """
      from 30 to 1
      """
