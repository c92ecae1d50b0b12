Feature: Debugging Kubernetes nodes with kubectl
  # Source: https://kubernetes.io/docs/tasks/debug/debug-cluster/kubectl-node-debug/
  #
  # `kubectl debug node/mynode -it --image=ubuntu` verbatim: a pod named after the node runs on it
  # in the node's host namespaces, with the node's root filesystem at /host. The lines the step
  # types are the session's input (a scenario has no terminal: no prompt, no echo).

  Background:
    Given a cluster with nodes:
      | name   |
      | mynode |

  Scenario: Debugging a Node using kubectl debug node
    When I run "kubectl debug node/mynode -it --image=ubuntu" and type:
      """
      hostname
      cat /host/etc/hostname
      ls /host/var/log
      """
    Then the output is:
      """
      Creating debugging pod node-debugger-mynode-f5jxs with container debugger on node mynode.
      mynode
      mynode
      containers
      pods
      """
    When I run "kubectl get pod node-debugger-mynode-f5jxs -o jsonpath='{.spec.nodeName} {.spec.hostPID} {.spec.hostNetwork} {.spec.hostIPC} {.spec.volumes[0]} {.spec.containers[0].volumeMounts[0]}'"
    Then the output is:
      """
      mynode true true true {"hostPath":{"path":"/","type":""},"name":"host-root"} {"mountPath":"/host","name":"host-root"}
      """
    # The shell has ended (its input did): the pod, restartPolicy Never, completes.
    When 2 seconds pass
    Then pod "node-debugger-mynode-f5jxs" is Succeeded
    When I run "kubectl delete pod node-debugger-mynode-f5jxs --now"
    Then the output is:
      """
      pod "node-debugger-mynode-f5jxs" deleted
      """
