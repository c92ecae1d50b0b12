Feature: Assign Pods to Nodes
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/assign-pods-nodes/
  #
  # The page labels one of its nodes `disktype=ssd` and creates a Pod with that nodeSelector
  # (exercises/docs/pods/pod-nginx.yaml), then one bound to `foo-node` by nodeName
  # (exercises/docs/pods/pod-nginx-specific-node.yaml). The cluster has the page's three workers
  # and a foo-node.

  Background:
    Given a cluster with nodes:
      | name     |
      | worker0  |
      | worker1  |
      | worker2  |
      | foo-node |
    And 1 minute passes

  Scenario: Add a label to a node
    When I run "kubectl get nodes --show-labels"
    Then the output is:
      """
      NAME       STATUS   ROLES    AGE   VERSION   LABELS
      foo-node   Ready    <none>   60s   v1.32.0   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=foo-node,kubernetes.io/os=linux
      worker0    Ready    <none>   60s   v1.32.0   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=worker0,kubernetes.io/os=linux
      worker1    Ready    <none>   60s   v1.32.0   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=worker1,kubernetes.io/os=linux
      worker2    Ready    <none>   60s   v1.32.0   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=worker2,kubernetes.io/os=linux
      """
    When I run "kubectl label nodes worker0 disktype=ssd"
    Then the output is:
      """
      node/worker0 labeled
      """
    When I run "kubectl get nodes --show-labels"
    Then the output contains:
      """
      worker0    Ready    <none>   60s   v1.32.0   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,disktype=ssd,kubernetes.io/arch=amd64,kubernetes.io/hostname=worker0,kubernetes.io/os=linux
      """
    And the output contains:
      """
      worker1    Ready    <none>   60s   v1.32.0   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=worker1,kubernetes.io/os=linux
      """

  Scenario: A pod with the nodeSelector disktype: ssd is scheduled to the chosen node
    When I run "kubectl label nodes worker0 disktype=ssd"
    And I run "kubectl apply -f exercises/docs/pods/pod-nginx.yaml"
    Then the output is:
      """
      pod/nginx created
      """
    When 13 seconds pass
    And I run "kubectl get pods --output=wide"
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE   IP           NODE      NOMINATED NODE   READINESS GATES
      nginx   1/1     Running   0          13s   10.244.0.2   worker0   <none>           <none>
      """
    And the events of pod "nginx" contain:
      """
      Normal Scheduled Successfully assigned default/nginx to worker0
      """

  Scenario: Without the label on any node, the pod is not scheduled
    When I run "kubectl apply -f exercises/docs/pods/pod-nginx.yaml"
    And 13 seconds pass
    Then pod "nginx" is not scheduled
    When I run "kubectl describe pod nginx"
    Then the output contains:
      """
      0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.
      """

  Scenario: A pod with nodeName runs on foo-node, without the scheduler
    When I run "kubectl apply -f exercises/docs/pods/pod-nginx-specific-node.yaml"
    Then the output is:
      """
      pod/nginx created
      """
    When 13 seconds pass
    And I run "kubectl get pods --output=wide"
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES
      nginx   1/1     Running   0          13s   10.244.3.2   foo-node   <none>           <none>
      """
    When I run "kubectl get events --field-selector involvedObject.name=nginx -o custom-columns=REASON:.reason"
    Then the output does not contain:
      """
      Scheduled
      """
