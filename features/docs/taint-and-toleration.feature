Feature: Taints and Tolerations
  # Source: https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/

  Background:
    Given a cluster with nodes:
      | name  |
      | node1 |

  Scenario: A NoSchedule taint keeps out a pod that does not tolerate it; removing it lets the pod in
    When I run "kubectl taint nodes node1 key1=value1:NoSchedule"
    Then the output is:
      """
      node/node1 tainted
      """
    When I apply the manifest file "exercises/docs/pods/pod-with-toleration.yaml"
    And 10 seconds pass
    Then pod "nginx" is not scheduled
    When I run "kubectl describe pod nginx"
    Then the output contains:
      """
      0/1 nodes are available: 1 node(s) had untolerated taint {key1: value1}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.
      """
    When I run "kubectl taint nodes node1 key1=value1:NoSchedule-"
    Then the output is:
      """
      node/node1 untainted
      """
    And within 1 minute pod "nginx" is Running

  Scenario: The page's pod tolerates any taint with the key example-key and effect NoSchedule
    When I run "kubectl taint nodes node1 example-key=anything:NoSchedule"
    And I apply the manifest file "exercises/docs/pods/pod-with-toleration.yaml"
    Then within 30 seconds pod "nginx" is Running
    And pod "nginx" is scheduled on node "node1"

  Scenario: Two tolerations of key1 let a running pod stay, but a third taint keeps new pods out
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: tolerant
      spec:
        containers:
        - name: nginx
          image: nginx
        tolerations:
        - key: "key1"
          operator: "Equal"
          value: "value1"
          effect: "NoSchedule"
        - key: "key1"
          operator: "Equal"
          value: "value1"
          effect: "NoExecute"
      """
    And 10 seconds pass
    And I run "kubectl taint nodes node1 key1=value1:NoSchedule"
    And I run "kubectl taint nodes node1 key1=value1:NoExecute"
    And I run "kubectl taint nodes node1 key2=value2:NoSchedule"
    And 1 minute passes
    Then pod "tolerant" is Running
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: tolerant-2
      spec:
        containers:
        - name: nginx
          image: nginx
        tolerations:
        - key: "key1"
          operator: "Equal"
          value: "value1"
          effect: "NoSchedule"
        - key: "key1"
          operator: "Equal"
          value: "value1"
          effect: "NoExecute"
      """
    And 10 seconds pass
    Then pod "tolerant-2" is not scheduled

  Scenario: tolerationSeconds: the pod stays bound for 3600 seconds after a NoExecute taint, then is evicted
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: bound
      spec:
        containers:
        - name: nginx
          image: nginx
        tolerations:
        - key: "key1"
          operator: "Equal"
          value: "value1"
          effect: "NoExecute"
          tolerationSeconds: 3600
      """
    And 10 seconds pass
    And I run "kubectl taint nodes node1 key1=value1:NoExecute"
    And 59 minutes pass
    Then pod "bound" is Running
    When 2 minutes pass
    Then pod "bound" no longer exists

  Scenario: A pod that does not tolerate a NoExecute taint is evicted at once
    When I apply the manifest file "exercises/docs/pods/pod-with-toleration.yaml"
    And 10 seconds pass
    And I run "kubectl taint nodes node1 key1=value1:NoExecute"
    And 1 minute passes
    Then pod "nginx" no longer exists

  Scenario: Kubernetes adds the not-ready and unreachable tolerations of 300 seconds to every pod
    When I apply the manifest file "exercises/docs/pods/pod-with-toleration.yaml"
    Then pod "nginx" matches:
      """yaml
      spec:
        tolerations:
        - key: example-key
          operator: Exists
          effect: NoSchedule
        - key: node.kubernetes.io/not-ready
          operator: Exists
          effect: NoExecute
          tolerationSeconds: 300
        - key: node.kubernetes.io/unreachable
          operator: Exists
          effect: NoExecute
          tolerationSeconds: 300
      """

  Scenario: The eviction of a pod that does not tolerate a NoExecute taint is an event of the pod
    When I apply the manifest file "exercises/docs/pods/pod-with-toleration.yaml"
    And 10 seconds pass
    And I run "kubectl taint nodes node1 key1=value1:NoExecute"
    And 1 minute passes
    Then the events of pod "nginx" contain:
      """
      Normal TaintManagerEviction Marking for deletion Pod default/nginx
      """
