Feature: QoS classes — requests and limits decide who is evicted first
  A pod whose every container has CPU and memory limits equal to its requests is Guaranteed;
  one with some request or limit is Burstable; one with none is BestEffort.
  Exercises: exercises/qos/pod-guaranteed.yaml, exercises/qos/pod-burstable.yaml

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Limits equal to requests make a Guaranteed pod
    When I apply the manifest file "exercises/qos/pod-guaranteed.yaml"
    Then pod "pod-guaranteed" has QoS class "Guaranteed"
    And within 30 seconds pod "pod-guaranteed" is Running
