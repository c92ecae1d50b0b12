@epic:Basics @feature:Patch
Feature: Update API objects in place using kubectl patch
  # Source: https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
  `kubectl patch` changes part of a live object. A strategic merge patch (the default) merges lists
  that have a patch merge key (containers by name) and replaces the others (tolerations); a JSON
  merge patch (`--type merge`) replaces every list; a JSON patch (`--type json`) is a list of
  operations. `$retainKeys` clears the fields a patch does not name.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -f exercises/basics/patch/deployment-patch.yaml"
    And 30 seconds pass

  Scenario: A strategic merge patch adds a container; the Deployment's Pods get both
    When I run "kubectl patch deployment patch-demo --patch-file exercises/basics/patch/patch-file.yaml"
    Then the output is:
      """
      deployment.apps/patch-demo patched
      """
    When I run "kubectl get deployment patch-demo -o jsonpath={.spec.template.spec.containers[*].name}"
    Then the output is:
      """
      patch-demo-ctr-2 patch-demo-ctr
      """
    And within 2 minutes the output of "kubectl get deployment patch-demo" contains:
      """
      patch-demo   2/2     2            2
      """
    When I run "kubectl patch deployment patch-demo --patch-file exercises/basics/patch/patch-file.yaml"
    Then the output is:
      """
      deployment.apps/patch-demo patched (no change)
      """

  Scenario: Tolerations have no merge key: the patch's list replaces the old one
    When I run "kubectl patch deployment patch-demo --patch-file exercises/basics/patch/patch-file-tolerations.yaml"
    And I run "kubectl get deployment patch-demo -o jsonpath={.spec.template.spec.tolerations}"
    Then the output is:
      """
      [{"effect":"NoSchedule","key":"disktype","value":"ssd"}]
      """

  Scenario: A JSON merge patch replaces the containers list whole
    When I run "kubectl patch deployment patch-demo --type merge --patch-file exercises/basics/patch/patch-file-2.yaml"
    And I run "kubectl get deployment patch-demo -o jsonpath={.spec.template.spec.containers[*].name}"
    Then the output is:
      """
      patch-demo-ctr-3
      """

  Scenario: retainKeys: without it the old rollingUpdate stays and the Deployment is invalid
    When I run "kubectl apply -f exercises/basics/patch/deployment-retainkeys.yaml"
    And I try to run "kubectl patch deployment retainkeys-demo --type strategic --patch-file exercises/basics/patch/patch-file-no-retainkeys.yaml"
    Then the command fails with:
      """
      The Deployment "retainkeys-demo" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'
      """
    When I run "kubectl patch deployment retainkeys-demo --type strategic --patch-file exercises/basics/patch/patch-file-retainkeys.yaml"
    And I run "kubectl get deployment retainkeys-demo -o jsonpath={.spec.strategy}"
    Then the output is:
      """
      {"type":"Recreate"}
      """

  Scenario: A JSON patch, and the scale subresource
    When I run "kubectl patch deployment patch-demo --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"nginx:1.27\"}]'"
    Then the output is:
      """
      deployment.apps/patch-demo patched
      """
    When I try to run "kubectl patch deployment patch-demo --type=json -p '[{\"op\":\"remove\",\"path\":\"/metadata/labels/nope\"}]'"
    Then the command fails with:
      """
      The request is invalid: the server rejected our request due to an error in our request
      """
    When I run "kubectl patch deployment patch-demo --subresource='scale' --type='merge' -p '{\"spec\":{\"replicas\":3}}'"
    Then the output is:
      """
      scale.autoscaling/patch-demo patched
      """
    And within 1 minute the output of "kubectl get deployment patch-demo" contains:
      """
      patch-demo   3/3     3            3
      """
