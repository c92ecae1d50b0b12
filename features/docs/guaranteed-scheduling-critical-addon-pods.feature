Feature: Guaranteed Scheduling For Critical Add-On Pods
  # Source: https://kubernetes.io/docs/tasks/administer-cluster/guaranteed-scheduling-critical-addon-pods/
  #
  # The page's one step: "To mark a Pod as critical, set priorityClassName for that Pod to
  # system-cluster-critical or system-node-critical", the highest priorities, which every cluster
  # has. Marking a Pod critical does not stop evictions; it makes sure an evicted add-on is
  # rescheduled: on a node full of ordinary Pods, the scheduler preempts one of them to make room.
  # The add-on (a pause container asking for 500m CPU, in kube-system) and the ordinary workload
  # are ours: the page gives no manifest.

  Background:
    Given a cluster with nodes:
      | name      | cpu |
      | k8s-node1 | 2   |

  Scenario: The two critical priority classes, system-node-critical the higher
    When I run "kubectl get priorityclasses"
    Then the output is:
      """
      NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY
      system-cluster-critical   2000000000   false            0s    PreemptLowerPriority
      system-node-critical      2000001000   false            0s    PreemptLowerPriority
      """

  Scenario: A critical add-on Pod that finds the node full preempts an ordinary Pod
    # Two ordinary Pods (priority 0) take 1600m of the node's 2 CPUs; `sleep` as PID 1 ignores
    # SIGTERM, so the victim takes its whole 30 s grace period.
    When I apply the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: batch
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: batch
        template:
          metadata:
            labels:
              app: batch
          spec:
            containers:
            - name: worker
              image: busybox:1.28
              command: ["sh", "-c", "sleep 3600"]
              resources:
                requests:
                  cpu: 800m
      """
    And 10 seconds pass
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: metrics-addon
        namespace: kube-system
      spec:
        priorityClassName: system-cluster-critical
        containers:
        - name: addon
          image: registry.k8s.io/pause:3.10
          resources:
            requests:
              cpu: 500m
      """
    And 1 second passes
    And I run "kubectl describe pod metrics-addon -n kube-system"
    Then the output contains:
      """
      Priority:             2000000000
      Priority Class Name:  system-cluster-critical
      """
    And the output contains:
      """
      NominatedNodeName:    k8s-node1
      """
    And the output contains:
      """
        Warning  FailedScheduling  1s    default-scheduler  0/1 nodes are available: 1 Insufficient cpu.
      """
    When I run "kubectl get pods -A -o wide"
    Then the output is:
      """
      NAMESPACE     NAME                     READY   STATUS        RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      default       batch-7b8b87d6c4-bgqgk   0/1     Pending       0          1s    <none>       <none>      <none>           <none>
      default       batch-7b8b87d6c4-ppm2m   1/1     Running       0          11s   10.244.0.2   k8s-node1   <none>           <none>
      default       batch-7b8b87d6c4-xgvlt   1/1     Terminating   0          11s   10.244.0.3   k8s-node1   <none>           <none>
      kube-system   metrics-addon            0/1     Pending       0          1s    <none>       <none>      k8s-node1        <none>
      """
    When I run "kubectl get events --field-selector reason=Preempted"
    Then the output is:
      """
      LAST SEEN   TYPE     REASON      OBJECT                       MESSAGE
      1s          Normal   Preempted   pod/batch-7b8b87d6c4-xgvlt   Preempted by pod b1dc4cc6-4688-4dd8-a6b4-9488b16a2754 on node k8s-node1
      """
    # Once the victim is gone the add-on runs; the ReplicaSet's replacement waits, Pending.
    When 40 seconds pass
    And I run "kubectl get pods -A -o wide"
    Then the output is:
      """
      NAMESPACE     NAME                     READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      default       batch-7b8b87d6c4-bgqgk   0/1     Pending   0          41s   <none>       <none>      <none>           <none>
      default       batch-7b8b87d6c4-ppm2m   1/1     Running   0          51s   10.244.0.2   k8s-node1   <none>           <none>
      kube-system   metrics-addon            1/1     Running   0          41s   10.244.0.4   k8s-node1   <none>           <none>
      """
    When I run "kubectl get pod metrics-addon -n kube-system -o jsonpath={.metadata.uid}"
    Then the output is:
      """
      b1dc4cc6-4688-4dd8-a6b4-9488b16a2754
      """

  Scenario: An ordinary Pod cannot take the place of a critical one
    # The reverse: a Pod without a priority class that finds the node full waits; it preempts nothing.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: node-addon
        namespace: kube-system
      spec:
        priorityClassName: system-node-critical
        containers:
        - name: addon
          image: registry.k8s.io/pause:3.10
          resources:
            requests:
              cpu: 1500m
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: ordinary
      spec:
        containers:
        - name: app
          image: registry.k8s.io/pause:3.10
          resources:
            requests:
              cpu: 1000m
      """
    And 10 seconds pass
    And I run "kubectl get pod ordinary"
    Then the output is:
      """
      NAME       READY   STATUS    RESTARTS   AGE
      ordinary   0/1     Pending   0          10s
      """
    When I run "kubectl describe pod ordinary"
    Then the output contains:
      """
        Warning  FailedScheduling  10s   default-scheduler  0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.
      """
