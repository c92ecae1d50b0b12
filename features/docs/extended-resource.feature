Feature: Assign Extended Resources to a Container
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/extended-resource/
  #
  # Before this page, "Advertise Extended Resources for a Node" gives a node four dongles (a JSON
  # patch of its status through `kubectl proxy`, as that page sends it; the kubelet's next status
  # sync makes them allocatable). A Pod whose container requests 3 dongles is scheduled there and
  # runs; a second Pod that requests 2 cannot fit (one dongle is left) and stays Pending, with the
  # scheduler's FailedScheduling event. The page quotes the scheduler's message of an old release
  # (`pod (extended-resource-demo-2) failed to fit in any node fit failure summary on nodes :
  # Insufficient example.com/dongle (1)`); v1.32's says the same in its own words.

  Background:
    Given a cluster with nodes:
      | name      | cpu | memory |
      | k8s-node1 | 2   | 4Gi    |
    When I run "kubectl proxy" in a second terminal
    And I run:
      """
      curl --header "Content-Type: application/json-patch+json" \
      --request PATCH \
      --data '[{"op": "add", "path": "/status/capacity/example.com~1dongle", "value": "4"}]' \
      http://localhost:8001/api/v1/nodes/k8s-node1/status
      """
    And 10 seconds pass
    And I run "kubectl get node k8s-node1 -o jsonpath='{.status.allocatable.example\.com/dongle}'"
    Then the output is:
      """
      4
      """

  Scenario: A Pod that requests three dongles runs; a second that requests two stays Pending
    When I run "kubectl apply -f https://k8s.io/examples/pods/resource/extended-resource-pod.yaml"
    Then the output is:
      """
      pod/extended-resource-demo created
      """
    And within 1 minute pod "extended-resource-demo" is Running
    When I run "kubectl get pod extended-resource-demo"
    Then the output contains:
      """
      extended-resource-demo   1/1     Running   0
      """
    When I run "kubectl describe pod extended-resource-demo"
    Then the output contains:
      """
          Limits:
            example.com/dongle:  3
          Requests:
            example.com/dongle:  3
      """
    When I run "kubectl apply -f https://k8s.io/examples/pods/resource/extended-resource-pod-2.yaml"
    Then the output is:
      """
      pod/extended-resource-demo-2 created
      """
    When 6 minutes pass
    And I run "kubectl describe pod extended-resource-demo-2"
    Then the output contains:
      """
      Conditions:
        Type           Status
        PodScheduled   False 
      """
    And the output contains:
      """
      Warning  FailedScheduling  6m    default-scheduler  0/1 nodes are available: 1 Insufficient example.com/dongle. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.
      """
    When I run "kubectl get pod extended-resource-demo-2"
    Then the output is:
      """
      NAME                       READY   STATUS    RESTARTS   AGE
      extended-resource-demo-2   0/1     Pending   0          6m
      """

  Scenario: Clean up
    When I run "kubectl apply -f https://k8s.io/examples/pods/resource/extended-resource-pod.yaml"
    And I run "kubectl apply -f https://k8s.io/examples/pods/resource/extended-resource-pod-2.yaml"
    And I run "kubectl delete pod extended-resource-demo"
    Then the output is:
      """
      pod "extended-resource-demo" deleted
      """
    When I run "kubectl delete pod extended-resource-demo-2"
    Then the output is:
      """
      pod "extended-resource-demo-2" deleted
      """
