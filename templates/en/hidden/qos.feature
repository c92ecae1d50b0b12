@exercise:qos @points:1
Feature: Graded — QoS classes
  A Scenario Outline counts once per Examples row: 1 point per row here, 2 in all.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario Outline: <file> makes a <class> pod
    When I apply the manifest file "exercises/qos/<file>"
    Then pod "<pod>" has QoS class "<class>"

    Examples:
      | file                | pod            | class      |
      | pod-guaranteed.yaml | pod-guaranteed | Guaranteed |
      | pod-burstable.yaml  | pod-burstable  | Burstable  |
