Feature: Probes — readiness keeps a pod out of service until it is ready
  A readiness probe decides when a running pod is Ready (and so receives traffic): here the
  pod is Ready once /readiness/ready.txt exists, a file on the node's /tmp/readiness.
  Exercise: exercises/probes/pod-readiness.yaml

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: The pod runs but is not Ready until ready.txt exists
    When I apply the manifest file "exercises/probes/pod-readiness.yaml"
    And 1 minute passes
    Then pod "pod-readiness" is Running
    And pod "pod-readiness" is not Ready
    When "/tmp/readiness/ready.txt" is touched on node "k8s-node1"
    Then within 1 minute pod "pod-readiness" becomes Ready
