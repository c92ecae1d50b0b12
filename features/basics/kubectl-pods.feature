@epic:Basics @feature:kubectl
Feature: kubectl get pods
  The pod table computes READY, STATUS and RESTARTS from the pod's status exactly as kubectl's
  printPod does; `-o wide` adds the pod IP and its node, `--show-labels` and `-L` add labels.

  Background:
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |

  Scenario: A running pod and a pod no node can take
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web1
        labels: {app: web, tier: front}
      spec:
        containers:
        - name: nginx
          image: nginx
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: web2
        labels: {app: web}
      spec:
        nodeSelector: {disktype: ssd}
        containers:
        - name: nginx
          image: nginx
      """
    And 35 seconds pass
    And I run "kubectl get pods"
    Then the output is:
      """
      NAME   READY   STATUS    RESTARTS   AGE
      web1   1/1     Running   0          35s
      web2   0/1     Pending   0          35s
      """
    When I run "kubectl get pods -o wide"
    Then the output contains:
      """
      NAME   READY   STATUS    RESTARTS   AGE   IP
      """
    And the output contains:
      """
      k8s-node1   <none>           <none>
      """
    And the output contains:
      """
      web2   0/1     Pending   0          35s   <none>
      """
    When I run "kubectl get pods -L tier --show-labels"
    Then the output is:
      """
      NAME   READY   STATUS    RESTARTS   AGE   TIER    LABELS
      web1   1/1     Running   0          35s   front   app=web,tier=front
      web2   0/1     Pending   0          35s           app=web
      """
    When I run "kubectl get pods --field-selector status.phase=Running -o name"
    Then the output is:
      """
      pod/web1
      """
    When 2 minutes pass
    And I run "kubectl get pods -A"
    Then the output is:
      """
      NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE
      default     web1   1/1     Running   0          2m35s
      default     web2   0/1     Pending   0          2m35s
      """
