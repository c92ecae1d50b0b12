Feature: Pod Priority and Preemption
  # Source: https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
  #
  # The page's PriorityClasses and its nginx Pod, as it writes them
  # (exercises/docs/pod-priority-preemption/). The priority admission controller resolves a Pod's
  # priorityClassName to its priority; a Pod that fits nowhere makes the scheduler's
  # DefaultPreemption evict lower-priority Pods from one node (the victims get their graceful
  # termination period), nominate the node in the Pod's status, and bind the Pod there once the
  # victims are gone. A non-preempting class's Pods wait instead.

  Background:
    Given a cluster with nodes:
      | name      | cpu |
      | k8s-node1 | 2   |

  Scenario: The PriorityClasses, and a Pod whose priority the admission controller resolves
    When I run "kubectl apply -f exercises/docs/pod-priority-preemption/high-priority.yaml"
    Then the output is:
      """
      priorityclass.scheduling.k8s.io/high-priority created
      """
    When I run "kubectl get priorityclasses"
    Then the output is:
      """
      NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY
      high-priority             1000000      false            0s    PreemptLowerPriority
      system-cluster-critical   2000000000   false            0s    PreemptLowerPriority
      system-node-critical      2000001000   false            0s    PreemptLowerPriority
      """
    When I run "kubectl apply -f exercises/docs/pod-priority-preemption/nginx.yaml"
    Then the output is:
      """
      pod/nginx created
      """
    When I run "kubectl get pod nginx -o jsonpath={.spec.priorityClassName}/{.spec.priority}/{.spec.preemptionPolicy}"
    Then the output is:
      """
      high-priority/1000000/PreemptLowerPriority
      """
    When I run "kubectl describe pod nginx"
    Then the output contains:
      """
      Priority:             1000000
      Priority Class Name:  high-priority
      """

  Scenario: A high-priority Pod that fits nowhere preempts a lower-priority Pod, and waits for it to go
    # Two Pods without a priorityClassName (priority 0) take most of the node's 2 CPUs. Their
    # shell ignores SIGTERM: a victim takes its whole 30 s graceful termination period.
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
              image: busybox:1.36
              command: ["sh", "-c", "sleep 3600"]
              resources:
                requests:
                  cpu: 800m
      """
    And I run "kubectl rollout status deployment/batch"
    And I run "kubectl apply -f exercises/docs/pod-priority-preemption/high-priority.yaml"
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: important
      spec:
        containers:
        - name: nginx
          image: nginx
          resources:
            requests:
              cpu: "1"
        priorityClassName: high-priority
      """
    # The scheduler found no node for it, evicted one lower-priority Pod and nominated its node.
    And 1 second passes
    And I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME                     READY   STATUS        RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      batch-844bc95f9c-8wjbs   0/1     Pending       0          1s    <none>       <none>      <none>           <none>
      batch-844bc95f9c-fdskj   1/1     Running       0          3s    10.244.0.2   k8s-node1   <none>           <none>
      batch-844bc95f9c-w5cts   1/1     Terminating   0          3s    10.244.0.3   k8s-node1   <none>           <none>
      important                0/1     Pending       0          1s    <none>       <none>      k8s-node1        <none>
      """
    When I run "kubectl get events --field-selector reason=FailedScheduling -o custom-columns=OBJECT:.involvedObject.name,FROM:.reportingComponent,MESSAGE:.message"
    Then the output is:
      """
      OBJECT                   FROM                MESSAGE
      batch-844bc95f9c-8wjbs   default-scheduler   0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.
      important                default-scheduler   0/1 nodes are available: 1 Insufficient cpu.
      """
    When I run "kubectl get events --field-selector reason=Preempted -o custom-columns=OBJECT:.involvedObject.name,FROM:.reportingComponent,MESSAGE:.message"
    Then the output is:
      """
      OBJECT                   FROM                MESSAGE
      batch-844bc95f9c-w5cts   default-scheduler   Preempted by pod b186d198-9cfc-40a6-981f-68b67a368e7b on node k8s-node1
      """
    When I run:
      """
      kubectl get pods -l app=batch -o jsonpath='{range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="DisruptionTarget")].reason} {.status.conditions[?(@.type=="DisruptionTarget")].message}{"\n"}{end}'
      """
    Then the output is:
      """
      batch-844bc95f9c-8wjbs
      batch-844bc95f9c-fdskj
      batch-844bc95f9c-w5cts PreemptionByScheduler default-scheduler: preempting to accommodate a higher priority pod
      """
    # Once the victim is gone (its 30 s), the Pod is bound to the node: nominatedNodeName and
    # nodeName agree here, as nothing else changed meanwhile.
    When 30 seconds pass
    And I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME                     READY   STATUS              RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      batch-844bc95f9c-8wjbs   0/1     Pending             0          31s   <none>       <none>      <none>           <none>
      batch-844bc95f9c-fdskj   1/1     Running             0          33s   10.244.0.2   k8s-node1   <none>           <none>
      important                0/1     ContainerCreating   0          31s   <none>       k8s-node1   <none>           <none>
      """

  Scenario: A non-preempting PriorityClass's Pod waits for room instead of evicting anyone
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: batch
      spec:
        containers:
        - name: worker
          image: busybox:1.36
          command: ["sh", "-c", "sleep 3600"]
          resources:
            requests:
              cpu: 1500m
      """
    And I run "kubectl apply -f exercises/docs/pod-priority-preemption/high-priority-nonpreempting.yaml"
    Then the output is:
      """
      priorityclass.scheduling.k8s.io/high-priority-nonpreempting created
      """
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: patient
      spec:
        containers:
        - name: nginx
          image: nginx
          resources:
            requests:
              cpu: "1"
        priorityClassName: high-priority-nonpreempting
      """
    And 10 seconds pass
    And I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME      READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      batch     1/1     Running   0          10s   10.244.0.2   k8s-node1   <none>           <none>
      patient   0/1     Pending   0          10s   <none>       <none>      <none>           <none>
      """
    When I run "kubectl get events --field-selector involvedObject.name=patient -o custom-columns=REASON:.reason,MESSAGE:.message"
    Then the output is:
      """
      REASON             MESSAGE
      FailedScheduling   0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.
      """
    # "as soon as sufficient cluster resources naturally become free"
    When I run "kubectl delete pod batch --grace-period=1"
    And 5 seconds pass
    And I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME      READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      patient   1/1     Running   0          17s   10.244.0.3   k8s-node1   <none>           <none>
      """

  Scenario: A Pod naming a PriorityClass that does not exist is refused, and system- names are reserved
    # "If the priority class is not found, the Pod is rejected": the page's Pod before its class.
    When I try to run "kubectl apply -f exercises/docs/pod-priority-preemption/nginx.yaml"
    Then the command fails with:
      """
      Error from server (Forbidden): error when creating "exercises/docs/pod-priority-preemption/nginx.yaml": pods "nginx" is forbidden: no PriorityClass with name high-priority was found
      """
    When I try to run "kubectl create priorityclass system-high --value=1000"
    Then the command fails with:
      """
      error: failed to create priorityclass: PriorityClass.scheduling.k8s.io "system-high" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-high is not a known system priority class
      """
    When I try to run "kubectl create priorityclass too-high --value=1000000001"
    Then the command fails with:
      """
      error: failed to create priorityclass: PriorityClass.scheduling.k8s.io "too-high" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000
      """

  Scenario: Only the scheduler's own victims hold a nominated Pod back from preempting again
    # A nominated Pod does not preempt again while its victims on the nominated node are in their
    # graceful termination (kube-scheduler v1.32's PodEligibleToPreemptOthers): a victim is a Pod
    # whose DisruptionTarget condition says PreemptionByScheduler; a Pod a user deleted is not one.
    # Here room on the node is taken again while the victim terminates; the nominated Pod then
    # preempts the user-deleted Pod instead of waiting on it.
    When I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: low-u
      spec:
        terminationGracePeriodSeconds: 120
        containers:
        - name: worker
          image: busybox:1.36
          command: ["sh", "-c", "sleep 3600"]
          resources:
            requests:
              cpu: 600m
      """
    And 5 seconds pass
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: low-a
      spec:
        containers:
        - name: worker
          image: busybox:1.36
          command: ["sh", "-c", "sleep 3600"]
          resources:
            requests:
              cpu: 500m
      """
    And 5 seconds pass
    And I run "kubectl apply -f exercises/docs/pod-priority-preemption/high-priority.yaml"
    And I run "kubectl create priorityclass urgent --value=2000000"
    # low-u started first, so it is reprieved first: low-a is the victim (its 30 s).
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: important
      spec:
        containers:
        - name: nginx
          image: nginx
          resources:
            requests:
              cpu: "1"
        priorityClassName: high-priority
      """
    And 1 second passes
    And I run "kubectl delete pod low-u --wait=false"
    # A Pod of higher priority than the nominated one takes the room low-a leaves.
    And I apply the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: urgent
      spec:
        containers:
        - name: nginx
          image: nginx
          resources:
            requests:
              cpu: 500m
        priorityClassName: urgent
      """
    And 30 seconds pass
    And I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME        READY   STATUS        RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
      important   0/1     Pending       0          31s   <none>       <none>      k8s-node1        <none>
      low-u       1/1     Terminating   0          41s   10.244.0.2   k8s-node1   <none>           <none>
      urgent      1/1     Running       0          30s   10.244.0.4   k8s-node1   <none>           <none>
      """
    When I run "kubectl get events --field-selector reason=Preempted -o custom-columns=OBJECT:.involvedObject.name,MESSAGE:.message"
    Then the output is:
      """
      OBJECT   MESSAGE
      low-a    Preempted by pod b186d198-9cfc-40a6-981f-68b67a368e7b on node k8s-node1
      low-u    Preempted by pod b186d198-9cfc-40a6-981f-68b67a368e7b on node k8s-node1
      """
    # Each attempt found no room; the second preempted again, so neither says "not eligible due to
    # a terminating pod on the nominated node." (the attempts' Pod versions differ: two Events).
    When I run "kubectl get events --field-selector involvedObject.name=important -o custom-columns=REASON:.reason,MESSAGE:.message"
    Then the output is:
      """
      REASON             MESSAGE
      FailedScheduling   0/1 nodes are available: 1 Insufficient cpu.
      FailedScheduling   0/1 nodes are available: 1 Insufficient cpu.
      """
    When I run:
      """
      kubectl get pod low-u -o jsonpath='{.status.conditions[?(@.type=="DisruptionTarget")].reason}'
      """
    Then the output is:
      """
      PreemptionByScheduler
      """
    # low-u's own 120 s run out; then the Pod is bound.
    When 90 seconds pass
    And I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME        READY   STATUS              RESTARTS   AGE    IP           NODE        NOMINATED NODE   READINESS GATES
      important   0/1     ContainerCreating   0          2m1s   <none>       k8s-node1   <none>           <none>
      urgent      1/1     Running             0          2m     10.244.0.4   k8s-node1   <none>           <none>
      """
