@epic:Basics @feature:kubectl
Feature: kubectl's error messages
  Mistakes on the command line get kubectl's own messages, so what a student sees in the
  simulation is what a real cluster would answer.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: An unknown flag
    When I try to run "kubectl get pods --foo"
    Then the command fails with:
      """
      Error: unknown flag: --foo
      See 'kubectl get --help' for usage.
      """

  Scenario: An unknown resource type
    When I try to run "kubectl get foo"
    Then the command fails with:
      """
      error: the server doesn't have a resource type "foo"
      """

  Scenario: An object that does not exist
    When I try to run "kubectl get pod nginx"
    Then the command fails with:
      """
      Error from server (NotFound): pods "nginx" not found
      """
    When I try to run "kubectl describe node k8s-node9"
    Then the command fails with:
      """
      Error from server (NotFound): nodes "k8s-node9" not found
      """
    When I try to run "kubectl delete pod nginx"
    Then the command fails with:
      """
      Error from server (NotFound): pods "nginx" not found
      """

  Scenario: get without a resource type
    When I try to run "kubectl get"
    Then the command fails with:
      """
      error: Required resource not specified.
      """

  Scenario: Bad label and taint arguments
    When I try to run "kubectl label nodes k8s-node1 kr=a=b"
    Then the command fails with:
      """
      error: invalid label spec: kr=a=b
      """
    When I try to run "kubectl label nodes k8s-node1"
    Then the command fails with:
      """
      error: at least one label update is required
      """
    When I try to run "kubectl taint nodes k8s-node1 hw=gpu"
    Then the command fails with:
      """
      error: invalid taint spec: hw=gpu, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
      """
    When I try to run "kubectl taint pods k8s-node1 hw=gpu:NoSchedule"
    Then the command fails with:
      """
      error: invalid resource type pods, only node types are supported
      """

  Scenario: A watch keeps kubectl running: it needs a terminal of its own
    When I try to run "kubectl get pods -w"
    Then the command fails with:
      """
      watching (-w/--watch) keeps kubectl running until it is stopped: run it in a terminal of its own
      """
    When I try to run "kubectl get pods,services -w"
    Then the command fails with:
      """
      error: watch is only supported on individual resources and resource collections, but 2 resources were found
      """

  Scenario: A misspelt command gets cobra's suggestion
    When I try to run "kubectl gett pods"
    Then the command fails with:
      """
      Error: unknown command "gett" for "kubectl"

      Did you mean this?
      	get
      """
