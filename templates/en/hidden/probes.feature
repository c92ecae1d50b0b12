Feature: Graded — readiness probe

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  @exercise:probes @points:2
  Scenario: Not Ready without ready.txt, Ready within a minute of it
    When I apply the manifest file "exercises/probes/pod-readiness.yaml"
    And 2 minutes pass
    Then pod "pod-readiness" is Running
    And pod "pod-readiness" is not Ready
    When "/tmp/readiness/ready.txt" is touched on node "k8s-node1"
    Then within 1 minute pod "pod-readiness" becomes Ready
