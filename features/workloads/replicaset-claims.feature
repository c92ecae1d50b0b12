Feature: A ReplicaSet claims only active Pods
  # Source: the ReplicaSet controller of v1.32 (pkg/controller/replicaset/replica_set.go,
  # syncReplicaSet): it lists the namespace's Pods, keeps the active ones
  # (controller.FilterActivePods: not Succeeded or Failed, not being deleted) and only then claims
  # them (adopts matching orphans, releases owned Pods that stopped matching). The page
  # https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/ ("Non-Template Pod
  # acquisitions") says a matching Pod without a controller is acquired at once; a Pod that has
  # already completed is not among those it considers, so it keeps no owner, is not counted, and
  # the ReplicaSet creates its replicas besides it. The ReplicaSet is the page's frontend
  # (exercises/docs/controllers/frontend.yaml, verbatim: tier=frontend).

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A completed bare Pod with the frontend's label stays unowned; the ReplicaSet creates three replicas besides it
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: batch-once
        labels:
          tier: frontend
      spec:
        restartPolicy: Never
        containers:
        - name: once
          image: busybox:1.36
          command: ["sh", "-c", "echo done"]
      """
    And 20 seconds pass
    And I run "kubectl apply -f https://kubernetes.io/examples/controllers/frontend.yaml"
    And 10 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME             READY   STATUS      RESTARTS   AGE
      batch-once       0/1     Completed   0          30s
      frontend-lw9dq   1/1     Running     0          10s
      frontend-qlh2m   1/1     Running     0          10s
      frontend-s2r7w   1/1     Running     0          10s
      """
    When I run "kubectl get pod batch-once -o jsonpath={.metadata.ownerReferences}"
    Then the output is:
      """
      """
    When I run "kubectl get rs frontend"
    Then the output is:
      """
      NAME       DESIRED   CURRENT   READY   AGE
      frontend   3         3         3       10s
      """
    # Not owned, so not the garbage collector's when the ReplicaSet goes.
    When I run "kubectl delete rs frontend"
    And 40 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME         READY   STATUS      RESTARTS   AGE
      batch-once   0/1     Completed   0          70s
      """
