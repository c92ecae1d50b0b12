Feature: Assigning Pods to Nodes: inter-pod affinity and anti-affinity, nodeName
  # Source: https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
  #
  # The page's "Always co-located in the same node" example on its three-node cluster
  # (kube-node-1, -2, -3): the redis-cache Deployment spreads its replicas one per node (pod
  # anti-affinity on kubernetes.io/hostname), and the web-server Deployment puts one replica next to
  # each cache (pod affinity to app=store, anti-affinity to itself). The page's Deployments are
  # inline; exercises/docs/assign-pod-node/ holds them as it writes them. A fourth web-server has no
  # node left and stays Pending. The page's pod-with-pod-affinity.yaml needs a Pod labelled
  # security=S1 in a zone before it can be placed there. Its nodeName example names kube-01, a node
  # that does not exist: no scheduler looks at the Pod, no kubelet runs it, and the Pod
  # garbage collector deletes it after its 40 s quarantine ("in some cases may be automatically
  # deleted").

  Scenario: Always co-located in the same node: a web server next to each cache
    Given a cluster with nodes:
      | name        |
      | kube-node-1 |
      | kube-node-2 |
      | kube-node-3 |
    When I run "kubectl apply -f exercises/docs/assign-pod-node/redis-cache.yaml"
    And 1 minute passes
    And I run "kubectl apply -f exercises/docs/assign-pod-node/web-server.yaml"
    And 1 minute passes
    And I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME                           READY   STATUS    RESTARTS   AGE   IP           NODE          NOMINATED NODE   READINESS GATES
      redis-cache-5bbc8bc9d9-b6vpq   1/1     Running   0          2m    10.244.0.2   kube-node-1   <none>           <none>
      redis-cache-5bbc8bc9d9-bh75z   1/1     Running   0          2m    10.244.2.2   kube-node-3   <none>           <none>
      redis-cache-5bbc8bc9d9-vzdc8   1/1     Running   0          2m    10.244.1.2   kube-node-2   <none>           <none>
      web-server-5c8d69c855-6ddb6    1/1     Running   0          60s   10.244.1.3   kube-node-2   <none>           <none>
      web-server-5c8d69c855-6v2cn    1/1     Running   0          60s   10.244.2.3   kube-node-3   <none>           <none>
      web-server-5c8d69c855-rhnhj    1/1     Running   0          60s   10.244.0.3   kube-node-1   <none>           <none>
      """
    # "This will also ensure that each web-server replica does not co-locate on a single node."
    When I run "kubectl scale deployment web-server --replicas=4"
    And 10 seconds pass
    And I run "kubectl get pods -l app=web-store"
    Then the output is:
      """
      NAME                          READY   STATUS    RESTARTS   AGE
      web-server-5c8d69c855-6ddb6   1/1     Running   0          70s
      web-server-5c8d69c855-6v2cn   1/1     Running   0          70s
      web-server-5c8d69c855-9ccjl   0/1     Pending   0          10s
      web-server-5c8d69c855-rhnhj   1/1     Running   0          70s
      """
    And the events of pod "web-server-5c8d69c855-9ccjl" contain:
      """
      Warning FailedScheduling 0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
      """

  Scenario: Pod affinity: placed only in a zone that runs a Pod labelled security=S1
    Given a cluster with nodes:
      | name  | labels                         |
      | node1 | topology.kubernetes.io/zone=V  |
      | node2 | topology.kubernetes.io/zone=V  |
      | node3 | topology.kubernetes.io/zone=W  |
    When I run "kubectl apply -f https://k8s.io/examples/pods/pod-with-pod-affinity.yaml"
    And 10 seconds pass
    And I run "kubectl get pod with-pod-affinity"
    Then the output is:
      """
      NAME                READY   STATUS    RESTARTS   AGE
      with-pod-affinity   0/1     Pending   0          10s
      """
    And the events of pod "with-pod-affinity" contain:
      """
      Warning FailedScheduling 0/3 nodes are available: 3 node(s) didn't match pod affinity rules. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
      """
    # A Pod labelled security=S1 in zone W: the waiting Pod can go to that zone only.
    When I run "kubectl run s1 --image=registry.k8s.io/pause:3.8 --labels=security=S1 --overrides='{\"spec\":{\"nodeSelector\":{\"kubernetes.io/hostname\":\"node3\"}}}'"
    Then within 1 minute pod "with-pod-affinity" is Running
    When I run "kubectl get pod with-pod-affinity -o jsonpath={.spec.nodeName}"
    Then the output is:
      """
      node3
      """

  Scenario: nodeName names a node that does not exist
    Given a cluster with nodes:
      | name      |
      | k8s-node1 |
    When I run "kubectl apply -f exercises/docs/assign-pod-node/nginx-nodename.yaml"
    And 10 seconds pass
    And I run "kubectl get pod nginx -o wide"
    Then the output is:
      """
      NAME    READY   STATUS    RESTARTS   AGE   IP       NODE      NOMINATED NODE   READINESS GATES
      nginx   0/1     Pending   0          10s   <none>   kube-01   <none>           <none>
      """
    When 1 minute passes
    And I try to run "kubectl get pod nginx"
    Then the command fails with:
      """
      Error from server (NotFound): pods "nginx" not found
      """
