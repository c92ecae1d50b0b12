Feature: Advertise Extended Resources for a Node
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/extended-resource-node/
  #
  # A node advertises four dongles: a JSON patch of its status, sent with curl through
  # `kubectl proxy`, which forwards every verb to the API server with the kubeconfig's credentials,
  # as real kubectl proxy does. `~1` is the JSON Pointer escape of `/` in `example.com/dongle`. The
  # API server answers the patched Node (curl's User-Agent makes it indent its JSON). Kubernetes
  # does not know what a dongle is: the kubelet keeps a capacity it does not manage as it is, and at
  # its next node status sync (every 10 s) copies it into the node's allocatable, which is what the
  # scheduler counts ("Assign Extended Resources to a Container" goes on from here).
  # The page's node has 2 CPUs and 2049008Ki of memory; this one has 2 CPUs and 4Gi. The page's
  # excerpt of curl's answer lists `cpu`, `memory`, then the dongle; the API server writes the keys
  # of a resource list in sorted order, so the dongle comes after `ephemeral-storage`.

  Background:
    Given a cluster with nodes:
      | name      | cpu | memory |
      | k8s-node1 | 2   | 4Gi    |
    When I run "kubectl get nodes"
    Then the output is:
      """
      NAME        STATUS   ROLES    AGE   VERSION
      k8s-node1   Ready    <none>   0s    v1.32.0
      """
    # "Start a proxy, so that you can easily send requests to the Kubernetes API server."
    When I run "kubectl proxy" in a second terminal
    And I look at the second terminal
    Then the output is:
      """
      Starting to serve on 127.0.0.1:8001
      """

  Scenario: A JSON patch of the node's status advertises four dongles
    When I run:
      """
      curl --header "Content-Type: application/json-patch+json" \
      --request PATCH \
      --data '[{"op": "add", "path": "/status/capacity/example.com~1dongle", "value": "4"}]' \
      http://localhost:8001/api/v1/nodes/k8s-node1/status
      """
    Then the output contains:
      """
        "kind": "Node",
      """
    And the output contains:
      """
          "capacity": {
            "cpu": "2",
            "ephemeral-storage": "102400000Ki",
            "example.com/dongle": "4",
            "hugepages-1Gi": "0",
            "hugepages-2Mi": "0",
            "memory": "4Gi",
            "pods": "110"
          },
      """
    When I run "kubectl describe node k8s-node1"
    Then the output contains:
      """
      Capacity:
        cpu:                 2
        ephemeral-storage:   100000Mi
        example.com/dongle:  4
        hugepages-1Gi:       0
        hugepages-2Mi:       0
        memory:              4Gi
        pods:                110
      """
    # The kubelet's next node status sync copies the new capacity into the allocatable.
    When 10 seconds pass
    And I run "kubectl get node k8s-node1 -o jsonpath={.status.allocatable}"
    Then the output is:
      """
      {"cpu":"2","ephemeral-storage":"102400000Ki","example.com/dongle":"4","hugepages-1Gi":"0","hugepages-2Mi":"0","memory":"4Gi","pods":"110"}
      """

  Scenario: Clean up: a JSON patch removes the dongles
    When I run:
      """
      curl --header "Content-Type: application/json-patch+json" \
      --request PATCH \
      --data '[{"op": "add", "path": "/status/capacity/example.com~1dongle", "value": "4"}]' \
      http://localhost:8001/api/v1/nodes/k8s-node1/status
      """
    And I run:
      """
      curl --header "Content-Type: application/json-patch+json" \
      --request PATCH \
      --data '[{"op": "remove", "path": "/status/capacity/example.com~1dongle"}]' \
      http://localhost:8001/api/v1/nodes/k8s-node1/status
      """
    Then the output does not contain:
      """
      dongle
      """
    # "Verify that the dongle advertisement has been removed ... (you should not see any output)":
    # grep finds nothing and exits 1.
    When I try to run "kubectl describe node k8s-node1 | grep dongle"
    Then the command exits with code 1
    And the output does not contain:
      """
      dongle
      """
