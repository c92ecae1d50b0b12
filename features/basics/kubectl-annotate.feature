@epic:Basics @feature:kubectl
Feature: kubectl annotate
  # Source: https://kubernetes.io/docs/reference/kubectl/generated/kubectl_annotate/
  `kubectl annotate` sets (`KEY=VAL`) and removes (`KEY-`) annotations. Changing a value an
  annotation already has needs `--overwrite`; removing one does not. `--all` annotates every
  object of the type in the namespace, `--resource-version` updates only an unchanged object, and
  `--list` shows the annotations.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: foo
      spec:
        containers:
        - name: web
          image: nginx
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: bar
      spec:
        containers:
        - name: web
          image: nginx
      """

  Scenario: Update pod 'foo' with the annotation 'description' and the value 'my frontend'
    When I run "kubectl annotate pods foo description='my frontend'"
    Then the output is:
      """
      pod/foo annotated
      """
    When I run "kubectl get pod foo -o jsonpath={.metadata.annotations.description}"
    Then the output is:
      """
      my frontend
      """
    # "If the same annotation is set multiple times, only the last value will be applied"
    When I run "kubectl annotate pods bar description=first description=last"
    And I run "kubectl annotate pods bar --list"
    Then the output contains:
      """
      description=last
      """

  Scenario: Overwriting an existing value needs --overwrite
    When I run "kubectl annotate pods foo description='my frontend'"
    And I try to run "kubectl annotate pods foo description='my frontend running nginx'"
    Then the command fails with:
      """
      error: --overwrite is false but found the following declared annotation(s): 'description' already has a value (my frontend)
      """
    When I run "kubectl annotate --overwrite pods foo description='my frontend running nginx'"
    Then the output is:
      """
      pod/foo annotated
      """
    When I run "kubectl get pod foo -o jsonpath={.metadata.annotations.description}"
    Then the output is:
      """
      my frontend running nginx
      """

  Scenario: Update all pods in the namespace
    When I run "kubectl annotate pods --all description='my frontend running nginx'"
    Then the output is:
      """
      pod/bar annotated
      pod/foo annotated
      """

  Scenario: Update pod 'foo' only if the resource is unchanged from version 1
    When I try to run "kubectl annotate pods foo description='my frontend running nginx' --resource-version=1"
    Then the command fails with:
      """
      Error from server (Conflict): Operation cannot be fulfilled on pods "foo": the object has been modified; please apply your changes to the latest version and try again
      """

  Scenario: Remove an annotation named 'description' if it exists; this does not require --overwrite
    When I run "kubectl annotate pods foo description='my frontend'"
    And I run "kubectl annotate pods foo description-"
    Then the output is:
      """
      pod/foo annotated
      """
    When I run "kubectl annotate pods foo --list"
    Then the output does not contain:
      """
      description=
      """
    When I run "kubectl annotate pods foo description-"
    Then the output is:
      """
      pod/foo annotated
      """
