Feature: Configure a Pod to Use a Volume for Storage
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-volume-storage/
  #
  # The page's Pod (exercises/docs/pods/storage/redis.yaml, verbatim) runs redis with an emptyDir
  # volume at /data/redis. A file written there outlives the container: the page kills the Redis
  # process (PID 1; redis-server shuts down on SIGTERM), the container restarts because the Pod's
  # restartPolicy is Always, and the file is still there. The page installs procps to find the PID
  # with ps; redis-server is PID 1. kubectl since v1.22 adds to RESTARTS how long ago the last one
  # was ("1 (5s ago)"), where the page's older output shows "1".

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -f exercises/docs/pods/storage/redis.yaml"
    Then the output is:
      """
      pod/redis created
      """
    And 13 seconds pass

  Scenario: The Pod's container is running, and redis answers
    When I run "kubectl get pod redis"
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE
      redis   1/1     Running   0          13s
      """
    When I run "kubectl exec redis -- redis-cli ping"
    Then the output is:
      """
      PONG
      """

  Scenario: A file in the emptyDir volume outlives the container
    When I run "kubectl exec redis -- bash -c 'cd /data/redis/ && echo Hello > test-file'"
    And I run "kubectl exec redis -- bash -c 'kill 1'"
    And 5 seconds pass
    And I run "kubectl get pod redis"
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS     AGE
      redis   1/1     Running   1 (5s ago)   18s
      """
    When I run "kubectl get pod redis -o jsonpath={.status.containerStatuses[0].lastState.terminated.reason}"
    Then the output is:
      """
      Completed
      """
    When I run "kubectl exec redis -- bash -c 'cd /data/redis/ && ls'"
    Then the output is:
      """
      test-file
      """
    When I run "kubectl exec redis -- ls /data"
    Then the output is:
      """
      redis
      """
