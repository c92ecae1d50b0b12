Feature: Deployments
  # Source: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
  #
  # The page's nginx Deployment (exercises/docs/controllers/nginx-deployment.yaml, verbatim):
  # created with nginx:1.14.2, updated to nginx:1.16.1, then the typo nginx:1.161 — a tag that
  # does not exist, so the rollout gets stuck with one new pod in ImagePullBackOff — and rolled
  # back. ReplicaSet names carry the pod-template-hash, whose value differs from a real cluster's
  # (docs/divergences.md), so the scenarios read the ReplicaSets by their image.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
      | k8s-node2 |
      | k8s-node3 |
    When I run "kubectl apply -f exercises/docs/controllers/nginx-deployment.yaml"
    Then the output is:
      """
      deployment.apps/nginx-deployment created
      """

  Scenario: Creating a Deployment: three nginx Pods from one ReplicaSet
    When I run "kubectl rollout status deployment/nginx-deployment"
    Then the output contains:
      """
      deployment "nginx-deployment" successfully rolled out
      """
    When 15 seconds pass
    And I run "kubectl get deployments"
    Then the output is:
      """
      NAME               READY   UP-TO-DATE   AVAILABLE   AGE
      nginx-deployment   3/3     3            3           18s
      """
    When I run "kubectl get rs -o custom-columns=IMAGE:.spec.template.spec.containers[0].image,DESIRED:.spec.replicas,CURRENT:.status.replicas,READY:.status.readyReplicas"
    Then the output is:
      """
      IMAGE          DESIRED   CURRENT   READY
      nginx:1.14.2   3         3         3
      """
    When I run "kubectl get pods --show-labels"
    Then the output contains:
      """
      1/1     Running   0          18s   app.kubernetes.io/name=nginx,pod-template-hash=
      """

  Scenario: Updating a Deployment: nginx:1.16.1 rolls out, the old ReplicaSet is scaled to 0
    When I run "kubectl rollout status deployment/nginx-deployment"
    And I run "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1"
    Then the output is:
      """
      deployment.apps/nginx-deployment image updated
      """
    When I run "kubectl rollout status deployment/nginx-deployment"
    Then the output contains:
      """
      Waiting for deployment "nginx-deployment" rollout to finish: 1 out of 3 new replicas have been updated...
      """
    And the output contains:
      """
      deployment "nginx-deployment" successfully rolled out
      """
    When I run "kubectl get rs --sort-by=.metadata.creationTimestamp -o custom-columns=IMAGE:.spec.template.spec.containers[0].image,DESIRED:.spec.replicas,CURRENT:.status.replicas"
    Then the output is:
      """
      IMAGE          DESIRED   CURRENT
      nginx:1.14.2   0         0
      nginx:1.16.1   3         3
      """
    When I run "kubectl describe deployments"
    Then the output contains:
      """
      Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
      StrategyType:           RollingUpdate
      MinReadySeconds:        0
      RollingUpdateStrategy:  25% max unavailable, 25% max surge
      """
    And the output contains:
      """
          Image:         nginx:1.16.1
      """

  Scenario: Rolling back: the typo nginx:1.161 gets stuck in ImagePullBackOff, and undo restores 1.16.1
    When I run "kubectl rollout status deployment/nginx-deployment"
    And I run "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1"
    And I run "kubectl rollout status deployment/nginx-deployment"
    And I run "kubectl set image deployment/nginx-deployment nginx=nginx:1.161"
    Then the output is:
      """
      deployment.apps/nginx-deployment image updated
      """
    When I try to run "kubectl rollout status deployment/nginx-deployment --timeout=30s"
    Then the command fails with:
      """
      error: timed out waiting for the condition
      """
    And the output is:
      """
      Waiting for deployment "nginx-deployment" rollout to finish: 1 out of 3 new replicas have been updated...
      """
    When I run "kubectl get rs --sort-by=.metadata.creationTimestamp -o custom-columns=IMAGE:.spec.template.spec.containers[0].image,DESIRED:.spec.replicas,CURRENT:.status.replicas,READY:.status.readyReplicas"
    Then the output is:
      """
      IMAGE          DESIRED   CURRENT   READY
      nginx:1.14.2   0         0         <none>
      nginx:1.16.1   3         3         3
      nginx:1.161    1         1         <none>
      """
    And within 1 minute the output of "kubectl get pods" contains:
      """
      0/1     ImagePullBackOff   0
      """
    When I run "kubectl describe deployment"
    Then the output contains:
      """
      Replicas:               3 desired | 1 updated | 4 total | 3 available | 1 unavailable
      """
    And the output contains:
      """
          Image:         nginx:1.161
      """
    When I run "kubectl rollout history deployment/nginx-deployment"
    Then the output is:
      """
      deployment.apps/nginx-deployment 
      REVISION  CHANGE-CAUSE
      1         <none>
      2         <none>
      3         <none>

      """
    When I run "kubectl rollout undo deployment/nginx-deployment"
    Then the output is:
      """
      deployment.apps/nginx-deployment rolled back
      """
    When 30 seconds pass
    And I run "kubectl get deployment nginx-deployment -o custom-columns=READY:.status.readyReplicas,UP-TO-DATE:.status.updatedReplicas,AVAILABLE:.status.availableReplicas,IMAGE:.spec.template.spec.containers[0].image"
    Then the output is:
      """
      READY   UP-TO-DATE   AVAILABLE   IMAGE
      3       3            3           nginx:1.16.1
      """
    # The page mentions a DeploymentRollback event: the deployment controller recorded it for the
    # old rollbackTo field (extensions/v1beta1). With apps/v1, kubectl rolls back by writing the old
    # template, so v1.32 records a new revision (4) and no such event.
    When I run "kubectl describe deployment nginx-deployment"
    Then the output contains:
      """
      Annotations:            deployment.kubernetes.io/revision: 4
      """
    And the output contains:
      """
          Image:         nginx:1.16.1
      """

  Scenario: The stuck pod explains itself: the tag does not exist
    When I run "kubectl rollout status deployment/nginx-deployment"
    And I run "kubectl set image deployment/nginx-deployment nginx=nginx:1.161"
    And 20 seconds pass
    When I run "kubectl get events --field-selector reason=Failed -o custom-columns=MESSAGE:.message"
    Then the output contains:
      """
      Failed to pull image "nginx:1.161": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.161": failed to resolve reference "docker.io/library/nginx:1.161": docker.io/library/nginx:1.161: not found
      """

  Scenario: Scaling a Deployment
    When I run "kubectl scale deployment/nginx-deployment --replicas=10"
    Then the output is:
      """
      deployment.apps/nginx-deployment scaled
      """
    And within 1 minute deployment "nginx-deployment" has 10 available replicas
