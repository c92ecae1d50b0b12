@epic:Basics @feature:kubectl
Feature: kubectl delete
  `kubectl delete` names what it deleted and, by default, waits until the objects are gone, so
  simulated time passes while a pod shuts down. `--force --grace-period=0` removes a pod at once,
  with kubectl's warning.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings-a
        labels: {app: demo}
      data: {mode: a}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings-b
        labels: {app: demo}
      data: {mode: b}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: other
      data: {mode: c}
      """

  Scenario: Deleting by name, then again
    When I run "kubectl delete configmap settings-a"
    Then the output is:
      """
      configmap "settings-a" deleted
      """
    When I try to run "kubectl delete configmap settings-a"
    Then the command fails with:
      """
      Error from server (NotFound): configmaps "settings-a" not found
      """
    When I run "kubectl delete configmap settings-a --ignore-not-found"
    Then the output is:
      """
      """

  Scenario: Deleting by label selector
    When I run "kubectl delete cm -l app=demo"
    Then the output is:
      """
      configmap "settings-a" deleted
      configmap "settings-b" deleted
      """
    # Every namespace also holds kube-root-ca.crt, the cluster's CA that kube-controller-manager
    # publishes for the pods' service-account volumes.
    When I run "kubectl get cm -o name"
    Then the output is:
      """
      configmap/kube-root-ca.crt
      configmap/other
      """
    When I run "kubectl delete cm -l app=demo"
    Then the output is:
      """
      No resources found
      """

  Scenario: A type without a name, a selector or --all is refused
    When I try to run "kubectl delete configmaps"
    Then the command fails with:
      """
      error: resource(s) were provided, but no name was specified
      """
    When I run "kubectl delete configmaps --all"
    Then the output is:
      """
      configmap "kube-root-ca.crt" deleted
      configmap "other" deleted
      configmap "settings-a" deleted
      configmap "settings-b" deleted
      """
    # kube-controller-manager's root-ca-cert-publisher creates the CA map again at once.
    When I run "kubectl get cm -o name"
    Then the output is:
      """
      configmap/kube-root-ca.crt
      """

  Scenario: Force-deleting a pod that no node can take
    Given I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: stuck
      spec:
        nodeSelector: {disktype: ssd}
        containers:
        - name: app
          image: kubetm/app
      """
    When I run "kubectl delete pod stuck --grace-period=0 --force"
    Then the output is:
      """
      pod "stuck" force deleted
      """
    When I try to run "kubectl get pod stuck"
    Then the command fails with:
      """
      Error from server (NotFound): pods "stuck" not found
      """
