@epic:Reliability @feature:Runaway
Feature: A scenario that would run away ends at once with a clear message
  Simulated time is cheap, but not free: every node renews its lease every 10 seconds, every probe
  runs every period. Asking for ten thousand days would take hours of wall time, so the step is
  refused at once, saying how far one step may go.

  Scenario: Ten thousand days are refused, a day is fine
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
    When I try to let 10000 days pass
    Then the command fails with:
      """
      advancing by 10000 days would fire about
      """
    When 1 day passes
    Then node "k8s-node1" matches:
      """yaml
      status:
        conditions:
        - {type: Ready, status: "True"}
      """
