@epic:Basics @feature:Readme
Feature: Readiness keeps a booting pod out of its Service
  The example of the README, kept here so that it stays true.

  Scenario: The pod joins the endpoints once ready.txt exists
    Given a cluster with nodes:
      | name      | labels  |
      | k8s-node1 | kr=az-1 |
    When I apply the manifest file "exercises/course/pod-readiness-exec1.yaml"
    And I run "touch /tmp/readiness/ready.txt" on node "k8s-node1"
    And 40 seconds pass
    Then pod "pod-readiness-exec1" matches:
      """yaml
      status:
        conditions:
        - type: Ready
          status: "True"
      """
    When I run "kubectl get pods"
    Then the output is:
      """
      NAME                  READY   STATUS    RESTARTS   AGE
      pod-readiness-exec1   1/1     Running   0          40s
      """
