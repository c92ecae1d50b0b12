Feature: Pod Topology Spread Constraints
  # Source: https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
  #
  # The page's examples on its clusters: nodes labelled `node=<name>` and `zone=zoneA|zoneB|zoneC`
  # (its private label keys), and existing Pods labelled `foo: bar` where its diagrams put them
  # (the page does not give them: here they are pause Pods pinned with a nodeSelector). Its
  # manifests are applied by their k8s.io URLs. A DoNotSchedule constraint is a filter: the
  # scheduler counts the matching Pods of each domain and keeps the nodes where the incoming Pod
  # would leave a skew of at most maxSkew; among those, other scores pick (node3 or node4 for the
  # first example: the scenario checks the zone). Nodes that the Pod's node affinity excludes do
  # not count.

  Scenario: One constraint: the incoming Pod can only go to zone B
    Given a cluster with nodes:
      | name  | labels                |
      | node1 | node=node1,zone=zoneA |
      | node2 | node=node2,zone=zoneA |
      | node3 | node=node3,zone=zoneB |
      | node4 | node=node4,zone=zoneB |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: p1, labels: {foo: bar}}
      spec: {nodeSelector: {node: node1}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p2, labels: {foo: bar}}
      spec: {nodeSelector: {node: node2}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p3, labels: {foo: bar}}
      spec: {nodeSelector: {node: node3}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      """
    And 30 seconds pass
    And I run "kubectl get nodes -L node,zone"
    Then the output is:
      """
      NAME    STATUS   ROLES    AGE   VERSION   NODE    ZONE
      node1   Ready    <none>   30s   v1.32.0   node1   zoneA
      node2   Ready    <none>   30s   v1.32.0   node2   zoneA
      node3   Ready    <none>   30s   v1.32.0   node3   zoneB
      node4   Ready    <none>   30s   v1.32.0   node4   zoneB
      """
    When I run "kubectl apply -f https://k8s.io/examples/pods/topology-spread-constraints/one-constraint.yaml"
    Then the output is:
      """
      pod/mypod created
      """
    And within 1 minute pod "mypod" is Running
    When I run "kubectl get node $(kubectl get pod mypod -o jsonpath='{.spec.nodeName}') -o jsonpath='{.metadata.labels.zone}'"
    Then the output is:
      """
      zoneB
      """

  Scenario: Two constraints, by zone and by node: only node4
    Given a cluster with nodes:
      | name  | labels                |
      | node1 | node=node1,zone=zoneA |
      | node2 | node=node2,zone=zoneA |
      | node3 | node=node3,zone=zoneB |
      | node4 | node=node4,zone=zoneB |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: p1, labels: {foo: bar}}
      spec: {nodeSelector: {node: node1}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p2, labels: {foo: bar}}
      spec: {nodeSelector: {node: node2}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p3, labels: {foo: bar}}
      spec: {nodeSelector: {node: node3}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      """
    And 30 seconds pass
    And I run "kubectl apply -f https://k8s.io/examples/pods/topology-spread-constraints/two-constraints.yaml"
    Then within 1 minute pod "mypod" is Running
    When I run "kubectl get pod mypod -o jsonpath='{.spec.nodeName}'"
    Then the output is:
      """
      node4
      """

  Scenario: Conflicting constraints: the Pod stays Pending
    Given a cluster with nodes:
      | name  | labels                |
      | node1 | node=node1,zone=zoneA |
      | node2 | node=node2,zone=zoneA |
      | node3 | node=node3,zone=zoneB |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: p1, labels: {foo: bar}}
      spec: {nodeSelector: {node: node1}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p2, labels: {foo: bar}}
      spec: {nodeSelector: {node: node1}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p3, labels: {foo: bar}}
      spec: {nodeSelector: {node: node2}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p4, labels: {foo: bar}}
      spec: {nodeSelector: {node: node3}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p5, labels: {foo: bar}}
      spec: {nodeSelector: {node: node3}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      """
    And 30 seconds pass
    And I run "kubectl apply -f https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/pods/topology-spread-constraints/two-constraints.yaml"
    And 10 seconds pass
    And I run "kubectl get pod mypod"
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE
      mypod   0/1     Pending   0          10s
      """
    # The filter's status is Unschedulable (not unresolvable), so the scheduler tries preemption:
    # the other Pods have the same priority as mypod, none is a victim.
    And the events of pod "mypod" contain:
      """
      Warning FailedScheduling 0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
      """

  Scenario: A constraint with node affinity: zone C is left out, the Pod goes to zone B
    Given a cluster with nodes:
      | name  | labels                |
      | node1 | node=node1,zone=zoneA |
      | node2 | node=node2,zone=zoneA |
      | node3 | node=node3,zone=zoneB |
      | node4 | node=node4,zone=zoneB |
      | node5 | node=node5,zone=zoneC |
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: p1, labels: {foo: bar}}
      spec: {nodeSelector: {node: node1}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p2, labels: {foo: bar}}
      spec: {nodeSelector: {node: node2}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: p3, labels: {foo: bar}}
      spec: {nodeSelector: {node: node3}, containers: [{name: pause, image: "registry.k8s.io/pause:3.1"}]}
      """
    And 30 seconds pass
    And I run "kubectl apply -f https://k8s.io/examples/pods/topology-spread-constraints/one-constraint-with-nodeaffinity.yaml"
    Then within 1 minute pod "mypod" is Running
    When I run "kubectl get node $(kubectl get pod mypod -o jsonpath='{.spec.nodeName}') -o jsonpath='{.metadata.labels.zone}'"
    Then the output is:
      """
      zoneB
      """
