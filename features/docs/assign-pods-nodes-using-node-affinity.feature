Feature: Assign Pods to Nodes using Node Affinity
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/assign-pods-nodes-using-node-affinity/

  Background:
    Given a cluster with nodes:
      | name    |
      | worker0 |
      | worker1 |
      | worker2 |
    And 1 minute passes

  Scenario: A label added to the chosen node shows in the node list
    When I run "kubectl label nodes worker0 disktype=ssd"
    Then the output is:
      """
      node/worker0 labeled
      """
    When I run "kubectl get nodes --show-labels"
    Then the output is:
      """
      NAME      STATUS   ROLES    AGE   VERSION   LABELS
      worker0   Ready    <none>   60s   v1.32.0   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,disktype=ssd,kubernetes.io/arch=amd64,kubernetes.io/hostname=worker0,kubernetes.io/os=linux
      worker1   Ready    <none>   60s   v1.32.0   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=worker1,kubernetes.io/os=linux
      worker2   Ready    <none>   60s   v1.32.0   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=worker2,kubernetes.io/os=linux
      """

  Scenario: Required node affinity: the pod runs on the labelled node
    When I run "kubectl label nodes worker0 disktype=ssd"
    And I apply the manifest file "exercises/docs/pods/pod-nginx-required-affinity.yaml"
    And 13 seconds pass
    And I run "kubectl get pods --output=wide"
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE   IP           NODE      NOMINATED NODE   READINESS GATES
      nginx   1/1     Running   0          13s   10.244.0.2   worker0   <none>           <none>
      """

  Scenario: Required node affinity and no node with the label: the pod stays Pending
    When I apply the manifest file "exercises/docs/pods/pod-nginx-required-affinity.yaml"
    And 13 seconds pass
    Then pod "nginx" is not scheduled
    When I run "kubectl describe pod nginx"
    Then the output contains:
      """
      0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
      """

  Scenario: Preferred node affinity: the pod prefers the labelled node
    When I run "kubectl label nodes worker0 disktype=ssd"
    And I apply the manifest file "exercises/docs/pods/pod-nginx-preferred-affinity.yaml"
    And 13 seconds pass
    Then pod "nginx" is scheduled on node "worker0"
    And pod "nginx" is Running

  Scenario: Preferred node affinity and no node with the label: the pod runs anyway
    When I apply the manifest file "exercises/docs/pods/pod-nginx-preferred-affinity.yaml"
    And 13 seconds pass
    Then pod "nginx" is scheduled on one of nodes "worker0, worker1, worker2"
    And pod "nginx" is Running

  Scenario: IgnoredDuringExecution: removing the label later leaves the running pod where it is
    When I run "kubectl label nodes worker0 disktype=ssd"
    And I apply the manifest file "exercises/docs/pods/pod-nginx-required-affinity.yaml"
    And 13 seconds pass
    And I run "kubectl label nodes worker0 disktype-"
    Then the output is:
      """
      node/worker0 unlabeled
      """
    When 5 minutes pass
    Then pod "nginx" is scheduled on node "worker0"
    And pod "nginx" is Running
