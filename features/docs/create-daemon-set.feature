Feature: Building a Basic DaemonSet
  # Source: https://kubernetes.io/docs/tasks/manage-daemon/create-daemon-set/
  #
  # The page's DaemonSet runs a Pod on every node that accepts it: an init container copies the
  # node's /etc/machine-id into the node's /var/log (both hostPath volumes), then a pause container
  # keeps the Pod running. On a kind cluster the control-plane node is tainted
  # node-role.kubernetes.io/control-plane:NoSchedule and the DaemonSet has no toleration, so its
  # Pods run on the two workers only. The page's `kubectl exec <pod-name> -- cat
  # /var/log/machine-id.log` cannot work: the Pod's only container is pause, whose image holds
  # nothing but /pause, and /var/log is mounted in the init container, not in it; containerd
  # refuses the exec. The log is on the node (kind: `docker exec kind-worker cat
  # /var/log/machine-id.log`), holding the node's machine ID, which its status also reports.

  Background:
    Given a cluster with nodes:
      | name               | role          |
      | kind-control-plane | control-plane |
      | kind-worker        |               |
      | kind-worker2       |               |

  Scenario: One Pod per worker; the machine ID is logged on the node
    When I run "kubectl apply -f https://k8s.io/examples/application/basic-daemonset.yaml"
    Then the output is:
      """
      daemonset.apps/example-daemonset created
      """
    When 30 seconds pass
    And I run "kubectl get pods -o wide"
    Then the output is:
      """
      NAME                      READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES
      example-daemonset-7sj2w   1/1     Running   0          30s   10.244.1.2   kind-worker    <none>           <none>
      example-daemonset-bkc28   1/1     Running   0          30s   10.244.2.2   kind-worker2   <none>           <none>
      """
    When I run "kubectl get daemonset example-daemonset"
    Then the output is:
      """
      NAME                DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
      example-daemonset   2         2         2       2            2           <none>          30s
      """
    When I try to run "kubectl exec example-daemonset-7sj2w -- cat /var/log/machine-id.log"
    Then the command fails with:
      """
      Defaulted container "pause" out of: pause, log-machine-id (init)
      error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "4343352bee75cb464b02491a53f25d31e227bacb35b2ab7269ad9e9299825705": OCI runtime exec failed: exec failed: unable to start container process: exec: "cat": executable file not found in $PATH: unknown
      """
    When I run "cat /var/log/machine-id.log" on node "kind-worker"
    Then the output is:
      """
      b68761898d70be1d85814721a9fef485
      """
    When I run "kubectl get node kind-worker -o jsonpath={.status.nodeInfo.machineID}"
    Then the output is:
      """
      b68761898d70be1d85814721a9fef485
      """

  Scenario: Clean up
    When I run "kubectl apply -f https://k8s.io/examples/application/basic-daemonset.yaml"
    And 30 seconds pass
    And I run "kubectl delete --cascade=foreground --ignore-not-found --now daemonsets/example-daemonset"
    Then the output is:
      """
      daemonset.apps "example-daemonset" deleted
      """
    When I try to run "kubectl get pods"
    Then the error output is:
      """
      No resources found in default namespace.
      """
