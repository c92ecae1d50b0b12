Feature: Pausing, resuming and restarting a Deployment's rollout
  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#pausing-and-resuming-a-deployment
  #
  # The page's nginx Deployment (exercises/docs/controllers/nginx-deployment.yaml, verbatim) is
  # paused, its image changed while paused (no new rollout starts, the ReplicaSet stays as it
  # was), then resumed: only then does a new ReplicaSet come up with the change. The page's sample
  # outputs come from older kubectl versions (`deployments "nginx"` for the history header, the
  # DESIRED and CURRENT columns of `get deploy`); the scenarios assert v1.32's. ReplicaSet names
  # carry a pod-template-hash that differs from a real cluster's (docs/divergences.md), so the
  # ReplicaSets are read by their image.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
      | k8s-node3 |
    When I run "kubectl apply -f exercises/docs/controllers/nginx-deployment.yaml"
    And I run "kubectl rollout status deployment/nginx-deployment"
    Then the output contains:
      """
      deployment "nginx-deployment" successfully rolled out
      """

  Scenario: Changes made while paused start no rollout; resuming rolls them out in one new ReplicaSet
    When I run "kubectl rollout pause deployment/nginx-deployment"
    Then the output is:
      """
      deployment.apps/nginx-deployment paused
      """
    When I run "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1"
    Then the output is:
      """
      deployment.apps/nginx-deployment image updated
      """
    # "Notice that no new rollout started"
    When I run "kubectl rollout history deployment/nginx-deployment"
    Then the output is:
      """
      deployment.apps/nginx-deployment 
      REVISION  CHANGE-CAUSE
      1         <none>

      """
    # "You can make as many updates as you wish, for example, update the resources that will be used"
    When I run "kubectl set resources deployment/nginx-deployment -c=nginx --limits=cpu=200m,memory=512Mi"
    Then the output is:
      """
      deployment.apps/nginx-deployment resource requirements updated
      """
    # "verify that the existing ReplicaSet has not changed"
    When 30 seconds pass
    And I run "kubectl get rs -o custom-columns=IMAGE:.spec.template.spec.containers[0].image,DESIRED:.spec.replicas,CURRENT:.status.replicas,READY:.status.readyReplicas"
    Then the output is:
      """
      IMAGE          DESIRED   CURRENT   READY
      nginx:1.14.2   3         3         3
      """
    When I run "kubectl describe deployment nginx-deployment"
    Then the output contains:
      """
        Progressing    Unknown  DeploymentPaused
      """
    # The paused Deployment's template has no ReplicaSet yet: the running one is an old one now.
    And the output contains:
      """
      NewReplicaSet:   <none>
      """
    When I run "kubectl rollout resume deployment/nginx-deployment"
    Then the output is:
      """
      deployment.apps/nginx-deployment resumed
      """
    When I run "kubectl rollout status deployment/nginx-deployment"
    Then the output contains:
      """
      deployment "nginx-deployment" successfully rolled out
      """
    # "observe a new ReplicaSet coming up with all the new updates": the image and the limits.
    When I run "kubectl get rs --sort-by=.metadata.creationTimestamp -o custom-columns=IMAGE:.spec.template.spec.containers[0].image,LIMITS:.spec.template.spec.containers[0].resources.limits,DESIRED:.spec.replicas,CURRENT:.status.replicas,READY:.status.readyReplicas"
    Then the output is:
      """
      IMAGE          LIMITS                       DESIRED   CURRENT   READY
      nginx:1.14.2   <none>                       0         0         <none>
      nginx:1.16.1   map[cpu:200m memory:512Mi]   3         3         3
      """
    When I run "kubectl rollout history deployment/nginx-deployment"
    Then the output is:
      """
      deployment.apps/nginx-deployment 
      REVISION  CHANGE-CAUSE
      1         <none>
      2         <none>

      """

  Scenario: Pausing twice, resuming what is not paused, and restarting while paused are refused
    When I run "kubectl rollout pause deployment/nginx-deployment"
    And I try to run "kubectl rollout pause deployment/nginx-deployment"
    Then the command fails with:
      """
      error: deployments.apps "nginx-deployment" is already paused
      """
    When I try to run "kubectl rollout restart deployment/nginx-deployment"
    Then the command fails with:
      """
      error: deployments.apps "nginx-deployment" can't restart paused deployment (run rollout resume first)
      """
    When I run "kubectl rollout resume deployment/nginx-deployment"
    And I try to run "kubectl rollout resume deployment/nginx-deployment"
    Then the command fails with:
      """
      error: deployments.apps "nginx-deployment" is not paused
      """
    # The page's note: "You cannot rollback a paused Deployment until you resume it."
    When I run "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1"
    And I run "kubectl rollout status deployment/nginx-deployment"
    And I run "kubectl rollout pause deployment/nginx-deployment"
    And I try to run "kubectl rollout undo deployment/nginx-deployment"
    Then the command fails with:
      """
      error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again
      """
    When I run "kubectl create configmap settings --from-literal=color=blue"
    And I try to run "kubectl rollout pause configmap/settings"
    Then the command fails with:
      """
      error: configmaps "settings" pausing is not supported
      """

  # Source: https://kubernetes.io/docs/reference/kubectl/quick-reference/#updating-resources
  # ("kubectl rollout restart deployment/frontend  # Rolling restart of the "frontend" deployment")
  Scenario: A rolling restart replaces every Pod through a new ReplicaSet with the same image
    When 1 minute passes
    And I run "kubectl rollout restart deployment/nginx-deployment"
    Then the output is:
      """
      deployment.apps/nginx-deployment restarted
      """
    When I run "kubectl get deployment nginx-deployment -o jsonpath={.spec.template.metadata.annotations}"
    Then the output is:
      """
      {"kubectl.kubernetes.io/restartedAt":"2024-01-08T00:01:03Z"}
      """
    When I run "kubectl rollout status deployment/nginx-deployment"
    Then the output contains:
      """
      deployment "nginx-deployment" successfully rolled out
      """
    When I run "kubectl get rs --sort-by=.metadata.creationTimestamp -o custom-columns=IMAGE:.spec.template.spec.containers[0].image,DESIRED:.spec.replicas,CURRENT:.status.replicas"
    Then the output is:
      """
      IMAGE          DESIRED   CURRENT
      nginx:1.14.2   0         0
      nginx:1.14.2   3         3
      """
    When I run "kubectl rollout history deployment/nginx-deployment"
    Then the output is:
      """
      deployment.apps/nginx-deployment 
      REVISION  CHANGE-CAUSE
      1         <none>
      2         <none>

      """
