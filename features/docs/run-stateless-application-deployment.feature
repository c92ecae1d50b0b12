Feature: Run a Stateless Application Using a Deployment
  # Source: https://kubernetes.io/docs/tasks/run-application/run-stateless-application-deployment/
  #
  # The page's three manifests, verbatim (exercises/docs/application/deployment.yaml,
  # deployment-update.yaml and deployment-scale.yaml, as k8s.io/examples/application/ serves them).
  # They disagree: deployment.yaml selects its Pods with `app: nginx` (as the page's
  # `kubectl get pods -l app=nginx` does), while deployment-update.yaml and deployment-scale.yaml
  # were moved to `app.kubernetes.io/name: nginx` (kubernetes/website be91688 and 36cf50e). A
  # Deployment's selector is immutable in apps/v1, so applying either of them over the Deployment
  # that deployment.yaml created is refused, as a real cluster refuses it. The last scenario runs the
  # update and scale steps the way they work: with the Deployment created from deployment-update.yaml.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: Creating and exploring an nginx deployment
    When I run "kubectl apply -f https://k8s.io/examples/application/deployment.yaml"
    Then the output is:
      """
      deployment.apps/nginx-deployment created
      """
    When 20 seconds pass
    And I run "kubectl describe deployment nginx-deployment"
    Then the output contains:
      """
      Name:                   nginx-deployment
      Namespace:              default
      """
    And the output contains:
      """
      Annotations:            deployment.kubernetes.io/revision: 1
      Selector:               app=nginx
      Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable
      StrategyType:           RollingUpdate
      MinReadySeconds:        0
      RollingUpdateStrategy:  25% max unavailable, 25% max surge
      Pod Template:
        Labels:  app=nginx
        Containers:
         nginx:
          Image:         nginx:1.14.2
          Port:          80/TCP
      """
    And the output contains:
      """
      Conditions:
        Type           Status  Reason
        ----           ------  ------
        Available      True    MinimumReplicasAvailable
        Progressing    True    NewReplicaSetAvailable
      OldReplicaSets:  <none>
      NewReplicaSet:   nginx-deployment-7f4d79f7d7 (2/2 replicas created)
      """
    When I run "kubectl get pods -l app=nginx"
    Then the output is:
      """
      NAME                                READY   STATUS    RESTARTS   AGE
      nginx-deployment-7f4d79f7d7-jpmj6   1/1     Running   0          20s
      nginx-deployment-7f4d79f7d7-w5r9c   1/1     Running   0          20s
      """
    When I run "kubectl describe pod nginx-deployment-7f4d79f7d7-jpmj6"
    Then the output contains:
      """
      Labels:           app=nginx
                        pod-template-hash=7f4d79f7d7
      """
    And the output contains:
      """
      Controlled By:  ReplicaSet/nginx-deployment-7f4d79f7d7
      """
    And the output contains:
      """
          Image:          nginx:1.14.2
      """
    When I run "kubectl delete deployment nginx-deployment"
    Then the output is:
      """
      deployment.apps "nginx-deployment" deleted
      """
    When 10 seconds pass
    And I try to run "kubectl get pods -l app=nginx"
    Then the error output is:
      """
      No resources found in default namespace.
      """

  Scenario: The update and scale files select other labels: the API server refuses the change
    When I run "kubectl apply -f https://k8s.io/examples/application/deployment.yaml"
    And 20 seconds pass
    And I try to run "kubectl apply -f https://k8s.io/examples/application/deployment-update.yaml"
    Then the command fails with:
      """
      The Deployment "nginx-deployment" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app.kubernetes.io/name":"nginx"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable
      """
    When I try to run "kubectl apply -f https://k8s.io/examples/application/deployment-scale.yaml"
    Then the command fails with:
      """
      The Deployment "nginx-deployment" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app.kubernetes.io/name":"nginx"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable
      """
    # Nothing changed: the same two nginx:1.14.2 Pods.
    When I run "kubectl get pods -l app=nginx -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image"
    Then the output is:
      """
      NAME                                IMAGE
      nginx-deployment-7f4d79f7d7-jpmj6   nginx:1.14.2
      nginx-deployment-7f4d79f7d7-w5r9c   nginx:1.14.2
      """

  Scenario: Updating to nginx 1.16.1 and scaling to four Pods, with the Deployment those files describe
    When I run "kubectl apply -f https://k8s.io/examples/application/deployment-update.yaml"
    Then the output is:
      """
      deployment.apps/nginx-deployment created
      """
    When 20 seconds pass
    And I run "kubectl apply -f https://k8s.io/examples/application/deployment-scale.yaml"
    Then the output is:
      """
      deployment.apps/nginx-deployment configured
      """
    When 20 seconds pass
    And I run "kubectl get pods -l app.kubernetes.io/name=nginx"
    Then the output is:
      """
      NAME                                READY   STATUS    RESTARTS   AGE
      nginx-deployment-5855dbb5d4-2pz7v   1/1     Running   0          40s
      nginx-deployment-5855dbb5d4-69vbp   1/1     Running   0          20s
      nginx-deployment-5855dbb5d4-9df5w   1/1     Running   0          40s
      nginx-deployment-5855dbb5d4-l774k   1/1     Running   0          20s
      """
    When I run "kubectl delete deployment nginx-deployment"
    Then the output is:
      """
      deployment.apps "nginx-deployment" deleted
      """
