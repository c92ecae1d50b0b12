Feature: kubectl wait: block until a condition holds, a value appears, or an object is gone
  # Source: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_wait/
  #
  # The reference page's examples, against its Pod busybox1 (a busybox that sleeps): wait for the
  # Ready condition (True by default, or another value after `=`), for a JSONPath value, and for
  # the Pod to be deleted. kubectl blocks while it waits: simulated time passes meanwhile, and a
  # wait that outlasts --timeout (30s by default) fails naming the object.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I apply the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: busybox1
        labels:
          app: busybox
      spec:
        containers:
        - name: busybox
          image: busybox:1.36
          command: ["sh", "-c", "sleep 3600"]
      """

  Scenario: Wait for the Ready condition, the Running phase, and Ready=false
    When I run "kubectl wait --for=condition=Ready pod/busybox1"
    Then the output is:
      """
      pod/busybox1 condition met
      """
    When I run "kubectl wait --for=jsonpath='{.status.phase}'=Running pod/busybox1"
    Then the output is:
      """
      pod/busybox1 condition met
      """
    When I run "kubectl wait --for='jsonpath={.status.conditions[?(@.type==\"Ready\")].status}=True' pod/busybox1"
    Then the output is:
      """
      pod/busybox1 condition met
      """
    # A label selector picks the Pods to wait for; `ready` matches `Ready` (case-insensitive).
    When I run "kubectl wait --for=condition=ready pod -l app=busybox"
    Then the output is:
      """
      pod/busybox1 condition met
      """
    When I try to run "kubectl wait --for=condition=Ready=false pod/busybox1 --timeout=10s"
    Then the command fails with:
      """
      error: timed out waiting for the condition on pods/busybox1
      """
    When I try to run "kubectl wait --for=condition=Ready=false pod/busybox1 --timeout=0"
    Then the command fails with:
      """
      error: condition not met for pods/busybox1
      """

  Scenario: Wait for the Pod to be deleted, after having issued the delete command
    When I run "kubectl wait --for=condition=Ready pod/busybox1"
    And I run "kubectl delete pod/busybox1 --wait=false"
    Then the output is:
      """
      pod "busybox1" deleted
      """
    # sleep ignores SIGTERM: the Pod stays Terminating for its 30-second grace period.
    When I try to run "kubectl wait --for=delete pod/busybox1 --timeout=10s"
    Then the command fails with:
      """
      error: timed out waiting for the condition on pods/busybox1
      """
    When I run "kubectl wait --for=delete pod/busybox1 --timeout=60s"
    Then the output is:
      """
      pod/busybox1 condition met
      """
    When I run "kubectl get pods"
    Then the output is:
      """
      """
    # Nothing left to wait for: no match is an error, except when waiting for deletion.
    When I try to run "kubectl wait --for=condition=Ready pod -l app=busybox"
    Then the command fails with:
      """
      error: no matching resources found
      """
    When I run "kubectl wait --for=delete pod/busybox1"
    Then the output is:
      """
      """
