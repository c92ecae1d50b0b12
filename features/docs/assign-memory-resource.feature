Feature: Assign Memory Resources to Containers and Pods
  # Source: https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
  #
  # polinux/stress allocates what its arguments say (--vm-bytes): 150M fits the 200Mi limit of
  # memory-demo, 250M does not fit the 100Mi limit of memory-demo-2, and memory-demo-3 asks for
  # more memory than any node has. Manifests verbatim in exercises/docs/pods/resource/.

  Background:
    Given a cluster with nodes:
      | name    | memory |
      | node-1  | 8Gi    |
      | node-2  | 8Gi    |
      | node-3  | 8Gi    |
    When I run "kubectl create namespace mem-example"
    Then the output is:
      """
      namespace/mem-example created
      """

  Scenario: Specify a memory request and a memory limit: the container runs within its limit
    When I apply the manifest file "exercises/docs/pods/resource/memory-request-limit.yaml"
    Then within 1 minute pod "memory-demo" in namespace "mem-example" is Running
    When 30 seconds pass
    Then pod "memory-demo" in namespace "mem-example" has restarted 0 times
    When I run "kubectl get pod memory-demo --output=yaml --namespace=mem-example"
    Then the output contains:
      """
          resources:
            limits:
              memory: 200Mi
            requests:
              memory: 100Mi
      """
    # The page: "about 150 MiB. This is greater than the Pod's 100 MiB request, but within the
    # Pod's 200 MiB limit." (kubectl top prints memory in Mi; the --vm worker's CPU, touching its pages between hangs, is not modelled.)
    When I run "kubectl top pod memory-demo --namespace=mem-example"
    Then the output contains:
      """
      150Mi
      """
    When I run "kubectl logs memory-demo --namespace=mem-example"
    Then the output is:
      """
      stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd
      """
    When I run "kubectl delete pod memory-demo --namespace=mem-example"
    Then the output is:
      """
      pod "memory-demo" deleted
      """

  Scenario: Exceed a Container's memory limit: the container is OOM-killed and restarted
    When I apply the manifest file "exercises/docs/pods/resource/memory-request-limit-2.yaml"
    And 20 seconds pass
    Then container "memory-demo-2-ctr" of pod "memory-demo-2" in namespace "mem-example" was OOM-killed
    And pod "memory-demo-2" in namespace "mem-example" matches:
      """yaml
      status:
        containerStatuses:
        - name: memory-demo-2-ctr
          lastState:
            terminated:
              exitCode: 137
              reason: OOMKilled
      """
    When I run "kubectl describe pod memory-demo-2 --namespace=mem-example"
    Then the output contains:
      """
          Last State:     Terminated
            Reason:       OOMKilled
            Exit Code:    137
      """
    And pod "memory-demo-2" in namespace "mem-example" has an event "BackOff"
    And the events of pod "memory-demo-2" in namespace "mem-example" contain:
      """
      Normal  Created  Created container: memory-demo-2-ctr
      Normal  Started  Started container memory-demo-2-ctr
      """

  Scenario: Exceed a Container's memory limit: it is killed, restarted, killed again
    When I apply the manifest file "exercises/docs/pods/resource/memory-request-limit-2.yaml"
    Then within 1 minute the output of "kubectl get pod memory-demo-2 --namespace=mem-example" contains:
      """
      memory-demo-2   0/1     OOMKilled
      """
    When 2 minutes pass
    Then pod "memory-demo-2" in namespace "mem-example" matches:
      """yaml
      status:
        containerStatuses:
        - name: memory-demo-2-ctr
          state:
            waiting:
              reason: CrashLoopBackOff
      """

  Scenario: Specify a memory request that is too big for your Nodes: the pod stays Pending
    When I apply the manifest file "exercises/docs/pods/resource/memory-request-limit-3.yaml"
    And 25 seconds pass
    When I run "kubectl get pod memory-demo-3 --namespace=mem-example"
    Then the output is:
      """
      NAME            READY   STATUS    RESTARTS   AGE
      memory-demo-3   0/1     Pending   0          25s
      """
    And the events of pod "memory-demo-3" in namespace "mem-example" contain:
      """
      Warning FailedScheduling 0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
      """
