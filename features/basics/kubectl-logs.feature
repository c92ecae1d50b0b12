@epic:Basics @feature:Logs
Feature: Reading a container's logs with kubectl logs
  # Source: https://kubernetes.io/docs/concepts/cluster-administration/logging/
  # Source: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_logs/
  `kubectl logs` prints what a container wrote to its standard output and error. `--tail` keeps the
  last lines, `--since` the recent ones, `--timestamps` shows when each line was written,
  `--previous` reads the container that ran before a restart, `-l` reads every pod a selector
  matches (the last 10 lines of each unless `--tail` says otherwise) and `--prefix` says where each
  line comes from.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    And the time is "2024-01-08T00:00:00Z"
    When I run "kubectl apply -f exercises/basics/logging/counter-pod.yaml"
    And 10 seconds pass

  Scenario: The counter prints a line a second; --tail and --since keep the last ones
    When I run "kubectl logs counter --tail=2"
    Then the output is:
      """
      7: Mon Jan  8 00:00:08 UTC 2024
      8: Mon Jan  8 00:00:09 UTC 2024
      """
    When I run "kubectl logs counter --since=3s"
    Then the output is:
      """
      6: Mon Jan  8 00:00:07 UTC 2024
      7: Mon Jan  8 00:00:08 UTC 2024
      8: Mon Jan  8 00:00:09 UTC 2024
      """
    When I run "kubectl logs counter --timestamps --tail=1"
    Then the output is:
      """
      2024-01-08T00:00:09.2Z 8: Mon Jan  8 00:00:09 UTC 2024
      """
    When I run "kubectl logs counter --limit-bytes=2"
    Then the output is:
      """
      0:
      """

  Scenario: -f returns what the container printed up to now
    When I run "kubectl logs -f counter --tail=1"
    Then the output is:
      """
      8: Mon Jan  8 00:00:09 UTC 2024
      """
    And the error output is:
      """
      kube-scenario: kubectl logs -f printed the log up to now (simulated time does not pass while a command runs)
      """

  Scenario: --previous reads the container that ran before the restart
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: crasher
        labels: {app: crasher}
      spec:
        containers:
        - name: c
          image: busybox:1.28
          command: ["sh", "-c", "echo started at $(date); exit 1"]
      """
    And 30 seconds pass
    And I run "kubectl logs crasher --previous"
    Then the output contains:
      """
      started at Mon Jan 8 00:00:
      """
    When I try to run "kubectl logs counter --previous"
    Then the command fails with:
      """
      Error from server (BadRequest): previous terminated container "count" in pod "counter" not found
      """

  Scenario: Several pods by label, each line prefixed with its pod and container
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: two-containers
        labels: {app: demo}
      spec:
        initContainers:
        - name: setup
          image: busybox:1.28
          command: ["sh", "-c", "echo preparing"]
        containers:
        - name: web
          image: busybox:1.28
          command: ["sh", "-c", "echo web up; sleep 3600"]
        - name: side
          image: busybox:1.28
          command: ["sh", "-c", "echo side up; sleep 3600"]
      """
    And 10 seconds pass
    And I run "kubectl logs two-containers"
    Then the output is:
      """
      web up
      """
    And the error output is:
      """
      Defaulted container "web" out of: web, side, setup (init)
      """
    When I run "kubectl logs two-containers --all-containers --prefix"
    Then the output is:
      """
      [pod/two-containers/setup] preparing
      [pod/two-containers/web] web up
      [pod/two-containers/side] side up
      """
    When I run "kubectl logs -l app=demo -c side --prefix"
    Then the output is:
      """
      [pod/two-containers/side] side up
      """
