Feature: Configure a Pod Quota for a Namespace
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/quota-pod-namespace/
  #
  # A ResourceQuota of two pods: a Deployment of three replicas gets two pods; the ReplicaSet's
  # third pod is refused by the quota, which its FailedCreate events and the Deployment's
  # ReplicaFailure condition report. The quota names the pod in full (`pods
  # "pod-quota-demo-<hash>-<5 letters>" is forbidden`, as the page shows): ResourceQuota is a
  # validating admission plugin and runs after the name is generated. The ReplicaSet retries the
  # create rate-limited (5 ms doubling), each retry naming another pod, so `kubectl get events`
  # shows a FailedCreate per retry until client-go's EventAggregator combines them ("(combined
  # from similar events)"). The page's `message:` folds after `pod-demo,`; kubectl's YAML folds
  # this message at the first space past column 80, after `quota:`.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl create namespace quota-pod-example"
    And I run "kubectl apply -f exercises/docs/admin/resource/quota-pod.yaml --namespace=quota-pod-example"

  Scenario: The quota allows two pods and none is used
    When I run "kubectl get resourcequota pod-demo --namespace=quota-pod-example --output=yaml"
    Then the output contains:
      """
      spec:
        hard:
          pods: "2"
      status:
        hard:
          pods: "2"
        used:
          pods: "0"
      """

  Scenario: A Deployment of three replicas gets only two pods
    When I run "kubectl apply -f exercises/docs/admin/resource/quota-pod-deployment.yaml --namespace=quota-pod-example"
    And 1 minute passes
    And I run "kubectl get deployment pod-quota-demo --namespace=quota-pod-example"
    Then the output is:
      """
      NAME             READY   UP-TO-DATE   AVAILABLE   AGE
      pod-quota-demo   2/3     2            2           60s
      """
    When I run "kubectl get deployment pod-quota-demo --namespace=quota-pod-example --output=jsonpath={.status.availableReplicas}"
    Then the output is:
      """
      2
      """
    # The Deployment carries its ReplicaSet's ReplicaFailure condition (the page shows it) ...
    When I run "kubectl get deployment pod-quota-demo --namespace=quota-pod-example --output=yaml"
    Then the output contains:
      """
      is forbidden: exceeded quota:
            pod-demo, requested: pods=1, used: pods=2, limited: pods=2'
          reason: FailedCreate
          status: "True"
          type: ReplicaFailure
      """
    # ... and the ReplicaSet's FailedCreate event says the same.
    When I run "kubectl get events --namespace=quota-pod-example --field-selector=reason=FailedCreate"
    Then the output contains:
      """
      is forbidden: exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2
      """
    When I run "kubectl get quota --namespace=quota-pod-example"
    Then the output is:
      """
      NAME       AGE   REQUEST     LIMIT
      pod-demo   60s   pods: 2/2   
      """
